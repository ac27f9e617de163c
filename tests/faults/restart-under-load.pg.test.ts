/**
 * Restarts under load, through PgBouncer (issue 15).
 *
 * Two server instances share a private Postgres cluster through a private
 * PgBouncer in transaction pooling mode (`DATABASE_PREPARE=false`, LISTEN
 * direct), as the operations guide sets them up. Six protocol-level devices
 * (a dispatcher and five contractors of the demo company) push small batches
 * of notes, material ticks and status moves in a loop, alternating between
 * the instances, and pull now and then. Under that load:
 *
 * 1. Postgres stops (fast shutdown), stays down for 20 s and starts again.
 * 2. PgBouncer stops and a new one starts on the same port.
 *
 * While the database cannot be reached, pushes and pulls answer `503
 * db_unavailable` with `Retry-After`, at once; the devices keep their changes
 * and send them again. Afterwards both instances recover by themselves, their
 * LISTEN included (a push on one pokes a stream held on the other), every
 * mutation a device sent has exactly one ledger outcome, no note is doubled,
 * and each device's copy equals a fresh full pull.
 *
 * Never touches the shared cluster at 5432.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, type RunningServer, startServer } from '@fieldsync/server';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_DEVICE_EMAILS, notePush, openEventStream, type TimedAnswer, timedCall, waitUntil } from './fault-kit';
import { type PrivatePgbouncer, pgbouncerSupported, startPgbouncer } from './private-pgbouncer';
import { createPrivateCluster, type PrivateCluster, privateClusterSupported } from './private-postgres';
import { differences, freshFullPull, ProtocolDevice, type TableData } from './protocol-device';

const PASSWORD = 'restart-under-load-password';
/** How long Postgres stays down in the first scenario: the fault itself. */
const OUTAGE_MS = 20_000;
/** The bound for an answer while the database is down. */
const FAST_FAIL_MS = 1000;
/** From the fault's end until both instances answer health `ok` again. */
const RECOVERY_MS = 10_000;
/** Pushes answered before the fault, so it strikes a system under load. */
const ANSWERED_BEFORE_FAULT = 12;
/** Pushes each device has answered after recovery before it stops. */
const PUSHES_AFTER_RECOVERY = 3;
/** A device's outbox grows no further than this while its pushes are refused. */
const OUTBOX_CAP = 60;
/**
 * After a `503` a device waits for the `Retry-After` it was given, as the app
 * does, but at most this long so the test stays short. This paces the load; it
 * synchronises nothing.
 */
const RETRY_PAUSE_CAP_MS = 1000;
/** How long one device's loop may run in all (the outage included). */
const LOAD_DEADLINE_MS = 60_000;
const SEED = 20261207;

const supported = privateClusterSupported() && pgbouncerSupported();

type Sql = ReturnType<typeof postgres>;

function expectDbUnavailable(answer: TimedAnswer, what: string) {
  expect(answer.status, what).toBe(503);
  expect(answer.json, what).toMatchObject({ error: { code: 'db_unavailable', message: expect.any(String) } });
  expect(Number(answer.headers.get('retry-after')), what).toBeGreaterThan(0);
  expect(answer.ms, what).toBeLessThanOrEqual(FAST_FAIL_MS);
}

/**
 * The devices' loop: queue a batch, push it (alternating instances), pull
 * every third round; after a `503` keep everything and wait out the
 * `Retry-After` (capped). Each device stops once it has had
 * `PUSHES_AFTER_RECOVERY` pushes answered after `recovered()`.
 */
function startLoad(devices: ProtocolDevice[], urls: string[]) {
  let answeredAtRecovery: Map<ProtocolDevice, number> | undefined;
  let aborted = false;
  const failures: unknown[] = [];
  const work = async (device: ProtocolDevice, index: number) => {
    const deadline = performance.now() + LOAD_DEADLINE_MS;
    for (let round = 0; !aborted; round++) {
      const mark = answeredAtRecovery?.get(device);
      if (mark !== undefined && device.stats.pushesAnswered >= mark + PUSHES_AFTER_RECOVERY) return;
      if (performance.now() > deadline) throw new Error(`${device.options.email} was still working after the deadline`);
      device.prefer(urls[(round + index) % urls.length] as string);
      if (device.outbox.length < OUTBOX_CAP) device.queueBatch(4);
      const pushed = await device.pushOutboxUnlessUnavailable();
      const pulled = round % 3 === 2 ? await device.pullUnlessUnavailable() : true;
      if (!pushed || !pulled) {
        const retryAfterSeconds = Number(device.refusals.at(-1)?.retryAfter ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterSeconds * 1000, RETRY_PAUSE_CAP_MS)));
      }
    }
  };
  const running = devices.map((device, index) =>
    work(device, index).catch((error: unknown) => {
      failures.push(error);
    }),
  );
  return {
    /** Throws the first device's failure, so a wait stops at once with the device's own error. */
    check() {
      if (failures.length > 0) throw failures[0];
    },
    answered: () => devices.reduce((sum, device) => sum + device.stats.pushesAnswered, 0),
    recovered() {
      answeredAtRecovery = new Map(devices.map((device) => [device, device.stats.pushesAnswered]));
    },
    async finished() {
      await Promise.all(running);
      if (failures.length > 0) throw failures[0];
    },
    /** For cleanup after a failure: every loop ends after its current request. */
    async abort() {
      aborted = true;
      await Promise.all(running);
    },
  };
}

type Load = ReturnType<typeof startLoad>;

/** Notes in `data` on the jobs `device` works on. */
function notesOnWork(device: ProtocolDevice, data: TableData) {
  const jobs = device.work.jobStatus;
  return [...(data.get('jobNotes')?.values() ?? [])].filter((note) => jobs.has(String(note.jobId))).length;
}

describe.skipIf(!supported)('restarts under load, through PgBouncer', () => {
  let cluster: PrivateCluster;
  let clusterDataDir: string;
  let bouncer: PrivatePgbouncer;
  let admin: Sql;
  let a: RunningServer;
  let b: RunningServer;
  const dataDirs: string[] = [];
  let load: Load | undefined;

  beforeAll(async () => {
    cluster = await createPrivateCluster();
    admin = postgres(cluster.url, { max: 2, onnotice: () => {} });
    const [setting] = await admin<Array<{ data_directory: string }>>`show data_directory`;
    clusterDataDir = setting?.data_directory as string;
    bouncer = await startPgbouncer(
      { host: '127.0.0.1', port: cluster.port, dbname: 'postgres', user: 'postgres' },
      { poolSize: 5 },
    );
    const shared = {
      DATABASE_URL: bouncer.url,
      DATABASE_PREPARE: 'false',
      DATABASE_LISTEN_URL: cluster.url,
      JWT_SECRET: randomUUID() + randomUUID(),
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_PASSWORD: PASSWORD,
    };
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const instance = async (seed: string) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-restart-'));
      dataDirs.push(dataDir);
      return startServer(loadEnv({ ...shared, SEED: seed, DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'no-web-app') }), {
        logger,
      });
    };
    // One after the other: the first migrates and seeds the demo company, the second finds it there.
    a = await instance('demo');
    b = await instance('none');
  });

  afterAll(async () => {
    const steps = [
      () => load?.abort(),
      () => Promise.all([a?.close(), b?.close()]),
      () => bouncer?.stop(),
      () => admin?.end({ timeout: 1 }),
      () => cluster?.destroy(),
    ];
    // Every step runs whatever the one before it did (the cluster may be down when a test failed).
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch(() => {});
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Signs each device in, pulls everything and picks its work. */
  async function readyDevices(seed: number): Promise<ProtocolDevice[]> {
    const devices = DEMO_DEVICE_EMAILS.map(
      (email, index) => new ProtocolDevice({ email, password: PASSWORD, urls: [a.url, b.url], seed: seed + index }),
    );
    for (const device of devices) {
      await device.signIn();
      await device.pull();
      device.chooseWork();
      expect(device.work.jobStatus.size, `${device.options.email} has jobs to work on`).toBeGreaterThan(0);
    }
    return devices;
  }

  async function waitForLoad(devices: ProtocolDevice[], running: Load) {
    const before = running.answered();
    await waitUntil(
      `${ANSWERED_BEFORE_FAULT} pushes answered`,
      () => {
        running.check();
        return running.answered() >= before + ANSWERED_BEFORE_FAULT;
      },
      15_000,
    );
    expect(
      devices.flatMap((device) => device.refusals),
      'refusals before the fault',
    ).toEqual([]);
  }

  async function health(server: RunningServer) {
    return (await timedCall(server.url, 'GET', '/api/health')).status;
  }

  /** Both instances have noticed the outage (each finds it on its own next query), and refuse at once. */
  async function expectBothRefuse(jobId: string, token: string) {
    await waitUntil(
      'both instances to report the database down',
      async () => {
        load?.check();
        return (await health(a)) === 503 && (await health(b)) === 503;
      },
      5000,
    );
    for (const [name, server] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const push = await timedCall(server.url, 'POST', '/api/sync/push', { token, body: notePush(jobId) });
      expectDbUnavailable(push, `push on ${name} while down`);
      const pull = await timedCall(server.url, 'GET', `/api/sync/pull?clientId=${randomUUID()}&limit=5`, { token });
      expectDbUnavailable(pull, `pull on ${name} while down`);
    }
  }

  async function waitForRecovery(running: Load, since: number) {
    await waitUntil(
      'both instances to answer health ok again',
      async () => {
        running.check();
        return (await health(a)) === 200 && (await health(b)) === 200;
      },
      RECOVERY_MS,
    );
    running.recovered();
    return Math.round(performance.now() - since);
  }

  /** What every scenario must show once its load has run to the end after recovery. */
  async function expectCleanRecovery(devices: ProtocolDevice[], notesAtStart: number[], dispatcherToken: string) {
    expectRefusalsWereOutages(devices);
    await expectExactlyOnce(devices);
    await expectConverged(devices, notesAtStart);
    await expectListenOnBoth(devices, dispatcherToken);
  }

  /** Every refusal the devices met was an outage's 503, telling them when to come back. */
  function expectRefusalsWereOutages(devices: ProtocolDevice[]) {
    for (const device of devices) {
      for (const refusal of device.refusals) {
        expect(refusal, `${device.options.email}: a refusal`).toMatchObject({ status: 503, code: 'db_unavailable' });
        expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
      }
    }
  }

  /** Each device's seqs 1..n have exactly one ledger row each, `applied`, as the device was told. */
  async function expectExactlyOnce(devices: ProtocolDevice[]) {
    const clientIds = devices.map((device) => device.clientId);
    const ledger = await admin<Array<{ client_id: string; seq: number; name: string; outcome: string }>>`
      select client_id, seq::int as seq, name, outcome from mutations
      where client_id = any(${clientIds}::uuid[]) order by client_id, seq`;
    for (const device of devices) {
      const seqs = Array.from({ length: device.seq }, (_, index) => index + 1);
      const rows = ledger.filter((row) => row.client_id === device.clientId);
      expect(device.outbox, `${device.options.email}: outbox sent`).toEqual([]);
      expect(
        rows.map((row) => row.seq),
        `${device.options.email}: one ledger row per seq`,
      ).toEqual(seqs);
      expect(
        rows.map((row) => row.outcome),
        `${device.options.email}: the outcomes it was told`,
      ).toEqual(seqs.map((seq) => device.outcomes.get(seq)));
      expect(new Set(rows.map((row) => row.outcome)), `${device.options.email}: all applied`).toEqual(
        new Set(['applied']),
      );
    }
    const noteIds = devices.flatMap((device) => device.noteIds);
    const [notes] = await admin<Array<{ count: number }>>`
      select count(*)::int as count from job_notes where id = any(${noteIds}::uuid[])`;
    expect(notes?.count, 'one note per note.add sent').toBe(noteIds.length);
    expect(ledger.filter((row) => row.name === 'note.add')).toHaveLength(noteIds.length);
  }

  /** Each copy, kept by incremental pulls across both instances, equals a fresh full pull; no extra notes. */
  async function expectConverged(devices: ProtocolDevice[], notesAtStart: number[]) {
    for (const [index, device] of devices.entries()) {
      await device.pull();
      const fresh = await freshFullPull(index % 2 === 0 ? a.url : b.url, device.accessToken);
      expect(differences(device.data, fresh), `${device.options.email}: copy vs fresh pull`).toEqual([]);
      const jobs = fresh.get('jobs');
      const materials = fresh.get('materials');
      for (const [jobId, status] of device.work.jobStatus) expect(jobs?.get(jobId)?.status).toBe(status);
      for (const [id, purchased] of device.work.purchased) expect(materials?.get(id)?.purchased).toBe(purchased);
      expect(notesOnWork(device, fresh), `${device.options.email}: notes on its jobs, none doubled`).toBe(
        (notesAtStart[index] as number) + device.noteIds.length,
      );
    }
  }

  /**
   * Each instance holds its LISTEN again (seen in pg_stat_activity), and a
   * note pushed on one instance pokes a contractor's stream held on the other.
   */
  async function expectListenOnBoth(devices: ProtocolDevice[], dispatcherToken: string) {
    await waitUntil(
      'a LISTEN connection from each instance',
      async () => {
        const [row] = await admin<Array<{ listening: number }>>`
          select count(*)::int as listening from pg_stat_activity where query = 'listen "fieldsync_changes"'`;
        return row?.listening === 2;
      },
      RECOVERY_MS,
    );
    const pairs = [
      { from: a, to: b, device: devices[1] as ProtocolDevice, route: 'A to B' },
      { from: b, to: a, device: devices[2] as ProtocolDevice, route: 'B to A' },
    ];
    for (const { from, to, device, route } of pairs) {
      const stream = await openEventStream(to.url, device.accessToken);
      try {
        expect(stream.status).toBe(200);
        await waitUntil(`the stream (${route}) to be ready`, () => stream.received.includes('ready'));
        const pokes = () => stream.received.filter((event) => event === 'poke').length;
        const pokesBefore = pokes();
        const jobId = [...device.work.jobStatus.keys()][0] as string;
        const pushed = await timedCall(from.url, 'POST', '/api/sync/push', {
          token: dispatcherToken,
          body: notePush(jobId, `Poke ${route}.`),
        });
        expect(pushed.status).toBe(200);
        await waitUntil(`the poke ${route}`, () => pokes() > pokesBefore);
      } finally {
        await stream.close();
      }
    }
  }

  function report(name: string, devices: ProtocolDevice[], extra: string) {
    const refusals = devices.flatMap((device) => device.refusals);
    const mutations = devices.reduce((sum, device) => sum + device.seq, 0);
    const pushes = devices.reduce((sum, device) => sum + device.stats.pushesAnswered, 0);
    const duplicates = devices.reduce((sum, device) => sum + device.stats.duplicatesAnswered, 0);
    const slowest = Math.round(Math.max(0, ...refusals.map((refusal) => refusal.ms)));
    process.stdout.write(
      `${name}: ${mutations} mutations in ${pushes} answered pushes; ${refusals.filter((r) => r.request === 'push').length} ` +
        `pushes and ${refusals.filter((r) => r.request === 'pull').length} pulls answered 503 (slowest ${slowest} ms); ` +
        `${duplicates} mutations answered duplicate; ${extra}\n`,
    );
  }

  test('Postgres stops (fast shutdown) for 20 s under load: 503s, then recovery, exactly once, same copies', async () => {
    const devices = await readyDevices(SEED);
    const dispatcher = devices[0] as ProtocolDevice;
    const notesAtStart = devices.map((device) => notesOnWork(device, device.data));
    load = startLoad(devices, [a.url, b.url]);
    await waitForLoad(devices, load);

    // Fast shutdown: what `pg_ctl stop -m fast` sends. Backends end, open transactions roll back.
    const pidFile = join(clusterDataDir, 'postmaster.pid');
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const stoppedAt = performance.now();
    process.kill(postmaster, 'SIGINT');
    await waitUntil('Postgres to finish its fast shutdown', () => !existsSync(pidFile), 10_000);

    await expectBothRefuse([...dispatcher.work.jobStatus.keys()][0] as string, dispatcher.accessToken);
    await waitUntil(
      'devices to be refused and keep their changes',
      () => {
        load?.check();
        const refused = devices.filter((device) => device.refusals.length > 0 && device.outbox.length > 0);
        return refused.length >= devices.length / 2;
      },
      10_000,
    );

    // The fault's duration, not synchronisation: Postgres stays down 20 s in all while the devices keep trying.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (performance.now() - stoppedAt))));
    const downMs = Math.round(performance.now() - stoppedAt);
    const startedAt = performance.now();
    cluster.start();
    const recoveryMs = await waitForRecovery(load, startedAt);
    await load.finished();
    load = undefined;

    await expectCleanRecovery(devices, notesAtStart, dispatcher.accessToken);
    report('Postgres restart', devices, `down ${downMs} ms, both instances healthy ${recoveryMs} ms after the start`);
  }, 80_000);

  test('PgBouncer stops and a new one starts on the same port under load: 503s, recovery, exactly once, same copies', async () => {
    const devices = await readyDevices(SEED + 100);
    const dispatcher = devices[0] as ProtocolDevice;
    const notesAtStart = devices.map((device) => notesOnWork(device, device.data));
    load = startLoad(devices, [a.url, b.url]);
    await waitForLoad(devices, load);

    const stoppedAt = performance.now();
    await bouncer.stopProcess();
    await expectBothRefuse([...dispatcher.work.jobStatus.keys()][0] as string, dispatcher.accessToken);
    await waitUntil(
      'a device to be refused during the gap',
      () => {
        load?.check();
        return devices.some((device) => device.refusals.length > 0);
      },
      5000,
    );
    const startedAt = performance.now();
    await bouncer.startProcess();
    const gapMs = Math.round(performance.now() - stoppedAt);
    const recoveryMs = await waitForRecovery(load, startedAt);
    await load.finished();
    load = undefined;

    await expectCleanRecovery(devices, notesAtStart, dispatcher.accessToken);
    report('PgBouncer restart', devices, `gap ${gapMs} ms, both instances healthy ${recoveryMs} ms after the start`);
  }, 60_000);
});
