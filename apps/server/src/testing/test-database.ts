/**
 * Databases for tests: a fresh Postgres database per call on the server at
 * 127.0.0.1:5432 (or TEST_DATABASE_URL), and a fresh in-memory PGlite.
 * Test-only, so it reads its own two variables rather than going through env.ts.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { type Database, type DatabaseKind, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = process.env.CI === 'true';

let reachable: Promise<boolean> | undefined;

async function postgresReachable(): Promise<boolean> {
  const client = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 });
  }
}

/**
 * The database kinds to run a suite against: always PGlite, and Postgres when
 * it answers. Without Postgres the suite says so loudly, and in CI it fails.
 */
export async function databaseKindsUnderTest(): Promise<DatabaseKind[]> {
  reachable ??= postgresReachable();
  if (await reachable) return ['postgres', 'pglite'];
  const message = `\n!!! PostgreSQL is not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}: Postgres tests are SKIPPED (PGlite only) !!!\n`;
  if (IN_CI) throw new Error(`${message}CI=true requires a real Postgres.`);
  process.stderr.write(message);
  return ['pglite'];
}

export interface TestDatabase {
  database: Database;
  /** Connection URL (Postgres only), for opening a second "instance". */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database of the given kind. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (options.migrate !== false) await migrate(database);
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `fieldsync_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), maxConnections: 20 });
  if (options.migrate !== false) await migrate(database);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}
