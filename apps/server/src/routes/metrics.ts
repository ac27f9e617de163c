import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorBody } from '@fieldsync/protocol';
import { Hono } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv } from '../http/context';
import type { ServerMetrics } from '../http/metrics';

/**
 * `GET /metrics` in Prometheus text format. With `METRICS_TOKEN` set it
 * answers only `Authorization: Bearer <token>` (401 otherwise); without one
 * the endpoint is off and answers 404, so it is never open by accident.
 */
export function metricsRoutes(metrics: ServerMetrics, token: string | undefined) {
  const routes = new Hono<AppEnv>();
  if (token === undefined) {
    return routes.all('/', (c) =>
      c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } } satisfies ErrorBody, 404),
    );
  }
  metrics.includeProcessMetrics();
  const expected = digest(token);
  return routes.get('/', async (c) => {
    const given = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new ApiError('unauthorized', 'Send the metrics token as a Bearer token.');
    }
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  });
}

/** Compared as SHA-256 digests: equal lengths, so the comparison takes the same time whatever was sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
