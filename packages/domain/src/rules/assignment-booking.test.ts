import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES, isLiveAssignment } from '../enums/assignment-status';
import { JOB_STATUSES } from '../enums/job-status';
import {
  type BookedAssignment,
  checkBookingClash,
  checkContractorTakesJobs,
  checkJobTakesAssignments,
} from './assignment-booking';

test('only completed and cancelled jobs refuse new assignments, naming their status', () => {
  for (const status of JOB_STATUSES) {
    const check = checkJobTakesAssignments(status);
    if (status === 'completed' || status === 'cancelled') {
      expect(check).toEqual({
        ok: false,
        code: 'validation_failed',
        message: `This job is ${status}; it cannot be assigned.`,
      });
    } else {
      expect(check).toEqual({ ok: true });
    }
  }
});

test('a contractor who is not active cannot take jobs', () => {
  expect(checkContractorTakesJobs({ name: 'Sam', status: 'active' })).toEqual({ ok: true });
  expect(checkContractorTakesJobs({ name: 'Sam', status: 'on_leave' })).toEqual({
    ok: false,
    code: 'validation_failed',
    message: 'Sam is not active and cannot take jobs.',
  });
});

const booking = {
  id: 'new',
  jobId: 'job-1',
  contractorName: 'Sam',
  start: '2026-11-21T09:00:00.000Z',
  end: '2026-11-21T11:00:00.000Z',
};
const other = (fields: Partial<BookedAssignment>): BookedAssignment => ({
  id: 'other',
  jobId: 'job-2',
  status: 'confirmed',
  scheduledStart: '2026-11-21T10:00:00.000Z',
  scheduledEnd: '2026-11-21T12:00:00.000Z',
  ...fields,
});

test('an overlapping live assignment is a double booking; touching ends are not', () => {
  expect(checkBookingClash(booking, [other({})])).toEqual({
    ok: false,
    code: 'double_booked',
    message: 'Sam is already booked at that time.',
  });
  expect(checkBookingClash(booking, [other({ scheduledStart: '2026-11-21T11:00:00.000Z' })])).toEqual({ ok: true });
});

test('a second live assignment on the same job is refused', () => {
  expect(checkBookingClash(booking, [other({ jobId: 'job-1', scheduledStart: '2026-11-22T10:00:00.000Z' })])).toEqual({
    ok: false,
    code: 'validation_failed',
    message: 'Sam has already been assigned to this job.',
  });
});

test('ended assignments and the booking itself never clash', () => {
  fc.assert(
    fc.property(fc.constantFrom(...ASSIGNMENT_STATUSES), (status) => {
      const clashes = !checkBookingClash(booking, [other({ status })]).ok;
      expect(clashes).toBe(isLiveAssignment(status));
      expect(checkBookingClash(booking, [other({ id: 'new', status })]).ok).toBe(true);
    }),
  );
});
