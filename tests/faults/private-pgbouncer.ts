/**
 * A throwaway PgBouncer (Debian's `pgbouncer`) in transaction pooling mode,
 * in front of one database: a generated ini in a temp dir, a free port on
 * 127.0.0.1, run in the foreground as a child process the test stops (and
 * may start again on the same port, as a restart). As root it runs as the
 * `postgres` OS user, since PgBouncer refuses root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort, postgresUser } from './private-postgres';

const BINARY = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
const IN_CI = process.env.CI === 'true';
/** How long PgBouncer may take to accept its first connection. */
const START_DEADLINE_MS = 10_000;
/** How long it may take to exit after SIGTERM before it is killed. */
const STOP_DEADLINE_MS = 5_000;

/**
 * Whether the binary exists. Without it the pooler tests say so loudly and
 * skip; with CI=true they fail instead (`.ci/run` installs it).
 */
export function pgbouncerSupported(): boolean {
  if (existsSync(BINARY)) return true;
  const message = `\n!!! PgBouncer not found at ${BINARY} (apt-get install pgbouncer, or set PGBOUNCER_BIN): pooler tests are SKIPPED !!!\n`;
  if (IN_CI) throw new Error(`${message}CI=true requires it.`);
  process.stderr.write(message);
  return false;
}

/** Where PgBouncer sends its server connections. */
export interface PoolTarget {
  host: string;
  port: number;
  dbname: string;
  user: string;
}

export interface PrivatePgbouncer {
  /** `postgres://<user>@127.0.0.1:<port>/<dbname>`, through the pooler. */
  url: string;
  port: number;
  /**
   * Stops the PgBouncer process (SIGTERM: immediate shutdown, every client
   * connection cut) but keeps its files, so `startProcess` can run a new one.
   */
  stopProcess(): Promise<void>;
  /** Starts a new PgBouncer process on the same port and configuration; resolves once it answers. */
  startProcess(): Promise<void>;
  /** Stops PgBouncer (SIGTERM: immediate shutdown) and deletes its files. */
  stop(): Promise<void>;
}

/** The generated configuration: transaction pooling, few server connections for many clients. */
export function pgbouncerIni(target: PoolTarget, port: number, poolSize: number): string {
  return [
    '[databases]',
    `${target.dbname} = host=${target.host} port=${target.port} dbname=${target.dbname} user=${target.user}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    // No Unix socket: nothing written outside the temp dir.
    'unix_socket_dir =',
    // Any client user is let in and connects as the database entry's user (the shared cluster trusts it).
    'auth_type = any',
    'pool_mode = transaction',
    'max_client_conn = 1000',
    `default_pool_size = ${poolSize}`,
    'reserve_pool_size = 0',
    // Clients queue for a server connection rather than fail, for as long as a slow test run needs.
    'query_wait_timeout = 60',
    // After a failed server login PgBouncer waits this long before trying again (default 15 s): a
    // Postgres back from a restart is found within a second, not a quarter of a minute later.
    'server_login_retry = 1',
    '',
  ].join('\n');
}

export async function startPgbouncer(target: PoolTarget, options: { poolSize: number }): Promise<PrivatePgbouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldsync-pgbouncer-'));
  const port = await freePort();
  const iniPath = join(dir, 'pgbouncer.ini');
  writeFileSync(iniPath, pgbouncerIni(target, port, options.poolSize));
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (runAs) {
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(iniPath, runAs.uid, runAs.gid);
  }
  const url = `postgres://${target.user}@127.0.0.1:${port}/${target.dbname}`;
  let running: RunningPgbouncer | undefined;
  const launch = async () => {
    if (running && !running.gone()) throw new Error('pgbouncer is already running');
    running = await runPgbouncer(iniPath, url, runAs);
  };
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await launch();
  } catch (error) {
    remove();
    throw error;
  }
  return {
    url,
    port,
    stopProcess: async () => running?.stop(),
    startProcess: launch,
    async stop() {
      await running?.stop();
      remove();
    },
  };
}

interface RunningPgbouncer {
  gone(): boolean;
  stop(): Promise<void>;
}

/** Spawns one PgBouncer process on `iniPath` and waits until it answers; stops it again if it never does. */
async function runPgbouncer(
  iniPath: string,
  url: string,
  runAs: { uid: number; gid: number } | undefined,
): Promise<RunningPgbouncer> {
  const child = spawn(BINARY, [iniPath], { stdio: ['ignore', 'pipe', 'pipe'], ...runAs });
  let output = '';
  const keep = (data: Buffer) => {
    output = (output + data.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => stopChild(child, exited);
  try {
    await waitForConnections(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gone: () => child.exitCode !== null || child.signalCode !== null, stop };
}

/** Polls `select 1` through the pooler until it answers; fails early if PgBouncer exits. */
async function waitForConnections(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + START_DEADLINE_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${output()}`);
    const probe = postgres(url, { max: 1, connect_timeout: 1, prepare: false, fetch_types: false, onnotice: () => {} });
    try {
      await probe`select 1`;
      return;
    } catch (error) {
      if (performance.now() > deadline) {
        throw new Error(`pgbouncer did not answer within ${START_DEADLINE_MS} ms (${error}):\n${output()}`);
      }
    } finally {
      await probe.end({ timeout: 0 });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
  await exited;
  clearTimeout(killer);
}
