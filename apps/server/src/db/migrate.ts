import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { pgErrorCode } from '../sync/pg-error-code';
import type { Database } from './database';

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

/** Attempts before giving up when other instances migrate at the same moment. */
const MIGRATE_ATTEMPTS = 10;
const MIGRATE_RETRY_MS = 250;

/**
 * Applies every pending migration from `migrations/`. Safe to run on every
 * start: drizzle records what has run in `drizzle.__drizzle_migrations` and
 * applies only the rest, in a transaction.
 *
 * Several instances starting at once race: the loser's transaction waits on
 * the winner's and then fails on what the winner created (a duplicate table
 * or key). It is rolled back whole, so the loser tries again and finds
 * nothing left to do. No advisory lock: a session-level one would not hold
 * behind a transaction pooler.
 */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  for (let attempt = 1; ; attempt++) {
    try {
      if (database.kind === 'pglite') {
        await migratePglite(database.db as unknown as PgliteDatabase, config);
      } else {
        await migratePostgres(database.db as unknown as PostgresJsDatabase, config);
      }
      return;
    } catch (error) {
      if (database.kind === 'pglite' || attempt >= MIGRATE_ATTEMPTS || !isConcurrentMigration(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, MIGRATE_RETRY_MS * attempt));
    }
  }
}

/** What another instance's migration, committed while this one ran, makes this one fail with. */
function isConcurrentMigration(error: unknown): boolean {
  // unique_violation (e.g. pg_type for a table created twice), duplicate_table/object/function, deadlock.
  const code = pgErrorCode(error);
  return code === '23505' || code === '42P07' || code === '42710' || code === '42723' || code === '40P01';
}
