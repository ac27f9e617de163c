/**
 * Follow-ups this phone created, remembered after they are sent. A follow-up
 * has nobody booked on it, so it is outside the contractor's pull scope: once
 * the server has it, the next sync's rebase deletes the local row (the server
 * never sends it back). Without a memo the job would vanish from the screen
 * it was created on, as if lost. The memo keeps its title and when it was
 * sent — not the job itself, so nothing stale can be opened or edited — and
 * lives in `meta`, which sign-out wipes with the rest of the person's data.
 */
import type { FieldsyncDatabase } from '../../sync';
import { type CreatedFollowUp, readMeta, writeMeta } from '../../sync/database';

export type { CreatedFollowUp };

/** Enough for weeks of work; the oldest are forgotten first. */
const KEPT = 100;

/** Every remembered follow-up, oldest first (also inside a `liveQuery`). */
export async function readCreatedFollowUps(db: FieldsyncDatabase): Promise<CreatedFollowUp[]> {
  return (await readMeta(db, 'followUpsCreated')) ?? [];
}

/** Remembers a follow-up just saved on the phone. Throws only if IndexedDB does. */
export async function rememberCreatedFollowUp(db: FieldsyncDatabase, followUp: CreatedFollowUp): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const kept = (await readCreatedFollowUps(db)).filter((known) => known.id !== followUp.id);
    await writeMeta(db, 'followUpsCreated', [...kept, followUp].slice(-KEPT));
  });
}

/** Where a remembered follow-up stands, from what the phone knows. */
export type FollowUpState = { kind: 'waiting' } | { kind: 'sent' } | { kind: 'refused'; message: string };

/**
 * Waiting while its change is in the outbox (the local row is marked
 * pending), refused when the server turned it down (it is in the rejected
 * changes, with the reason), else sent.
 */
export function followUpState(
  followUp: Pick<CreatedFollowUp, 'id'>,
  pendingIds: ReadonlySet<string>,
  rejected: ReadonlyArray<{ name: string; args: unknown; message: string }>,
): FollowUpState {
  if (pendingIds.has(followUp.id)) return { kind: 'waiting' };
  const refusal = rejected.find(
    (change) =>
      change.name === 'job.create' &&
      typeof change.args === 'object' &&
      change.args !== null &&
      (change.args as { id?: unknown }).id === followUp.id,
  );
  return refusal ? { kind: 'refused', message: refusal.message } : { kind: 'sent' };
}
