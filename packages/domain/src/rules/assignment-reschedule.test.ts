import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES } from '../enums/assignment-status';
import { checkReschedulable, decideReschedule } from './assignment-reschedule';

const nine = { start: '2026-11-24T14:00:00.000Z', end: '2026-11-24T16:00:00.000Z' };
const ten = { start: '2026-11-24T15:00:00.000Z', end: '2026-11-24T17:00:00.000Z' };
const noon = { start: '2026-11-24T17:00:00.000Z', end: '2026-11-24T19:00:00.000Z' };

test('only a proposed, confirmed or started assignment moves', () => {
  const movable = ASSIGNMENT_STATUSES.filter((status) => checkReschedulable(status).ok);
  expect(movable).toEqual(['pending', 'confirmed', 'in_progress']);
  expect(checkReschedulable('completed')).toEqual({
    ok: false,
    code: 'invalid_transition',
    message: 'This assignment is completed; only a proposed, confirmed or started assignment can be moved.',
  });
});

test('times still as the device saw them move without a conflict', () => {
  expect(decideReschedule({ current: nine, base: nine, next: ten, incomingAt: 'x', currentChangedAt: 'y' })).toEqual({
    move: true,
    conflict: null,
  });
  // The same instants written with an offset are the same times.
  const offset = { start: '2026-11-24T09:00:00-05:00', end: '2026-11-24T11:00:00-05:00' };
  expect(
    decideReschedule({ current: nine, base: offset, next: ten, incomingAt: 'x', currentChangedAt: 'y' }).conflict,
  ).toBeNull();
});

test('a move to where the booking already is does nothing', () => {
  expect(decideReschedule({ current: ten, base: nine, next: ten, incomingAt: 'x', currentChangedAt: 'y' })).toEqual({
    move: false,
    conflict: null,
  });
});

test('times moved since the device looked: the later move wins, the other is the conflict', () => {
  const later = decideReschedule({
    current: noon,
    base: nine,
    next: ten,
    incomingAt: '2026-11-23T10:00:00Z',
    currentChangedAt: '2026-11-23T09:00:00Z',
  });
  expect(later).toEqual({ move: true, conflict: { winner: ten, loser: noon } });
  const earlier = decideReschedule({
    current: noon,
    base: nine,
    next: ten,
    incomingAt: '2026-11-23T09:00:00Z',
    currentChangedAt: '2026-11-23T10:00:00Z',
  });
  expect(earlier).toEqual({ move: false, conflict: { winner: noon, loser: ten } });
  // A tie goes to the server.
  const tie = decideReschedule({
    current: noon,
    base: nine,
    next: ten,
    incomingAt: '2026-11-23T10:00:00Z',
    currentChangedAt: '2026-11-23T10:00:00.000Z',
  });
  expect(tie.move).toBe(false);
});
