/**
 * `pnpm bench:alerts` — job status changes to webhook received, with two
 * server instances (two delivery workers) on one Postgres database.
 *
 * Clients push status moves (in_progress ⇄ on_hold) over HTTP, half to each
 * instance, so each worker is kicked by its own pushes and also picks up the
 * other's rows on its poll. A webhook rule posts every move to a receiver in
 * this process. Latency is webhook received − push answered, both on this
 * process's clock (a worker may post before the push's answer arrives, so a
 * few samples can be slightly negative). Throughput is events / (last webhook
 * received − first push sent).
 *
 * Baseline in the same run: the same posts (the bodies just received, the
 * same headers, freshly signed) sent straight from this process to the same
 * receiver the way the workers send them — a new connection per post, in
 * rounds of the worker's batch size, one sender per worker.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import postgres from 'postgres';
import { fmt, median, percentile, startBenchServer, writeResult } from './bench-support';

const EVENTS = Number(process.env.BENCH_ALERT_EVENTS ?? 1000);
const CLIENTS = Number(process.env.BENCH_ALERT_CLIENTS ?? 10);
/** Status moves per push: a phone that was briefly offline sends a few at once. */
const PUSH_SIZE = Number(process.env.BENCH_ALERT_PUSH_SIZE ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORKERS = 2;
/** DEFAULT_BATCH_SIZE in apps/server/src/alerts/delivery-worker.ts: posts one worker sends side by side. */
const WORKER_BATCH = 20;
const SECRET = 'bench-secret';
/** How long a run may wait for its last webhook before it is reported as broken. */
const DELIVERY_DEADLINE_MS = 120_000;

/** A webhook as it arrived; `key` names its event (see `eventKey`). */
type Received = { at: number; rawBody: string; event: string; key: string };

/**
 * The webhook receiver: answers 204 at once and keeps, per delivery id (first
 * arrival only — delivery is at least once), when the body had fully arrived.
 */
async function startReceiver() {
  const deliveries = new Set<string>();
  const byEvent = new Map<string, Received>();
  let rawPosts = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const id = req.headers['x-fieldsync-delivery'];
      // Baseline posts are only counted: their timing is taken by the sender.
      if (req.headers['x-bench-raw']) rawPosts++;
      else if (typeof id === 'string' && !deliveries.has(id)) {
        deliveries.add(id);
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(rawBody) as { occurredAt: string; data: { jobId: string } };
        const key = eventKey(body.data.jobId, body.occurredAt);
        byEvent.set(key, { at, rawBody, event: String(req.headers['x-fieldsync-event']), key });
      }
      res.writeHead(204).end();
    });
  });
  // Many short connections at once from two workers and the baseline.
  server.maxConnections = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/fieldsync`,
    byEvent,
    rawPostCount: () => rawPosts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

async function push(url: string, token: string, clientId: string, mutations: unknown[]) {
  const response = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
    body: JSON.stringify({ clientId, mutations }),
  });
  const body = (await response.json()) as { results?: Array<{ outcome: string }> };
  const applied = body.results?.filter((result) => result.outcome === 'applied').length ?? 0;
  if (applied !== mutations.length) throw new Error(`only ${applied} applied: ${JSON.stringify(body).slice(0, 300)}`);
}

async function createWebhookRule(url: string, token: string, receiverUrl: string) {
  await push(url, token, randomUUID(), [
    {
      seq: 1,
      occurredAt: new Date().toISOString(),
      name: 'alertRule.create',
      args: {
        id: randomUUID(),
        name: 'Bench webhook',
        event: 'job.status_changed',
        conditions: {},
        channels: ['webhook'],
        recipients: ['role:dispatcher'],
        throttleMinutes: 0,
        webhook: { url: receiverUrl, secret: SECRET },
      },
    },
  ]);
}

/** One job in progress per client, so each client's moves stay legal. */
async function createJobs(sql: postgres.Sql, orgId: string, count: number): Promise<string[]> {
  const jobIds = Array.from({ length: count }, () => randomUUID());
  await sql`insert into jobs ${sql(
    jobIds.map((id, index) => ({
      org_id: orgId,
      id,
      // Six random hex digits: unique enough for the few jobs a run makes.
      job_number: `JOB-20261121-${randomUUID().slice(0, 6).toUpperCase()}`,
      title: `Alert bench job ${index}`,
      trade: 'tile',
      status: 'in_progress',
      duration_minutes: 60,
    })),
  )}`;
  return jobIds;
}

/** Where a webhook body is matched to its event: the job and the device's time of the move. */
const eventKey = (jobId: string, occurredAt: string) => `${jobId}|${Date.parse(occurredAt)}`;

/** A client's moves: hold, resume, hold, … each at its own device time (one millisecond apart). */
function moves(jobId: string, count: number, startMs: number) {
  return Array.from({ length: count }, (_, index) => {
    const held = index % 2 === 1;
    return {
      seq: index + 1,
      occurredAt: new Date(startMs + index).toISOString(),
      name: 'job.setStatus',
      args: { jobId, from: held ? 'on_hold' : 'in_progress', to: held ? 'in_progress' : 'on_hold' },
    };
  });
}

interface AlertRun {
  events: number;
  ms: number;
  /** When the last push was answered, from the first push sent: the workers can finish no earlier. */
  pushMs: number;
  deliveriesPerSecond: number;
  latenciesMs: number[];
  bodies: Received[];
}

/** Pushes `events` moves from `clients` clients (spread over the instances) and waits for every webhook. */
async function runAlerts(
  bench: { urls: string[]; accessToken: string; orgId: string },
  sql: postgres.Sql,
  receiver: Receiver,
  events: number,
  clients: number,
): Promise<AlertRun> {
  const jobIds = await createJobs(sql, bench.orgId, clients);
  // What autovacuum does on a normal server (the test machines run Postgres with autovacuum off).
  await sql`analyze`;
  const acknowledgedAt = new Map<string, number>();
  const perClient = Math.ceil(events / clients);
  // Device times in the past, unique per job: the webhook body's occurredAt names the move.
  const startMs = Date.now() - 60 * 60 * 1000;
  const started = performance.now();
  await Promise.all(
    jobIds.map(async (jobId, client) => {
      const url = bench.urls[client % bench.urls.length] as string;
      const clientId = randomUUID();
      const all = moves(jobId, Math.max(0, Math.min(perClient, events - client * perClient)), startMs);
      for (let from = 0; from < all.length; from += PUSH_SIZE) {
        const batch = all.slice(from, from + PUSH_SIZE);
        await push(url, bench.accessToken, clientId, batch);
        const at = performance.now();
        for (const move of batch) acknowledgedAt.set(eventKey(jobId, move.occurredAt), at);
      }
    }),
  );
  const pushMs = performance.now() - started;
  const expected = acknowledgedAt.size;
  const ours = () => [...acknowledgedAt.keys()].flatMap((key) => receiver.byEvent.get(key) ?? []);
  const deadline = performance.now() + DELIVERY_DEADLINE_MS;
  let arrived = ours();
  while (arrived.length < expected) {
    if (performance.now() > deadline)
      throw new Error(`only ${arrived.length} of ${expected} webhooks arrived within ${DELIVERY_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    arrived = ours();
  }
  const latenciesMs = arrived.map((received) => received.at - (acknowledgedAt.get(received.key) as number));
  const last = Math.max(...arrived.map((received) => received.at));
  const ms = last - started;
  return { events: expected, ms, pushMs, deliveriesPerSecond: expected / (ms / 1000), latenciesMs, bodies: arrived };
}

/** One POST the way the worker's webhook sender makes it: new connection, done when the answer's headers arrive. */
function postLikeWorker(url: string, received: Received): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(received.rawBody, 'utf8');
  const signature = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${received.rawBody}`).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Fieldsync-Webhook/1',
          'X-Fieldsync-Event': received.event,
          'X-Fieldsync-Delivery': randomUUID(),
          'X-Fieldsync-Timestamp': String(timestamp),
          'X-Fieldsync-Signature': signature,
          'X-Bench-Raw': '1',
          'Content-Length': body.length,
        },
        signal: AbortSignal.timeout(10_000),
      },
      (response) => {
        response.resume();
        response.on('error', () => {});
        resolve(response.statusCode ?? 0);
        outgoing.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The same posts straight from here: one sender per worker, each sending rounds of the worker's batch side by side. */
async function runRaw(receiver: Receiver, bodies: Received[]) {
  const queue = [...bodies];
  const before = receiver.rawPostCount();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let round = queue.splice(0, WORKER_BATCH); round.length > 0; round = queue.splice(0, WORKER_BATCH)) {
        const statuses = await Promise.all(round.map((received) => postLikeWorker(receiver.url, received)));
        if (statuses.some((status) => status !== 204)) throw new Error(`receiver answered ${statuses.join(',')}`);
      }
    }),
  );
  const ms = performance.now() - started;
  if (receiver.rawPostCount() - before !== bodies.length) throw new Error('the receiver missed baseline posts');
  return { ms, deliveriesPerSecond: bodies.length / (ms / 1000) };
}

console.log(
  `Alerts: ${EVENTS} job status changes from ${CLIENTS} clients (${PUSH_SIZE} per push), ${WORKERS} server instances, ${RUNS} runs`,
);
const receiver = await startReceiver();
const bench = await startBenchServer({ instances: WORKERS, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
const sql = postgres(bench.databaseUrl, { max: 4, onnotice: () => {} });
const runs: Array<{
  alerts: { ms: number; pushMs: number; deliveriesPerSecond: number; p50Ms: number; p95Ms: number };
  raw: { ms: number; deliveriesPerSecond: number };
}> = [];
try {
  await createWebhookRule(bench.url, bench.accessToken, receiver.url);
  // One small untimed round of each, so no timed run pays for JIT warm-up or first connections.
  const warm = await runAlerts(bench, sql, receiver, 4 * PUSH_SIZE, 2);
  await runRaw(receiver, warm.bodies);
  for (let run = 0; run < RUNS; run++) {
    const alerts = await runAlerts(bench, sql, receiver, EVENTS, CLIENTS);
    const raw = await runRaw(receiver, alerts.bodies);
    const p50Ms = percentile(alerts.latenciesMs, 50);
    const p95Ms = percentile(alerts.latenciesMs, 95);
    runs.push({
      alerts: { ms: alerts.ms, pushMs: alerts.pushMs, deliveriesPerSecond: alerts.deliveriesPerSecond, p50Ms, p95Ms },
      raw,
    });
    console.log(
      `  run ${run + 1} alerts ${fmt(alerts.ms, 0)} ms (pushes done at ${fmt(alerts.pushMs, 0)} ms)  ${fmt(alerts.deliveriesPerSecond, 0)} deliveries/s  p50 ${fmt(p50Ms)} ms  p95 ${fmt(p95Ms)} ms`,
    );
    console.log(`  run ${run + 1} raw    ${fmt(raw.ms, 0)} ms  ${fmt(raw.deliveriesPerSecond, 0)} posts/s`);
  }
} finally {
  await sql.end();
  await bench.close();
  await receiver.close();
}

const alertsRate = median(runs.map((run) => run.alerts.deliveriesPerSecond));
const rawRate = median(runs.map((run) => run.raw.deliveriesPerSecond));
const p50Ms = median(runs.map((run) => run.alerts.p50Ms));
const p95Ms = median(runs.map((run) => run.alerts.p95Ms));
console.log('\nResults (medians)');
console.log(`  event → webhook     p50 ${fmt(p50Ms)} ms, p95 ${fmt(p95Ms)} ms`);
console.log(`  alerts delivered    ${fmt(alertsRate, 0)} deliveries/s (push, outbox, ${WORKERS} workers, webhook)`);
console.log(`  raw posts           ${fmt(rawRate, 0)} posts/s (the same posts sent directly)`);
console.log(`  ratio               ${fmt((alertsRate / rawRate) * 100)} % of the raw post rate`);
const file = writeResult('alerts', {
  at: new Date().toISOString(),
  events: EVENTS,
  clients: CLIENTS,
  pushSize: PUSH_SIZE,
  workers: WORKERS,
  workerBatch: WORKER_BATCH,
  runs,
  latencyP50MedianMs: p50Ms,
  latencyP95MedianMs: p95Ms,
  alertsDeliveriesPerSecondMedian: alertsRate,
  rawPostsPerSecondMedian: rawRate,
  ratio: alertsRate / rawRate,
});
console.log(`\nWrote ${file}`);
process.exit(0);
