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
import { type Availability, trackAvailability } from './availability';
import { isConnectionError } from './connection-errors';
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
  /**
   * Subscribes to a NOTIFY channel; resolves to an unsubscribe function. When
   * the connection drops, the subscription is renewed until it holds again,
   * and `onResumed` is called then: notices sent in between were lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>>;
  /** False from a connection-level failure until a probe reaches the database again. */
  isAvailable(): boolean;
  /**
   * Tells the handle a query failed. A connection-level failure (see
   * `isConnectionError`) marks the database unavailable and starts the probe;
   * answers whether it was one.
   */
  reportFailure(error: unknown): boolean;
  /** PGlite only: its whole data directory as a tarball, to start other databases from (`pgliteImage`). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  /**
   * A direct Postgres URL for LISTEN, when `url` goes through a transaction
   * pooler (PgBouncer), which hands each transaction any server connection
   * and so loses a LISTEN at once. `url` when absent.
   */
  listenUrl?: string | undefined;
  /**
   * False for a transaction pooler (PgBouncer): no prepared statements, and
   * one query at a time on each connection (see `ONE_AT_A_TIME`). Default true.
   */
  prepare?: boolean;
  /** Directory for PGlite's files; `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /**
   * PGlite: start from this data directory (a `dumpDataDir` tarball) instead
   * of an empty one. Tests use it to skip PGlite's initdb and the migrations.
   */
  pgliteImage?: Blob;
  /** Connections in the postgres.js pool. */
  maxConnections?: number;
  /** Told when the database becomes unreachable (false) and reachable again (true). */
  onAvailabilityChange?: (available: boolean) => void;
}

/**
 * Connection settings, chosen rather than inherited from postgres.js (whose
 * defaults wait 30 s for a connection and back off up to 20 s between
 * attempts, which is what made requests hang during an outage).
 */
const POOL_OPTIONS = {
  /** Seconds to open a connection: ample for TLS to a distant server, short enough to give up while the phone waits. */
  connect_timeout: 2,
  /** Seconds before an idle connection is closed, so none goes stale behind a NAT or firewall that drops quiet flows. */
  idle_timeout: 60,
  /** Seconds before a connection is replaced, so a failover or DNS change is picked up. */
  max_lifetime: 30 * 60,
  /** Seconds between reconnect attempts after a failure, growing from 50 ms to at most 0.5 s so recovery is prompt. */
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  /** Seconds of silence before TCP keep-alive probes start on a connection. */
  keep_alive: 30,
} as const;

/** How often an unreachable database is asked whether it is back, and how long each ask may take. */
const PROBE_INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 1000;
/** Pause between attempts to renew a LISTEN after its connection dropped. */
const RELISTEN_INTERVAL_MS = 500;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options)
    : openPglite(options.dataDir ?? './data', options.pgliteImage);
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  // Startup parameters, which PgBouncer also keeps per client and sets on whichever server connection it lends.
  const connection = { TimeZone: 'UTC', application_name: 'fieldsync' };
  const prepare = options.prepare ?? true;
  const listenUrl = options.listenUrl ?? url;
  const openPool = () =>
    postgres(url, {
      ...POOL_OPTIONS,
      max: options.maxConnections ?? 10,
      // Off, postgres.js sends every query unnamed: nothing is left on a server connection for the next transaction.
      prepare,
      onnotice: () => {},
      connection,
    });
  let pool = openPool();
  /** Pools replaced after an outage, finishing what they had started. */
  const retiring = new Set<Promise<void>>();
  /**
   * A new pool once the database is back after an outage. A postgres.js
   * connection that received an error just before its socket closed keeps
   * that error and fails the first query of its next life with it
   * (porsager/postgres#1223): through PgBouncer, after Postgres restarted,
   * a push long after recovery failed with the pooler's old "server login
   * has been failing", and the instance answered 503 again for no outage.
   */
  const renewPool = () => {
    const old = pool;
    pool = openPool();
    // drizzle sets its date and JSON parsers on the client it is given: a throwaway instance sets them on this one.
    drizzlePostgres(pool);
    const ended: Promise<void> = old
      .end({ timeout: 5 })
      .catch(() => {})
      .finally(() => retiring.delete(ended));
    retiring.add(ended);
  };
  const availability = trackAvailability({
    probe: () => probeOnce(url, connection),
    intervalMs: PROBE_INTERVAL_MS,
    timeoutMs: PROBE_TIMEOUT_MS,
    onChange: (up) => {
      if (up) renewPool();
      options.onAvailabilityChange?.(up);
    },
  });
  const listeners = new Set<() => Promise<void>>();
  const driver = withQueryOptions(
    currentPool(() => pool),
    prepare ? PREPARED : ONE_AT_A_TIME,
    () => askArrayTypesOnce(pool),
  );
  const db = drizzlePostgres(driver, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async query<Row>(statement: SQL) {
      return (await db.execute(statement)) as unknown as Row[];
    },
    async listen(channel, onPayload, onResumed) {
      const stop = await listenRenewing(listenUrl, connection, channel, onPayload, onResumed);
      const unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    isAvailable: () => availability.isUp(),
    reportFailure: (error) => reportTo(availability, error),
    async close() {
      availability.stop();
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await Promise.all([pool.end({ timeout: 5 }), ...retiring]);
    },
  };
}

/** Stands for whichever pool is current, so the one drizzle instance goes on working when the pool is replaced. */
function currentPool(current: () => postgres.Sql): postgres.Sql {
  return new Proxy(current(), {
    get(_target, property) {
      const pool = current();
      const value = Reflect.get(pool, property, pool);
      return typeof value === 'function' ? value.bind(pool) : value;
    },
    apply: (_target, thisArg, args) => Reflect.apply(current(), thisArg, args),
  });
}

/** `text[]`: one of the array types postgres.js learns from its catalog query. */
const TEXT_ARRAY_OID = 1009;

/**
 * postgres.js asks for the array types as the first query on every new
 * connection and drops that query's promise: when it fails, only Node hears
 * of it, as an unhandled rejection that ends the process
 * (porsager/postgres#279, #1192). Through PgBouncer it fails on every
 * connection opened while Postgres is down (the pooler accepts the
 * connection, then fails its first query), so an outage would kill the
 * instance (tests/faults/restart-under-load.pg.test.ts). The types are the
 * same on every connection and postgres.js keeps them for the whole pool, so
 * once one connection has them, later ones are told not to ask. Run before
 * each query.
 */
function askArrayTypesOnce(pool: postgres.Sql): void {
  if (pool.options.fetch_types && pool.options.parsers[TEXT_ARRAY_OID] !== undefined) {
    pool.options.fetch_types = false;
  }
}

/**
 * Opens a fresh connection, runs `select 1` and closes it: whether a new
 * connection can be made now is the question, so no pooled state (a socket
 * half noticed as closed, a pending reconnect) can colour the answer.
 */
async function probeOnce(url: string, connection: Record<string, string>): Promise<void> {
  const probe = postgres(url, {
    max: 1,
    connect_timeout: PROBE_TIMEOUT_MS / 1000,
    fetch_types: false,
    onnotice: () => {},
    connection,
  });
  try {
    await probe`select 1`;
  } finally {
    await probe.end({ timeout: 0 });
  }
}

function reportTo(availability: Availability, error: unknown): boolean {
  if (!isConnectionError(error)) return false;
  availability.markDown();
  return true;
}

/**
 * LISTEN on a connection of its own, renewed whenever that connection closes.
 * The NOTIFYs it hears are sent inside the writers' transactions, which is
 * why they may go through a transaction pooler while this may not.
 * (postgres.js's `listen` renews once and gives up silently if the database is
 * still down then, leaving the instance deaf until restart.) Resolves once the
 * first LISTEN holds, to a function that stops listening.
 */
async function listenRenewing(
  url: string,
  connection: Record<string, string>,
  channel: string,
  onPayload: (payload: string) => void,
  onResumed: (() => void) | undefined,
): Promise<() => Promise<void>> {
  let listening = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const statement = `listen "${channel.replaceAll('"', '""')}"`;
  const listener = postgres(url, {
    ...POOL_OPTIONS,
    max: 1,
    // The LISTEN lives as long as its connection: never close it for being idle or old.
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connection,
    onclose: () => {
      listening = false;
      scheduleRenewal();
    },
    // Untyped, but what postgres.js's own `listen` uses to receive notices on its connection.
    ...{
      onnotify: (notifiedChannel: string, payload: string) => {
        if (notifiedChannel === channel) onPayload(payload);
      },
    },
  });

  function scheduleRenewal() {
    if (stopped || retry) return;
    retry = setTimeout(renew, RELISTEN_INTERVAL_MS);
    retry.unref();
  }

  async function renew() {
    retry = undefined;
    if (stopped || listening) return;
    try {
      await listener.unsafe(statement);
      listening = true;
      onResumed?.();
    } catch {
      scheduleRenewal();
    }
  }

  try {
    await listener.unsafe(statement);
  } catch (error) {
    stopped = true;
    await listener.end({ timeout: 0 });
    throw error;
  }
  listening = true;
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await listener.end({ timeout: 1 });
  };
}

async function openPglite(dataDir: string, image?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir, {
    extensions: { btree_gist },
    ...(image ? { loadDataDir: image } : {}),
  });
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
    // Embedded in this process: if it is gone, so are we.
    isAvailable: () => true,
    reportFailure: () => false,
    dumpDataDir: async () => (await client.dumpDataDir('none')) as Blob,
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
 * above the one it registered with (see `changeVersions`).
 */
export function registerChangeWriter(tx: DbOrTx) {
  return tx.execute(sql`select fieldsync_register_writer()`);
}

/**
 * `safe`: the highest version a pull may hand out now: every row at or below
 * it has committed or never will. Ask before the pull's snapshot is taken.
 * `newest`: the newest version the database has handed out to anyone; no
 * cursor it gave can be above it (the safe version may dip below a cursor
 * for a moment, while a writer registers).
 */
export async function changeVersions(db: DbOrTx): Promise<{ safe: number; newest: number }> {
  const result = await db.execute(
    sql`select fieldsync_safe_version() as safe, (select last_value from change_version_seq) as newest`,
  );
  const [row] = rowsOf(result) as Array<{ safe: string | number; newest: string | number }>;
  return { safe: Number(row?.safe ?? 0), newest: Number(row?.newest ?? 0) };
}

/**
 * A list of uuids as one SQL array, from one text parameter: the statement's
 * text (and so its prepared plan) is the same whatever the list's length.
 */
export function uuidArray(ids: Iterable<string>): SQL {
  return sql`string_to_array(${[...ids].join(',')}, ',')::uuid[]`;
}

/** The rows of a raw `execute`: postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
}

/**
 * Direct to Postgres: drizzle sends every query with `prepare: false`, and
 * postgres.js then spends an extra round trip describing each parameterised
 * query before running it. Preparing them instead (postgres.js caches one
 * statement per query text and connection) halves the round trips on the hot
 * push path. Not behind a transaction pooler: a statement prepared on one
 * server connection is missing on the next one the pooler lends.
 */
const PREPARED = { prepare: true };

/**
 * Behind a transaction pooler: no query is sent on a connection before the
 * one ahead of it has answered. With all its connections busy postgres.js
 * would otherwise pipeline the next query behind another, and PgBouncer
 * (1.18 at least) lends the server connection elsewhere as soon as the first
 * query ends: a parameterised query sent behind it never hears back and the
 * connection hangs (tests/faults/pgbouncer.pg.test.ts). `onexecute` is
 * postgres.js's own hook (its `begin` uses it), asked once a query is out on
 * a connection that could take more; false marks that connection full until
 * the query is done.
 */
const ONE_AT_A_TIME = { onexecute: () => false };

/**
 * Adds `added` to the options of every query drizzle sends (all go through
 * `unsafe`), also on the connections handed to transactions and savepoints.
 * `beforeQuery` runs before each query or transaction sent on `client` itself.
 */
function withQueryOptions<T extends object>(client: T, added: object, beforeQuery?: () => void): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) => {
          beforeQuery?.();
          return value.call(target, query, params, { ...options, ...added });
        };
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          beforeQuery?.();
          const callback = args.at(-1) as (inner: object) => unknown;
          return value.apply(target, [
            ...args.slice(0, -1),
            (inner: object) => callback(withQueryOptions(inner, added)),
          ]);
        };
      }
      return value;
    },
  });
}
