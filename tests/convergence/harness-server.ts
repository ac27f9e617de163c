/**
 * The real sync server for the convergence harness: a fresh migrated database
 * with the demo company, the real Hono app, listening on a real port. It can
 * be restarted mid-run on the same database (Postgres: a new connection pool;
 * PGlite: the same instance, as a restarted process would reopen its data dir).
 */
import type { AddressInfo } from 'node:net';
import { buildDeps, createApp, type Database, hashPassword, openDatabase, seedDemoCompany } from '@fieldsync/server';
import { createTestDatabase, TEST_PASSWORD } from '@fieldsync/server/testing';
import { serve } from '@hono/node-server';
import pino from 'pino';

type DatabaseKind = Database['kind'];

const SIGNING_KEY = new TextEncoder().encode('convergence-signing-key-that-is-long-enough-0123456789');
const ENV = {
  ACCESS_TOKEN_TTL_SECONDS: 900,
  REFRESH_TOKEN_TTL_DAYS: 30,
  LOGIN_MAX_FAILURES: 50,
  LOGIN_WINDOW_MINUTES: 15,
};

/** A clock shared by the server and (with a skew each) the devices; the harness moves it. */
export interface HarnessClock {
  now(): number;
  /** The server's reading: one millisecond later each time, so `recorded_at` follows commit order. */
  tick(): number;
  advance(ms: number): void;
}

export function harnessClock(start = Date.parse('2026-11-21T15:00:00Z')): HarnessClock {
  let current = start;
  return {
    now: () => current,
    tick: () => ++current,
    advance(ms) {
      current += ms;
    },
  };
}

export interface HarnessServer {
  kind: DatabaseKind;
  /** Base URL of the running instance (changes on restart). */
  url(): string;
  database(): Database;
  restart(): Promise<void>;
  close(): Promise<void>;
  restarts: number;
}

type Listening = { url: string; stop(): Promise<void> };

async function listen(database: Database, clock: HarnessClock): Promise<Listening> {
  const deps = await buildDeps(database, ENV, {
    signingKey: SIGNING_KEY,
    logger: pino({ level: 'error' }),
    now: () => new Date(clock.tick()),
  });
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.changes.close();
    },
  };
}

export async function startHarnessServer(kind: DatabaseKind, clock: HarnessClock): Promise<HarnessServer> {
  const testDb = await createTestDatabase(kind);
  await seedDemoCompany(testDb.database.db, {
    passwordHash: await hashPassword(TEST_PASSWORD),
    now: new Date(clock.now()),
  });
  let database = testDb.database;
  let running = await listen(database, clock);
  const harness: HarnessServer = {
    kind,
    restarts: 0,
    url: () => running.url,
    database: () => database,
    async restart() {
      await running.stop();
      if (testDb.url) {
        // A new process: new pool, same Postgres database.
        const previous = database;
        database = await openDatabase({ url: testDb.url, maxConnections: 10 });
        if (previous !== testDb.database) await previous.close();
      }
      running = await listen(database, clock);
      harness.restarts++;
    },
    async close() {
      await running.stop();
      if (database !== testDb.database) await database.close();
      await testDb.drop();
    },
  };
  return harness;
}
