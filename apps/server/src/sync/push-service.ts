/**
 * Replays a client's pushed mutations: exactly once, in seq order, each with
 * its side effects in its own savepoint, and one ledger row per mutation.
 */

import { canRole, OFFICE_ONLY_MESSAGE } from '@fieldsync/domain';
import {
  MUTATION_PERMISSION,
  type MutationResult,
  type PushRequest,
  type PushResponse,
  parseMutationArgs,
} from '@fieldsync/protocol';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type RaisedEvent, raiseAlerts } from '../alerts/raise-alerts';
import type { AuthUser } from '../auth/tokens';
import { isConnectionError } from '../db/connection-errors';
import type { Db, Tx } from '../db/database';
import { CHANGES_CHANNEL, registerChangeWriter, rowsOf, uuidArray } from '../db/database';
import { pipelined } from '../db/pipelined';
import { mutations } from '../db/schema';
import { ApiError } from '../errors';
import { EVERYONE } from './activity';
import { mutationHandlers } from './handlers';
import { ADMIN_ONLY_ACTIONS, ADMIN_ONLY_MESSAGE } from './handlers/admin-access';
import {
  type ActivityRow,
  DEFAULT_MUTATION_SETTINGS,
  type HandlerOutcome,
  type MutationContext,
  MutationRejected,
  type MutationSettings,
} from './mutation-context';
import { pgErrorCode } from './pg-error-code';
import { directPushWrites, heldPushWrites, type PushWrites } from './push-writes';
import type { LockedRows } from './write-behind';

/** What a committed push tells live listeners: which organisation, and which contractors' scope it touched. */
export interface ChangeNotice {
  orgId: string;
  /** Contractor user ids whose jobs changed; office users are always told. */
  userIds: string[];
}

/** What a push does once it has committed, beyond the database (wired by the server). */
export interface PushEffects {
  /**
   * Accounts the push turned off or on. The instance drops what it remembers
   * about them, so the change holds here at once (other instances within
   * their account-status TTL). A throw is logged, never undoes the push.
   */
  accountsChanged?(accounts: Array<{ orgId: string; userId: string }>): void;
  /** The push queued alert deliveries (webhook, push, e-mail): the delivery worker can start at once. */
  alertsQueued?(): void;
}

/** Where a push comes from: the app's user agent, and the request id its log lines carry. */
export interface PushOrigin {
  userAgent?: string;
  requestId?: string;
}

/**
 * Applies pushes. A push fails as a whole (throws) only for what is not any
 * one mutation's doing: a lost database connection, a deadlock retried too
 * often, a client id taken by someone else. Anything else that goes wrong in
 * one mutation rejects that mutation (`internal_error`, logged) and the rest
 * of the push stands.
 */
export function createPushService(
  db: Db,
  now: () => Date,
  logger: Logger,
  effects: PushEffects = {},
  settings: MutationSettings = DEFAULT_MUTATION_SETTINGS,
) {
  return {
    async push(user: AuthUser, request: PushRequest, origin: PushOrigin = {}): Promise<PushResponse> {
      // Fast path first: mutations run without per-mutation savepoints (two round trips
      // each saved). Should any handler fail, the whole push is rolled back and replayed
      // with a savepoint around every mutation, so a failure undoes only its own mutation.
      let committed: Committed;
      try {
        committed = await withDeadlockRetry(() => runPush(user, request, origin, 'fast'));
      } catch (error) {
        if (!(error instanceof NeedsSavepoints)) throw error;
        committed = await withDeadlockRetry(() => runPush(user, request, origin, 'savepoints'));
      }
      try {
        if (committed.accountsChanged.size > 0) {
          effects.accountsChanged?.([...committed.accountsChanged].map((userId) => ({ orgId: user.orgId, userId })));
        }
        if (committed.alertsQueued > 0) effects.alertsQueued?.();
      } catch (error) {
        logger.error({ requestId: origin.requestId, ...failureLogFields(error) }, 'push: after-commit effect failed');
      }
      return committed.response;
    },
  };

  function runPush(user: AuthUser, request: PushRequest, origin: PushOrigin, mode: ApplyMode): Promise<Committed> {
    return db.transaction(async (tx) => {
      // Sent together, in this order: until the push commits, pulls hand out no version at
      // or above the one registered first, and every row it may change is then locked.
      const [, claimedSeq, locked] = await pipelined(
        registerChangeWriter(tx),
        claimClient(tx, user, request.clientId, origin.userAgent),
        lockTouchedRows(tx, user.orgId, request.mutations),
      );
      let lastSeq = claimedSeq;

      const results: MutationResult[] = [];
      const ledger: Array<typeof mutations.$inferInsert> = [];
      const activity: ActivityRow[] = [];
      const alertEvents: RaisedEvent[] = [];
      const memo: MutationContext['memo'] = {};
      const touchedJobIds = new Set<string>();
      const touchedContractorIds = new Set<string>();
      const touchedUserIds = new Set<string>();
      const accountsChanged = new Set<string>();
      // Chosen once: without savepoints the common field changes are held and written together.
      const writes = mode === 'fast' ? heldPushWrites(tx, user.orgId, locked) : directPushWrites(user.orgId);
      let expectedSeq: number | undefined;
      const recorded = await recordedOutcomes(
        tx,
        user.orgId,
        request.clientId,
        request.mutations.filter((mutation) => mutation.seq <= lastSeq).map((mutation) => mutation.seq),
      );
      for (const mutation of request.mutations) {
        if (mutation.seq <= lastSeq) {
          // Nothing is done again, but the first outcome is repeated: a client whose
          // earlier response was lost still learns that its change was rejected.
          const first = recorded.get(mutation.seq);
          results.push(
            first
              ? { seq: mutation.seq, outcome: 'duplicate', recorded: first }
              : { seq: mutation.seq, outcome: 'duplicate' },
          );
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
        const ctx: PushedMutation = {
          tx,
          user,
          clientId: request.clientId,
          seq: mutation.seq,
          occurredAt: new Date(occurredAt).toISOString(),
          recordedAt,
          source: user.role === 'contractor' ? 'mobile_app' : 'dispatcher_web',
          touchedJobIds,
          touchedContractorIds,
          touchedUserIds,
          accountsChanged,
          activity: [],
          alertEvents: [],
          settings,
          memo,
        };
        // An update's merge reads the ledger for who last changed the row: earlier rows must be there.
        if (mutation.name.endsWith('.update')) await flushLedger(tx, ledger);
        let result: Outcome;
        try {
          result = await applyOne(ctx, mutation, mode, writes);
        } catch (error) {
          if (error instanceof NeedsSavepoints || abortsPush(error)) throw error;
          // The handler may have written before failing; only a savepoint can undo just that.
          if (mode === 'fast') throw new NeedsSavepoints(undefined, { cause: error });
          // Its savepoint is rolled back: nothing of it stands, so neither does its activity or alerts.
          ctx.activity.length = 0;
          ctx.alertEvents.length = 0;
          logger.error(
            {
              requestId: origin.requestId,
              clientId: request.clientId,
              seq: mutation.seq,
              mutation: mutation.name.slice(0, 100),
              ...failureLogFields(error),
            },
            'push: a mutation failed on the server; rejected alone',
          );
          result = {
            seq: mutation.seq,
            outcome: 'rejected',
            error: { code: 'internal_error', message: 'The server could not save this change.' },
          };
        }
        activity.push(...ctx.activity);
        alertEvents.push(...ctx.alertEvents);
        ledger.push({
          orgId: user.orgId,
          clientId: request.clientId,
          seq: mutation.seq,
          userId: user.userId,
          name: mutation.name,
          args: ledgerArgs(mutation.args),
          outcome: result.outcome,
          error: result.error ?? null,
          conflictId: result.conflictId ?? null,
          occurredAt: ctx.occurredAt,
          receivedAt: recordedAt,
        });
        results.push(result);
        lastSeq = mutation.seq;
      }

      const changed = results.some((result) => result.outcome === 'applied' || result.outcome === 'conflict');
      const pushedAt = now().toISOString();
      const [, , , , contractorUserIds] = await pipelined(
        chargedToReplay(writes.finish()),
        flushLedger(tx, ledger),
        writeActivityRows(tx, activity),
        tx.execute(sql`
          update sync_clients set last_seq = ${lastSeq}, last_push_at = ${pushedAt}, last_seen_at = ${pushedAt}
          where org_id = ${user.orgId} and id = ${request.clientId}`),
        changed ? contractorUsersToPoke(tx, user.orgId, touchedJobIds, touchedContractorIds) : ([] as string[]),
      );
      // After the held writes: the events read the jobs as this push leaves them.
      const raised = await raiseAlerts(tx, user.orgId, alertEvents, now());
      if (changed) {
        const userIds = touchedUserIds.has(EVERYONE)
          ? [EVERYONE]
          : [...new Set([...contractorUserIds, ...touchedUserIds, ...raised.notifiedUserIds])];
        await notifyCommitted(tx, { orgId: user.orgId, userIds });
      }
      const response: PushResponse =
        expectedSeq === undefined ? { lastSeq, results } : { lastSeq, results, expectedSeq };
      return { response, accountsChanged, alertsQueued: raised.queued };
    });
  }
}

export type PushService = ReturnType<typeof createPushService>;

/**
 * Registers the client id to the caller on first use and locks its row.
 * A client id belongs to the user who first pushed with it.
 */
async function claimClient(tx: Tx, user: AuthUser, clientId: string, userAgent: string | undefined) {
  // Plain SQL rather than drizzle's builders, like every statement a push sends each time: building
  // these three (with the final update) cost the server more CPU than Postgres spends running them.
  const [, claimed] = await pipelined(
    tx.execute(sql`
      insert into sync_clients (org_id, id, user_id, user_agent)
      values (${user.orgId}, ${clientId}, ${user.userId}, ${userAgent?.slice(0, 300) ?? null})
      on conflict do nothing`),
    // Looked up by id alone on purpose: a client id taken in another organisation must be refused too.
    tx.execute(sql`select org_id, user_id, last_seq from sync_clients where id = ${clientId} for no key update`),
  ).catch((error: unknown) => {
    // The user row is gone (removed since the account check last looked): their token is worth nothing.
    if (pgErrorCode(error) === '23503') throw new ApiError('account_disabled', 'This account no longer exists.');
    throw error;
  });
  const [client] = rowsOf(claimed) as Array<{ org_id: string; user_id: string; last_seq: string | number }>;
  if (!client || client.org_id !== user.orgId || client.user_id !== user.userId) {
    throw new ApiError('client_id_taken', 'This client id belongs to another user.');
  }
  // A bigint: postgres.js answers it as text.
  return Number(client.last_seq);
}

type Outcome = MutationResult;

/** A committed push: its answer, and what must follow outside the database. */
interface Committed {
  response: PushResponse;
  accountsChanged: Set<string>;
  alertsQueued: number;
}

type ApplyMode = 'fast' | 'savepoints';

/** Thrown in fast mode when a handler fails: the push is replayed with savepoints. */
class NeedsSavepoints extends Error {}

/** A mutation's context before the push picks the writes it goes through (`PushWrites.forMutation`). */
type PushedMutation = Omit<MutationContext, 'writes'>;

/** Held writes written at the end of a push; a failure is charged to its mutation by a replay with savepoints. */
async function chargedToReplay(written: Promise<void>) {
  try {
    await written;
  } catch (error) {
    if (abortsPush(error)) throw error;
    throw new NeedsSavepoints(undefined, { cause: error });
  }
}

async function applyOne(
  ctx: PushedMutation,
  mutation: PushRequest['mutations'][number],
  mode: ApplyMode,
  writes: PushWrites,
): Promise<Outcome> {
  const reject = (code: string, message: string): Outcome => ({
    seq: ctx.seq,
    outcome: 'rejected',
    error: { code, message },
  });
  const parsed = parseMutationArgs(mutation.name, mutation.args);
  if (!parsed.ok) return reject(parsed.code, parsed.message);
  const permission = MUTATION_PERMISSION[parsed.name];
  if (permission && !canRole(ctx.user.role, permission)) {
    return reject('forbidden', ADMIN_ONLY_ACTIONS.has(permission) ? ADMIN_ONLY_MESSAGE : OFFICE_ONLY_MESSAGE);
  }

  const refused = (error: MutationRejected): Outcome => {
    ctx.activity.splice(0, ctx.activity.length, ...(error.activityAfterRollback ? [error.activityAfterRollback] : []));
    ctx.alertEvents.length = 0;
    return reject(error.code, error.message);
  };

  const handler = mutationHandlers[parsed.name] as (c: MutationContext, a: unknown) => Promise<HandlerOutcome>;
  if (mode === 'fast') {
    let held = false;
    try {
      // Writing what is held before a change that cannot be held may fail too: charged by the replay.
      const mutationWrites = await writes.forMutation(mutation, ctx.tx);
      held = mutationWrites.held;
      return { seq: ctx.seq, ...(await handler({ ...ctx, writes: mutationWrites }, parsed.args)) };
    } catch (error) {
      // A deadlock or serialization failure aborts the whole push (retried as a whole), as does a lost connection.
      if (abortsPush(error)) throw error;
      // A held change decides before it writes (its writes wait in memory until it stands),
      // so its refusal has nothing to undo: a stale status move does not cost a replay.
      if (error instanceof MutationRejected && held) return refused(error);
      // The handler may have written before failing; only a savepoint can undo just that.
      throw new NeedsSavepoints(undefined, { cause: error });
    }
  }
  try {
    const handled: HandlerOutcome = await ctx.tx.transaction(async (savepoint) =>
      handler({ ...ctx, tx: savepoint, writes: await writes.forMutation(mutation, savepoint) }, parsed.args),
    );
    return { seq: ctx.seq, ...handled };
  } catch (error) {
    if (error instanceof MutationRejected) return refused(error);
    const code = pgErrorCode(error);
    if (code === '23503') return reject('not_found', 'Something this change refers to no longer exists.');
    // The exclusion constraint on live assignments: the contractor is booked then.
    if (code === '23P01') return reject('double_booked', 'The contractor is already booked at that time.');
    // A constraint the schema checks but zod did not (class 23): the client's data, not a server fault.
    if (code?.startsWith('23') || (code && DATA_EXCEPTIONS.has(code))) {
      return reject('validation_failed', 'The change breaks a data rule and was not saved.');
    }
    // Over what the database can hold (a value too long for an index, say): the client's data too.
    if (code === '54000') return reject('validation_failed', 'The change holds a value too large to save.');
    throw error;
  }
}

/**
 * Data exceptions (class 22) the client's values can cause: bad text
 * representation, numeric out of range, too long for the column, bad dates,
 * bad Unicode or encoding (a lone surrogate in JSON), NUL in text.
 */
const DATA_EXCEPTIONS = new Set(['22P02', '22003', '22001', '22007', '22008', '22P05', '22021', '22025']);

/**
 * Errors that are no one mutation's doing and so fail the push as a whole:
 * deadlocks and serialization failures (retried whole), and a database that
 * cannot be reached or went away (the HTTP edge answers 503).
 */
function abortsPush(error: unknown): boolean {
  return RETRYABLE.has(pgErrorCode(error) ?? '') || isConnectionError(error);
}

/**
 * What a log line may say about a failure: the SQLSTATE and the names of what
 * it concerns, or where in our code it was thrown. Never a message: database
 * messages and the query errors wrapping them quote the values, which are the
 * client's data.
 */
function failureLogFields(error: unknown): Record<string, unknown> {
  const code = pgErrorCode(error);
  if (code) {
    let current: unknown = error;
    for (let depth = 0; depth < 4 && current; depth++) {
      const fields = current as Record<string, unknown>;
      if (fields.code === code) {
        return {
          sqlState: code,
          table: fields.table_name ?? fields.table,
          constraint: fields.constraint_name ?? fields.constraint,
          column: fields.column_name ?? fields.column,
        };
      }
      current = fields.cause;
    }
    return { sqlState: code };
  }
  const thrown = error instanceof Error ? error : undefined;
  return { errorType: thrown?.name ?? typeof error, at: thrown?.stack?.split('\n').slice(1, 8).join('\n') };
}

/** The users of the contractors on the touched jobs, and of the touched contractors themselves. */
async function contractorUsersToPoke(
  tx: Tx,
  orgId: string,
  jobIds: Set<string>,
  contractorIds: Set<string>,
): Promise<string[]> {
  if (jobIds.size === 0 && contractorIds.size === 0) return [];
  const rows = rowsOf(
    await tx.execute(sql`
      select distinct user_id from contractors
      where org_id = ${orgId} and (
        id in (select contractor_id from assignments where org_id = ${orgId} and job_id = any(${uuidArray(jobIds)}))
        or id = any(${uuidArray(contractorIds)}))`),
  ) as Array<{ user_id: string | null }>;
  return rows.flatMap((row) => (row.user_id ? [row.user_id] : []));
}

/** One NOTIFY per committed push (never per row); Postgres delivers it on commit, to every instance. */
export async function notifyCommitted(tx: Tx, notice: ChangeNotice) {
  // NOTIFY payloads are limited to 8000 bytes; past a few hundred users, tell everyone in the org.
  const payload = JSON.stringify(notice.userIds.length > 100 ? { orgId: notice.orgId, userIds: ['*'] } : notice);
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`);
}

/** The outcomes the ledger holds for already-processed seqs of a client. */
async function recordedOutcomes(tx: Tx, orgId: string, clientId: string, seqs: number[]) {
  const outcomes = new Map<number, NonNullable<MutationResult['recorded']>>();
  if (seqs.length === 0) return outcomes;
  const rows = await tx
    .select({
      seq: mutations.seq,
      outcome: mutations.outcome,
      error: mutations.error,
      conflictId: mutations.conflictId,
    })
    .from(mutations)
    .where(and(eq(mutations.orgId, orgId), eq(mutations.clientId, clientId), inArray(mutations.seq, seqs)));
  for (const row of rows) {
    outcomes.set(row.seq, {
      outcome: row.outcome as NonNullable<MutationResult['recorded']>['outcome'],
      ...(row.error ? { error: row.error as { code: string; message: string } } : {}),
      ...(row.conflictId ? { conflictId: row.conflictId } : {}),
    });
  }
  return outcomes;
}

/**
 * Writes the ledger rows gathered so far in one statement. The rows travel as
 * one JSON parameter (`jsonb_to_recordset`): building a 100-row insert value
 * by value costs the server more CPU than the database spends on it.
 */
async function flushLedger(tx: Tx, ledger: Array<typeof mutations.$inferInsert>) {
  if (ledger.length === 0) return;
  const rows = ledger.splice(0);
  // The recordset's columns take the rows' camelCase keys as they are: no renaming pass in JS.
  await tx.execute(sql`
    insert into mutations (org_id, client_id, seq, user_id, name, args, outcome, error, conflict_id, occurred_at, received_at)
    -- JSON null args (bad args, rejected) become SQL NULL in the recordset: store them as JSON null.
    select "orgId", "clientId", seq, "userId", name, coalesce(args, 'null'::jsonb), outcome, error, "conflictId",
      "occurredAt", "receivedAt"
    from jsonb_to_recordset(${storableJson(JSON.stringify(rows))}::jsonb) as row(
      "orgId" uuid, "clientId" uuid, seq bigint, "userId" uuid, name text, args jsonb, outcome text,
      error jsonb, "conflictId" uuid, "occurredAt" timestamptz, "receivedAt" timestamptz)`);
}

/**
 * JSON text Postgres will take. The ledger keeps even a rejected mutation's
 * name and args, but Postgres stores no NUL character and refuses a lone
 * UTF-16 surrogate, both of which JSON.stringify writes as `\uXXXX` escapes
 * (a proper pair it writes as is): each becomes U+FFFD. (An escaped backslash
 * before such letters is left alone.)
 */
function storableJson(json: string): string {
  return json.includes('\\u') ? json.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : json;
}
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/**
 * Args as the ledger keeps them. JSON null is bad args to reject, not a
 * missing value: SQL NULL would fail the insert and the whole push. The
 * ledger's index on `args->>'id'` cannot hold a huge value, so a bad `id`
 * over `MAX_LEDGER_ID` characters is kept cut short.
 */
function ledgerArgs(sent: unknown): object {
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return (sent ?? null) as object;
  const args = withoutWebhookSecret(sent);
  if (!Object.hasOwn(args, 'id')) return args;
  const id: unknown = (args as { id: unknown }).id;
  const asText = typeof id === 'string' ? id : JSON.stringify(id);
  if (asText === undefined || asText.length <= MAX_LEDGER_ID) return args;
  return { ...args, id: `${asText.slice(0, MAX_LEDGER_ID)}…` };
}
const MAX_LEDGER_ID = 200;

/**
 * An alert rule's webhook secret is write-only: the ledger keeps that one was
 * given, never the secret (`alertRule.create`, and `alertRule.update`'s patch).
 */
function withoutWebhookSecret(args: object): object {
  const record = args as { webhook?: unknown; patch?: { webhook?: unknown } };
  const hide = (webhook: unknown) =>
    typeof webhook === 'object' && webhook !== null && Object.hasOwn(webhook, 'secret')
      ? { ...webhook, secret: '(not kept)' }
      : webhook;
  if (record.webhook !== undefined) return { ...args, webhook: hide(record.webhook) };
  if (typeof record.patch === 'object' && record.patch !== null && record.patch.webhook !== undefined) {
    return { ...args, patch: { ...record.patch, webhook: hide(record.patch.webhook) } };
  }
  return args;
}

/** The activity rows of every mutation that stood, in one statement (see flushLedger). */
async function writeActivityRows(tx: Tx, rows: ActivityRow[]) {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into activity_log (org_id, id, entity_type, entity_id, action, details, user_id, job_id, source, created_at)
    select "orgId", id, "entityType", "entityId", action, details, "userId", "jobId", source, "createdAt"
    from jsonb_to_recordset(${storableJson(JSON.stringify(rows))}::jsonb) as row(
      "orgId" uuid, id uuid, "entityType" text, "entityId" uuid, action text, details jsonb, "userId" uuid,
      "jobId" uuid, source text, "createdAt" timestamptz)`);
}

const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Two pushes locking the same rows in opposite orders can deadlock; Postgres
 * aborts one, which is rolled back whole and retried after a short random
 * pause so the two do not collide again.
 */
async function withDeadlockRetry<T>(attempt: () => Promise<T>, tries = 6): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (round >= tries || !RETRYABLE.has(pgErrorCode(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * round));
    }
  }
}

/**
 * Locks every job the push will touch, in id order, before applying anything,
 * then the materials it ticks. Two pushes touching the same jobs then queue on
 * the first one they share instead of each holding one and waiting for the
 * other (a deadlock). Answers what it locked, for the push's write-behind.
 */
async function lockTouchedRows(tx: Tx, orgId: string, pushed: PushRequest['mutations']): Promise<LockedRows> {
  const jobIds = new Set<string>();
  const materialIds = new Set<string>();
  const assignmentIds = new Set<string>();
  for (const { name, args } of pushed) {
    const fields = (args ?? {}) as { id?: unknown; jobId?: unknown };
    const id = typeof fields.id === 'string' ? fields.id : undefined;
    if (typeof fields.jobId === 'string') jobIds.add(fields.jobId);
    if (name === 'job.update' && id) jobIds.add(id);
    if (name.startsWith('material.') && name !== 'material.add' && id) materialIds.add(id);
    if (name === 'assignment.setStatus' && id) assignmentIds.add(id);
  }
  const valid = (ids: Set<string>) => [...ids].filter((id) => UUID_PATTERN.test(id));
  const [direct, viaMaterials, viaAssignments] = [valid(jobIds), valid(materialIds), valid(assignmentIds)];
  if (direct.length + viaMaterials.length + viaAssignments.length === 0) return { jobs: [], materials: [] };
  // One array of ids, so the lookup stays on the primary key: an OR across subqueries
  // would scan every job of the organisation (and its dead row versions) on each push.
  const [lockedJobs, lockedMaterials] = await pipelined(
    tx.execute(sql`
      with locked as (
        select id, status, deleted_at from jobs
        where org_id = ${orgId} and id = any(
          ${uuidArray(direct)}
          || array(select job_id from materials where org_id = ${orgId} and id = any(${uuidArray(viaMaterials)}))
          || array(select job_id from assignments where org_id = ${orgId} and id = any(${uuidArray(viaAssignments)})))
        order by id
        for no key update)
      select id, status, deleted_at is not null as deleted,
        (select max(h.occurred_at) from job_status_history h where h.org_id = ${orgId} and h.job_id = locked.id)::text
          as latest_status_at
      from locked`),
    viaMaterials.length > 0
      ? tx.execute(sql`
          select id, job_id, item_name, purchased, deleted_at is not null as deleted from materials
          where org_id = ${orgId} and id = any(${uuidArray(viaMaterials)})
          order by id
          for no key update`)
      : [],
  );
  return {
    jobs: rowsOf(lockedJobs) as LockedRows['jobs'],
    materials: rowsOf(lockedMaterials) as LockedRows['materials'],
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
