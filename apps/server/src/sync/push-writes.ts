/**
 * How one push writes, chosen once when it starts (push-service.ts): with a
 * savepoint per mutation, every write is direct; without savepoints, the
 * phone's common changes are held (write-behind.ts) and written together.
 * Handlers see only `JobWrites`.
 */
import type { PushRequest } from '@fieldsync/protocol';
import type { Tx } from '../db/database';
import { DirectJobWrites, type JobWrites } from './job-writes';
import { type LockedRows, WriteBehind } from './write-behind';

/** The writes of one push. A throw is a failed write, for the push to charge to its mutation by a replay. */
export interface PushWrites {
  /**
   * The writes a mutation goes through, on `tx` (its savepoint, when it has
   * one). Before a mutation whose writes cannot be held, what is held is
   * written and what was read forgotten: it may change those rows.
   */
  forMutation(mutation: PushRequest['mutations'][number], tx: Tx): Promise<JobWrites>;
  /** Writes whatever is still held, before the push records its ledger. */
  finish(): Promise<void>;
}

/** Every write at once, in the mutation's own transaction or savepoint. */
export function directPushWrites(orgId: string): PushWrites {
  return {
    forMutation: async (_mutation, tx) => new DirectJobWrites(tx, orgId),
    finish: async () => {},
  };
}

/**
 * Status moves (other than cancelling), materials added and ticked, and notes
 * held and written together; anything else direct. `locked` is what the push
 * read while locking its rows, so held changes start without reading them again.
 */
export function heldPushWrites(tx: Tx, orgId: string, locked: LockedRows): PushWrites {
  const held = new WriteBehind(tx, orgId, locked);
  return {
    async forMutation(mutation, mutationTx) {
      if (canHoldWrites(mutation)) return held;
      await held.flush();
      return new DirectJobWrites(mutationTx, orgId);
    },
    finish: () => held.flush(),
  };
}

/**
 * The mutations whose writes may be held: they read and write only the job's
 * status, materials (a new row, or a tick) and notes. Cancelling a job also
 * ends its assignments, so it is applied directly.
 */
function canHoldWrites(mutation: PushRequest['mutations'][number]) {
  switch (mutation.name) {
    case 'job.setStatus':
      return (mutation.args as { to?: unknown } | null)?.to !== 'cancelled';
    case 'material.add':
    case 'material.setPurchased':
    case 'note.add':
      return true;
    default:
      return false;
  }
}
