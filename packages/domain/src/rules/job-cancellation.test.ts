import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES } from '../enums/assignment-status';
import { endsWithJobCancellation, STATUSES_ENDED_BY_JOB_CANCELLATION } from './job-cancellation';

test('cancelling a job ends pending, confirmed and in-progress assignments, and no others', () => {
  expect(ASSIGNMENT_STATUSES.filter(endsWithJobCancellation)).toEqual(['pending', 'confirmed', 'in_progress']);
  expect([...STATUSES_ENDED_BY_JOB_CANCELLATION]).toEqual(['pending', 'confirmed', 'in_progress']);
});
