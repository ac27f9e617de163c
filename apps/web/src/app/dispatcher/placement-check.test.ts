import { doubleBookedMessage } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { checkPlacement, movedToReason, moveToOtherMessage, type PlacementInput } from './placement-check';

// Wednesday 2026-11-25 in Denver (MST, UTC−7): 9:00 AM is 16:00Z.
const rosa = { name: 'Rosa', status: 'active', trade: 'flooring' };
const weekdays = [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startTime: '08:00:00', endTime: '17:00:00' }));
const booked = {
  id: 'a-other',
  jobId: 'job-other',
  status: 'confirmed' as const,
  scheduledStart: '2026-11-25T16:00:00.000Z',
  scheduledEnd: '2026-11-25T18:00:00.000Z',
};

function input(overrides: Partial<PlacementInput> & { start?: string; end?: string }): PlacementInput {
  const { start = '2026-11-25T19:00:00.000Z', end = '2026-11-25T20:00:00.000Z', ...rest } = overrides;
  return {
    booking: { id: 'a-new', jobId: 'job-1', start, end },
    jobStatus: 'open',
    jobTrade: 'flooring',
    contractor: rosa,
    theirs: [booked],
    workingHours: weekdays,
    timeZone: 'America/Denver',
    nowMs: Date.parse('2026-11-24T12:00:00Z'),
    formatWallTime: (time) => time.slice(0, 5),
    ...rest,
  };
}

test('a free time inside working hours passes with no warning', () => {
  expect(checkPlacement(input({}))).toEqual({ kind: 'ok', warnings: [] });
  // Touching the end of another booking is not a clash.
  expect(checkPlacement(input({ start: '2026-11-25T18:00:00.000Z', end: '2026-11-25T19:00:00.000Z' }))).toEqual({
    kind: 'ok',
    warnings: [],
  });
});

test('an overlapping time is refused with the domain words for a double booking', () => {
  expect(checkPlacement(input({ start: '2026-11-25T17:00:00.000Z', end: '2026-11-25T19:00:00.000Z' }))).toEqual({
    kind: 'refused',
    message: doubleBookedMessage('Rosa'),
  });
});

test('a cancelled booking in the way is no clash; moving an assignment does not clash with itself', () => {
  const cancelled = { ...booked, status: 'cancelled' as const };
  expect(
    checkPlacement(input({ theirs: [cancelled], start: booked.scheduledStart, end: booked.scheduledEnd })).kind,
  ).toBe('ok');
  const move = input({ start: '2026-11-25T17:00:00.000Z', end: '2026-11-25T19:00:00.000Z' });
  expect(checkPlacement({ ...move, booking: { ...move.booking, id: booked.id, jobId: booked.jobId } }).kind).toBe('ok');
});

test('a contractor who was on the job before is refused, live or not', () => {
  const live = {
    ...booked,
    id: 'a-live',
    jobId: 'job-1',
    scheduledStart: '2026-11-27T16:00:00.000Z',
    scheduledEnd: '2026-11-27T17:00:00.000Z',
  };
  expect(checkPlacement(input({ theirs: [live] }))).toEqual({
    kind: 'refused',
    message: 'Rosa has already been assigned to this job.',
  });
  const result = checkPlacement(input({ theirs: [{ ...live, status: 'cancelled' }] }));
  expect(result.kind).toBe('refused');
  expect(result.kind === 'refused' && result.message).toMatch(/Rosa was on this job before \(cancelled\)/);
});

test('an inactive contractor and a finished job are refused', () => {
  expect(checkPlacement(input({ contractor: { name: 'Ken', status: 'on_leave', trade: 'flooring' } }))).toEqual({
    kind: 'refused',
    message: 'Ken is not active and cannot take jobs.',
  });
  expect(checkPlacement(input({ jobStatus: 'completed' })).kind).toBe('refused');
});

test('outside working hours and past times are warnings to confirm, in words', () => {
  // 7:00–8:00 AM: starts before 8.
  expect(checkPlacement(input({ start: '2026-11-25T14:00:00.000Z', end: '2026-11-25T15:00:00.000Z' }))).toEqual({
    kind: 'ok',
    warnings: ["Outside Rosa's working hours (08:00–17:00)."],
  });
  // 4:30–5:30 PM: runs past 5.
  expect(checkPlacement(input({ start: '2026-11-25T23:30:00.000Z', end: '2026-11-26T00:30:00.000Z' }))).toEqual({
    kind: 'ok',
    warnings: ["Outside Rosa's working hours (08:00–17:00)."],
  });
  // Saturday.
  expect(checkPlacement(input({ start: '2026-11-28T16:00:00.000Z', end: '2026-11-28T17:00:00.000Z' }))).toEqual({
    kind: 'ok',
    warnings: ['Rosa does not work that day.'],
  });
  expect(checkPlacement(input({ nowMs: Date.parse('2026-11-26T00:00:00Z') }))).toEqual({
    kind: 'ok',
    warnings: ['That time has already passed.'],
  });
});

test('a contractor of another trade is a warning; multi-trade contractors fit every job', () => {
  expect(checkPlacement(input({ jobTrade: 'paving' }))).toEqual({
    kind: 'ok',
    warnings: ['Rosa works in flooring; this is a paving job.'],
  });
  expect(checkPlacement(input({ jobTrade: 'paving', contractor: { ...rosa, trade: 'multi' } }))).toEqual({
    kind: 'ok',
    warnings: [],
  });
});

test('a move to someone else is explained and recorded in words', () => {
  expect(moveToOtherMessage('Rosa', 'Ken')).toBe("Rosa's visit will be cancelled and a new one proposed to Ken.");
  expect(movedToReason('Ken')).toBe('Moved to Ken');
});
