import { expect, test } from 'vitest';
import { JOB_STATUSES } from '../enums/job-status';
import { jobStatusAfterAssignmentChange } from './job-status-after-assignment-change';
import { checkJobTransition } from './job-transitions';

test('open job with a live assignment becomes scheduled', () => {
  expect(jobStatusAfterAssignmentChange({ jobStatus: 'open', liveAssignmentsAfter: 1 })).toBe('scheduled');
  expect(jobStatusAfterAssignmentChange({ jobStatus: 'open', liveAssignmentsAfter: 0 })).toBeNull();
});

test('scheduled job with no live assignment goes back to open', () => {
  expect(jobStatusAfterAssignmentChange({ jobStatus: 'scheduled', liveAssignmentsAfter: 0 })).toBe('open');
  expect(jobStatusAfterAssignmentChange({ jobStatus: 'scheduled', liveAssignmentsAfter: 2 })).toBeNull();
});

test('other statuses are left alone, and every move it makes is one the system may make', () => {
  for (const jobStatus of JOB_STATUSES) {
    for (const liveAssignmentsAfter of [0, 1, 3]) {
      const next = jobStatusAfterAssignmentChange({ jobStatus, liveAssignmentsAfter });
      if (jobStatus !== 'open' && jobStatus !== 'scheduled') expect(next).toBeNull();
      if (next) expect(checkJobTransition({ from: jobStatus, to: next, role: 'system' }).ok).toBe(true);
    }
  }
});
