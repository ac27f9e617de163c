import { expect, test } from 'vitest';
import { type CandidateSlotsInput, candidateSlots } from './candidate-slots';

// Denver (MST, UTC−7). Monday 2026-11-23 … ; 8:00–12:00 on weekdays.
const hours = [1, 2, 3, 4, 5].map((dayOfWeek) => ({
  contractorId: 'rosa',
  dayOfWeek,
  startTime: '08:00',
  endTime: '12:00',
}));

function input(overrides: Partial<CandidateSlotsInput>): CandidateSlotsInput {
  return {
    job: { id: 'job-1', desiredDate: '2026-11-23', durationMinutes: 120 },
    contractorId: 'rosa',
    workingHours: hours,
    assignments: [],
    settings: { searchDays: 10, slotMinutes: 30 },
    timeZone: 'America/Denver',
    today: '2026-11-22',
    now: '2026-11-22T12:00:00Z',
    count: 3,
    ...overrides,
  };
}

const starts = (slots: Array<{ start: string }>) => slots.map((slot) => slot.start);

test('more slots than a recommendation lists, earliest first, running into later days', () => {
  // Each morning holds 8:00, 8:30, 9:00, 9:30 and 10:00 starts for a two-hour job.
  const slots = candidateSlots(input({ count: 7 }));
  expect(starts(slots)).toEqual([
    '2026-11-23T15:00:00.000Z',
    '2026-11-23T15:30:00.000Z',
    '2026-11-23T16:00:00.000Z',
    '2026-11-23T16:30:00.000Z',
    '2026-11-23T17:00:00.000Z',
    '2026-11-24T15:00:00.000Z',
    '2026-11-24T15:30:00.000Z',
  ]);
  expect(slots[0]?.end).toBe('2026-11-23T17:00:00.000Z');
});

test("the contractor's live bookings on other jobs are skipped; this job's own and cancelled ones are not", () => {
  const booking = {
    contractorId: 'rosa',
    scheduledStart: '2026-11-23T15:00:00.000Z',
    scheduledEnd: '2026-11-23T17:00:00.000Z',
  };
  expect(starts(candidateSlots(input({ assignments: [{ ...booking, jobId: 'job-2', status: 'confirmed' }] })))).toEqual(
    ['2026-11-23T17:00:00.000Z', '2026-11-24T15:00:00.000Z', '2026-11-24T15:30:00.000Z'],
  );
  expect(starts(candidateSlots(input({ assignments: [{ ...booking, jobId: 'job-1', status: 'pending' }] })))[0]).toBe(
    '2026-11-23T15:00:00.000Z',
  );
  expect(starts(candidateSlots(input({ assignments: [{ ...booking, jobId: 'job-2', status: 'cancelled' }] })))[0]).toBe(
    '2026-11-23T15:00:00.000Z',
  );
});

test('no slot before now, and a late job is searched from today', () => {
  const slots = candidateSlots(
    input({ job: { id: 'job-1', desiredDate: '2026-11-16', durationMinutes: 120 }, now: '2026-11-23T16:10:00Z' }),
  );
  expect(starts(slots)).toEqual(['2026-11-23T16:30:00.000Z', '2026-11-23T17:00:00.000Z', '2026-11-24T15:00:00.000Z']);
});

test('the search stops at the end of the window', () => {
  const slots = candidateSlots(input({ settings: { searchDays: 1, slotMinutes: 30 }, count: 50 }));
  expect(slots).toHaveLength(10);
  expect(candidateSlots(input({ contractorId: 'nobody', count: 5 }))).toEqual([]);
});
