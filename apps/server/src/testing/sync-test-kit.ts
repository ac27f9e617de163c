/**
 * Helpers for the sync scenario tests (`sync/*.pg.test.ts`): devices
 * that number their mutations, pushes and pulls through the real HTTP app,
 * fixtures made with mutations, and row counts read with SQL. Test-only.
 */
import { randomUUID } from 'node:crypto';
import type { SyncedTable } from '@fieldsync/domain';
import {
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushMutation,
  type PushResponse,
} from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import type { TestServer } from './test-server';

/** One installed app: a user's token, a client id and the next seq it will use. */
export interface Device {
  email: string;
  userId: string;
  role: string;
  token: string;
  clientId: string;
  nextSeq: number;
}

export interface PlannedMutation {
  name: string;
  args: unknown;
  /** Device time; defaults to a minute before the test clock's now. */
  occurredAt?: string;
}

/** A mutation as it goes on the wire, seq included. */
export type WireMutation = PushMutation;

export type { PullResponse, PushResponse };

const tokens = new Map<string, string>();

/** A new device (fresh client id) for `email`; logs in once per server and email. */
export async function openDevice(server: TestServer, email: string): Promise<Device> {
  const key = `${server.url ?? 'pglite'}:${server.orgA.orgId}:${email}`;
  let token = tokens.get(key);
  if (!token) {
    const session = await server.login(email);
    token = session.accessToken;
    tokens.set(key, token);
  }
  const [user] = await server.database.query<{ id: string; role: string }>(
    sql`select id, role from users where lower(email) = ${email.toLowerCase()}`,
  );
  if (!user) throw new Error(`no user ${email}`);
  return { email, userId: user.id, role: user.role, token, clientId: randomUUID(), nextSeq: 1 };
}

/** Numbers planned mutations with the device's next seqs (without sending them). */
export function numbered(device: Device, planned: PlannedMutation[], now = defaultOccurredAt): WireMutation[] {
  return planned.map((mutation) => ({
    seq: device.nextSeq++,
    name: mutation.name,
    occurredAt: mutation.occurredAt ?? now,
    args: mutation.args,
  }));
}

const defaultOccurredAt = '2026-11-21T14:59:00.000Z';

/** Sends already-numbered mutations as one push. */
export async function pushBatch(server: TestServer, device: Device, mutations: WireMutation[]) {
  const response = await server.call('POST', '/api/sync/push', {
    token: device.token,
    headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body: { clientId: device.clientId, mutations },
  });
  if (response.status !== 200) {
    throw new Error(`push failed: ${response.status} ${JSON.stringify(response.json)}`);
  }
  return response.json as PushResponse;
}

/** Numbers and pushes mutations; returns the response and the batch (for replays). */
export async function push(server: TestServer, device: Device, planned: PlannedMutation[]) {
  const batch = numbered(device, planned);
  const response = await pushBatch(server, device, batch);
  return { ...response, batch };
}

/** Pushes mutations that must all be applied; throws with the results otherwise. */
export async function pushApplied(server: TestServer, device: Device, planned: PlannedMutation[]) {
  const response = await push(server, device, planned);
  const bad = response.results.filter((result) => result.outcome !== 'applied');
  if (bad.length > 0 || response.results.length !== planned.length) {
    throw new Error(`expected every mutation applied, got ${JSON.stringify(response.results)}`);
  }
  return response;
}

/** One pull page. */
export async function pull(server: TestServer, device: Device, options: { cursor?: string; limit?: number } = {}) {
  const query = new URLSearchParams({ clientId: device.clientId });
  if (options.cursor) query.set('cursor', options.cursor);
  if (options.limit) query.set('limit', String(options.limit));
  const response = await server.call('GET', `/api/sync/pull?${query}`, {
    token: device.token,
    headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
  });
  if (response.status !== 200) throw new Error(`pull failed: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json as PullResponse;
}

/** A client's local copy: table → id → row. */
export type LocalCopy = Map<string, Map<string, Record<string, unknown>>>;

/** Applies one pull page the way a client does: changes upsert, removed delete. */
export function applyPage(copy: LocalCopy, page: PullResponse) {
  for (const [table, rows] of Object.entries(page.changes)) {
    const local = copy.get(table) ?? new Map<string, Record<string, unknown>>();
    for (const row of rows) local.set(row.id as string, row);
    copy.set(table, local);
  }
  for (const [table, ids] of Object.entries(page.removed)) {
    for (const id of ids) copy.get(table)?.delete(id);
  }
}

/** Follows the cursor until `hasMore` is false; returns the pages and the last cursor. */
export async function pullAll(
  server: TestServer,
  device: Device,
  options: { cursor?: string; limit?: number; copy?: LocalCopy } = {},
) {
  const copy = options.copy ?? new Map();
  const pages: PullResponse[] = [];
  let cursor = options.cursor;
  for (;;) {
    const page = await pull(server, device, { cursor, limit: options.limit });
    pages.push(page);
    applyPage(copy, page);
    cursor = page.cursor;
    if (!page.hasMore) break;
    if (pages.length > 10_000) throw new Error('pull never ends');
  }
  return { copy, pages, cursor: cursor as string };
}

/** Ids of the rows of `table` in a pull's changes. */
export function changedIds(page: Pick<PullResponse, 'changes'>, table: SyncedTable): string[] {
  const rows: ReadonlyArray<{ id: string }> = page.changes[table] ?? [];
  return rows.map((row) => row.id);
}

/** Every synced table's SQL name. */
export const SQL_TABLES = [
  'organizations',
  'users',
  'contractors',
  'working_hours',
  'customers',
  'jobs',
  'assignments',
  'materials',
  'job_notes',
  'job_status_history',
  'attachments',
  'activity_log',
  'conflicts',
  'ratings',
  'notifications',
  'alert_rules',
  'alert_deliveries',
  'price_list_items',
  'estimates',
  'mutations',
  'sync_clients',
] as const;

/** The column naming a row's organisation: the tenant row is the one table without `org_id`. */
export const tenantColumnOf = (table: (typeof SQL_TABLES)[number]) => (table === 'organizations' ? 'id' : 'org_id');

/** Row counts per table (all organisations). */
export async function countRows<T extends string = (typeof SQL_TABLES)[number]>(
  server: TestServer,
  tables: readonly T[] = SQL_TABLES as unknown as readonly T[],
): Promise<Record<T, number>> {
  const counts = {} as Record<T, number>;
  for (const table of tables) {
    const [row] = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table)}`,
    );
    counts[table] = Number(row?.n);
  }
  return counts;
}

/** Sum and max of `version` per synced table of one organisation: any insert or update changes it. */
export async function versionFingerprint(server: TestServer, orgId: string) {
  const fingerprint: Record<string, string> = {};
  for (const table of SQL_TABLES) {
    if (table === 'mutations' || table === 'sync_clients') continue;
    const tenant = sql.identifier(tenantColumnOf(table));
    const [row] = await server.database.query<{ n: number; s: string; m: string }>(
      sql`select count(*)::int as n, coalesce(sum(version), 0)::text as s, coalesce(max(version), 0)::text as m
          from ${sql.identifier(table)} where ${tenant} = ${orgId}`,
    );
    fingerprint[table] = `${row?.n}/${row?.s}/${row?.m}`;
  }
  return fingerprint;
}

/** The contractor row id of a contractor login. */
export async function contractorIdOf(server: TestServer, email: string): Promise<string> {
  const [row] = await server.database.query<{ id: string }>(
    sql`select c.id from contractors c join users u on u.org_id = c.org_id and u.id = c.user_id
        where lower(u.email) = ${email.toLowerCase()}`,
  );
  if (!row) throw new Error(`no contractor for ${email}`);
  return row.id;
}

let slotCounter = 0;

/**
 * A two-hour window far from the seeded schedule, never handed out twice in
 * this process, so assignments made by different tests never double-book.
 */
export function freshSlot(): { start: string; end: string } {
  const base = Date.parse('2031-01-06T00:00:00Z') + slotCounter++ * 3 * 3_600_000;
  return { start: new Date(base).toISOString(), end: new Date(base + 2 * 3_600_000).toISOString() };
}

export interface JobFixture {
  customerId: string;
  jobId: string;
  materialId: string;
  noteId: string;
}

/**
 * A customer of its own, a job for it, one material and one note, made by a
 * dispatcher through pushes. Optionally assigned to a contractor.
 */
export async function createJobFixture(
  server: TestServer,
  dispatcher: Device,
  options: { title?: string; customerId?: string; occurredAt?: string } = {},
): Promise<JobFixture> {
  const customerId = options.customerId ?? randomUUID();
  const jobId = randomUUID();
  const materialId = randomUUID();
  const noteId = randomUUID();
  const occurredAt = options.occurredAt ?? '2026-11-21T08:00:00.000Z';
  const planned: PlannedMutation[] = [];
  if (!options.customerId) {
    planned.push({
      name: 'customer.create',
      args: { id: customerId, name: `Customer ${customerId.slice(0, 8)}` },
      occurredAt,
    });
  }
  planned.push(
    {
      name: 'job.create',
      args: {
        id: jobId,
        title: options.title ?? `Job ${jobId.slice(0, 8)}`,
        customerId,
        trade: 'general',
        durationMinutes: 120,
      },
      occurredAt,
    },
    { name: 'material.add', args: { id: materialId, jobId, itemName: 'Screws', quantity: 2, unit: 'box' }, occurredAt },
    { name: 'note.add', args: { id: noteId, jobId, body: 'Gate code 1234' }, occurredAt },
  );
  await pushApplied(server, dispatcher, planned);
  return { customerId, jobId, materialId, noteId };
}

/** Assigns a job to a contractor in a fresh slot; returns the assignment id. */
export async function assignJob(
  server: TestServer,
  dispatcher: Device,
  jobId: string,
  contractorId: string,
  occurredAt?: string,
) {
  const id = randomUUID();
  const slot = freshSlot();
  await pushApplied(server, dispatcher, [
    { name: 'assignment.create', args: { id, jobId, contractorId, start: slot.start, end: slot.end }, occurredAt },
  ]);
  return id;
}

/** A job's current row, straight from the database. */
export async function jobRow(server: TestServer, jobId: string) {
  const [row] = await server.database.query<Record<string, unknown>>(sql`select * from jobs where id = ${jobId}`);
  return row;
}

/** The ledger rows of one client, in seq order. */
export async function ledgerOf(server: TestServer, clientId: string) {
  return server.database.query<{
    seq: number;
    name: string;
    outcome: string;
    error: unknown;
    conflict_id: string | null;
  }>(
    sql`select seq::int as seq, name, outcome, error, conflict_id from mutations where client_id = ${clientId} order by seq`,
  );
}
