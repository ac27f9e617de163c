/**
 * SIGTERM to the real server process (`src/main.ts`) while a push is in
 * flight: new connections are refused at once, the open event stream is
 * closed, the push still commits and answers 200, and the process exits 0.
 *
 * The push is held mid-transaction deterministically: a second session
 * holds the row lock on the job it writes, and lets go only after SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { notePush, openEventStream, signIn, timedCall, waitUntil } from './fault-kit';
import { createPrivateCluster, type PrivateCluster, privateClusterSupported } from './private-postgres';

const serverDir = join(import.meta.dirname, '../../apps/server');
const PASSWORD = 'shutdown-test-password';
/** "Exits with code 0 within a few seconds." */
const EXIT_DEADLINE_MS = 5000;

/** Starts `src/main.ts` and resolves with the URL it prints once it listens. */
function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(join(serverDir, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = output.match(/Fieldsync is running at (http:\/\/\S+)/);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** Whether a new TCP connection to the server's port is refused (a fresh socket, never a pooled one). */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe.skipIf(!privateClusterSupported())('graceful shutdown', () => {
  let cluster: PrivateCluster;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    cluster = await createPrivateCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-shutdown-'));
  });

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM: refuses new connections, closes event streams, finishes the push in flight, exits 0', async () => {
    const started = await startServerProcess({
      DATABASE_URL: cluster.url,
      DATA_DIR: dataDir,
      SEED: 'demo',
      DEMO_PASSWORD: PASSWORD,
      WEB_DIST: join(dataDir, 'no-web-app'),
    });
    child = started.child;
    const { url } = started;
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    const token = await signIn(url, 'dispatcher1@example.com', PASSWORD);
    const admin = postgres(cluster.url, { max: 2, onnotice: () => {} });
    const [job] = await admin<Array<{ id: string }>>`select id from jobs order by id limit 1`;
    const jobId = job?.id as string;

    const stream = await openEventStream(url, token);
    expect(stream.status).toBe(200);
    await waitUntil('the stream to be ready', () => stream.received.includes('ready'));

    const holder = await admin.reserve();
    await holder`begin`;
    await holder`select id from jobs where id = ${jobId} for update`;
    const body = notePush(jobId, 'Written while the server was told to stop.');
    const push = timedCall(url, 'POST', '/api/sync/push', { token, body });
    await waitUntil('the push to wait on the row lock', async () => {
      const [row] = await admin`select count(*)::int as waiting from pg_stat_activity
        where wait_event_type = 'Lock' and application_name = 'fieldsync'`;
      return (row?.waiting ?? 0) > 0;
    });

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await waitUntil('new connections to be refused', () => refusesConnections(url));
    await waitUntil('the event stream to be closed', () => stream.ended);
    expect(child.exitCode).toBeNull();

    await holder`commit`;
    holder.release();
    const answer = await push;
    expect(answer.status).toBe(200);
    expect(answer.json.results).toEqual([expect.objectContaining({ seq: 1, outcome: 'applied' })]);
    const noteId = (body.mutations[0] as { args: { id: string } }).args.id;
    const [saved] = await admin`select count(*)::int as count from job_notes where id = ${noteId}`;
    expect(saved?.count).toBe(1);

    const exitCode = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), EXIT_DEADLINE_MS)),
    ]);
    expect(exitCode).toBe(0);
    process.stdout.write(`exited 0, ${Math.round(performance.now() - signalledAt)} ms after SIGTERM\n`);
    await stream.close();
    await admin.end();
  }, 120_000);
});
