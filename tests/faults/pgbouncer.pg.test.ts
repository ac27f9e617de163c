/**
 * Two server instances on one database through PgBouncer in transaction
 * pooling mode (issue 15, "Several instances, one database"), configured as
 * the README says: `DATABASE_URL` through the pooler with
 * `DATABASE_PREPARE=false`, `DATABASE_LISTEN_URL` direct. Both start at the
 * same moment, so their migrations race; pokes cross from one instance to
 * the other; parallel pushes through a pool of 5 server connections each
 * get one ledger outcome; the alerts' transaction-level advisory lock works.
 *
 * PgBouncer is started by the test on a free port in front of a fresh
 * database on the shared Postgres, and stopped after.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, openDatabase, type RunningServer, startServer } from '@fieldsync/server';
import { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from '@fieldsync/server/testing';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { notePush, openEventStream, signIn, timedCall, waitUntil } from './fault-kit';
import { type PrivatePgbouncer, pgbouncerSupported, startPgbouncer } from './private-pgbouncer';

const PASSWORD = 'pgbouncer-test-password';
/** Fewer server connections than the two instances' 2 × 10 client connections, so the pooler multiplexes. */
const POOL_SIZE = 5;
const PARALLEL_CLIENTS = 24;
const NOTES_PER_PUSH = 5;
const MIGRATION_COUNT: number = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../migrations/meta/_journal.json'), 'utf8'),
).entries.length;

const postgresReachable = (await databaseKindsUnderTest()).includes('postgres');

/** Starts every instance at once; if one fails, closes the others and throws. */
async function startAll(envs: Array<Record<string, string>>): Promise<RunningServer[]> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const started = await Promise.allSettled(envs.map((env) => startServer(loadEnv(env), { logger })));
  const failure = started.find((result) => result.status === 'rejected');
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failure) {
    await Promise.all(servers.map((server) => server.close()));
    throw failure.reason;
  }
  return servers;
}

/** Resolves as `promise` does, or fails naming `what` past the deadline (a hang becomes a failure). */
async function withinDeadline<T>(what: string, promise: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${deadlineMs} ms waiting for ${what}`)), deadlineMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pulls until `hasMore` is false; answers the job notes seen and the cursor to continue from. */
async function pullAll(url: string, token: string, clientId: string, cursor?: string) {
  const rows: Array<{ id: string }> = [];
  let next = cursor;
  for (;;) {
    const query = `clientId=${clientId}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`;
    const answer = await timedCall(url, 'GET', `/api/sync/pull?${query}`, { token });
    expect(answer.status).toBe(200);
    rows.push(...(answer.json.changes.jobNotes ?? []));
    next = answer.json.cursor;
    if (!answer.json.hasMore) return { noteIds: rows.map((row) => row.id), cursor: next as string };
  }
}

describe.skipIf(!pgbouncerSupported() || !postgresReachable)(
  'two instances through PgBouncer (transaction pooling)',
  () => {
    let direct: TestDatabase;
    let bouncer: PrivatePgbouncer;
    let a: RunningServer;
    let b: RunningServer;
    const dataDirs: string[] = [];
    let dispatcherToken: string;

    /** Queries the database directly (not through the pooler), for what the test checks. */
    const query = <Row>(statement: ReturnType<typeof sql>) => direct.database.query<Row>(statement);

    beforeAll(async () => {
      direct = await createTestDatabase('postgres', { migrate: false });
      const target = new URL(direct.url as string);
      bouncer = await startPgbouncer(
        {
          host: target.hostname,
          port: Number(target.port || 5432),
          dbname: target.pathname.slice(1),
          user: decodeURIComponent(target.username) || 'postgres',
        },
        { poolSize: POOL_SIZE },
      );
      const shared = {
        DATABASE_URL: bouncer.url,
        DATABASE_PREPARE: 'false',
        DATABASE_LISTEN_URL: direct.url as string,
        JWT_SECRET: randomUUID() + randomUUID(),
        PORT: '0',
        HOST: '127.0.0.1',
        DEMO_PASSWORD: PASSWORD,
      };
      for (const name of ['a', 'b']) dataDirs.push(mkdtempSync(join(tmpdir(), `fieldsync-pgbouncer-${name}-`)));
      const instance = (dataDir: string, seed: string) => ({
        ...shared,
        SEED: seed,
        DATA_DIR: dataDir,
        WEB_DIST: join(dataDir, 'no-web-app'),
      });
      [a, b] = (await startAll([instance(dataDirs[0] as string, 'demo'), instance(dataDirs[1] as string, 'none')])) as [
        RunningServer,
        RunningServer,
      ];
      dispatcherToken = await signIn(a.url, 'dispatcher1@example.com', PASSWORD);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await bouncer?.stop();
      await direct?.drop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    });

    test('queries sent at once, with and without parameters, in and out of transactions, all answer through the pooler', async () => {
      // Fewer connections than queries, so each query finds every connection busy with another.
      const pooled = await openDatabase({ url: bouncer.url, prepare: false, maxConnections: 2 });
      const ask = (db: typeof pooled.db, n: number) =>
        db.execute(n % 2 === 0 ? sql.raw(`select ${n} as n`) : sql`select ${n}::int as n`) as unknown as Promise<
          Array<{ n: number }>
        >;
      try {
        const numbers = Array.from({ length: 600 }, (_, n) => n);
        const answers = Promise.all(
          numbers.map(async (n) => {
            if (n % 5 !== 0) return (await ask(pooled.db, n))[0]?.n;
            return pooled.db.transaction(async (tx) => {
              await tx.execute(sql`select pg_advisory_xact_lock(${n})`);
              return (await ask(tx as unknown as typeof pooled.db, n))[0]?.n;
            });
          }),
        );
        expect(await withinDeadline('every query to answer', answers, 10_000)).toEqual(numbers);
      } finally {
        await pooled.close();
      }
    });

    test('both instances started at once, and the migrations ran once', async () => {
      const [ledger] = await query<{ applied: number; distinct: number }>(
        sql`select count(*)::int as applied, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`,
      );
      expect(ledger).toEqual({ applied: MIGRATION_COUNT, distinct: MIGRATION_COUNT });
      for (const server of [a, b]) {
        expect((await timedCall(server.url, 'GET', '/api/health')).json).toMatchObject({
          status: 'ok',
          db: 'postgres',
        });
      }
    });

    test("a push on instance A pokes a contractor's stream on instance B, and B's pull sees the change", async () => {
      const [job] = await query<{ jobId: string }>(sql`
      select a.job_id as "jobId" from assignments a
      join contractors k on k.org_id = a.org_id and k.id = a.contractor_id
      join users u on u.org_id = k.org_id and u.id = k.user_id
      where u.email = 'contractor1@example.com' and a.deleted_at is null
        and a.status in ('pending', 'confirmed', 'in_progress')
      order by a.scheduled_start limit 1`);
      expect(job).toBeDefined();
      const contractorToken = await signIn(b.url, 'contractor1@example.com', PASSWORD);
      const phone = randomUUID();
      const { cursor } = await pullAll(b.url, contractorToken, phone);

      const stream = await openEventStream(b.url, contractorToken);
      expect(stream.status).toBe(200);
      await waitUntil('the stream on B to be ready', () => stream.received.includes('ready'));
      const pokes = () => stream.received.filter((event) => event === 'poke').length;
      const pokesBefore = pokes();

      const body = notePush(job?.jobId as string, 'Pushed on A, to be seen on B.');
      const sentAt = performance.now();
      const pushed = await timedCall(a.url, 'POST', '/api/sync/push', { token: dispatcherToken, body });
      expect(pushed.status).toBe(200);
      expect(pushed.json.results).toEqual([expect.objectContaining({ seq: 1, outcome: 'applied' })]);
      await waitUntil('the poke to reach the stream on B', () => pokes() > pokesBefore);
      const pokeMs = Math.round(performance.now() - sentAt);

      const after = await pullAll(b.url, contractorToken, phone, cursor);
      expect(after.noteIds).toContain(body.mutations[0]?.args.id);
      process.stdout.write(`poke from A reached B ${pokeMs} ms after the push was sent\n`);
      await stream.close();
    });

    test('pushes from many clients in parallel, through both instances and beside pulls, each get exactly one ledger outcome', async () => {
      const jobIds = (await query<{ id: string }>(sql`select id from jobs order by id limit 8`)).map((row) => row.id);
      const pushes = Array.from({ length: PARALLEL_CLIENTS }, (_, client) => ({
        clientId: randomUUID(),
        mutations: Array.from({ length: NOTES_PER_PUSH }, (_, index) => ({
          seq: index + 1,
          name: 'note.add',
          occurredAt: new Date().toISOString(),
          args: { id: randomUUID(), jobId: jobIds[(client + index) % jobIds.length], body: `Note ${client}.${index}` },
        })),
      }));
      const instanceFor = (client: number, round: number) => ((client + round) % 2 === 0 ? a : b);
      // Alongside, what other devices and the load balancer ask at the same moment: pulls and health checks,
      // whose queries outside a transaction share the pooled connections with the pushes.
      const alongside = (round: number) =>
        pushes.flatMap((_, client) => [
          timedCall(instanceFor(client + 1, round).url, 'GET', `/api/sync/pull?clientId=${randomUUID()}&limit=50`, {
            token: dispatcherToken,
          }),
          timedCall(instanceFor(client, round).url, 'GET', '/api/health'),
        ]);
      const send = async (round: number) => {
        const [answers, others] = await Promise.all([
          Promise.all(
            pushes.map((body, client) =>
              timedCall(instanceFor(client, round).url, 'POST', '/api/sync/push', { token: dispatcherToken, body }),
            ),
          ),
          Promise.all(alongside(round)),
        ]);
        expect(others.map((answer) => answer.status)).toEqual(others.map(() => 200));
        return answers;
      };

      const first = await send(0);
      // The same pushes again, each on the other instance: a phone retrying after a lost answer.
      const retried = await send(1);

      for (const answer of first) {
        expect(answer.status).toBe(200);
        expect(answer.json.results.map((result: { outcome: string }) => result.outcome)).toEqual(
          Array(NOTES_PER_PUSH).fill('applied'),
        );
      }
      for (const answer of retried) {
        expect(answer.status).toBe(200);
        expect(answer.json.results.map((result: { outcome: string }) => result.outcome)).toEqual(
          Array(NOTES_PER_PUSH).fill('duplicate'),
        );
      }
      const clientIds = pushes.map((push) => push.clientId);
      const ledger = await query<{ client_id: string; seq: string; outcome: string }>(
        sql`select client_id, seq::text as seq, outcome from mutations
          where client_id in (${sql.join(
            clientIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
      );
      expect(ledger).toHaveLength(PARALLEL_CLIENTS * NOTES_PER_PUSH);
      expect(new Set(ledger.map((row) => `${row.client_id}:${row.seq}`)).size).toBe(ledger.length);
      expect(ledger.every((row) => row.outcome === 'applied')).toBe(true);
      const noteIds = pushes.flatMap((push) => push.mutations.map((mutation) => mutation.args.id));
      const [saved] = await query<{ count: number }>(
        sql`select count(*)::int as count from job_notes where id in (${sql.join(
          noteIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      expect(saved?.count).toBe(noteIds.length);
    });

    test("a throttled alert rule: the throttle's advisory lock holds through the pooler, across instances", async () => {
      const [dispatcher] = await query<{ id: string }>(
        sql`select id from users where email = 'dispatcher1@example.com'`,
      );
      const [job] = await query<{ id: string }>(
        sql`select id from jobs where status = 'scheduled' and deleted_at is null order by id limit 1`,
      );
      expect(job).toBeDefined();
      const ruleId = randomUUID();
      const office = { clientId: randomUUID(), seq: 0 };
      const pushOn = async (server: RunningServer, name: string, args: Record<string, unknown>) => {
        office.seq += 1;
        const body = {
          clientId: office.clientId,
          mutations: [{ seq: office.seq, name, occurredAt: new Date().toISOString(), args }],
        };
        const answer = await timedCall(server.url, 'POST', '/api/sync/push', { token: dispatcherToken, body });
        expect(answer.status).toBe(200);
        expect(answer.json.results).toEqual([expect.objectContaining({ outcome: 'applied' })]);
      };

      await pushOn(a, 'alertRule.create', {
        id: ruleId,
        name: 'Started or paused',
        event: 'job.status_changed',
        conditions: { toStatus: { in: ['in_progress', 'on_hold'] } },
        channels: ['dashboard'],
        recipients: [`user:${dispatcher?.id}`],
        throttleMinutes: 30,
      });
      await pushOn(a, 'job.setStatus', { jobId: job?.id, from: 'scheduled', to: 'in_progress' });
      await pushOn(b, 'job.setStatus', { jobId: job?.id, from: 'in_progress', to: 'on_hold', reason: 'Rain' });

      const deliveries = await query<{ status: string }>(
        sql`select status from alert_deliveries where rule_id = ${ruleId} and entity_id = ${job?.id} order by version`,
      );
      expect(deliveries.map((row) => row.status)).toEqual(['sent', 'throttled']);
    });
  },
);
