/**
 * Shared set-up for the benchmarks: a fresh Postgres database with an empty
 * organisation and a dispatcher, the real server in its own process (or several
 * on the one database), and small statistics helpers. Benchmarks print
 * figures; they never assert timings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, schema } from '@fieldsync/server';
import { createTestDatabase } from '@fieldsync/server/testing';

export const BENCH_PASSWORD = 'bench-password-123';

export interface BenchServerOptions {
  /**
   * Server processes started on the one database (default 1), one after the
   * other so migrations never race. Each runs its own alert delivery worker,
   * as several instances behind a load balancer would.
   */
  instances?: number;
  /** Extra environment for every process (e.g. `WEBHOOK_ALLOW_PRIVATE`). */
  env?: Record<string, string>;
}

/**
 * A fresh Postgres database with one organisation and a dispatcher, and the
 * server started as its own process (`src/main.ts`, as in production), so the
 * load generator in this process does not share the server's event loop.
 */
export async function startBenchServer(options: BenchServerOptions = {}) {
  const testDb = await createTestDatabase('postgres');
  const { db } = testDb.database;
  const orgId = randomUUID();
  const dispatcherId = randomUUID();
  const email = `dispatcher-${orgId.slice(0, 8)}@bench.example`;
  await db.insert(schema.organizations).values({ id: orgId, name: 'Bench Co', timeZone: 'America/Denver' });
  await db.insert(schema.users).values({
    orgId,
    id: dispatcherId,
    email,
    name: 'Bench Dispatcher',
    role: 'dispatcher',
    passwordHash: await hashPassword(BENCH_PASSWORD),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-bench-'));
  const processes: ChildProcess[] = [];
  const urls: string[] = [];
  for (let instance = 0; instance < (options.instances ?? 1); instance++) {
    const { child, url } = await spawnServer({ ...options.env, DATABASE_URL: testDb.url as string, DATA_DIR: dataDir });
    processes.push(child);
    urls.push(url);
  }
  const url = urls[0] as string;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    url,
    /** Every instance's address (`url` is the first). */
    urls,
    orgId,
    dispatcherId,
    accessToken,
    database: testDb.database,
    /** A raw postgres.js client on the same database, for baselines. */
    databaseUrl: testDb.url as string,
    /** The server processes' ids (each with its children: `tsx` runs the server in one). */
    serverPids: processes.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    async close() {
      await Promise.all(processes.map(stopServer));
      rmSync(dataDir, { recursive: true, force: true });
      await testDb.drop();
    },
  };
}

/** One server process (`src/main.ts`); resolves with its address once it listens. */
export async function spawnServer(env: Record<string, string>) {
  const serverDir = join(import.meta.dirname, '../../apps/server');
  const child = spawn(join(serverDir, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED: 'none',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'bench-signing-key-that-is-long-enough-0123456789',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = output.match(/running at http:\/\/localhost:(\d+)/);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}: ${output}`)));
  });
  return { child, url };
}

export function stopServer(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export function writeResult(name: string, result: unknown) {
  const dir = join(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export const fmt = (value: number, digits = 1) => value.toFixed(digits);

/**
 * CPU time (user + system, ms) used so far by these processes and all their
 * descendants, and by every `postgres` process on the machine (the database
 * does its share of the work in its backends). Read from Linux's `/proc`;
 * elsewhere both are 0.
 */
export function cpuMsSoFar(rootPids: readonly number[]): { processes: number; postgres: number } {
  const ticksToMs = 10; // USER_HZ is 100 on Linux
  const stats: Array<{ pid: number; ppid: number; comm: string; ms: number }> = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { processes: 0, postgres: 0 };
  }
  for (const pid of entries) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // After the name: state, ppid, …; utime and stime are fields 14 and 15 of the whole line.
      stats.push({
        pid: Number(pid),
        ppid: Number(fields[1]),
        comm,
        ms: (Number(fields[11]) + Number(fields[12])) * ticksToMs,
      });
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = new Set(rootPids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) {
        inTree.add(stat.pid);
        grew = true;
      }
    }
  }
  const sum = (keep: (stat: (typeof stats)[number]) => boolean) =>
    stats.filter(keep).reduce((total, stat) => total + stat.ms, 0);
  return { processes: sum((stat) => inTree.has(stat.pid)), postgres: sum((stat) => stat.comm === 'postgres') };
}
