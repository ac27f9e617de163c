/**
 * Databases for tests: a fresh Postgres database per call on the server at
 * 127.0.0.1:5432 (or TEST_DATABASE_URL), and a fresh in-memory PGlite.
 * Test-only, so it reads its own two variables rather than going through env.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { type Database, type DatabaseKind, openDatabase } from '../db/database';
import { MIGRATIONS_FOLDER, migrate } from '../db/migrate';

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

/**
 * A migrated PGlite data directory, made once per set of migrations and kept
 * in the temp directory for every test file (and run) after: a PGlite started
 * from it skips initdb and the migrations, about 2.5 s of each database's 3.5.
 * Written to a temp name and renamed, so a file reading it never sees half of it.
 */
async function migratedPgliteImage(): Promise<Blob> {
  const path = join(tmpdir(), `fieldsync-pglite-migrated-${migrationsFingerprint()}.tar`);
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    const image = (await database.dumpDataDir?.()) as Blob;
    await database.close();
    const partial = `${path}.${randomUUID()}`;
    writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
    renameSync(partial, path);
    return image;
  }
}

/** Changes whenever a migration is added or edited, or PGlite (whose files these are) is upgraded. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256').update(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    if (!file.endsWith('.sql') && !file.endsWith('.json')) continue;
    hash.update(file).update(readFileSync(join(MIGRATIONS_FOLDER, file)));
  }
  return hash.digest('hex').slice(0, 16);
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
    const database =
      options.migrate === false
        ? await openDatabase({ dataDir: 'memory://' })
        : await openDatabase({ dataDir: 'memory://', pgliteImage: await migratedPgliteImage() });
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
