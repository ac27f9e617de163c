/**
 * Incremental pulls: every row of the caller's organisation (and scope)
 * whose version is above the cursor, oldest first, in pages.
 *
 * Why a version cursor cannot skip rows: every writer registers before it
 * writes (see `registerChangeWriter`), and a pull only hands out versions up
 * to the safe version (`changeVersions`), asked before its snapshot: below
 * the oldest writer still in flight. Whatever commits later carries a higher
 * version than the cursor. All tables are read in one snapshot.
 *
 * A first sync (no cursor) goes table by table instead, in `FIRST_SYNC_ORDER`:
 * every row up to the version that was safe when it began, jobs before the
 * rows that hang off them, so a board has jobs to show after the first page
 * rather than after every customer. What changes meanwhile gets a higher
 * version, and comes once the tables are done, from an ordinary version
 * cursor (in the same page when there is room).
 *
 * Contractors see only their scope: jobs they hold a live assignment on (or
 * whose cancellation ended their assignment) and what hangs off those jobs.
 * When a job leaves that scope, the assignment that changed brings the job,
 * its children and, unless another job keeps it, its customer into `removed`.
 * The contractor's own assignment that ended (cancelled, declined) comes
 * along once more in `changes` — its id is in `removed` too — so the phone
 * can say why the job left (`cancellationReason`) before it deletes it.
 */
import { JOB_CANCELLED_REASON, LIVE_ASSIGNMENT_STATUSES, SYNCED_TABLES, type SyncedTable } from '@fieldsync/domain';
import type { PullQuery, PullResponse } from '@fieldsync/protocol';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { AuthUser } from '../auth/tokens';
import { changeVersions, type Db, rowsOf, type Tx } from '../db/database';
import { pipelined } from '../db/pipelined';
import { assignments, estimates, jobs, syncClients } from '../db/schema';
import { ApiError } from '../errors';
import { contractorIdOfUser } from './own-contractor';
import { SYNCED_TABLE_SOURCES, toWireRow } from './synced-tables';

/** A row as `toWireRow` shapes it from the database. */
type WireRow = Record<string, unknown>;

/**
 * The one place database rows become the protocol's rows: `toWireRow` keeps
 * the columns of the domain's row schema, which the compiler cannot see
 * through drizzle. The wire-contract tests parse pulled pages with
 * `pullResponseSchema` to hold the two together.
 */
function changesOf(result: PullResponse): Partial<Record<SyncedTable, WireRow[]>> {
  return result.changes as Partial<Record<SyncedTable, WireRow[]>>;
}

/** Where a pull starts: after a version, or part-way through a first sync. */
type PullPosition = { kind: 'since'; since: number } | FirstSyncPosition;

/** A first sync: rows up to `upTo`, from `table` on (in `FIRST_SYNC_ORDER`), there above version `after`. */
interface FirstSyncPosition {
  kind: 'firstSync';
  upTo: number;
  table: SyncedTable;
  after: number;
}

/**
 * The tables of a first sync, in the order it sends them: what a screen needs
 * to show jobs (the company, people, contractors), then jobs and what a job
 * row shows (customer, assignment), then the rest. A cursor names its table,
 * so a later release may change this order without a device part-way through
 * skipping rows.
 */
const FIRST_SYNC_TABLES: readonly SyncedTable[] = [
  'organizations',
  'users',
  'contractors',
  'jobs',
  'customers',
  'assignments',
];
export const FIRST_SYNC_ORDER: readonly SyncedTable[] = [
  ...FIRST_SYNC_TABLES,
  ...SYNCED_TABLES.filter((table) => !FIRST_SYNC_TABLES.includes(table)),
];

const VERSION_CURSOR = /^v1\.(\d+)$/;
const FIRST_SYNC_CURSOR = /^f1\.(\d+)\.([A-Za-z]+)\.(\d+)$/;

/**
 * The position a cursor stands for. No cursor this database handed out is
 * above the newest version it has handed out, so one that is comes from
 * elsewhere: a database restored to an earlier point, say. Refused, and the
 * app pulls again from the beginning (the `cursor` detail tells it why).
 */
function parseCursor(cursor: string | undefined, newestVersion: number): PullPosition | undefined {
  if (cursor === undefined) return undefined;
  const version = VERSION_CURSOR.exec(cursor);
  if (version) {
    const since = Number(version[1]);
    if (Number.isSafeInteger(since) && since <= newestVersion) return { kind: 'since', since };
  }
  const firstSync = FIRST_SYNC_CURSOR.exec(cursor);
  if (firstSync) {
    const [, upToText, table, afterText] = firstSync as unknown as [string, string, string, string];
    const upTo = Number(upToText);
    const after = Number(afterText);
    if (
      Number.isSafeInteger(upTo) &&
      upTo <= newestVersion &&
      after <= upTo &&
      FIRST_SYNC_ORDER.includes(table as SyncedTable)
    ) {
      return { kind: 'firstSync', upTo, table: table as SyncedTable, after };
    }
  }
  throw new ApiError('invalid_body', 'The cursor is not one this server handed out. Pull again without a cursor.', {
    field: 'cursor',
  });
}

function formatCursor(position: PullPosition) {
  return position.kind === 'since' ? `v1.${position.since}` : `f1.${position.upTo}.${position.table}.${position.after}`;
}

type AnyTable = typeof jobs;
/** Ends of an assignment that take its job off the contractor's phone, and are sent to say why. */
const ENDED_ASSIGNMENT_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'declined']);
const JOB_CHILD_TABLES = ['materials', 'jobNotes', 'jobStatusHistory', 'attachments'] as const;

/** SQL that limits a table to a contractor's scope, or `false` when the table is out of scope entirely. */
export function contractorScope(
  table: SyncedTable,
  orgId: string,
  contractorId: string | undefined,
  userId: string,
): SQL | boolean {
  const scopedJobIds = contractorId
    ? sql`(select a.job_id from assignments a join jobs j on j.org_id = a.org_id and j.id = a.job_id
          where a.org_id = ${orgId} and a.contractor_id = ${contractorId} and a.deleted_at is null
            and (a.status in (${sql.join(
              LIVE_ASSIGNMENT_STATUSES.map((status) => sql`${status}`),
              sql`, `,
            )})
                 or (a.status = 'cancelled' and a.cancellation_reason = ${JOB_CANCELLED_REASON} and j.status = 'cancelled')))`
    : sql`(select null::uuid where false)`;
  // `= any(array(…))` makes Postgres compute the contractor's job ids once (an InitPlan). As `in (…)` the
  // planner may re-run the subquery per row when it lacks statistics (fresh tables, PGlite never
  // auto-analyzes): seconds per pull for a dozen jobs.
  const inScopedJobs = sql`any(array${scopedJobIds})`;
  switch (table) {
    case 'jobs':
      return sql`id = ${inScopedJobs}`;
    case 'customers':
      return sql`id = any(array(select customer_id from jobs where org_id = ${orgId} and id = ${inScopedJobs}))`;
    case 'estimates':
      // A contractor prices work for the customers of their live jobs.
      return sql`customer_id = any(array(select customer_id from jobs where org_id = ${orgId} and id = ${inScopedJobs}))`;
    case 'materials':
    case 'jobNotes':
    case 'jobStatusHistory':
    case 'attachments':
      return sql`job_id = ${inScopedJobs}`;
    case 'assignments':
      return contractorId ? sql`contractor_id = ${contractorId} and job_id = ${inScopedJobs}` : false;
    case 'contractors':
      return contractorId ? sql`id = ${contractorId}` : false;
    case 'workingHours':
      return contractorId ? sql`contractor_id = ${contractorId}` : false;
    case 'users':
      // Themselves and the office (note authors, who changed a status); not other contractors.
      return sql`(id = ${userId} or role <> 'contractor')`;
    case 'notifications':
      return sql`user_id = ${userId}`;
    case 'organizations':
    case 'priceListItems':
      return true;
    default:
      return false;
  }
}

/** SQL that limits a table for the office, or `true`: the office sees everything but other people's notifications. */
function officeScope(table: SyncedTable, userId: string): SQL | true {
  return table === 'notifications' ? sql`user_id = ${userId}` : true;
}

export function createPullService(db: Db, now: () => Date) {
  return {
    async pull(user: AuthUser, query: PullQuery): Promise<PullResponse> {
      // Asked before the snapshot below is taken: every row up to here has committed or never will.
      const { safe: upTo, newest } = await changeVersions(db);
      const position = parseCursor(query.cursor, newest) ?? {
        kind: 'firstSync',
        upTo,
        table: FIRST_SYNC_ORDER[0] as SyncedTable,
        after: 0,
      };
      // One snapshot for every table this pull reads. Under read committed each statement sees a new
      // snapshot: a push committing between two of them would show this page a later version of its
      // rows while hiding an earlier one, and the cursor would step over the hidden row for good.
      const { result, client, deliveredVersion } = await db.transaction(
        async (tx) => {
          const [client] = await tx
            .select({ orgId: syncClients.orgId, userId: syncClients.userId, lastSeq: syncClients.lastSeq })
            .from(syncClients)
            .where(eq(syncClients.id, query.clientId));
          if (client && (client.orgId !== user.orgId || client.userId !== user.userId)) {
            throw new ApiError('client_id_taken', 'This client id belongs to another user.');
          }
          const serverTime = now().toISOString();
          const contractorId =
            user.role === 'contractor' ? await contractorIdOfUser(tx, user.orgId, user.userId) : undefined;
          const result: PullResponse = {
            cursor: '',
            hasMore: false,
            lastSeq: client?.lastSeq ?? 0,
            serverTime,
            changes: {},
            removed: {},
          };

          let since: number;
          let room = query.limit;
          if (position.kind === 'firstSync') {
            const page = await readFirstSyncPage(tx, user, contractorId, position, room);
            addRows(result, page.rows);
            if (page.next) {
              // Nothing is delivered up to a version before the first sync is over (see device-health).
              return {
                result: { ...result, cursor: formatCursor(page.next), hasMore: true },
                client,
                deliveredVersion: 0,
              };
            }
            since = position.upTo;
            room -= page.rowCount;
            if (room === 0) {
              return {
                result: { ...result, cursor: formatCursor({ kind: 'since', since }), hasMore: true },
                client,
                deliveredVersion: since,
              };
            }
          } else {
            since = position.since;
          }

          // Changes after the cursor's version; after a first sync, what changed while it ran.
          const page = await readPage(tx, user, contractorId, { since, upTo }, room);
          addRows(result, page.rows);
          if (user.role === 'contractor' && since > 0) {
            await addScopeMoves(tx, user, contractorId, since, page.highestVersion, result);
          }
          result.cursor = formatCursor({ kind: 'since', since: page.highestVersion });
          result.hasMore = page.hasMore;
          return { result, client, deliveredVersion: page.highestVersion };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );

      // Bookkeeping after the snapshot: in it, a push of the same client updating this row would make
      // the update fail with a serialization error.
      if (client) {
        await db
          .update(syncClients)
          .set({
            lastPullAt: result.serverTime,
            lastSeenAt: result.serverTime,
            lastPulledVersion: sql`greatest(${syncClients.lastPulledVersion}, ${deliveredVersion})`,
          })
          .where(and(eq(syncClients.orgId, user.orgId), eq(syncClients.id, query.clientId)));
      }
      return result;
    },
  };
}

export type PullService = ReturnType<typeof createPullService>;

function addTo<T>(target: Partial<Record<SyncedTable, T[]>>, table: SyncedTable, item: T) {
  const list = target[table] ?? [];
  list.push(item);
  target[table] = list;
}

/** Rows as read go to `changes`; soft-deleted ones to `removed`, by id. */
function addRows(result: PullResponse, rows: Iterable<[SyncedTable, WireRow[]]>) {
  for (const [table, list] of rows) {
    for (const row of list) {
      if (row.deletedAt) addTo(result.removed, table, row.id as string);
      else addTo(changesOf(result), table, row);
    }
  }
}

/**
 * Reads up to `limit` rows of a first sync, table after table from where
 * `position` stands, each table's rows by version. `next` is where the next
 * page starts, or undefined when every table is done (`rowCount` rows read).
 */
async function readFirstSyncPage(
  tx: Tx,
  user: AuthUser,
  contractorId: string | undefined,
  position: FirstSyncPosition,
  limit: number,
) {
  const readable = new Map(
    readableTables(user, contractorId, { since: 0, upTo: position.upTo }).map((entry) => [entry.table, entry]),
  );
  const rows: Array<[SyncedTable, WireRow[]]> = [];
  let rowCount = 0;
  const start = FIRST_SYNC_ORDER.indexOf(position.table);
  for (let index = start; index < FIRST_SYNC_ORDER.length; index++) {
    const table = FIRST_SYNC_ORDER[index] as SyncedTable;
    const entry = readable.get(table);
    if (!entry) continue;
    const { source, where } = entry;
    const after = index === start ? position.after : 0;
    const room = limit - rowCount;
    const found = await tx
      .select()
      .from(source)
      .where(and(where, gt(source.version, after)))
      .orderBy(asc(source.version))
      .limit(room + 1);
    const kept = found.slice(0, room);
    if (kept.length > 0) rows.push([table, kept.map((row) => toWireRow(source as PgTable, row))]);
    rowCount += kept.length;
    if (found.length > room) {
      const last = Number((kept[kept.length - 1] as (typeof kept)[number]).version);
      return { rows, rowCount, next: { ...position, table, after: last } };
    }
    const nextTable = FIRST_SYNC_ORDER[index + 1];
    if (rowCount === limit && nextTable) {
      return { rows, rowCount, next: { ...position, table: nextTable, after: 0 } };
    }
  }
  return { rows, rowCount, next: undefined };
}

/**
 * Reads up to `limit` rows across all tables with version > since, lowest
 * versions first, in two steps. First the versions alone: each table's
 * lowest limit + 1 in one statement, which fixes the page's last version
 * (versions come from one sequence, so they never tie) and whether more
 * follow. Then the rows up to that version, from the tables that have any.
 * Reading whole rows of every table and keeping the lowest `limit` of them
 * read (and shaped) several times the rows a first sync sends.
 */
async function readPage(
  tx: Tx,
  user: AuthUser,
  contractorId: string | undefined,
  { since, upTo }: { since: number; upTo: number },
  limit: number,
) {
  /** `hidden`: a version that moves the cursor but sends no row. */
  const versions: Array<{ table: SyncedTable; version: number; hidden?: true }> = [];
  if (contractorId) {
    // The contractor's own assignments that left their scope (cancelled, declined) send no row, yet
    // must move the cursor and reach addScopeMoves, which takes their jobs off the phone. Without
    // them a pull after such a change finds nothing in scope and never removes the job.
    const scope = contractorScope('assignments', user.orgId, contractorId, user.userId) as SQL;
    const ended = await tx
      .select({ version: assignments.version })
      .from(assignments)
      .where(
        and(
          eq(assignments.orgId, user.orgId),
          eq(assignments.contractorId, contractorId),
          gt(assignments.version, since),
          lte(assignments.version, upTo),
          sql`not (${scope})`,
        ),
      )
      .orderBy(asc(assignments.version))
      .limit(limit + 1);
    for (const row of ended) versions.push({ table: 'assignments', version: Number(row.version), hidden: true });
  }
  const readable = readableTables(user, contractorId, { since, upTo });
  if (readable.length > 0) {
    const lowest = readable.map(
      ({ table, source, where }) =>
        sql`(select ${table}::text as "table", ${source.version} as version from ${source} where ${where}
          order by ${source.version} limit ${limit + 1})`,
    );
    const found = rowsOf(
      await tx.execute(sql`select "table", version from (${sql.join(lowest, sql` union all `)}) lowest
        order by version limit ${limit + 1}`),
    ) as Array<{ table: SyncedTable; version: string | number | bigint }>;
    for (const row of found) versions.push({ table: row.table, version: Number(row.version) });
  }
  versions.sort((a, b) => a.version - b.version);
  const kept = versions.slice(0, limit);
  const hasMore = versions.length > limit;
  const highestVersion = kept.length ? (kept[kept.length - 1] as (typeof kept)[number]).version : since;

  // Tables in the order their first row comes in the page, as one list of rows by version would give.
  const tablesWithRows = [...new Set(kept.filter((entry) => !entry.hidden).map((entry) => entry.table))];
  const readableByTable = new Map(readable.map((entry) => [entry.table, entry]));
  // Sent together: one wait for every table's rows.
  const found = await pipelined(
    ...tablesWithRows.map((table) => {
      const { source, where } = readableByTable.get(table) as (typeof readable)[number];
      return tx
        .select()
        .from(source)
        .where(and(where, lte(source.version, highestVersion)))
        .orderBy(asc(source.version))
        .then((rows) => rows.map((row) => toWireRow(source as PgTable, row)));
    }),
  );
  const rows = new Map(tablesWithRows.map((table, index) => [table, found[index] ?? []]));
  return { rows, hasMore, highestVersion };
}

/** Each table the caller may read, with the condition its rows in (since, upTo] meet. */
function readableTables(
  user: AuthUser,
  contractorId: string | undefined,
  { since, upTo }: { since: number; upTo: number },
) {
  return SYNCED_TABLES.flatMap((table) => {
    const source = SYNCED_TABLE_SOURCES[table] as unknown as AnyTable;
    const scope =
      user.role === 'contractor'
        ? contractorScope(table, user.orgId, contractorId, user.userId)
        : officeScope(table, user.userId);
    if (scope === false) return [];
    // The tenant row is the one table without `orgId`: its own id is the organisation.
    const tenantColumn = table === 'organizations' ? source.id : source.orgId;
    const where = and(
      eq(tenantColumn, user.orgId),
      gt(source.version, since),
      lte(source.version, upTo),
      scope === true ? undefined : scope,
    ) as SQL;
    return [{ table, source, where }];
  });
}

/**
 * A contractor's assignments that changed in this page decide what enters and
 * leaves the phone: a new live assignment brings its whole job (even rows
 * older than the cursor); one that ended takes the job and its children away.
 */
async function addScopeMoves(
  tx: Tx,
  user: AuthUser,
  contractorId: string | undefined,
  since: number,
  upTo: number,
  result: PullResponse,
) {
  if (!contractorId) return;
  const changed = await tx
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, user.orgId),
        eq(assignments.contractorId, contractorId),
        gt(assignments.version, since),
        sql`${assignments.version} <= ${upTo}`,
      ),
    );
  if (changed.length === 0) return;
  const jobIds = [...new Set(changed.map((row) => row.jobId))];
  const inScope = contractorScope('jobs', user.orgId, contractorId, user.userId) as SQL;
  const stillVisible = new Set(
    (
      await tx
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.orgId, user.orgId), inArray(jobs.id, jobIds), inScope))
    ).map((row) => row.id),
  );
  const entering = jobIds.filter((id) => stillVisible.has(id));
  const leaving = jobIds.filter((id) => !stillVisible.has(id));

  // Entering: send the whole job, whatever the versions of its rows.
  if (entering.length) {
    const jobRows = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, user.orgId), inArray(jobs.id, entering), isNull(jobs.deletedAt)));
    mergeRows(
      result,
      'jobs',
      jobRows.map((row) => toWireRow(jobs, row)),
    );
    const customerIds = jobRows.flatMap((row) => (row.customerId ? [row.customerId] : []));
    if (customerIds.length) {
      const source = SYNCED_TABLE_SOURCES.customers;
      const rows = await tx
        .select()
        .from(source)
        .where(and(eq(source.orgId, user.orgId), inArray(source.id, customerIds), isNull(source.deletedAt)));
      mergeRows(
        result,
        'customers',
        rows.map((row) => toWireRow(source, row)),
      );
      // The customer's estimates come with the customer, whatever their versions.
      const priced = await tx
        .select()
        .from(estimates)
        .where(
          and(eq(estimates.orgId, user.orgId), inArray(estimates.customerId, customerIds), isNull(estimates.deletedAt)),
        );
      mergeRows(
        result,
        'estimates',
        priced.map((row) => toWireRow(estimates, row)),
      );
    }
    for (const table of JOB_CHILD_TABLES) {
      const source = SYNCED_TABLE_SOURCES[table] as unknown as typeof SYNCED_TABLE_SOURCES.materials;
      const rows = await tx
        .select()
        .from(source)
        .where(and(eq(source.orgId, user.orgId), inArray(source.jobId, entering), isNull(source.deletedAt)));
      mergeRows(
        result,
        table,
        rows.map((row) => toWireRow(source, row)),
      );
    }
  }

  // Leaving: the job, its children, own assignments on it, and customers no other visible job keeps.
  if (leaving.length) {
    for (const id of leaving) addUnique(result.removed, 'jobs', id);
    for (const row of changed.filter((assignment) => leaving.includes(assignment.jobId))) {
      addUnique(result.removed, 'assignments', row.id);
    }
    result.changes.assignments = result.changes.assignments?.filter((row) => !leaving.includes(row.jobId as string));
    // The ended assignment's last state, for the phone to tell the contractor why the job went. Its id
    // stays in `removed`: a client that applies changes before removals keeps nothing out of scope.
    const ended = changed.filter(
      (row) => leaving.includes(row.jobId) && row.deletedAt === null && ENDED_ASSIGNMENT_STATUSES.has(row.status),
    );
    mergeRows(
      result,
      'assignments',
      ended.map((row) => toWireRow(assignments, row)),
    );
    for (const table of JOB_CHILD_TABLES) {
      const source = SYNCED_TABLE_SOURCES[table] as unknown as typeof SYNCED_TABLE_SOURCES.materials;
      const rows = await tx
        .select({ id: source.id })
        .from(source)
        .where(and(eq(source.orgId, user.orgId), inArray(source.jobId, leaving)));
      for (const row of rows) addUnique(result.removed, table, row.id);
    }
    const leavingCustomers = await tx
      .selectDistinct({ id: jobs.customerId })
      .from(jobs)
      .where(and(eq(jobs.orgId, user.orgId), inArray(jobs.id, leaving), isNotNull(jobs.customerId)));
    const customerScope = contractorScope('customers', user.orgId, contractorId, user.userId) as SQL;
    const kept = new Set(
      (
        await tx
          .select({ id: SYNCED_TABLE_SOURCES.customers.id })
          .from(SYNCED_TABLE_SOURCES.customers)
          .where(
            and(
              eq(SYNCED_TABLE_SOURCES.customers.orgId, user.orgId),
              inArray(
                SYNCED_TABLE_SOURCES.customers.id,
                leavingCustomers.flatMap((row) => (row.id ? [row.id] : [])),
              ),
              customerScope,
            ),
          )
      ).map((row) => row.id),
    );
    const gone = leavingCustomers.flatMap((row) => (row.id && !kept.has(row.id) ? [row.id] : []));
    for (const id of gone) addUnique(result.removed, 'customers', id);
    if (gone.length) {
      const priced = await tx
        .select({ id: estimates.id })
        .from(estimates)
        .where(and(eq(estimates.orgId, user.orgId), inArray(estimates.customerId, gone)));
      for (const row of priced) addUnique(result.removed, 'estimates', row.id);
    }
  }
}

function mergeRows(result: PullResponse, table: SyncedTable, rows: WireRow[]) {
  const changes = changesOf(result);
  const list = changes[table] ?? [];
  const seen = new Set(list.map((row) => row.id));
  for (const row of rows) if (!seen.has(row.id)) list.push(row);
  if (list.length) changes[table] = list;
}

function addUnique(target: Partial<Record<SyncedTable, string[]>>, table: SyncedTable, id: string) {
  const list = target[table] ?? [];
  if (!list.includes(id)) list.push(id);
  target[table] = list;
}
