/**
 * One database handle for both drivers: postgres.js against a real server when
 * a URL is given, embedded PGlite otherwise. Everything above this module sees
 * the same drizzle API; only this file and `migrate.ts` import a driver.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; the same query API as `Db`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type DatabaseKind = 'postgres' | 'pglite';

/** Channel for "something committed in org X" notifications (payload: org id). */
export const CHANGES_CHANNEL = 'fieldsync_changes';

export interface Database {
  kind: DatabaseKind;
  db: Db;
  /** Runs raw SQL and returns its rows, whichever the driver. */
  query<Row = Record<string, unknown>>(statement: SQL): Promise<Row[]>;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  /** Directory for PGlite's files; `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /** Connections in the postgres.js pool. */
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.maxConnections ?? 10)
    : openPglite(options.dataDir ?? './data');
}

function openPostgres(url: string, maxConnections: number): Database {
  const client = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    connection: { TimeZone: 'UTC' },
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async query<Row>(statement: SQL) {
      return (await db.execute(statement)) as unknown as Row[];
    },
    async listen(channel, onPayload) {
      const subscription = await client.listen(channel, onPayload);
      return () => subscription.unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir, { extensions: { btree_gist } });
  await client.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async query<Row>(statement: SQL) {
      const result = (await db.execute(statement)) as unknown as { rows: Row[] };
      return result.rows;
    },
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/** Notifies listeners on every instance, on commit, that an organisation's data changed. */
export function notifyOrgChanged(tx: DbOrTx, orgId: string) {
  return tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${orgId})`);
}

/**
 * Takes the organisation's change lock until the transaction ends. Every
 * writer of synced rows holds it while its rows get their versions and while
 * it commits, so versions follow commit order within an organisation.
 */
export function lockOrgChanges(tx: DbOrTx, orgId: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}, 0))`);
}
