import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context';

/** How long the health check waits for `select 1` before calling the database down. */
const HEALTH_QUERY_TIMEOUT_MS = 1000;

/**
 * `200 { status: 'ok', db, version }` when the database answers; `503
 * { status: 'degraded', db: 'down' }` when it is known to be unreachable or
 * does not answer within a second, so a load balancer can tell at once.
 */
export function healthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const degraded = () => c.json({ status: 'degraded', db: 'down', version: deps.version }, 503);
    if (!deps.database.isAvailable()) return degraded();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.database.query(sql`select 1`),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('health query timed out')), HEALTH_QUERY_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      // A slow answer under load is not an outage: only a connection failure starts the probe.
      deps.database.reportFailure(error);
      return degraded();
    } finally {
      clearTimeout(timer);
    }
    return c.json({ status: 'ok', db: deps.database.kind, version: deps.version });
  });
}
