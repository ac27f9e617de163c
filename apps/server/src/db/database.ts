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
  const db = drizzlePostgres(preparingStatements(client), { schema, casing: 'snake_case' }) as unknown as Db;
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
 * Registers the transaction as a writer of synced rows. Every writer calls it
 * before its first write: until it ends, pulls hand out no version at or
 * above the one it registered with (see `safeChangeVersion`).
 */
export function registerChangeWriter(tx: DbOrTx) {
  return tx.execute(sql`select fieldsync_register_writer()`);
}

/**
 * The highest version a pull may hand out now: every row at or below it has
 * committed or never will. Ask before the pull's snapshot is taken.
 */
export async function safeChangeVersion(db: DbOrTx): Promise<number> {
  const result = await db.execute(sql`select fieldsync_safe_version() as version`);
  const rows = rowsOf(result) as Array<{ version: string | number }>;
  return Number(rows[0]?.version ?? 0);
}

/** The rows of a raw `execute`: postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
}

/**
 * drizzle sends every query with `prepare: false`, and postgres.js then spends
 * an extra round trip describing each parameterised query before running it.
 * Preparing them instead (postgres.js caches one statement per query text and
 * connection) halves the round trips on the hot push path. The wrapper also
 * covers the connections handed to transactions and savepoints.
 */
function preparingStatements<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) =>
          value.call(target, query, params, { ...options, prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const callback = args.at(-1) as (inner: object) => unknown;
          return value.apply(target, [...args.slice(0, -1), (inner: object) => callback(preparingStatements(inner))]);
        };
      }
      return value;
    },
  });
}
