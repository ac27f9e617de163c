/**
 * `pnpm bench:sync` — push replay throughput and pull rates against real Postgres.
 *
 * Push: 100 clients × 100 queued mutations (status changes, material ticks,
 * notes) end to end over HTTP, against the raw rate of writing the same rows
 * (row change, history, activity, ledger) with postgres.js directly, measured
 * in the same run: batched (one multi-row statement per table per client, the
 * practical limit and the ratio's base) and row by row (one statement each). Pull: initial sync of a 10,000-job company for a
 * dispatcher, and incremental pulls after 100 changes.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import postgres from 'postgres';
import { BENCH_PASSWORD, cpuMsSoFar, fmt, median, percentile, startBenchServer, writeResult } from './bench-support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const MUTATIONS_PER_CLIENT = Number(process.env.BENCH_MUTATIONS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PULL_JOBS = Number(process.env.BENCH_PULL_JOBS ?? 10_000);
void BENCH_PASSWORD;

type Fixture = { jobId: string; materialId: string };

/** Jobs in progress with one material each: one per client, so every client's moves stay legal. */
async function createFixtures(sql: postgres.Sql, orgId: string, count: number): Promise<Fixture[]> {
  const fixtures = Array.from({ length: count }, () => ({ jobId: randomUUID(), materialId: randomUUID() }));
  const stamp = Date.now().toString(36).toUpperCase().slice(-4);
  await sql`insert into jobs ${sql(
    fixtures.map((fixture, index) => ({
      org_id: orgId,
      id: fixture.jobId,
      job_number: `JOB-20261121-${stamp}${String(index).padStart(2, '0').slice(-2)}`,
      title: `Bench job ${index}`,
      trade: 'tile',
      status: 'in_progress',
      duration_minutes: 60,
    })),
  )}`;
  await sql`insert into materials ${sql(
    fixtures.map((fixture) => ({
      org_id: orgId,
      id: fixture.materialId,
      job_id: fixture.jobId,
      item_name: 'Grout',
      quantity: 2,
      unit: 'bag',
    })),
  )}`;
  return fixtures;
}

/** The same mixed workload for every client: hold, note, tick, resume, … */
function workload(fixture: Fixture) {
  return Array.from({ length: MUTATIONS_PER_CLIENT }, (_, index) => {
    const seq = index + 1;
    const occurredAt = new Date(Date.now() - (MUTATIONS_PER_CLIENT - index) * 1000).toISOString();
    switch (index % 4) {
      case 0:
        return {
          seq,
          occurredAt,
          name: 'job.setStatus',
          args: { jobId: fixture.jobId, from: 'in_progress', to: 'on_hold' },
        };
      case 1:
        return {
          seq,
          occurredAt,
          name: 'note.add',
          args: { id: randomUUID(), jobId: fixture.jobId, body: `Note ${seq}` },
        };
      case 2:
        return {
          seq,
          occurredAt,
          name: 'material.setPurchased',
          args: { id: fixture.materialId, purchased: index % 8 === 2 },
        };
      default:
        return {
          seq,
          occurredAt,
          name: 'job.setStatus',
          args: { jobId: fixture.jobId, from: 'on_hold', to: 'in_progress' },
        };
    }
  });
}

/** Every client's queue as one push, all at once; each push's time from sent to answered goes in `requestMs`. */
async function pushOverHttp(url: string, token: string, fixtures: Fixture[], requestMs: number[] = []) {
  const started = performance.now();
  await Promise.all(
    fixtures.map(async (fixture) => {
      const sent = performance.now();
      const response = await fetch(`${url}/api/sync/push`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
        body: JSON.stringify({ clientId: randomUUID(), mutations: workload(fixture) }),
      });
      const body = (await response.json()) as { results: Array<{ outcome: string }> };
      const applied = body.results.filter((result) => result.outcome === 'applied').length;
      if (applied !== MUTATIONS_PER_CLIENT)
        throw new Error(`only ${applied} applied: ${JSON.stringify(body).slice(0, 300)}`);
      requestMs.push(performance.now() - sent);
    }),
  );
  return performance.now() - started;
}

/** The same rows written straight through postgres.js one statement per row change, one transaction per client. */
async function writeRaw(sql: postgres.Sql, orgId: string, userId: string, fixtures: Fixture[]) {
  const started = performance.now();
  await Promise.all(
    fixtures.map(async (fixture) => {
      const clientId = randomUUID();
      await sql.begin(async (tx) => {
        await tx`insert into sync_clients (org_id, id, user_id) values (${orgId}, ${clientId}, ${userId})`;
        for (const mutation of workload(fixture)) {
          const args = mutation.args as Record<string, unknown>;
          if (mutation.name === 'job.setStatus') {
            await tx`update jobs set status = ${args.to as string} where org_id = ${orgId} and id = ${fixture.jobId}`;
            await tx`insert into job_status_history (org_id, id, job_id, from_status, to_status, changed_by, occurred_at, recorded_at, client_id, seq)
              values (${orgId}, ${randomUUID()}, ${fixture.jobId}, ${args.from as string}, ${args.to as string}, ${userId}, ${mutation.occurredAt}, now(), ${clientId}, ${mutation.seq})`;
          } else if (mutation.name === 'note.add') {
            await tx`insert into job_notes (org_id, id, job_id, author_id, body, occurred_at)
              values (${orgId}, ${args.id as string}, ${fixture.jobId}, ${userId}, ${args.body as string}, ${mutation.occurredAt})`;
          } else {
            const purchased = args.purchased as boolean;
            await tx`update materials set purchased = ${purchased}, purchased_by = ${purchased ? userId : null},
              purchased_at = ${purchased ? mutation.occurredAt : null} where org_id = ${orgId} and id = ${fixture.materialId}`;
          }
          await tx`insert into activity_log (org_id, id, entity_type, entity_id, action, user_id, job_id, source)
            values (${orgId}, ${randomUUID()}, 'job', ${fixture.jobId}, ${mutation.name}, ${userId}, ${fixture.jobId}, 'dispatcher_web')`;
          await tx`insert into mutations (org_id, client_id, seq, user_id, name, args, outcome, occurred_at)
            values (${orgId}, ${clientId}, ${mutation.seq}, ${userId}, ${mutation.name}, ${tx.json(args as postgres.JSONValue)}, 'applied', ${mutation.occurredAt})`;
        }
        await tx`update sync_clients set last_seq = ${MUTATIONS_PER_CLIENT} where org_id = ${orgId} and id = ${clientId}`;
      });
    }),
  );
  return performance.now() - started;
}

/**
 * The practical limit: the same final rows written the fastest plain way, in one
 * transaction per client with one multi-row statement per table and one update
 * per changed row — no HTTP, no validation, no rules.
 */
async function writeRawBatched(sql: postgres.Sql, orgId: string, userId: string, fixtures: Fixture[]) {
  const started = performance.now();
  await Promise.all(
    fixtures.map(async (fixture) => {
      const clientId = randomUUID();
      const mutations = workload(fixture);
      const history: Record<string, unknown>[] = [];
      const notes: Record<string, unknown>[] = [];
      let status = 'in_progress';
      let purchase = { purchased: false, purchased_by: null as string | null, purchased_at: null as string | null };
      for (const mutation of mutations) {
        const args = mutation.args as Record<string, unknown>;
        if (mutation.name === 'job.setStatus') {
          status = args.to as string;
          history.push({
            org_id: orgId,
            id: randomUUID(),
            job_id: fixture.jobId,
            from_status: args.from,
            to_status: args.to,
            changed_by: userId,
            occurred_at: mutation.occurredAt,
            client_id: clientId,
            seq: mutation.seq,
          });
        } else if (mutation.name === 'note.add') {
          notes.push({
            org_id: orgId,
            id: args.id,
            job_id: fixture.jobId,
            author_id: userId,
            body: args.body,
            occurred_at: mutation.occurredAt,
          });
        } else {
          const purchased = args.purchased as boolean;
          purchase = {
            purchased,
            purchased_by: purchased ? userId : null,
            purchased_at: purchased ? mutation.occurredAt : null,
          };
        }
      }
      await sql.begin(async (tx) => {
        await tx`insert into sync_clients (org_id, id, user_id) values (${orgId}, ${clientId}, ${userId})`;
        await tx`insert into job_status_history ${tx(history)}`;
        await tx`insert into job_notes ${tx(notes)}`;
        await tx`update jobs set status = ${status} where org_id = ${orgId} and id = ${fixture.jobId}`;
        await tx`update materials set ${tx(purchase)} where org_id = ${orgId} and id = ${fixture.materialId}`;
        await tx`insert into activity_log ${tx(
          mutations.map((mutation) => ({
            org_id: orgId,
            id: randomUUID(),
            entity_type: 'job',
            entity_id: fixture.jobId,
            action: mutation.name,
            user_id: userId,
            job_id: fixture.jobId,
            source: 'dispatcher_web',
          })),
        )}`;
        await tx`insert into mutations ${tx(
          mutations.map((mutation) => ({
            org_id: orgId,
            client_id: clientId,
            seq: mutation.seq,
            user_id: userId,
            name: mutation.name,
            args: tx.json(mutation.args as postgres.JSONValue),
            outcome: 'applied',
            occurred_at: mutation.occurredAt,
          })),
        )}`;
        await tx`update sync_clients set last_seq = ${MUTATIONS_PER_CLIENT} where org_id = ${orgId} and id = ${clientId}`;
      });
    }),
  );
  return performance.now() - started;
}

type PushKind = 'http' | 'raw batched' | 'raw row by row';

async function benchPush() {
  const bench = await startBenchServer();
  const sql = postgres(bench.databaseUrl, { max: 10, onnotice: () => {} });
  const total = CLIENTS * MUTATIONS_PER_CLIENT;
  const rates: Record<PushKind, number[]> = { http: [], 'raw batched': [], 'raw row by row': [] };
  /** CPU ms per 1,000 mutations of each run, by who spent it: the server, Postgres, this process (the load). */
  const cpu: Record<PushKind, Array<{ server: number; postgres: number; bench: number }>> = {
    http: [],
    'raw batched': [],
    'raw row by row': [],
  };
  /** Each timed push over HTTP, sent to answered (the warm-up round is left out). */
  const httpRequestMs: number[] = [];
  const write = (kind: PushKind, fixtures: Fixture[], requestMs?: number[]) =>
    kind === 'http'
      ? pushOverHttp(bench.url, bench.accessToken, fixtures, requestMs)
      : kind === 'raw batched'
        ? writeRawBatched(sql, bench.orgId, bench.dispatcherId, fixtures)
        : writeRaw(sql, bench.orgId, bench.dispatcherId, fixtures);
  const fixturesFor = async (count: number) => {
    const fixtures = await createFixtures(sql, bench.orgId, count);
    // What autovacuum does on a normal server. Without fresh statistics (the test
    // machines run Postgres with autovacuum off), plans made while the tables were
    // tiny, and cached by each connection, would scan tables that grow run by run.
    await sql`analyze`;
    return fixtures;
  };
  const kinds: PushKind[] = ['http', 'raw batched', 'raw row by row'];
  try {
    // One small untimed round of each, so no timed run pays for JIT warm-up or first connections.
    for (const kind of kinds) await write(kind, await fixturesFor(10));
    for (let run = 0; run < RUNS; run++) {
      // Rotate which goes first so none always runs on a warmer database.
      const order = [...kinds.slice(run % kinds.length), ...kinds.slice(0, run % kinds.length)];
      for (const kind of order) {
        const fixtures = await fixturesFor(CLIENTS);
        const before = { ...cpuMsSoFar(bench.serverPids), bench: process.cpuUsage() };
        const ms = await write(kind, fixtures, httpRequestMs);
        const after = cpuMsSoFar(bench.serverPids);
        const benchCpu = process.cpuUsage(before.bench);
        const perThousand = (used: number) => used / (total / 1000);
        cpu[kind].push({
          server: perThousand(after.processes - before.processes),
          postgres: perThousand(after.postgres - before.postgres),
          bench: perThousand((benchCpu.user + benchCpu.system) / 1000),
        });
        rates[kind].push(total / (ms / 1000));
        console.log(`  run ${run + 1} ${kind.padEnd(14)} ${fmt(ms, 0)} ms  ${fmt(total / (ms / 1000), 0)} mutations/s`);
      }
    }
  } finally {
    await sql.end();
    await bench.close();
  }
  const cpuMedians = (kind: PushKind) => ({
    server: median(cpu[kind].map((run) => run.server)),
    postgres: median(cpu[kind].map((run) => run.postgres)),
    bench: median(cpu[kind].map((run) => run.bench)),
  });
  const http = median(rates.http);
  const raw = median(rates['raw batched']);
  const rawRowByRow = median(rates['raw row by row']);
  return {
    clients: CLIENTS,
    mutationsPerClient: MUTATIONS_PER_CLIENT,
    runs: RUNS,
    rates,
    httpMedian: http,
    httpRequestMs: {
      p50: percentile(httpRequestMs, 50),
      p95: percentile(httpRequestMs, 95),
      p99: percentile(httpRequestMs, 99),
    },
    rawBatchedMedian: raw,
    rawRowByRowMedian: rawRowByRow,
    ratio: http / raw,
    ratioToRowByRow: http / rawRowByRow,
    cpuMsPerThousand: { http: cpuMedians('http'), rawBatched: cpuMedians('raw batched') },
  };
}

async function benchPull() {
  const bench = await startBenchServer();
  const sql = postgres(bench.databaseUrl, { max: 4, onnotice: () => {} });
  try {
    await sql`insert into customers (org_id, id, name, address)
      select ${bench.orgId}, gen_random_uuid(), 'Customer ' || n, n || ' Main St' from generate_series(1, 1000) n`;
    await sql`insert into jobs (org_id, id, job_number, title, trade, status, desired_date, duration_minutes, address, customer_id)
      select ${bench.orgId}, gen_random_uuid(), 'JOB-20261121-' || lpad(upper(to_hex(n)), 6, '0'), 'Job ' || n,
        (array['flooring','tile','carpet','paving','general'])[1 + n % 5],
        (array['open','scheduled','in_progress','completed'])[1 + n % 4],
        date '2026-11-01' + (n % 60), 30 + (n % 8) * 30, n || ' Elm St',
        (select id from customers where org_id = ${bench.orgId} order by id offset (n % 1000) limit 1)
      from generate_series(1, ${PULL_JOBS}) n`;
    const pullAll = async (cursor?: string) => {
      let rows = 0;
      let next = cursor;
      const clientId = randomUUID();
      for (;;) {
        const query = `clientId=${clientId}&limit=1000${next ? `&cursor=${next}` : ''}`;
        const response = await fetch(`${bench.url}/api/sync/pull?${query}`, {
          headers: { authorization: `Bearer ${bench.accessToken}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        });
        const page = (await response.json()) as {
          cursor: string;
          hasMore: boolean;
          changes: Record<string, unknown[]>;
        };
        rows += Object.values(page.changes).reduce((sum, list) => sum + list.length, 0);
        next = page.cursor;
        if (!page.hasMore) return { rows, cursor: next };
      }
    };

    const initialTimes: number[] = [];
    let rows = 0;
    let cursor = '';
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const result = await pullAll();
      initialTimes.push(performance.now() - started);
      rows = result.rows;
      cursor = result.cursor;
    }
    const initialMs = median(initialTimes);

    const jobIds = (await sql<{ id: string }[]>`select id from jobs where org_id = ${bench.orgId} limit 100`).map(
      (row) => row.id,
    );
    const incremental: number[] = [];
    for (let round = 0; round < 20; round++) {
      const response = await fetch(`${bench.url}/api/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bench.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: randomUUID(),
          mutations: jobIds.map((jobId, index) => ({
            seq: index + 1,
            name: 'note.add',
            occurredAt: new Date().toISOString(),
            args: { id: randomUUID(), jobId, body: `Round ${round}` },
          })),
        }),
      });
      if (response.status !== 200) throw new Error(`push failed: ${response.status}`);
      const started = performance.now();
      const result = await pullAll(cursor);
      incremental.push(performance.now() - started);
      cursor = result.cursor;
    }
    return {
      jobs: PULL_JOBS,
      initial: { rows, runsMs: initialTimes, medianMs: initialMs, rowsPerSecond: rows / (initialMs / 1000) },
      incremental: {
        changes: 100,
        samplesMs: incremental,
        p50Ms: percentile(incremental, 50),
        p95Ms: percentile(incremental, 95),
        p99Ms: percentile(incremental, 99),
      },
    };
  } finally {
    await sql.end();
    await bench.close();
  }
}

console.log(`Push replay: ${CLIENTS} clients × ${MUTATIONS_PER_CLIENT} mutations, ${RUNS} runs each`);
const push = await benchPush();
console.log(`Pull: ${PULL_JOBS}-job company`);
const pull = await benchPull();

console.log('\nResults (medians)');
console.log(`  push over HTTP      ${fmt(push.httpMedian, 0)} mutations/s`);
console.log(
  `                      each push (${MUTATIONS_PER_CLIENT} mutations, ${CLIENTS} at once): p50 ${fmt(push.httpRequestMs.p50, 0)} ms, ` +
    `p95 ${fmt(push.httpRequestMs.p95, 0)} ms, p99 ${fmt(push.httpRequestMs.p99, 0)} ms`,
);
console.log(`  raw, batched        ${fmt(push.rawBatchedMedian, 0)} mutations/s  (the practical limit)`);
console.log(`  raw, row by row     ${fmt(push.rawRowByRowMedian, 0)} mutations/s`);
console.log(`  ratio               ${fmt(push.ratio * 100)} % of the practical limit (target ≥ 80 %)`);
console.log(`                      ${fmt(push.ratioToRowByRow * 100)} % of raw row by row`);
const cpuLine = (c: { server: number; postgres: number; bench: number }) =>
  `server ${fmt(c.server, 0)}, Postgres ${fmt(c.postgres, 0)}, load generator ${fmt(c.bench, 0)} = ${fmt(c.server + c.postgres + c.bench, 0)}`;
console.log(`  CPU ms per 1,000    over HTTP:   ${cpuLine(push.cpuMsPerThousand.http)}`);
console.log(`                      raw batched: ${cpuLine(push.cpuMsPerThousand.rawBatched)}`);
console.log(
  `                      (${os.availableParallelism()} cores: with every core busy, the rates stand in about the inverse ratio of these totals)`,
);
console.log(
  `  initial pull        ${pull.initial.rows} rows in ${fmt(pull.initial.medianMs, 0)} ms = ${fmt(pull.initial.rowsPerSecond, 0)} rows/s`,
);
console.log(
  `  incremental pull    after 100 changes: p50 ${fmt(pull.incremental.p50Ms)} ms, p95 ${fmt(pull.incremental.p95Ms)} ms, ` +
    `p99 ${fmt(pull.incremental.p99Ms)} ms`,
);
const file = writeResult('sync', { at: new Date().toISOString(), push, pull });
console.log(`\nWrote ${file}`);
process.exit(0);
