import { deepEqualJson } from './deep-equal-json';

/** One field edited concurrently on the server and on the device. */
export interface FieldConflict {
  field: string;
  winnerValue: unknown;
  loserValue: unknown;
  /** True when the device's value won and is in `apply`. */
  incomingWon: boolean;
}

export interface FieldMergeResult {
  /** Fields to write to the row (a subset of the patch). */
  apply: Record<string, unknown>;
  /** One entry per concurrently edited field, whichever side won. */
  conflicts: FieldConflict[];
}

/**
 * Field-level merge of an `*.update` mutation (docs/sync-protocol.md, "Conflict rules").
 *
 * For each field of `patch`:
 * - server value still equals what the device saw (`base`) → take the patch value;
 * - server value already equals the patch value → nothing to do, no conflict;
 * - otherwise both sides changed it: the later change wins by time — the
 *   device's skew-corrected `incomingAt` against `currentChangedAt`, when the
 *   server row last changed. A tie goes to the server so that every replica
 *   decides the same. Either way a conflict is reported.
 *
 * Fields not in `patch` are never touched. A patch field missing from `base`
 * is compared against `undefined` (so it conflicts unless the server value is
 * also absent). Unparseable times count as a server win.
 * Fields are visited in sorted order, so the result does not depend on key order.
 */
export function mergeFieldUpdate(input: {
  current: Record<string, unknown>;
  patch: Record<string, unknown>;
  base: Record<string, unknown>;
  incomingAt: string;
  currentChangedAt: string;
}): FieldMergeResult {
  const { current, patch, base } = input;
  const incomingWins = Date.parse(input.incomingAt) > Date.parse(input.currentChangedAt);
  const applied: Array<[string, unknown]> = [];
  const conflicts: FieldConflict[] = [];

  for (const field of Object.keys(patch).sort()) {
    const next = patch[field];
    const now = Object.hasOwn(current, field) ? current[field] : undefined;
    const seen = Object.hasOwn(base, field) ? base[field] : undefined;
    if (deepEqualJson(now, seen)) {
      applied.push([field, next]);
    } else if (deepEqualJson(now, next)) {
      // Both sides made the same edit: nothing to write and nothing to tell anyone.
    } else if (incomingWins) {
      applied.push([field, next]);
      conflicts.push({ field, winnerValue: next, loserValue: now, incomingWon: true });
    } else {
      conflicts.push({ field, winnerValue: now, loserValue: next, incomingWon: false });
    }
  }
  // Object.fromEntries defines own properties, so a field named "__proto__" cannot reach the prototype.
  return { apply: Object.fromEntries(applied), conflicts };
}
