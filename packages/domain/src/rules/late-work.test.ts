import fc from 'fast-check';
import { expect, test } from 'vitest';
import { decideLateWork, JOB_NOT_ASSIGNED_MESSAGE, type JobAccess } from './late-work';

const cancelledAt = '2026-11-21T10:42:00.000Z';
const cancelled: JobAccess = { kind: 'ended', endedAt: cancelledAt, because: 'job_cancelled' };
const refused = { ok: false, code: 'forbidden', message: JOB_NOT_ASSIGNED_MESSAGE };

test('work on a job still assigned applies as usual', () => {
  expect(decideLateWork({ access: { kind: 'live' }, occurredAt: '2026-11-21T12:00:00Z' })).toEqual({
    ok: true,
    late: false,
  });
});

test('work done before the office cancelled the job applies, marked late', () => {
  expect(decideLateWork({ access: cancelled, occurredAt: '2026-11-21T10:41:59.999Z' })).toEqual({
    ok: true,
    late: true,
    accessEndedAt: cancelledAt,
    because: 'job_cancelled',
  });
});

test('work done before the assignment was given to someone else applies, marked late', () => {
  const reassigned: JobAccess = { kind: 'ended', endedAt: cancelledAt, because: 'assignment_ended' };
  expect(decideLateWork({ access: reassigned, occurredAt: '2026-11-21T09:00:00+01:00' })).toMatchObject({
    ok: true,
    late: true,
    because: 'assignment_ended',
  });
});

test('work done at or after the end is refused in plain words', () => {
  expect(decideLateWork({ access: cancelled, occurredAt: cancelledAt })).toEqual(refused);
  expect(decideLateWork({ access: cancelled, occurredAt: '2026-11-21T11:15:00Z' })).toEqual(refused);
});

test('work on a job never held is refused whenever it happened', () => {
  expect(decideLateWork({ access: { kind: 'none' }, occurredAt: '2000-01-01T00:00:00Z' })).toEqual(refused);
});

test('the line is exactly the end of access: before is late, from it on is refused', () => {
  const instant = fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') });
  fc.assert(
    fc.property(instant, instant, (work, end) => {
      const endedAt = new Date(end).toISOString();
      const decision = decideLateWork({
        access: { kind: 'ended', endedAt, because: 'assignment_ended' },
        occurredAt: new Date(work).toISOString(),
      });
      expect(decision.ok).toBe(work < end);
      if (decision.ok)
        expect(decision).toEqual({ ok: true, late: true, accessEndedAt: endedAt, because: 'assignment_ended' });
    }),
  );
});
