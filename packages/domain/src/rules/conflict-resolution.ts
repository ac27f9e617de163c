/** Settling a conflict: keep the winner, or flip the field to the losing value. */
import type { ConflictResolution } from '../enums/conflict-status';

/** The reason a status flipped by resolving a conflict carries on the timeline. */
export const CONFLICT_RESOLVED_REASON = 'Conflict resolved';

/** What resolving a conflict does now. */
export type ConflictResolutionDecision =
  /** Settle it as asked. */
  | { ok: true; alreadyResolved: false }
  /** Already settled the same way: nothing to do. */
  | { ok: true; alreadyResolved: true }
  | { ok: false; code: 'validation_failed'; message: string };

/** Resolving twice the same way is harmless; the other way is refused. */
export function decideConflictResolution(
  conflict: { status: string; resolution: string | null },
  keep: ConflictResolution,
): ConflictResolutionDecision {
  if (conflict.status !== 'resolved') return { ok: true, alreadyResolved: false };
  if (conflict.resolution === keep) return { ok: true, alreadyResolved: true };
  return { ok: false, code: 'validation_failed', message: 'Someone already resolved this conflict the other way.' };
}
