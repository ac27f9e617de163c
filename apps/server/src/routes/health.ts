import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context';

export function healthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await deps.database.query(sql`select 1`);
    return c.json({ status: 'ok', db: deps.database.kind, version: deps.version });
  });
}
