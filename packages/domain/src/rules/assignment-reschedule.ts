/**
 * Moving a booking to other times (`assignment.reschedule`). Only a booking
 * still ahead or under way moves; the times are one value, so a move made on
 * stale times is settled like a concurrent field edit: the later change wins
 * and the other is kept as a conflict. The phone and the server both decide
 * here; the server alone knows when the times last changed.
 */
import type { AssignmentStatus } from '../enums/assignment-status';
import type { RuleCheck } from './rule-check';

/** The statuses whose times may still move. */
export const RESCHEDULABLE_ASSIGNMENT_STATUSES = ['pending', 'confirmed', 'in_progress'] as const;

/** A booking's times, ISO instants. */
export type ScheduleTimes = { start: string; end: string };

const STATUS_WORDS: Partial<Record<AssignmentStatus, string>> = {
  completed: 'completed',
  cancelled: 'cancelled',
  declined: 'declined',
};

/** A completed, cancelled or declined assignment keeps its times. */
export function checkReschedulable(status: AssignmentStatus): RuleCheck<'invalid_transition'> {
  if ((RESCHEDULABLE_ASSIGNMENT_STATUSES as readonly AssignmentStatus[]).includes(status)) return { ok: true };
  return {
    ok: false,
    code: 'invalid_transition',
    message: `This assignment is ${STATUS_WORDS[status] ?? status}; only a proposed, confirmed or started assignment can be moved.`,
  };
}

/** Same instants, however they are written (`Z` or an offset, with or without milliseconds). */
export function sameSchedule(a: ScheduleTimes, b: ScheduleTimes): boolean {
  return Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);
}

/** The times as stored and pulled: UTC ISO with milliseconds. */
export function normalizeSchedule(times: ScheduleTimes): ScheduleTimes {
  return { start: new Date(times.start).toISOString(), end: new Date(times.end).toISOString() };
}

/** What a reschedule does to the booking. */
export type RescheduleDecision = {
  /** Write the new times. */
  move: boolean;
  /** Set when the times moved since the device looked: both moves, the kept one as `winner`. */
  conflict: null | { winner: ScheduleTimes; loser: ScheduleTimes };
};

/**
 * Decides a reschedule against the current times:
 * - current times still equal `base` → move;
 * - current times already equal the new ones → nothing to do, no conflict;
 * - otherwise the times moved since the device looked: the later change by
 *   device time wins (`incomingAt` against `currentChangedAt`; a tie, or a
 *   time that does not parse, goes to the server so every replica decides
 *   alike), and a conflict names both.
 */
export function decideReschedule(input: {
  current: ScheduleTimes;
  base: ScheduleTimes;
  next: ScheduleTimes;
  incomingAt: string;
  currentChangedAt: string;
}): RescheduleDecision {
  const current = normalizeSchedule(input.current);
  const next = normalizeSchedule(input.next);
  if (sameSchedule(current, input.base)) return { move: !sameSchedule(current, next), conflict: null };
  if (sameSchedule(current, next)) return { move: false, conflict: null };
  if (Date.parse(input.incomingAt) > Date.parse(input.currentChangedAt)) {
    return { move: true, conflict: { winner: next, loser: current } };
  }
  return { move: false, conflict: { winner: current, loser: next } };
}
