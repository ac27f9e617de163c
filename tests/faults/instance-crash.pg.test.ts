/**
 * kill -9 one of two server instances while devices push (issue 15).
 *
 * Two real server processes share one fresh Postgres database. Six
 * protocol-level devices (a dispatcher and five contractors of the demo
 * company) push small batches of legal changes to instance A and pull now
 * and then. Once pushes flow, one contractor's next push is held
 * mid-transaction (a second session holds the rows it writes) and A is
 * killed with SIGKILL, so at least one push dies with its outcome unknown to
 * the device; others die wherever they happen to be. Every device sends its
 * failed batch again, same seqs, to instance B and keeps going. Then A is
 * started again and takes a push.
 *
 * Afterwards: each device's seqs 1..n have exactly one ledger row each, with
 * the outcome the device was told, all `applied`; the database holds exactly
 * the notes, ticks and statuses the devices meant; and each device's copy,
 * kept by incremental pulls across both instances, equals a fresh full pull.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from '@fieldsync/server/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_DEVICE_EMAILS, waitUntil } from './fault-kit';
import { differences, freshFullPull, ProtocolDevice, type TableData } from './protocol-device';
import { killHard, type ServerProcess, startServerProcess } from './server-process';

const kinds = await databaseKindsUnderTest();

const PASSWORD = 'instance-crash-password';
/** Pushes answered by A before the crash is staged. */
const ANSWERED_BEFORE_CRASH = 12;
/** Rounds (push, sometimes pull) each device makes on B after its failover. */
const ROUNDS_AFTER_FAILOVER = 4;
const WORK_DEADLINE_MS = 20_000;
const SEED = 20261130;

type Sql = ReturnType<typeof postgres>;

/** Pushes a batch and, every third round, pulls — until `done` says so. */
async function keepWorking(device: ProtocolDevice, done: (roundsAfterFailover: number) => boolean) {
  const deadline = performance.now() + WORK_DEADLINE_MS;
  let round = 0;
  let roundsAfterFailover = 0;
  while (!done(roundsAfterFailover)) {
    if (performance.now() > deadline) throw new Error(`${device.options.email} was still working after the deadline`);
    device.queueBatch();
    await device.pushOutbox();
    if (++round % 3 === 0) await device.pull();
    if (device.failedOver) roundsAfterFailover++;
  }
}

/** Backends of any instance waiting on a lock that `holderPid` holds. */
async function waitingOn(admin: Sql, holderPid: number): Promise<number> {
  const [row] = await admin<Array<{ waiting: number }>>`
    select count(*)::int as waiting from pg_stat_activity where ${holderPid} = any(pg_blocking_pids(pid))`;
  return row?.waiting ?? 0;
}

describe.skipIf(!kinds.includes('postgres'))('kill -9 one of two instances', () => {
  let testDb: TestDatabase;
  let admin: Sql;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    admin = postgres(testDb.url as string, { max: 3, onnotice: () => {} });
    dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-crash-'));
    baseEnv = {
      DATABASE_URL: testDb.url as string,
      DATA_DIR: dataDir,
      WEB_DIST: join(dataDir, 'no-web-app'),
      JWT_SECRET: 'instance-crash-signing-key-that-is-long-enough-0123',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      DEMO_PASSWORD: PASSWORD,
    };
    // One after the other: the first seeds the demo company, the second finds it there.
    servers.push(await startServerProcess({ ...baseEnv, SEED: 'demo' }));
    servers.push(await startServerProcess({ ...baseEnv, SEED: 'none' }));
  });

  afterAll(async () => {
    await Promise.all(servers.map(killHard));
    await admin?.end({ timeout: 1 });
    await testDb?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('devices fail over; one ledger outcome per mutation; copies equal a fresh full pull', async () => {
    const started = performance.now();
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const devices = DEMO_DEVICE_EMAILS.map(
      (email, index) => new ProtocolDevice({ email, password: PASSWORD, urls: [a.url, b.url], seed: SEED + index }),
    );
    for (const device of devices) {
      await device.signIn();
      await device.pull();
      device.chooseWork();
      expect(device.work.jobStatus.size, `${device.options.email} has jobs to work on`).toBeGreaterThan(0);
    }
    const notesAtStart = devices.map((device) => notesOnWork(device, device.data));

    // --- Devices push to A; A dies mid-stream; they carry on with B.
    let killed = false;
    const failures: unknown[] = [];
    const working = devices.map((device) =>
      keepWorking(device, (roundsAfterFailover) => killed && roundsAfterFailover >= ROUNDS_AFTER_FAILOVER).catch(
        (error: unknown) => {
          failures.push(error);
        },
      ),
    );
    /** Stops a wait at once when a device has already failed, with the device's own error. */
    const noFailures = () => {
      if (failures.length > 0) throw failures[0];
    };
    const answered = () => devices.reduce((sum, device) => sum + device.stats.pushesAnswered, 0);
    await waitUntil(
      `${ANSWERED_BEFORE_CRASH} pushes answered by A`,
      () => {
        noFailures();
        return answered() >= ANSWERED_BEFORE_CRASH;
      },
      15_000,
    );

    // Hold one contractor's next push mid-transaction: it waits on rows a second session holds.
    const held = devices[1] as ProtocolDevice;
    const holder = await admin.reserve();
    await holder`begin`;
    await holder`select id from jobs where id = any(${[...held.work.jobStatus.keys()]}::uuid[]) for update`;
    const [{ pid: holderPid }] = (await holder`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
    await waitUntil(`a push from ${held.options.email} to wait mid-transaction`, async () => {
      noFailures();
      return (await waitingOn(admin, holderPid)) > 0;
    });
    const answeredBeforeKill = answered();
    await killHard(a);
    killed = true;
    // Let A's orphaned backend go on: with its client gone it ends (rolling back), and the held
    // device's retry on B, waiting on that backend's row locks meanwhile, goes through.
    await holder`commit`;
    holder.release();
    await Promise.all(working);
    noFailures();

    expect(held.stats.pushesCut, 'the held push was cut mid-answer and sent again').toBeGreaterThan(0);
    for (const device of devices) expect(device.failedOver, `${device.options.email} failed over`).toBe(true);

    // --- A comes back (a new process on the same database) and takes a push.
    const restarted = await startServerProcess({ ...baseEnv, SEED: 'none' });
    servers.push(restarted);
    const dispatcher = devices[0] as ProtocolDevice;
    dispatcher.prefer(restarted.url);
    dispatcher.queueChanges(3);
    await dispatcher.pushOutbox();
    expect(dispatcher.answeredBy).toBe(restarted.url);

    // --- Nothing lost, nothing doubled.
    const clientIds = devices.map((device) => device.clientId);
    const ledger = await admin<Array<{ client_id: string; seq: number; name: string; outcome: string }>>`
      select client_id, seq::int as seq, name, outcome from mutations
      where client_id = any(${clientIds}::uuid[]) order by client_id, seq`;
    const lastSeqs = await admin<Array<{ id: string; last_seq: number }>>`
      select id, last_seq::int as last_seq from sync_clients where id = any(${clientIds}::uuid[])`;
    for (const device of devices) {
      const seqs = Array.from({ length: device.seq }, (_, index) => index + 1);
      const rows = ledger.filter((row) => row.client_id === device.clientId);
      expect(device.outbox, `${device.options.email} outbox`).toEqual([]);
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
      expect(lastSeqs.find((row) => row.id === device.clientId)?.last_seq).toBe(device.seq);
    }
    const noteIds = devices.flatMap((device) => device.noteIds);
    const [notes] = await admin<Array<{ count: number }>>`
      select count(*)::int as count from job_notes where id = any(${noteIds}::uuid[])`;
    const notesApplied = ledger.filter((row) => row.name === 'note.add' && row.outcome === 'applied').length;
    expect(notes?.count).toBe(notesApplied);
    expect(notesApplied).toBe(noteIds.length);

    // --- Each copy, kept by incremental pulls across instances, equals a fresh full pull.
    for (const [index, device] of devices.entries()) {
      await device.pull();
      const fresh = await freshFullPull(restarted.url, device.accessToken);
      expect(differences(device.data, fresh), `${device.options.email}: copy vs fresh pull`).toEqual([]);
      const jobs = fresh.get('jobs');
      const materials = fresh.get('materials');
      for (const [jobId, status] of device.work.jobStatus) expect(jobs?.get(jobId)?.status).toBe(status);
      for (const [id, purchased] of device.work.purchased) expect(materials?.get(id)?.purchased).toBe(purchased);
      expect(notesOnWork(device, fresh), `${device.options.email}: notes on its jobs`).toBe(
        (notesAtStart[index] as number) + device.noteIds.length,
      );
    }

    const totals = devices.reduce(
      (sum, device) => ({
        mutations: sum.mutations + device.seq,
        pushes: sum.pushes + device.stats.pushesAnswered,
        pushesRetried: sum.pushesRetried + device.stats.pushesRetried,
        pushesCut: sum.pushesCut + device.stats.pushesCut,
        mutationsRetried: sum.mutationsRetried + device.stats.mutationsRetried,
        duplicates: sum.duplicates + device.stats.duplicatesAnswered,
        failovers: sum.failovers + device.stats.failovers,
      }),
      { mutations: 0, pushes: 0, pushesRetried: 0, pushesCut: 0, mutationsRetried: 0, duplicates: 0, failovers: 0 },
    );
    process.stdout.write(
      `instance crash: ${totals.mutations} mutations in ${totals.pushes} pushes (${answeredBeforeKill} answered by A ` +
        `before kill -9); ${totals.pushesRetried} pushes (${totals.mutationsRetried} mutations) sent again ` +
        `after the crash (${totals.pushesCut} cut on an open connection, one of them held mid-transaction; ` +
        `the rest refused), ${totals.duplicates} mutations answered duplicate, ${totals.failovers} failovers ` +
        `(pushes and pulls); ${Math.round(performance.now() - started)} ms\n`,
    );
  }, 60_000);
});

/** Notes in `data` on the jobs `device` works on. */
function notesOnWork(device: ProtocolDevice, data: TableData) {
  const jobs = device.work.jobStatus;
  return [...(data.get('jobNotes')?.values() ?? [])].filter((note) => jobs.has(String(note.jobId))).length;
}
