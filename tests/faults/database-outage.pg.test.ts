/**
 * The database goes away under a running server and comes back: requests
 * must fail fast with `503 db_unavailable` and `Retry-After`, health must
 * say `degraded`, a push stuck mid-transaction must answer too, and the
 * server must recover by itself, live updates included.
 *
 * Runs against a private cluster the test stops and starts (never the
 * shared one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, type RunningServer, startServer } from '@fieldsync/server';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type EventStreamReader,
  notePush,
  openEventStream,
  signIn,
  type TimedAnswer,
  timedCall,
  waitUntil,
} from './fault-kit';
import { createPrivateCluster, type PrivateCluster, privateClusterSupported } from './private-postgres';

/** The bound for an answer while the database is down. */
const FAST_FAIL_MS = 1000;
/** "Recovers by itself within a few seconds." */
const RECOVERY_MS = 5000;
const PASSWORD = 'outage-test-password';

function expectDbUnavailable(answer: TimedAnswer) {
  expect(answer.status).toBe(503);
  expect(answer.json).toMatchObject({ error: { code: 'db_unavailable', message: expect.any(String) } });
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(answer.ms).toBeLessThanOrEqual(FAST_FAIL_MS);
}

describe.skipIf(!privateClusterSupported())('database outage', () => {
  let cluster: PrivateCluster;
  let server: RunningServer;
  let dataDir: string;
  let token: string;
  let jobIds: string[];

  beforeAll(async () => {
    cluster = await createPrivateCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-outage-'));
    server = await startServer(
      loadEnv({
        DATABASE_URL: cluster.url,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        SEED: 'demo',
        DEMO_PASSWORD: PASSWORD,
        WEB_DIST: join(dataDir, 'no-web-app'),
      }),
      { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) },
    );
    token = await signIn(server.url, 'dispatcher1@example.com', PASSWORD);
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    jobIds = (await admin<Array<{ id: string }>>`select id from jobs order by id limit 3`).map((row) => row.id);
    await admin.end();
  });

  afterAll(async () => {
    await server?.close();
    cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('health is ok while the database answers', async () => {
    const health = await timedCall(server.url, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', db: 'postgres' });
  });

  test('a push waiting on a row lock when the database dies answers 503 at once', async () => {
    const jobId = jobIds[0] as string;
    // A second session holds the job's row lock, so the push is mid-transaction when the cluster dies.
    const locker = postgres(cluster.url, { max: 2, onnotice: () => {} });
    const holder = await locker.reserve();
    await holder`begin`;
    await holder`select id from jobs where id = ${jobId} for update`;
    const push = timedCall(server.url, 'POST', '/api/sync/push', { token, body: notePush(jobId) });
    await waitUntil('the push to wait on the row lock', async () => {
      const [row] = await locker`select count(*)::int as waiting from pg_stat_activity
        where wait_event_type = 'Lock' and application_name = 'fieldsync'`;
      return (row?.waiting ?? 0) > 0;
    });

    const stoppedAt = performance.now();
    cluster.stopImmediately();
    const answer = await push;
    const sinceStop = performance.now() - stoppedAt;
    holder.release();
    await locker.end({ timeout: 0 }).catch(() => {});

    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: { code: 'db_unavailable' } });
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(sinceStop).toBeLessThanOrEqual(FAST_FAIL_MS);
    process.stdout.write(
      `push stuck mid-transaction answered ${answer.status} ${Math.round(sinceStop)} ms after the stop\n`,
    );

    cluster.start();
    await waitUntil(
      'health to be ok again',
      async () => (await timedCall(server.url, 'GET', '/api/health')).status === 200,
      RECOVERY_MS,
    );
  });

  test('down: 503 db_unavailable fast for push and pull, health degraded; back: recovers by itself, live updates too', async () => {
    const stream: EventStreamReader = await openEventStream(server.url, token);
    expect(stream.status).toBe(200);
    await waitUntil('the stream to be ready', () => stream.received.includes('ready'));

    cluster.stopImmediately();

    // The first request finds the outage (its connection attempt is refused); later ones are turned
    // away before touching the pool.
    const push = await timedCall(server.url, 'POST', '/api/sync/push', { token, body: notePush(jobIds[1] as string) });
    expectDbUnavailable(push);
    const pull = await timedCall(server.url, 'GET', `/api/sync/pull?clientId=${notePush('x').clientId}&limit=5`, {
      token,
    });
    expectDbUnavailable(pull);
    const health = await timedCall(server.url, 'GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: 'degraded', db: 'down' });
    expect(health.ms).toBeLessThanOrEqual(FAST_FAIL_MS);
    const secondPush = await timedCall(server.url, 'POST', '/api/sync/push', {
      token,
      body: notePush(jobIds[1] as string),
    });
    expectDbUnavailable(secondPush);
    process.stdout.write(
      `database down: push ${Math.round(push.ms)} ms, pull ${Math.round(pull.ms)} ms, health ${Math.round(health.ms)} ms, next push ${Math.round(secondPush.ms)} ms\n`,
    );

    const restartedAt = performance.now();
    cluster.start();
    await waitUntil(
      'health to be ok again',
      async () => (await timedCall(server.url, 'GET', '/api/health')).status === 200,
      RECOVERY_MS,
    );
    process.stdout.write(`healthy again ${Math.round(performance.now() - restartedAt)} ms after the restart\n`);

    // The LISTEN is renewed too: the stream is poked once it holds (notices may have been missed),
    // and again for a push committed after that.
    await waitUntil('the renewed LISTEN to poke the stream', () => stream.received.includes('poke'), RECOVERY_MS);
    const pokesBefore = stream.received.filter((event) => event === 'poke').length;
    const after = await timedCall(server.url, 'POST', '/api/sync/push', { token, body: notePush(jobIds[2] as string) });
    expect(after.status).toBe(200);
    expect(after.json.results[0]).toMatchObject({ outcome: 'applied' });
    await waitUntil(
      'a poke for the push after recovery',
      () => stream.received.filter((event) => event === 'poke').length > pokesBefore,
    );
    expect(stream.ended).toBe(false);
    await stream.close();
  });
});
