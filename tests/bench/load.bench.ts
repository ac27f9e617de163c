/**
 * `pnpm bench:load` — many simulated devices on a real deployment shape.
 *
 * Protocol-level devices (no browser; `ProtocolDevice` from the fault tests),
 * several per person, across demo companies (1 admin, 2 dispatchers and 12
 * contractors each). Every device keeps a live-updates stream open, pulls when
 * poked, and loops for a bounded time: think, queue 1–50 legal changes on its
 * own work (notes, material ticks, status moves), push. Two set-ups in the one
 * run, each on a freshly seeded database: two server instances behind
 * PgBouncer (transaction pooling, LISTEN direct), and one instance without it.
 *
 * Printed and written to `bench-results/load.json`: push and pull latency,
 * poke → pulled latency (a change pushed on one instance, pulled by an office
 * device of the same company on the other), mutations/s, errors, each
 * instance's CPU and memory (from its `/metrics`), and Postgres connections.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { hashPassword, seedDemoCompany } from '@fieldsync/server';
import { createTestDatabase, type TestDatabase } from '@fieldsync/server/testing';
import postgres from 'postgres';
import { type PrivatePgbouncer, pgbouncerSupported, startPgbouncer } from '../faults/private-pgbouncer';
import { ProtocolDevice, prng, type Row } from '../faults/protocol-device';
import { BENCH_PASSWORD, fmt, median, percentile, spawnServer, stopServer, writeResult } from './bench-support';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 5);
/** Mean pause between a device's pushes (each pause is drawn from 0.5–1.5 × this). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 15_000);
const MAX_BATCH = 50;
/** Server connections PgBouncer keeps per database, shared by both instances. */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 20);
const SAMPLE_EVERY_MS = 2000;
/** Devices signing in and pulling their first copy at once, before the timed window. */
const SETUP_CONCURRENCY = 25;
const METRICS_TOKEN = 'load-bench-metrics-token-0123456789';
const OFFICE_ROLES = new Set(['admin', 'dispatcher']);

interface Person {
  email: string;
  company: number;
}

/** The demo companies' people, company by company (each under its own email domain). */
function peopleOf(companies: number): Person[] {
  const local = ['admin', 'dispatcher1', 'dispatcher2', ...Array.from({ length: 12 }, (_, i) => `contractor${i + 1}`)];
  return Array.from({ length: companies }, (_, company) =>
    local.map((name) => ({ email: `${name}@co${company + 1}.bench.example`, company })),
  ).flat();
}

async function seedCompanies(testDb: TestDatabase) {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  for (let company = 0; company < COMPANIES; company++) {
    await seedDemoCompany(testDb.database.db, {
      passwordHash,
      now: new Date(),
      seed: 1000 + company,
      orgName: `Bench Company ${company + 1}`,
      emailDomain: `co${company + 1}.bench.example`,
    });
  }
  // What autovacuum would do on a normal server (the test cluster runs without it).
  const sql = postgres(testDb.url as string, { max: 1, onnotice: () => {} });
  await sql`analyze`;
  await sql.end();
}

/** Figures collected while devices run. */
class Recorder {
  pushMs: number[] = [];
  pullMs: number[] = [];
  pokeToPulledMs: number[] = [];
  mutations = 0;
  errors: string[] = [];
  /** Pushed notes waiting to be seen by an office device elsewhere: note id → where and when. */
  readonly samples = new Map<string, { company: number; instance: number; answeredAt: number }>();

  error(message: string) {
    if (this.errors.length < 20) console.error(`  !! ${message}`);
    this.errors.push(message);
  }
}

interface SimDevice {
  device: ProtocolDevice;
  person: Person;
  instance: number;
}

/** Keeps only the slice `part` of `parts` of the device's jobs, so two devices of one person never race. */
function shareWork(device: ProtocolDevice, part: number, parts: number) {
  const all = [...device.work.jobStatus];
  const mine = all.filter((_, index) => index % parts === part);
  // A device with no slice of its own adds notes and ticks on all its person's jobs, moving no status.
  const jobs = new Map(mine.length > 0 ? mine : all);
  const materials = [...(device.data.get('materials')?.values() ?? [])].filter((m: Row) => jobs.has(String(m.jobId)));
  device.work = {
    jobStatus: jobs,
    purchased: new Map(materials.map((m) => [m.id, m.purchased === true])),
    movesStatus: device.work.movesStatus && mine.length > 0,
  };
}

/** Opens the device's live-updates stream; resolves once `ready` arrives, calls `onPoke` for each poke. */
async function openEvents(sim: SimDevice, url: string, onPoke: () => void, signal: AbortSignal, rec: Recorder) {
  const headers = {
    authorization: `Bearer ${sim.device.accessToken}`,
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  };
  const tokenAnswer = await fetch(`${url}/api/sync/events/token`, { method: 'POST', headers });
  if (tokenAnswer.status !== 200) throw new Error(`events token: ${tokenAnswer.status}`);
  const { token } = (await tokenAnswer.json()) as { token: string };
  const response = await fetch(`${url}/api/sync/events?token=${encodeURIComponent(token)}`, { signal });
  if (response.status !== 200 || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: ready$/m.test(event)) ready();
          if (/^event: poke$/m.test(event)) onPoke();
          end = buffer.indexOf('\n\n');
        }
      }
      if (!signal.aborted) rec.error(`${sim.person.email}: event stream ended early`);
    } catch (error) {
      if (!signal.aborted) rec.error(`${sim.person.email}: event stream: ${error}`);
    }
  })();
  await isReady;
}

/** Pulls after pokes, one pull at a time: pokes during a pull make one more pull after it. */
function pullOnPoke(sim: SimDevice, rec: Recorder, timing: { running: boolean; crossInstance: boolean }) {
  let pulling = false;
  let again = false;
  const notesSeen = () => sim.device.data.get('jobNotes') ?? new Map<string, Row>();
  const pull = async () => {
    if (pulling) {
      again = true;
      return;
    }
    pulling = true;
    try {
      do {
        again = false;
        const started = performance.now();
        await sim.device.pull();
        if (!timing.running) continue;
        rec.pullMs.push(performance.now() - started);
        if (OFFICE_ROLES.has(sim.device.user.role)) {
          const notes = notesSeen();
          for (const [id, sample] of rec.samples) {
            if (sample.company !== sim.person.company || !notes.has(id)) continue;
            // With two instances a sample counts only when seen on the other one.
            if (timing.crossInstance && sample.instance === sim.instance) continue;
            rec.pokeToPulledMs.push(performance.now() - sample.answeredAt);
            rec.samples.delete(id);
          }
        }
      } while (again);
    } catch (error) {
      rec.error(`${sim.person.email}: pull: ${error}`);
    } finally {
      pulling = false;
    }
  };
  return pull;
}

/** One device's timed loop: think, queue 1–50 changes, push, until the deadline. */
async function runDevice(sim: SimDevice, rec: Recorder, deadline: number, seed: number) {
  const random = prng(seed);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Spread the first pushes over one think time, so devices do not march in step.
  await sleep(random() * THINK_MS);
  while (performance.now() < deadline) {
    sim.device.queueBatch(MAX_BATCH);
    const batch = sim.device.outbox;
    const note = batch.find((mutation) => mutation.name === 'note.add')?.args as { id?: string } | undefined;
    const started = performance.now();
    try {
      await sim.device.pushOutbox();
      const answeredAt = performance.now();
      rec.pushMs.push(answeredAt - started);
      const notApplied = batch.filter((mutation) => sim.device.outcomes.get(mutation.seq) !== 'applied');
      rec.mutations += batch.length - notApplied.length;
      for (const mutation of notApplied.slice(0, 1)) {
        rec.error(`${sim.person.email}: ${mutation.name} → ${sim.device.outcomes.get(mutation.seq)}`);
      }
      // Any person's note reaches the office, so every push with a note can be a sample.
      if (note) {
        rec.samples.set(String(note.id), { company: sim.person.company, instance: sim.instance, answeredAt });
      }
    } catch (error) {
      rec.error(`${sim.person.email}: push: ${error}`);
      sim.device.outbox = [];
    }
    // Never past the deadline, so the window (and mutations/s) ends when the devices stop.
    await sleep(Math.min(THINK_MS * (0.5 + random()), deadline - performance.now()));
  }
}

interface Instance {
  url: string;
  child: ChildProcess;
}

async function scrapeProcess(url: string) {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  // The server prefixes its metric names (`fieldsync_process_…`).
  const value = (name: string) =>
    Number(text.match(new RegExp(`^(?:\\w+_)?${name} ([0-9.e+-]+)$`, 'm'))?.[1] ?? Number.NaN);
  return { cpuSeconds: value('process_cpu_seconds_total'), rssBytes: value('process_resident_memory_bytes') };
}

/** Runs the whole workload against one set-up; returns its figures. */
async function runScenario(name: string, options: { instances: number; pgbouncer: boolean }) {
  console.log(`\n${name}: seeding ${COMPANIES} companies …`);
  const testDb = await createTestDatabase('postgres');
  const direct = testDb.url as string;
  const dbname = new URL(direct).pathname.slice(1);
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-load-'));
  const instances: Instance[] = [];
  let bouncer: PrivatePgbouncer | undefined;
  const sampler = postgres(direct, { max: 1, onnotice: () => {} });
  const rec = new Recorder();
  const abort = new AbortController();
  try {
    await seedCompanies(testDb);
    let databaseEnv: Record<string, string> = { DATABASE_URL: direct };
    if (options.pgbouncer) {
      const target = new URL(direct);
      bouncer = await startPgbouncer(
        {
          host: target.hostname,
          port: Number(target.port || 5432),
          dbname,
          user: decodeURIComponent(target.username) || 'postgres',
        },
        { poolSize: POOL_SIZE },
      );
      databaseEnv = { DATABASE_URL: bouncer.url, DATABASE_PREPARE: 'false', DATABASE_LISTEN_URL: direct };
    }
    for (let index = 0; index < options.instances; index++) {
      instances.push(await spawnServer({ ...databaseEnv, DATA_DIR: dataDir, METRICS_TOKEN }));
    }
    const urls = instances.map((instance) => instance.url);

    // Devices: several per person, each on one instance (round robin), each its own client id.
    const people = peopleOf(COMPANIES);
    const sims: SimDevice[] = Array.from({ length: DEVICES }, (_, index) => {
      const person = people[index % people.length] as Person;
      const instance = index % urls.length;
      const device = new ProtocolDevice({
        email: person.email,
        password: BENCH_PASSWORD,
        urls: [urls[instance] as string],
        seed: index + 1,
      });
      return { device, person, instance };
    });
    console.log(`  signing in ${people.length} people, first pull on ${DEVICES} devices …`);
    const signedIn = new Map<string, ProtocolDevice>();
    for (const sim of sims.slice(0, people.length)) {
      await sim.device.signIn();
      signedIn.set(sim.person.email, sim.device);
    }
    const timing = { running: false, crossInstance: urls.length > 1 };
    const pulls = new Map<SimDevice, () => Promise<void>>();
    await inBatches(sims, SETUP_CONCURRENCY, async (sim, index) => {
      const first = signedIn.get(sim.person.email) as ProtocolDevice;
      sim.device.accessToken = first.accessToken;
      sim.device.user = first.user;
      await sim.device.pull();
      sim.device.chooseWork();
      const devicesOfPerson = Math.ceil((DEVICES - (index % people.length)) / people.length);
      shareWork(sim.device, Math.floor(index / people.length), devicesOfPerson);
      const pull = pullOnPoke(sim, rec, timing);
      pulls.set(sim, pull);
      await openEvents(sim, urls[sim.instance] as string, () => void pull(), abort.signal, rec);
    });

    // Timed window, with CPU, memory and connections sampled as it runs.
    const cpuBefore = await Promise.all(urls.map(scrapeProcess));
    const rssSamples: number[][] = urls.map(() => []);
    const connectionSamples: number[] = [];
    const sample = async () => {
      const [row] = await sampler<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
        where datname = ${dbname} and pid <> pg_backend_pid()`;
      connectionSamples.push(row?.n ?? 0);
      const scraped = await Promise.all(urls.map(scrapeProcess));
      for (const [index, figures] of scraped.entries()) rssSamples[index]?.push(figures.rssBytes);
    };
    const sampling = setInterval(
      () => void sample().catch((error) => rec.error(`sampling: ${error}`)),
      SAMPLE_EVERY_MS,
    );
    console.log(`  running ${DEVICES} devices on ${urls.length} instance(s) for ${SECONDS} s …`);
    timing.running = true;
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(sims.map((sim, index) => runDevice(sim, rec, deadline, index + 7)));
    const elapsed = (performance.now() - started) / 1000;
    timing.running = false;
    clearInterval(sampling);
    const cpuAfter = await Promise.all(urls.map(scrapeProcess));
    await sample();

    const result = {
      name,
      instances: urls.length,
      pgbouncer: options.pgbouncer,
      poolSize: options.pgbouncer ? POOL_SIZE : undefined,
      devices: DEVICES,
      people: people.length,
      companies: COMPANIES,
      seconds: elapsed,
      pushes: rec.pushMs.length,
      pulls: rec.pullMs.length,
      mutations: rec.mutations,
      mutationsPerSecond: rec.mutations / elapsed,
      pushMs: latencies(rec.pushMs),
      pullMs: latencies(rec.pullMs),
      pokeToPulled: {
        crossInstance: urls.length > 1,
        samples: rec.pokeToPulledMs.length,
        unseen: rec.samples.size,
        p50Ms: percentile(rec.pokeToPulledMs, 50),
        p95Ms: percentile(rec.pokeToPulledMs, 95),
      },
      errors: rec.errors.length,
      firstErrors: rec.errors.slice(0, 10),
      perInstance: urls.map((_, index) => ({
        cpuPercent: (100 * ((cpuAfter[index]?.cpuSeconds ?? 0) - (cpuBefore[index]?.cpuSeconds ?? 0))) / elapsed,
        rssMedianMb: median(rssSamples[index] ?? [0]) / 2 ** 20,
        rssMaxMb: Math.max(...(rssSamples[index] ?? [0])) / 2 ** 20,
      })),
      postgresConnections: { median: median(connectionSamples), max: Math.max(...connectionSamples) },
    };
    print(result);
    return result;
  } finally {
    abort.abort();
    await sampler.end();
    await Promise.all(instances.map((instance) => stopServer(instance.child)));
    await bouncer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await testDb.drop();
  }
}

function latencies(values: number[]) {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

async function inBatches<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>) {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map((item, offset) => work(item, start + offset)));
  }
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

function print(result: {
  name: string;
  mutationsPerSecond: number;
  pushes: number;
  pulls: number;
  pushMs: Percentiles;
  pullMs: Percentiles;
  pokeToPulled: { crossInstance: boolean; samples: number; unseen: number; p50Ms: number; p95Ms: number };
  errors: number;
  perInstance: Array<{ cpuPercent: number; rssMedianMb: number; rssMaxMb: number }>;
  postgresConnections: { median: number; max: number };
}) {
  const ms = (figures: Percentiles) => `p50 ${fmt(figures.p50)}  p95 ${fmt(figures.p95)}  p99 ${fmt(figures.p99)} ms`;
  console.log(`\n  ${result.name}`);
  console.log(
    `    mutations/s          ${fmt(result.mutationsPerSecond, 0)} (${result.pushes} pushes, ${result.pulls} pulls)`,
  );
  console.log(`    push                 ${ms(result.pushMs)}`);
  console.log(`    pull                 ${ms(result.pullMs)}`);
  const where = result.pokeToPulled.crossInstance ? 'across instances' : 'same instance';
  console.log(
    `    poke → pulled        p50 ${fmt(result.pokeToPulled.p50Ms)}  p95 ${fmt(result.pokeToPulled.p95Ms)} ms ` +
      `(${where}, ${result.pokeToPulled.samples} samples, ${result.pokeToPulled.unseen} not seen by the end)`,
  );
  result.perInstance.forEach((figures, index) => {
    console.log(
      `    instance ${index + 1}           CPU ${fmt(figures.cpuPercent, 0)} %  RSS median ${fmt(figures.rssMedianMb, 0)} MB, max ${fmt(figures.rssMaxMb, 0)} MB`,
    );
  });
  console.log(
    `    Postgres connections median ${result.postgresConnections.median}, max ${result.postgresConnections.max}`,
  );
  if (result.errors > 0) console.log(`\n    !!!!! ${result.errors} ERRORS (must be 0) — see above and load.json !!!!!`);
  else console.log('    errors               0');
}

if (!pgbouncerSupported()) throw new Error('bench:load needs PgBouncer (apt-get install pgbouncer, or PGBOUNCER_BIN).');
console.log(
  `Load: ${DEVICES} devices (BENCH_DEVICES) over ${COMPANIES} companies × 15 people, ${SECONDS} s (BENCH_SECONDS), ` +
    `a push every ~${THINK_MS} ms per device (BENCH_THINK_MS), 1 run`,
);
const pooled = await runScenario('2 instances + PgBouncer', { instances: 2, pgbouncer: true });
const single = await runScenario('1 instance, direct', { instances: 1, pgbouncer: false });
const file = writeResult('load', { at: new Date().toISOString(), runs: 1, pooled, single });
console.log(`\nWrote ${file}`);
process.exit(pooled.errors + single.errors > 0 ? 1 : 0);
