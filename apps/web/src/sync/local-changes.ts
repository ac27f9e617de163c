import type { MutationArgs, MutationName, UpdateMutationName } from '@fieldsync/protocol';
import { applyContext, checkMutation, completeArgs, ownContractorIdOf, runApplier } from './apply-mutation';
import { type FieldsyncDatabase, jobIdOfChange, readMeta, SYNCED_TABLE_NAMES, writeMeta } from './database';
import { MutationRefusedError } from './errors';

/**
 * `mutate` args: as in the catalogue, except that `from` of a status change
 * and `base` of an update may be left out (filled from the local row).
 */
export type MutateArgs<N extends MutationName> = N extends 'job.setStatus' | 'assignment.setStatus'
  ? Omit<MutationArgs<N>, 'from'> & { from?: MutationArgs<N>['from'] }
  : N extends UpdateMutationName | 'alertRule.update'
    ? Omit<MutationArgs<N>, 'base'> & { base?: MutationArgs<N>['base'] }
    : MutationArgs<N>;

export interface LocalChangeDeps {
  db: FieldsyncDatabase;
  /** Device clock, milliseconds since the epoch. */
  now: () => number;
  newId: () => string;
}

/** More for `queueMutation` to do inside its transaction. */
export interface QueueMutationOptions {
  /**
   * Writes that must land with the change or not at all (an attachment's
   * bytes in `attachmentFiles`). Runs after the change was checked and
   * applied, so a refused change never reaches it. It may write to the
   * synced tables, `attachmentFiles`, `shadows`, `outbox` and `meta`.
   */
  alsoWrite?: () => Promise<void>;
}

/**
 * Applies a change to the local rows and queues it in the outbox, in one
 * transaction: either both happen or neither. Throws `MutationRefusedError`
 * (plain words) when the change may not be made — nothing was written then;
 * any other throw (an applier bug, a full disk, `alsoWrite`) also rolls
 * everything back. `pendingCount` is the outbox size right after the change.
 */
export async function queueMutation<N extends MutationName>(
  deps: LocalChangeDeps,
  name: N,
  args: MutateArgs<N>,
  options: QueueMutationOptions = {},
): Promise<{ seq: number; pendingCount: number }> {
  const { db, now, newId } = deps;
  const session = await readMeta(db, 'session');
  if (!session) throw new MutationRefusedError('unauthorized', 'Sign in to make changes.');
  const user = session.user;
  const tables = [
    ...SYNCED_TABLE_NAMES.map((table) => db.table(table)),
    db.shadows,
    db.outbox,
    db.meta,
    db.attachmentFiles,
  ];
  return db.transaction('rw', tables, async () => {
    const completed = await completeArgs(db, name, args);
    const parsed = checkMutation(name, completed, user);
    const clientId = await readMeta(db, 'clientId');
    if (!clientId) throw new MutationRefusedError('unauthorized', 'Sign in to make changes.');
    const nextSeq = (await readMeta(db, 'nextSeq')) ?? 1;
    const offset = (await readMeta(db, 'clockOffsetMs')) ?? 0;
    const entry = { seq: nextSeq, occurredAt: new Date(now() + offset).toISOString() };
    const localIds: string[] = [];
    const ownContractorId = await ownContractorIdOf(db, user);
    const ctx = applyContext({ db, entry, clientId, user, ownContractorId, replay: false, localIds, newId });
    await runApplier(ctx, parsed);
    await options.alsoWrite?.();
    const jobId = await jobIdOfChange(db, parsed.name, parsed.args);
    await db.outbox.add({
      ...entry,
      name: parsed.name,
      args: parsed.args,
      attempts: 0,
      lastError: null,
      ...(localIds.length > 0 ? { localIds } : {}),
      ...(jobId ? { jobId } : {}),
    });
    await writeMeta(db, 'nextSeq', nextSeq + 1);
    // Counted here, from the key index, so the badge need not wait for reads queued after the commit.
    return { seq: nextSeq, pendingCount: await db.outbox.count() };
  });
}

/** Creates need a fresh id when queued again: the first one may already be known to the server. */
const CREATE_MUTATIONS: ReadonlySet<string> = new Set(['note.add', 'material.add', 'customer.create', 'job.create']);
/** Creates that make sense on another job ("add to another job"). */
const MOVABLE_MUTATIONS: ReadonlySet<string> = new Set(['note.add', 'material.add']);

/**
 * The change to queue when a person sends a rejected change again: a fresh
 * id for a create, optionally another job, and no `from`/`base` (what the
 * device saw then is stale; `mutate` fills both from today's rows). Throws
 * `MutationRefusedError` when the entry is gone or cannot move to that job.
 */
export async function rejectedChangeToResend(
  deps: Pick<LocalChangeDeps, 'db' | 'newId'>,
  id: number,
  options: { jobId?: string },
): Promise<{ name: MutationName; args: Record<string, unknown> }> {
  const change = await deps.db.rejected.get(id);
  if (!change) throw new MutationRefusedError('not_found', 'This change is no longer on this device.');
  const args: Record<string, unknown> =
    typeof change.args === 'object' && change.args !== null ? { ...(change.args as Record<string, unknown>) } : {};
  if (CREATE_MUTATIONS.has(change.name)) args.id = deps.newId();
  if (options.jobId !== undefined) {
    if (!MOVABLE_MUTATIONS.has(change.name)) {
      throw new MutationRefusedError('invalid_args', 'Only a note or a material can be added to another job.');
    }
    args.jobId = options.jobId;
  }
  delete args.from;
  delete args.base;
  return { name: change.name as MutationName, args };
}

/** The outbox as a JSON string, for a person to download before a forced sign-out. Throws only if IndexedDB does. */
export async function exportPending(deps: Pick<LocalChangeDeps, 'db' | 'now'>): Promise<string> {
  const { db } = deps;
  const [entries, clientId, session] = await Promise.all([
    db.outbox.orderBy('seq').toArray(),
    readMeta(db, 'clientId'),
    readMeta(db, 'session'),
  ]);
  return JSON.stringify(
    {
      exportedAt: new Date(deps.now()).toISOString(),
      clientId: clientId ?? null,
      user: session?.user ?? null,
      mutations: entries.map(({ seq, name, args, occurredAt }) => ({ seq, name, occurredAt, args })),
    },
    null,
    2,
  );
}
