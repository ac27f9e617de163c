import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { createAuthService } from './auth/auth-service';
import { loadSigningKey } from './auth/signing-key';
import { type Database, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import type { Env } from './env';
import { createApp } from './http/app';
import type { ServerDeps } from './http/context';
import { seedIfEmpty } from './seed/seed';
import { createChangeHub } from './sync/change-hub';
import { createPullService } from './sync/pull-service';
import { createPushService } from './sync/push-service';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_VERSION: string = JSON.parse(readFileSync(join(here, '../package.json'), 'utf8')).version;

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  deps: ServerDeps;
  /** Demo password when this start seeded the database. */
  seededPassword: string | undefined;
  close(): Promise<void>;
}

/** Opens the database, migrates, seeds, and serves API + web app: what `npm start` does. */
export async function startServer(
  env: Env,
  overrides: { logger?: Logger; now?: () => Date } = {},
): Promise<RunningServer> {
  const logger =
    overrides.logger ?? pino({ level: env.LOG_LEVEL, redact: ['*.password', '*.refreshToken', '*.accessToken'] });
  const now = overrides.now ?? (() => new Date());
  const dataDir = resolve(env.DATA_DIR);
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: join(dataDir, 'pglite') });
  await migrate(database);
  const seededPassword =
    env.SEED === 'demo'
      ? await seedIfEmpty(database.db, { password: env.DEMO_PASSWORD, now: now(), logger })
      : undefined;

  const signingKey = loadSigningKey(env.JWT_SECRET, dataDir);
  const deps = await buildDeps(database, env, { signingKey, logger, now });
  const app = createApp(deps, { webDist: env.WEB_DIST ?? join(here, '../../web/dist') });

  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });
  await new Promise<void>((resolveListening) => server.once('listening', () => resolveListening()));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, db: database.kind }, 'Fieldsync is running');

  return {
    url,
    port,
    database,
    deps,
    seededPassword,
    async close() {
      // Open event streams would otherwise hold the server open.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolveClosed) => server.close(() => resolveClosed()));
      await deps.changes.close();
      await database.close();
    },
  };
}

export async function buildDeps(
  database: Database,
  env: Pick<Env, 'ACCESS_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_TTL_DAYS' | 'LOGIN_MAX_FAILURES' | 'LOGIN_WINDOW_MINUTES'>,
  parts: { signingKey: Uint8Array; logger: Logger; now: () => Date; heartbeatMs?: number },
): Promise<ServerDeps> {
  const auth = createAuthService(
    database.db,
    {
      signingKey: parts.signingKey,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginWindowMinutes: env.LOGIN_WINDOW_MINUTES,
    },
    parts.now,
  );
  return {
    database,
    auth,
    push: createPushService(database.db, parts.now),
    pull: createPullService(database.db, parts.now),
    changes: await createChangeHub(database),
    ...parts,
    version: SERVER_VERSION,
  };
}
