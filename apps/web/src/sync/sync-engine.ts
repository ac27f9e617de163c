import type { SyncedTable } from '@fieldsync/domain';
import {
  describeOutcome,
  ERROR_CODES,
  MAX_PULL_LIMIT,
  MAX_PUSH_BYTES,
  MAX_PUSH_MUTATIONS,
  type PullEnvelope,
  type PushResponse,
  pullEnvelopeSchema,
  pushResponseSchema,
} from '@fieldsync/protocol';
import { replayPending } from './apply-mutation';
import {
  type FieldsyncDatabase,
  type OutboxEntry,
  readMeta,
  type SessionUser,
  type Shadow,
  SYNCED_TABLE_NAMES,
  writeMeta,
} from './database';
import { HttpError } from './errors';
import { noticesInPullPage, storeScheduleNotices } from './schedule-notices';

/**
 * Most mutations per push: all the server takes. After a week offline the
 * drain is thousands of changes, and every request costs a round trip and a
 * transaction on the server.
 */
export const PUSH_BATCH_SIZE = MAX_PUSH_MUTATIONS;
/** Roughly how many bytes of changes go in one push: under the server's limit with room for the envelope. */
const PUSH_BATCH_BYTES = Math.floor(MAX_PUSH_BYTES * 0.75);
/**
 * Rows asked for per pull page: all the server sends. Measured on a
 * 41,000-row first sync, 1,000 per page spent a third of it on per-page costs
 * (requests, transactions, commits).
 */
export const PULL_PAGE_LIMIT = MAX_PULL_LIMIT;
/** The first page of a first sync is smaller: it is what the board waits for before it shows a job. */
export const FIRST_PULL_PAGE_LIMIT = 1000;
/** Rows per bulk write inside one transaction. */
const WRITE_CHUNK = 1000;
/**
 * How many times the server may fail (5xx, not an outage) on one entry sent
 * alone before it is set aside, so one change the server chokes on cannot
 * hold back every change behind it.
 */
export const MAX_SERVER_FAILURES = 3;

/** What the engine needs from its surroundings. `call` handles auth (and its refresh) and throws on failure. */
export interface EngineIo {
  db: FieldsyncDatabase;
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  now(): number;
  newId(): string;
  user: SessionUser;
}

/** A pull page as the app reads it: the envelope is checked, each row only for its id (see `pullEnvelopeSchema`). */
export type PullPage = PullEnvelope;

const KNOWN_TABLES: ReadonlySet<string> = new Set(SYNCED_TABLE_NAMES);
const isKnownTable = (table: string): table is SyncedTable => KNOWN_TABLES.has(table);

async function requireClientId(db: FieldsyncDatabase): Promise<string> {
  const clientId = await readMeta(db, 'clientId');
  if (!clientId) throw new Error('No client id: sign in first.');
  return clientId;
}

/**
 * Pushes the whole outbox in seq order, in batches. Outcomes other than
 * applied/duplicate are recorded in `rejected`; entries up to the server's
 * `lastSeq` leave the outbox. Throws on network/HTTP failure with the
 * outbox intact (apart from entries already acknowledged).
 */
export async function pushOutbox(io: EngineIo): Promise<void> {
  const { db } = io;
  let batchSize = PUSH_BATCH_SIZE;
  let stalled = 0;
  for (;;) {
    const clientId = await requireClientId(db);
    const batch = fittingInOnePush(await db.outbox.orderBy('seq').limit(batchSize).toArray());
    const first = batch[0];
    if (!first) return;
    let response: PushResponse;
    try {
      const body = {
        clientId,
        mutations: batch.map((entry) => ({
          seq: entry.seq,
          name: entry.name,
          occurredAt: entry.occurredAt,
          args: entry.args,
        })),
      };
      response = pushResponseSchema.parse(await io.call('POST', '/api/sync/push', body));
    } catch (error) {
      if (error instanceof HttpError && isBodyProblem(error.code)) {
        if (batch.length > 1) {
          // Halve until the one entry the server cannot read is alone.
          batchSize = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        await setAside(io, clientId, first, { code: error.code, reason: 'invalid_args' });
        continue;
      }
      if (error instanceof HttpError && error.code === 'client_id_taken') {
        await startNewClient(io);
        continue;
      }
      if (error instanceof HttpError && isServerFailure(error)) {
        if (batch.length > 1) {
          // Halve until the entry the server fails on is alone (or the failure goes away).
          batchSize = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        const failures = (first.serverFailures ?? 0) + 1;
        if (failures >= MAX_SERVER_FAILURES) {
          // The changes behind it go on: the server answers seq_gap and the queue is renumbered.
          await setAside(io, clientId, first, { code: ERROR_CODES.internal_error, reason: 'internal_error' });
          continue;
        }
        await noteAttempt(db, batch, error, { serverFailure: true });
        throw error;
      }
      await noteAttempt(db, batch, error);
      throw error;
    }
    await recordPushResults(io, clientId, batch, response);
    if (response.expectedSeq !== undefined) await closeSeqGap(db, response.expectedSeq);
    const progressed = response.lastSeq >= first.seq || response.expectedSeq !== undefined;
    stalled = progressed ? 0 : stalled + 1;
    if (stalled >= 2) throw new Error(`The server did not take change ${first.seq}.`);
  }
}

/**
 * The leading entries whose changes fit in `PUSH_BATCH_BYTES` (always at
 * least one): long notes would otherwise make a full batch too large, and
 * each `body_too_large` answer costs a round trip before the batch is halved.
 */
export function fittingInOnePush(entries: readonly OutboxEntry[]): OutboxEntry[] {
  let bytes = 0;
  for (const [index, entry] of entries.entries()) {
    // Characters, not UTF-8 bytes: close enough with the headroom left for the envelope and non-ASCII text.
    bytes += JSON.stringify(entry.args ?? null).length + entry.name.length + 64;
    if (bytes > PUSH_BATCH_BYTES && index > 0) return entries.slice(0, index);
  }
  return [...entries];
}

function isBodyProblem(code: string): boolean {
  return code === 'invalid_body' || code === 'body_too_large' || code === 'too_many_mutations';
}

/** Answers about the way to the server, not the changes: its database is down (503), or a proxy in front of it could not reach it (502, 504). */
const OUTAGE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * A 5xx that may be about the pushed changes themselves. An outage (see
 * `OUTAGE_STATUSES`) is not: nothing is wrong with the changes, so they are
 * all kept and the push backs off.
 */
export function isServerFailure(error: HttpError): boolean {
  return error.status >= 500 && !OUTAGE_STATUSES.has(error.status) && error.code !== 'db_unavailable';
}

async function noteAttempt(
  db: FieldsyncDatabase,
  batch: readonly OutboxEntry[],
  error: unknown,
  options: { serverFailure?: boolean } = {},
) {
  const message = error instanceof Error ? error.message : String(error);
  await db.transaction('rw', db.outbox, async () => {
    for (const entry of batch) {
      await db.outbox.update(entry.seq, {
        attempts: entry.attempts + 1,
        lastError: message,
        ...(options.serverFailure ? { serverFailures: (entry.serverFailures ?? 0) + 1 } : {}),
      });
    }
  });
}

/** Outcomes → `rejected`; acknowledged entries leave the outbox; the seq counter stays above `lastSeq`. */
async function recordPushResults(
  io: EngineIo,
  clientId: string,
  batch: readonly OutboxEntry[],
  response: PushResponse,
) {
  const { db } = io;
  const bySeq = new Map(batch.map((entry) => [entry.seq, entry]));
  const at = new Date(io.now()).toISOString();
  await db.transaction('rw', [db.outbox, db.rejected, db.meta], async () => {
    for (const result of response.results) {
      const entry = bySeq.get(result.seq);
      if (!entry) continue;
      // A replayed seq carries the outcome recorded the first time: when the first answer was lost
      // (or this tab reloaded before saving it), this is the only time the device hears of it.
      const outcome = result.outcome === 'duplicate' && result.recorded ? result.recorded : result;
      if (outcome.outcome !== 'conflict' && (outcome.outcome !== 'rejected' || !outcome.error)) continue;
      if (outcome.outcome === 'rejected' && outcome.error?.code === 'seq_gap') continue;
      const known = await db.rejected
        .where('seq')
        .equals(entry.seq)
        .filter((change) => change.clientId === clientId)
        .count();
      if (known > 0) continue;
      if (outcome.outcome === 'conflict') {
        await db.rejected.add({
          seq: entry.seq,
          name: entry.name,
          args: entry.args,
          code: 'conflict',
          message: describeOutcome({ code: 'conflict', mutationName: entry.name }),
          at,
          clientId,
          ...(outcome.conflictId ? { conflictId: outcome.conflictId } : {}),
        });
      } else if (outcome.error) {
        await db.rejected.add({
          seq: entry.seq,
          name: entry.name,
          args: entry.args,
          code: outcome.error.code,
          message: describeOutcome({
            code: outcome.error.code,
            mutationName: entry.name,
            message: outcome.error.message,
          }),
          at,
          clientId,
        });
      }
    }
    await db.outbox.where('seq').belowOrEqual(response.lastSeq).delete();
    const next = (await readMeta(db, 'nextSeq')) ?? 1;
    if (next <= response.lastSeq) await writeMeta(db, 'nextSeq', response.lastSeq + 1);
  });
}

/**
 * After a `seq_gap` the server wants `expectedSeq` next. Normally the outbox
 * already starts there and the next round resends it; if the outbox starts
 * later (an entry was set aside), the queue is renumbered from `expectedSeq`:
 * none of these were applied, so their numbers are still free to change.
 */
export async function closeSeqGap(db: FieldsyncDatabase, expectedSeq: number): Promise<void> {
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    const entries = await db.outbox.orderBy('seq').toArray();
    const first = entries[0];
    if (!first || first.seq === expectedSeq) return;
    if (first.seq < expectedSeq) {
      // Already processed by the server (acknowledgement lost): drop them.
      await db.outbox.where('seq').below(expectedSeq).delete();
      return;
    }
    await renumberOutbox(db, entries, expectedSeq);
  });
}

async function renumberOutbox(db: FieldsyncDatabase, entries: readonly OutboxEntry[], from: number) {
  await db.outbox.clear();
  await db.outbox.bulkAdd(entries.map((entry, index) => ({ ...entry, seq: from + index })));
  await writeMeta(db, 'nextSeq', from + entries.length);
}

/**
 * Takes an entry out of the queue and keeps it for a person, with `code` and
 * the plain words for `reason`: the server cannot read it at all (a 400 on
 * it alone), or failed on it alone time after time (a 5xx). The changes
 * behind it go on.
 */
async function setAside(
  io: EngineIo,
  clientId: string,
  entry: OutboxEntry,
  why: { code: string; reason: 'invalid_args' | 'internal_error' },
) {
  const { db } = io;
  await db.transaction('rw', [db.outbox, db.rejected], async () => {
    await db.rejected.add({
      seq: entry.seq,
      name: entry.name,
      args: entry.args,
      code: why.code,
      message: describeOutcome({ code: why.reason, mutationName: entry.name }),
      at: new Date(io.now()).toISOString(),
      clientId,
    });
    await db.outbox.delete(entry.seq);
  });
}

/** The client id belongs to someone else: take a fresh one and number the queue from 1. */
async function startNewClient(io: EngineIo) {
  const { db } = io;
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    await writeMeta(db, 'clientId', io.newId());
    await db.meta.delete('cursor');
    const entries = await db.outbox.orderBy('seq').toArray();
    await renumberOutbox(db, entries, 1);
  });
}

/**
 * The server has processed outbox entries whose outcome this device never
 * saw (their push answer was lost while another tab or an earlier run of this
 * one sent them). The rebase must not drop them unseen: push first, which
 * returns their recorded outcomes, then pull again.
 */
class UnacknowledgedChanges extends Error {
  constructor(readonly lastSeq: number) {
    super(`The server processed changes up to ${lastSeq} that this device has not heard back about.`);
  }
}

/** How often a pull pushes unacknowledged entries and starts over before giving up until the next sync. */
const MAX_PUSHES_DURING_PULL = 3;

/**
 * Pulls pages until the server has nothing more, rebasing pending changes at
 * the end. Entries the pull's `lastSeq` covers but whose outcome was never
 * recorded are pushed again first (the server answers with their recorded
 * outcome), so guarantee 5 holds even when an answer was lost.
 */
export async function pullAll(io: EngineIo): Promise<void> {
  let startedOver = false;
  for (let attempt = 0; ; attempt++) {
    try {
      await pullPages(io);
      return;
    } catch (error) {
      if (!startedOver && (await refusedStoredCursor(io.db, error))) {
        // A refused cursor (a database restored to before it, say) would be refused on every sync:
        // pull from the beginning instead (pending changes are kept and re-applied).
        startedOver = true;
        await io.db.meta.delete('cursor');
        continue;
      }
      if (!(error instanceof UnacknowledgedChanges) || attempt >= MAX_PUSHES_DURING_PULL) throw error;
      await pushOutbox(io);
    }
  }
}

/** The server refused the cursor this device sent (it says which field it refused: `cursor`). */
async function refusedStoredCursor(db: FieldsyncDatabase, error: unknown): Promise<boolean> {
  if (!(error instanceof HttpError) || error.status !== 400 || error.code !== 'invalid_body') return false;
  const details = (error.body as { error?: { details?: { field?: unknown } } } | undefined)?.error?.details;
  return details?.field === 'cursor' && (await readMeta(db, 'cursor')) !== undefined;
}

/**
 * Pulls pages until the server has no more. No page cap: every page with more
 * behind it moves the cursor on, so the loop ends; a server answering
 * `hasMore` with the cursor it was sent would repeat forever, so that fails
 * the pull with an error (the sync is retried later) instead of stopping
 * silently part-way.
 *
 * While a page is written, the next one is already asked for (one request in
 * flight at a time, as before): on a first sync the server's answer and the
 * IndexedDB writes overlap instead of taking turns. That answer is used only
 * when it is for exactly the client id and cursor stored after the write, so
 * the pages applied are the ones asked for one at a time.
 */
async function pullPages(io: EngineIo): Promise<void> {
  const { db } = io;
  let ahead: PageRequest | undefined;
  for (;;) {
    const clientId = await requireClientId(db);
    const cursor = await readMeta(db, 'cursor');
    const request =
      ahead && ahead.clientId === clientId && ahead.cursor === cursor ? ahead : requestPage(io, clientId, cursor);
    ahead = undefined;
    const { raw, sentAt, receivedAt } = await request.answer;
    const parsed = pullEnvelopeSchema.parse(raw);
    // Offset against the midpoint of the round trip: the server read its clock somewhere in between.
    const serverMs = Date.parse(parsed.serverTime);
    const clockOffsetMs = Number.isFinite(serverMs) ? serverMs - (sentAt + receivedAt) / 2 : undefined;
    if (parsed.hasMore && parsed.cursor !== cursor) ahead = requestPage(io, clientId, parsed.cursor);
    await applyPullPage(io, parsed, { fresh: cursor === undefined, clockOffsetMs });
    if (!parsed.hasMore) return;
    if (parsed.cursor === cursor) {
      throw new Error(`The server answered a pull from ${cursor} with more to come but the same cursor.`);
    }
  }
}

/** One pull request on its way, for the page after `cursor`. */
interface PageRequest {
  clientId: string;
  cursor: string | undefined;
  answer: Promise<{ raw: unknown; sentAt: number; receivedAt: number }>;
}

function requestPage(io: EngineIo, clientId: string, cursor: string | undefined): PageRequest {
  const limit = cursor === undefined ? FIRST_PULL_PAGE_LIMIT : PULL_PAGE_LIMIT;
  const query = new URLSearchParams({ clientId, limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  const sentAt = io.now();
  const answer = io
    .call('GET', `/api/sync/pull?${query.toString()}`)
    .then((raw) => ({ raw, sentAt, receivedAt: io.now() }));
  // A request asked ahead may be dropped unread (the page before it failed): its failure is nobody's news.
  answer.catch(() => {});
  return { clientId, cursor, answer };
}

/**
 * Writes one pull page in one transaction. Rows this device has pending
 * changes on are not overwritten on screen: the server's copy goes to their
 * shadow. On the last page the rebase runs in the same transaction: every
 * changed row goes back to the server's copy (made-up rows are deleted),
 * acknowledged outbox entries are dropped, and still-pending ones are applied
 * again on top, so a screen never shows older data than it did. A job the
 * page takes off a contractor's phone because the office cancelled their
 * assignment leaves a notice with its title and the reason (`schedule-notices.ts`).
 */
export async function applyPullPage(
  io: EngineIo,
  page: PullPage,
  options: { fresh: boolean; clockOffsetMs?: number | undefined },
): Promise<void> {
  const { db } = io;
  const tables = SYNCED_TABLE_NAMES.map((name) => db.table(name));
  await db.transaction('rw', [...tables, db.shadows, db.outbox, db.meta], async () => {
    // Only the shadows of rows on this page are read, and only the ones it changes written back:
    // after a week offline thousands wait for their rebase, and reading and writing them all on
    // every page made each page one long task.
    const shadows = options.fresh ? await db.shadows.toArray() : await shadowsOnPage(db, page);
    const shadowByKey = new Map(shadows.map((shadow) => [shadowKey(shadow.table, shadow.id), shadow]));
    const changedShadows = new Set<Shadow>();
    // Before the page deletes them: the titles of jobs the office took off this contractor's schedule.
    const notices = options.fresh ? [] : await noticesInPullPage(db, page, io.user, new Date(io.now()).toISOString());
    if (options.fresh) {
      // A pull from the beginning replaces the whole local copy (e.g. the server no longer knew our cursor):
      // until its last page lands the copy is not whole, and the screens say so.
      for (const table of tables) await table.clear();
      await db.meta.delete('lastSyncedAt');
      for (const shadow of shadows) {
        shadow.base = null;
        changedShadows.add(shadow);
      }
    }
    for (const [table, rows] of Object.entries(page.changes)) {
      if (!isKnownTable(table)) continue;
      const direct: Record<string, unknown>[] = [];
      for (const row of rows) {
        const shadow = shadowByKey.get(shadowKey(table, row.id));
        if (!shadow) direct.push(row);
        else {
          shadow.base = row;
          changedShadows.add(shadow);
        }
      }
      for (let i = 0; i < direct.length; i += WRITE_CHUNK) {
        await db.table(table).bulkPut(direct.slice(i, i + WRITE_CHUNK));
      }
    }
    for (const [table, ids] of Object.entries(page.removed)) {
      if (!isKnownTable(table)) continue;
      const direct: string[] = [];
      for (const id of ids) {
        const shadow = shadowByKey.get(shadowKey(table, id));
        if (!shadow) direct.push(id);
        else {
          shadow.base = null;
          changedShadows.add(shadow);
        }
      }
      if (direct.length > 0) await db.table(table).bulkDelete(direct);
    }
    await storeScheduleNotices(db, notices);
    await writeMeta(db, 'cursor', page.cursor);
    if (options.clockOffsetMs !== undefined) await writeMeta(db, 'clockOffsetMs', options.clockOffsetMs);

    if (changedShadows.size > 0) await db.shadows.bulkPut([...changedShadows]);
    if (page.hasMore) return;
    // Throwing rolls this page back (cursor included): it is pulled again after the push.
    if ((await db.outbox.where('seq').belowOrEqual(page.lastSeq).count()) > 0) {
      throw new UnacknowledgedChanges(page.lastSeq);
    }
    await rebase(io, await db.shadows.toArray(), page.lastSeq);
    await writeMeta(db, 'lastSyncedAt', new Date(io.now()).toISOString());
  });
}

const shadowKey = (table: string, id: string) => `${table}\u0000${id}`;

/** The shadows of the rows a page changes or removes. */
async function shadowsOnPage(db: FieldsyncDatabase, page: PullPage): Promise<Shadow[]> {
  const keys: [SyncedTable, string][] = [];
  for (const [table, rows] of Object.entries(page.changes)) {
    if (isKnownTable(table)) for (const row of rows) keys.push([table, row.id]);
  }
  for (const [table, ids] of Object.entries(page.removed)) {
    if (isKnownTable(table)) for (const id of ids) keys.push([table, id]);
  }
  if (keys.length === 0 || (await db.shadows.count()) === 0) return [];
  return (await db.shadows.bulkGet(keys)).filter((shadow): shadow is Shadow => shadow !== undefined);
}

/** Restores server copies, drops acknowledged entries and re-applies the pending ones. Call inside a transaction. */
async function rebase(io: EngineIo, shadows: readonly Shadow[], lastSeq: number) {
  const { db } = io;
  // Table by table in bulk: after a week offline there are thousands, and one request each was a long task.
  const restored = new Map<SyncedTable, { rows: Record<string, unknown>[]; gone: string[] }>();
  for (const shadow of shadows) {
    const forTable = restored.get(shadow.table) ?? { rows: [], gone: [] };
    if (shadow.base) forTable.rows.push(shadow.base);
    else forTable.gone.push(shadow.id);
    restored.set(shadow.table, forTable);
  }
  for (const [table, { rows, gone }] of restored) {
    if (rows.length > 0) await db.table(table).bulkPut(rows);
    if (gone.length > 0) await db.table(table).bulkDelete(gone);
  }
  await db.shadows.clear();
  await db.outbox.where('seq').belowOrEqual(lastSeq).delete();
  const next = (await readMeta(db, 'nextSeq')) ?? 1;
  if (next <= lastSeq) await writeMeta(db, 'nextSeq', lastSeq + 1);
  const pending = await db.outbox.orderBy('seq').toArray();
  const clientId = await requireClientId(db);
  await replayPending(db, pending, clientId, io.user, io.newId);
}
