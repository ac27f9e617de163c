import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './database';

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

/**
 * Applies every pending migration from `migrations/`. Safe to run on every
 * start: drizzle records what has run in `drizzle.__drizzle_migrations` and
 * applies only the rest, each in a transaction.
 */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, config);
  }
}
