/**
 * Shared set-up for the benchmarks: a fresh Postgres database with an empty
 * organisation and a dispatcher, the real server on a real port, and small
 * statistics helpers. Benchmarks print figures; they never assert timings.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_SCORING_SETTINGS } from '@fieldsync/domain';
import { buildDeps, createApp, hashPassword, schema } from '@fieldsync/server';
import { createTestDatabase } from '@fieldsync/server/testing';
import { serve } from '@hono/node-server';
import pino from 'pino';

export const BENCH_PASSWORD = 'bench-password-123';

export async function startBenchServer() {
  const testDb = await createTestDatabase('postgres');
  const { db } = testDb.database;
  const orgId = randomUUID();
  const dispatcherId = randomUUID();
  await db
    .insert(schema.organizations)
    .values({ id: orgId, name: 'Bench Co', timeZone: 'America/Denver', settings: DEFAULT_SCORING_SETTINGS });
  await db.insert(schema.users).values({
    orgId,
    id: dispatcherId,
    email: `dispatcher-${orgId.slice(0, 8)}@bench.example`,
    name: 'Bench Dispatcher',
    role: 'dispatcher',
    passwordHash: await hashPassword(BENCH_PASSWORD),
  });
  const deps = await buildDeps(
    testDb.database,
    { ACCESS_TOKEN_TTL_SECONDS: 3600, REFRESH_TOKEN_TTL_DAYS: 1, LOGIN_MAX_FAILURES: 100, LOGIN_WINDOW_MINUTES: 1 },
    {
      signingKey: new TextEncoder().encode('bench-signing-key-that-is-long-enough-0123456789'),
      logger: pino({ level: 'silent' }),
      now: () => new Date(),
    },
  );
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `dispatcher-${orgId.slice(0, 8)}@bench.example`, password: BENCH_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    url,
    orgId,
    dispatcherId,
    accessToken,
    database: testDb.database,
    /** A raw postgres.js client on the same database, for baselines. */
    databaseUrl: testDb.url as string,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.changes.close();
      await testDb.drop();
    },
  };
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
