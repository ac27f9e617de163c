/**
 * Prometheus metrics (`GET /metrics`, see routes/metrics.ts), with prom-client.
 *
 * One registry per server (`buildDeps` makes it; an app over hand-made deps
 * makes its own), never prom-client's global default registry: tests build
 * several servers in one process, and each must count only its own work.
 *
 * Labels are bounded: route patterns (never raw paths with ids), HTTP method
 * from a fixed list, mutation names from the catalogue (anything else is
 * `unknown`), outcomes from closed sets.
 *
 * Not measured yet: upload bytes — Fieldsync has no uploads so far; add a
 * counter with the upload endpoint.
 */
import { MUTATION_NAMES, type MutationResult, type PullResponse, type PushRequest } from '@fieldsync/protocol';
import { type SQL, sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliverySent } from '../alerts/delivery-worker';
import type { Database } from '../db/database';

/** The route label of a request no route answered (a 404), so scanners cannot make a label per path. */
export const UNMATCHED_ROUTE = 'unmatched';
/** The mutation-name label of a name outside the catalogue. */
export const UNKNOWN_MUTATION = 'unknown';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const KNOWN_MUTATIONS: ReadonlySet<string> = new Set(MUTATION_NAMES);

/** How long one scrape's database look-up may take before Postgres cancels it. */
const SCRAPE_QUERY_TIMEOUT_MS = 1000;

/** Seconds; request latency from 5 ms (a cached answer) to 10 s (a large push on a busy database). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds from an alert being raised to being sent: retries back off from 30 s up to hours. */
const ALERT_LATENCY_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

export type PullOutcome = 'complete' | 'has_more' | 'error';

export interface ServerMetrics {
  readonly registry: Registry;
  /** One answered HTTP request; `route` is the matched route pattern (or UNMATCHED_ROUTE). */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /** A push's mutations with their results, matched by seq. */
  countPush(mutations: PushRequest['mutations'], results: readonly MutationResult[]): void;
  /** A pull's answer (rows and removals sent), or `undefined` when it failed. */
  countPull(answer: PullResponse | undefined): void;
  /** An event stream opened; call the returned function when it ends, however it ends (more calls do nothing). */
  eventStreamOpened(): () => void;
  /** The worker recorded a delivery as sent (its `onSent`). */
  observeAlertSent(sent: DeliverySent): void;
  /** A request failed because the database connection was lost. */
  countDatabaseConnectionError(): void;
  /** Attachment bytes an upload request stored (the offset it moved by). */
  countUploadBytes(bytes: number): void;
  /** Adds Node's process metrics (CPU, memory, event loop, GC); done once, when the endpoint is on. */
  includeProcessMetrics(): void;
}

export function createServerMetrics(database: Database): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];

  const requestDuration = new Histogram({
    name: 'fieldsync_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (for an event stream: until its headers), by route pattern.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const mutations = new Counter({
    name: 'fieldsync_mutations_total',
    help: 'Pushed mutations by name and outcome (applied, conflict, rejected, duplicate).',
    labelNames: ['name', 'outcome'] as const,
    registers,
  });
  const pullRows = new Counter({
    name: 'fieldsync_pull_rows_total',
    help: 'Rows sent by pulls: changed rows and removed ids.',
    labelNames: ['kind'] as const,
    registers,
  });
  const pulls = new Counter({
    name: 'fieldsync_pulls_total',
    help: 'Pulls by outcome: complete, has_more (the client pages on), error.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const eventStreams = new Gauge({
    name: 'fieldsync_sse_connections',
    help: 'Live-update event streams (SSE) open on this instance.',
    registers,
  });
  const alertLatency = new Histogram({
    name: 'fieldsync_alert_delivery_latency_seconds',
    help: 'Time from an alert being raised to its delivery being sent, by channel.',
    labelNames: ['channel'] as const,
    buckets: ALERT_LATENCY_BUCKETS,
    registers,
  });
  const uploadBytes = new Counter({
    name: 'fieldsync_upload_bytes_total',
    help: 'Attachment bytes received and stored by uploads (tus PATCH) on this instance.',
    registers,
  });
  const databaseErrors = new Counter({
    name: 'fieldsync_database_connection_errors_total',
    help: 'Requests that failed because the database connection was lost.',
    registers,
  });
  new Gauge({
    name: 'fieldsync_alert_queue_depth',
    help: 'Alert deliveries waiting to be sent (pending), across all instances; read at scrape time.',
    registers,
    async collect() {
      const count = await countOnScrape(
        database,
        sql`select count(*)::int as count from alert_deliveries
        where status = 'pending'`,
      );
      if (count !== undefined) this.set(count);
    },
  });
  // Embedded PGlite has one connection and no pg_stat_activity worth reading: the gauge is absent there.
  if (database.kind === 'postgres') {
    new Gauge({
      name: 'fieldsync_database_connections',
      help: 'Connections to this database from every client (pg_stat_activity); read at scrape time.',
      registers,
      async collect() {
        const count = await countOnScrape(
          database,
          sql`select count(*)::int as count from pg_stat_activity
          where datname = current_database()`,
        );
        if (count !== undefined) this.set(count);
      },
    });
  }

  let processMetrics = false;
  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      requestDuration.observe({ method: methodLabel(method), route, status: String(status) }, seconds);
    },
    countPush(pushed, results) {
      for (const { name, outcome } of mutationOutcomes(pushed, results)) mutations.inc({ name, outcome });
    },
    countPull(answer) {
      if (!answer) {
        pulls.inc({ outcome: 'error' });
        return;
      }
      pulls.inc({ outcome: answer.hasMore ? 'has_more' : 'complete' });
      pullRows.inc({ kind: 'changed' }, sumLengths(answer.changes));
      pullRows.inc({ kind: 'removed' }, sumLengths(answer.removed));
    },
    eventStreamOpened() {
      eventStreams.inc();
      let open = true;
      return () => {
        if (open) eventStreams.dec();
        open = false;
      };
    },
    observeAlertSent({ channel, raisedAt, sentAt }) {
      alertLatency.observe({ channel }, Math.max(0, (sentAt.getTime() - raisedAt.getTime()) / 1000));
    },
    countDatabaseConnectionError() {
      databaseErrors.inc();
    },
    countUploadBytes(bytes) {
      uploadBytes.inc(bytes);
    },
    includeProcessMetrics() {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry, prefix: 'fieldsync_' });
    },
  };
}

/** Each pushed mutation's name (catalogue names only) with the outcome its result reports. */
export function mutationOutcomes(
  pushed: PushRequest['mutations'],
  results: readonly MutationResult[],
): Array<{ name: string; outcome: MutationResult['outcome'] }> {
  const nameBySeq = new Map(pushed.map((mutation) => [mutation.seq, mutation.name]));
  return results.map((result) => {
    const name = nameBySeq.get(result.seq);
    return { name: name !== undefined && KNOWN_MUTATIONS.has(name) ? name : UNKNOWN_MUTATION, outcome: result.outcome };
  });
}

function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'other';
}

function sumLengths(byTable: Record<string, readonly unknown[] | undefined>): number {
  let total = 0;
  for (const rows of Object.values(byTable)) total += rows?.length ?? 0;
  return total;
}

/**
 * One `count` for a scrape, or `undefined` when the database is down or slow:
 * the gauge then keeps its last value rather than fail the whole scrape
 * (process metrics matter most during an outage). Postgres cancels the query
 * after SCRAPE_QUERY_TIMEOUT_MS, so a scrape never holds a connection long.
 */
async function countOnScrape(database: Database, statement: SQL): Promise<number | undefined> {
  if (!database.isAvailable()) return undefined;
  try {
    const result = await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${SCRAPE_QUERY_TIMEOUT_MS}`));
      return tx.execute(statement);
    });
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ count: number }>;
    return Number(rows[0]?.count ?? 0);
  } catch (error) {
    database.reportFailure(error);
    return undefined;
  }
}
