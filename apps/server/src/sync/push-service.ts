/**
 * Replays a client's pushed mutations: exactly once, in seq order, each with
 * its side effects in its own savepoint, and one ledger row per mutation.
 */
import { canRole } from '@fieldsync/domain';
import {
  MUTATION_PERMISSION,
  type MutationResult,
  type PushRequest,
  type PushResponse,
  parseMutationArgs,
} from '@fieldsync/protocol';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Db, Tx } from '../db/database';
import { CHANGES_CHANNEL } from '../db/database';
import { assignments, contractors, mutations, syncClients } from '../db/schema';
import { ApiError } from '../http/api-error';
import { pgErrorCode } from './handler-support';
import { mutationHandlers } from './handlers';
import { type HandlerOutcome, type MutationContext, MutationRejected } from './mutation-context';

/** What a committed push tells live listeners: which organisation, and which contractors' scope it touched. */
export interface ChangeNotice {
  orgId: string;
  /** Contractor user ids whose jobs changed; office users are always told. */
  userIds: string[];
}

export function createPushService(db: Db, now: () => Date) {
  return {
    async push(user: AuthUser, request: PushRequest, userAgent: string | undefined): Promise<PushResponse> {
      return db.transaction(async (tx) => {
        // One writer per organisation at a time: versions are then handed out in
        // commit order, so a pull's cursor can never skip a row committed later.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${user.orgId}, 0))`);
        let lastSeq = await claimClient(tx, user, request.clientId, userAgent, now().toISOString());

        const results: MutationResult[] = [];
        const touchedJobIds = new Set<string>();
        let expectedSeq: number | undefined;
        for (const mutation of request.mutations) {
          if (mutation.seq <= lastSeq) {
            results.push({ seq: mutation.seq, outcome: 'duplicate' });
            continue;
          }
          if (expectedSeq !== undefined || mutation.seq > lastSeq + 1) {
            expectedSeq ??= lastSeq + 1;
            results.push({
              seq: mutation.seq,
              outcome: 'rejected',
              error: { code: 'seq_gap', message: `Expected seq ${expectedSeq}, got ${mutation.seq}.` },
            });
            continue;
          }
          const recordedAt = now().toISOString();
          const occurredAt = Date.parse(mutation.occurredAt) > Date.parse(recordedAt) ? recordedAt : mutation.occurredAt;
          const ctx: MutationContext = {
            tx,
            user,
            clientId: request.clientId,
            seq: mutation.seq,
            occurredAt: new Date(occurredAt).toISOString(),
            recordedAt,
            source: user.role === 'contractor' ? 'mobile_app' : 'dispatcher_web',
            touchedJobIds,
          };
          const result = await applyOne(ctx, mutation.name, mutation.args);
          await tx.insert(mutations).values({
            orgId: user.orgId,
            clientId: request.clientId,
            seq: mutation.seq,
            userId: user.userId,
            name: mutation.name,
            // JSON null is bad args to reject, not a missing value: SQL NULL would fail the insert and the whole push.
            args: mutation.args === null || mutation.args === undefined ? sql`'null'::jsonb` : (mutation.args as object),
            outcome: result.outcome,
            error: result.error ?? null,
            conflictId: result.conflictId ?? null,
            occurredAt: ctx.occurredAt,
            receivedAt: recordedAt,
          });
          results.push(result);
          lastSeq = mutation.seq;
        }

        await tx
          .update(syncClients)
          .set({ lastSeq, lastPushAt: now().toISOString(), lastSeenAt: now().toISOString() })
          .where(and(eq(syncClients.orgId, user.orgId), eq(syncClients.id, request.clientId)));
        if (results.some((result) => result.outcome === 'applied' || result.outcome === 'conflict')) {
          await notifyCommitted(tx, { orgId: user.orgId, userIds: await contractorUsersOfJobs(tx, user.orgId, touchedJobIds) });
        }
        return expectedSeq === undefined ? { lastSeq, results } : { lastSeq, results, expectedSeq };
      });
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;

/**
 * Registers the client id to the caller on first use and locks its row.
 * A client id belongs to the user who first pushed with it.
 */
async function claimClient(tx: Tx, user: AuthUser, clientId: string, userAgent: string | undefined, nowIso: string) {
  await tx
    .insert(syncClients)
    .values({ orgId: user.orgId, id: clientId, userId: user.userId, userAgent: userAgent?.slice(0, 300) ?? null })
    .onConflictDoNothing();
  // Looked up by id alone on purpose: a client id taken in another organisation must be refused too.
  const [client] = await tx
    .select({ orgId: syncClients.orgId, userId: syncClients.userId, lastSeq: syncClients.lastSeq })
    .from(syncClients)
    .where(eq(syncClients.id, clientId))
    .for('update');
  if (!client || client.orgId !== user.orgId || client.userId !== user.userId) {
    throw new ApiError('client_id_taken', 'This client id belongs to another user.');
  }
  void nowIso;
  return client.lastSeq;
}

type Outcome = MutationResult & { outcome: 'applied' | 'conflict' | 'rejected' | 'duplicate' };

async function applyOne(ctx: MutationContext, name: string, rawArgs: unknown): Promise<Outcome> {
  const reject = (code: string, message: string): Outcome => ({
    seq: ctx.seq,
    outcome: 'rejected',
    error: { code, message },
  });
  const parsed = parseMutationArgs(name, rawArgs);
  if (!parsed.ok) return reject(parsed.code, parsed.message);
  const permission = MUTATION_PERMISSION[parsed.name];
  if (permission && !canRole(ctx.user.role, permission)) {
    return reject('forbidden', 'Only the office can make this change.');
  }

  try {
    const handled: HandlerOutcome = await ctx.tx.transaction(async (savepoint) => {
      const handler = mutationHandlers[parsed.name] as (c: MutationContext, a: unknown) => Promise<HandlerOutcome>;
      return handler({ ...ctx, tx: savepoint }, parsed.args);
    });
    return { seq: ctx.seq, ...handled };
  } catch (error) {
    if (error instanceof MutationRejected) {
      await error.afterRollback?.(ctx.tx);
      return reject(error.code, error.message);
    }
    // A constraint the schema checks but zod did not (class 23): the client's data, not a server fault.
    const code = pgErrorCode(error);
    if (code?.startsWith('23') || code === '22P02' || code === '22003' || code === '22007' || code === '22008') {
      return reject('validation_failed', 'The change breaks a data rule and was not saved.');
    }
    throw error;
  }
}

async function contractorUsersOfJobs(tx: Tx, orgId: string, jobIds: Set<string>): Promise<string[]> {
  if (jobIds.size === 0) return [];
  const rows = await tx
    .selectDistinct({ userId: contractors.userId })
    .from(assignments)
    .innerJoin(contractors, and(eq(contractors.orgId, assignments.orgId), eq(contractors.id, assignments.contractorId)))
    .where(and(eq(assignments.orgId, orgId), inArray(assignments.jobId, [...jobIds])));
  return rows.flatMap((row) => (row.userId ? [row.userId] : []));
}

/** One NOTIFY per committed push (never per row); Postgres delivers it on commit, to every instance. */
export async function notifyCommitted(tx: Tx, notice: ChangeNotice) {
  // NOTIFY payloads are limited to 8000 bytes; past a few hundred users, tell everyone in the org.
  const payload = JSON.stringify(notice.userIds.length > 100 ? { orgId: notice.orgId, userIds: ['*'] } : notice);
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`);
}
