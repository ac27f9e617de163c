/**
 * Issue 4's convergence harness: N devices (2 dispatchers + 2–3 contractors),
 * each the real client library on its own fake IndexedDB, against the real
 * server on Postgres and PGlite, under seeded random schedules with faults
 * (offline, failed requests, lost answers, duplicated requests), server
 * restarts and reloads mid-sync. After every device syncs to quiescence the
 * docs/sync-protocol.md guarantees must hold.
 *
 * FUZZ_SCALE=N multiplies schedules and operations per schedule (default 1).
 */
import { randomUUID } from 'node:crypto';
import { SYNCED_TABLES } from '@fieldsync/domain';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { databaseKindsUnderTest, TEST_PASSWORD } from '@fieldsync/server/testing';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Device, emptyStats, type HarnessStats } from './harness-device';
import { type HarnessServer, harnessClock, startHarnessServer } from './harness-server';
import { type PlayContext, playOp, type Schedule, scheduleArb } from './schedule';

const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const SCHEDULES = 2 * SCALE;
const OPERATIONS = 40 * SCALE;
const SEED = 20261121;

const kinds = await databaseKindsUnderTest();

type Row = Record<string, unknown> & { id: string };
type TableData = Map<string, Map<string, Row>>;

/** Everything `email` may see, by a fresh pull from the beginning (no device state involved). */
const headers = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/json' };

/** Signs in for the check pulls. Done before quiescence: a sign-in changes the user's row (last login). */
async function accessTokenOf(server: HarnessServer, email: string): Promise<string> {
  const login = await fetch(`${server.url()}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

async function fullPull(server: HarnessServer, accessToken: string): Promise<TableData> {
  const data: TableData = new Map(SYNCED_TABLES.map((table) => [table, new Map()]));
  const clientId = randomUUID();
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ clientId, limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`${server.url()}/api/sync/pull?${query}`, {
      headers: { ...headers, authorization: `Bearer ${accessToken}` },
    });
    const page = (await response.json()) as {
      cursor: string;
      hasMore: boolean;
      changes: Record<string, Row[]>;
      removed: Record<string, string[]>;
    };
    for (const [table, rows] of Object.entries(page.changes)) for (const row of rows) data.get(table)?.set(row.id, row);
    for (const [table, ids] of Object.entries(page.removed)) for (const id of ids) data.get(table)?.delete(id);
    cursor = page.cursor;
    if (!page.hasMore) return data;
  }
}

function withoutLocalMarks(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('_'))) as Row;
}

/** (1) The device's copy equals the server's data within its scope, table by table, row by row. */
async function compareWithServer(device: Device, expected: TableData): Promise<string[]> {
  const problems: string[] = [];
  for (const table of SYNCED_TABLES) {
    const want = expected.get(table) ?? new Map<string, Row>();
    const have = new Map(
      ((await device.client.db.table(table).toArray()) as Row[]).map((row) => [row.id, withoutLocalMarks(row)]),
    );
    for (const [id, row] of want) {
      const local = have.get(id);
      if (!local) problems.push(`${device.name}: ${table} ${id} missing on the device`);
      else if (JSON.stringify(sortKeys(local)) !== JSON.stringify(sortKeys(row))) {
        const fields = Object.keys({ ...row, ...local }).filter(
          (key) => JSON.stringify(row[key]) !== JSON.stringify(local[key]),
        );
        problems.push(
          `${device.name}: ${table} ${id} differs in ${fields
            .map((f) => `${f} (device ${JSON.stringify(local[f])}, server ${JSON.stringify(row[f])})`)
            .join(', ')}`,
        );
      }
    }
    for (const id of have.keys())
      if (!want.has(id)) problems.push(`${device.name}: ${table} ${id} not in scope on the server`);
  }
  return problems;
}

function sortKeys(row: Row): Row {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))) as Row;
}

/** Syncs every device, in rounds, until outboxes are empty and two whole rounds pull nothing new. */
async function syncToQuiescence(devices: Device[]): Promise<void> {
  for (const device of devices) {
    device.online = true;
    device.faultRate = 0;
  }
  let quietRounds = 0;
  for (let round = 0; quietRounds < 2; round++) {
    if (round >= 12) throw new Error('Devices did not reach quiescence in 12 rounds');
    let changed = false;
    for (const device of devices) {
      const before = (await device.client.db.meta.get('cursor'))?.value;
      await device.sync();
      const after = (await device.client.db.meta.get('cursor'))?.value;
      const pending = await device.client.db.outbox.count();
      const state = device.client.getState();
      if (state.lastError) throw new Error(`${device.name} could not sync: ${state.lastError}`);
      if (before !== after || pending > 0) changed = true;
    }
    quietRounds = changed ? 0 : quietRounds + 1;
  }
}

function inList(values: readonly string[]) {
  return sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
}

interface LedgerRow {
  client_id: string;
  seq: number | string;
  outcome: string;
}

async function checkGuarantees(server: HarnessServer, devices: Device[], tokens: Map<string, string>) {
  const database = server.database();
  const problems: string[] = [];

  // (1) convergence, per device, against a fresh full pull by the same user.
  for (const device of devices) {
    const expected = await fullPull(server, tokens.get(device.email) ?? '');
    problems.push(...(await compareWithServer(device, expected)));
  }

  // (2) every queued mutation has exactly one ledger row, and the ledger holds nothing else of these clients.
  const clientIds = [...new Set(devices.flatMap((device) => device.queued.map((q) => q.clientId)))];
  const ledger =
    clientIds.length === 0
      ? []
      : await database.query<LedgerRow>(
          sql`select client_id, seq, outcome from mutations where client_id in (${inList(clientIds)})`,
        );
  const ledgerCount = new Map<string, number>();
  for (const row of ledger) {
    const key = `${row.client_id}:${Number(row.seq)}`;
    ledgerCount.set(key, (ledgerCount.get(key) ?? 0) + 1);
  }
  const queuedKeys = new Set<string>();
  for (const device of devices) {
    for (const queued of device.queued) {
      const key = `${queued.clientId}:${queued.seq}`;
      queuedKeys.add(key);
      const count = ledgerCount.get(key) ?? 0;
      if (count !== 1) problems.push(`${device.name}: ${queued.name} seq ${queued.seq} has ${count} ledger rows`);
    }
  }
  for (const key of ledgerCount.keys()) if (!queuedKeys.has(key)) problems.push(`ledger row ${key} was never queued`);

  // (3) no status transition applied twice.
  if (clientIds.length > 0) {
    const twice = await database.query<{ client_id: string; seq: string; n: string }>(
      sql`select client_id, seq, count(*) as n from job_status_history
          where client_id in (${inList(clientIds)}) group by client_id, seq having count(*) > 1`,
    );
    for (const row of twice) problems.push(`status change ${row.client_id}:${row.seq} recorded ${row.n} times`);
  }

  // (4) each job's history chains in occurred order and ends at the job's status.
  const history = await database.query<{ job_id: string; from_status: string | null; to_status: string }>(
    sql`select job_id, from_status, to_status from job_status_history
        where deleted_at is null order by job_id, occurred_at, recorded_at`,
  );
  const jobs = await database.query<{ id: string; status: string }>(
    sql`select id, status from jobs where deleted_at is null`,
  );
  const byJob = new Map<string, typeof history>();
  for (const row of history) byJob.set(row.job_id, [...(byJob.get(row.job_id) ?? []), row]);
  for (const job of jobs) {
    const rows = byJob.get(job.id) ?? [];
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]?.from_status !== rows[i - 1]?.to_status) {
        problems.push(
          `job ${job.id}: history ${i} goes ${rows[i]?.from_status}→${rows[i]?.to_status} after →${rows[i - 1]?.to_status} (${rows.map((r) => `${r.from_status}→${r.to_status}`).join(', ')})`,
        );
        break;
      }
    }
    const last = rows[rows.length - 1];
    if (last && last.to_status !== job.status) {
      problems.push(`job ${job.id}: history ends at ${last.to_status} but the job is ${job.status}`);
    }
  }

  // (5) every rejected or conflicting outcome is in that device's `rejected` list.
  for (const device of devices) {
    const mine = new Set(device.queued.map((q) => `${q.clientId}:${q.seq}`));
    const shown = new Set((await device.client.db.rejected.toArray()).map((r) => `${r.clientId}:${r.seq}`));
    for (const row of ledger) {
      const key = `${row.client_id}:${Number(row.seq)}`;
      if (!mine.has(key) || (row.outcome !== 'rejected' && row.outcome !== 'conflict')) continue;
      if (!shown.has(key)) problems.push(`${device.name}: ${row.outcome} seq ${row.seq} is not shown to the person`);
    }
  }

  const outcomes = { applied: 0, conflict: 0, rejected: 0, duplicate: 0 } as Record<string, number>;
  for (const row of ledger) outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;
  return { problems, outcomes };
}

describe.each(kinds)('convergence on %s', (kind) => {
  let server: HarnessServer;
  const clock = harnessClock();
  const stats: HarnessStats = emptyStats();
  const outcomes: Record<string, number> = {};
  let schedules = 0;
  let initialSyncMs = 0;

  beforeAll(async () => {
    server = await startHarnessServer(kind, clock);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function runSchedule(schedule: Schedule): Promise<void> {
    schedules++;
    const emails = [
      'dispatcher1@example.com',
      'dispatcher2@example.com',
      ...schedule.contractors.map((n) => `contractor${n}@example.com`),
    ];
    const devices = emails.map(
      (email, index) =>
        new Device(
          `${email.split('@')[0]}#${schedules}`,
          email,
          email.startsWith('dispatcher') ? 'dispatcher' : 'contractor',
          server,
          clock,
          schedule.skews[index] ?? 0,
          schedule.seed + index,
          stats,
        ),
    );
    try {
      const signInStarted = performance.now();
      for (const device of devices) {
        await device.signIn();
        await device.sync();
      }
      initialSyncMs += performance.now() - signInStarted;
      const contractorUserIds = new Set(
        devices.filter((d) => d.role === 'contractor').map((d) => d.client.getState().session?.user.id ?? ''),
      );
      devices.forEach((device, index) => {
        device.faultRate = schedule.faultRates[index] ?? 0;
      });
      const ctx: PlayContext = { devices, server, clock, stats, contractorUserIds, counter: { next: 0 } };
      for (const op of schedule.ops) await playOp(op, ctx);

      const tokens = new Map<string, string>();
      for (const email of emails) tokens.set(email, await accessTokenOf(server, email));
      await syncToQuiescence(devices);
      const engineErrors = devices.flatMap((d) => d.engineErrors.map((e) => `${d.name}: ${String(e)}`));
      const result = await checkGuarantees(server, devices, tokens);
      for (const [outcome, count] of Object.entries(result.outcomes))
        outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
      expect([...engineErrors, ...result.problems].slice(0, 40)).toEqual([]);
    } finally {
      for (const device of devices) device.client.close();
    }
  }

  test(
    `${SCHEDULES} schedules × ${OPERATIONS} operations keep every guarantee`,
    async () => {
      const started = performance.now();
      await fc.assert(fc.asyncProperty(scheduleArb(OPERATIONS), runSchedule), {
        numRuns: SCHEDULES,
        seed: SEED + (kind === 'postgres' ? 0 : 1),
        // Schedules share one server database: shrinking a failure would replay it on changed data.
        endOnFailure: true,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const f = stats.faults;
      console.log(
        `[convergence ${kind}] scale=${SCALE} schedules=${schedules} operations=${stats.operations} ` +
          `mutations=${stats.mutations} refusals=${stats.refusals} pushes=${stats.pushes} pulls=${stats.pulls} ` +
          `faults=${f.offline + f.fail_before + f.lose_response + f.duplicate} (offline ${f.offline}, ` +
          `failed ${f.fail_before}, lost answers ${f.lose_response}, duplicated ${f.duplicate}) ` +
          `restarts=${stats.restarts} reloads=${stats.reloads} sign-ins=${stats.signIns} sessions-ended=${stats.sessionsEnded} ` +
          `outcomes=${JSON.stringify(outcomes)} time=${seconds}s (initial syncs ${(initialSyncMs / 1000).toFixed(1)}s)\n  refusals by mutation:code ${JSON.stringify(stats.refusalCodes)}`,
      );
    },
    SCALE * 300_000,
  );
});
