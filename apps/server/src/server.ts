import { readFileSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@fieldsync/domain';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { createDeliveryWorker } from './alerts/delivery-worker';
import { createAlertScheduler } from './alerts/scheduler';
import { createDeliverySenders } from './alerts/senders';
import { generateVapidKeys, loadVapidKeys, type VapidKeys } from './alerts/vapid-keys';
import { createApp } from './app';
import { createAuthService } from './auth/auth-service';
import { loadSigningKey } from './auth/signing-key';
import { createInviteLinks } from './company/invite-links';
import { createSmtpMailer, type Mailer } from './company/mailer';
import { type Database, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import type { Env } from './env';
import type { ServerDeps } from './http/context';
import { createServerMetrics } from './http/metrics';
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
    overrides.logger ??
    pino({
      level: env.LOG_LEVEL,
      redact: ['*.password', '*.currentPassword', '*.newPassword', '*.refreshToken', '*.accessToken', '*.token'],
    });
  const now = overrides.now ?? (() => new Date());
  const dataDir = resolve(env.DATA_DIR);
  const database = await openDatabase({
    url: env.DATABASE_URL,
    listenUrl: env.DATABASE_LISTEN_URL,
    prepare: env.DATABASE_PREPARE === 'true',
    dataDir: join(dataDir, 'pglite'),
    onAvailabilityChange: (available) =>
      available ? logger.info('database reachable again') : logger.error('database unreachable: answering 503'),
  });
  await migrate(database);
  const seededPassword =
    env.SEED === 'demo'
      ? await seedIfEmpty(database.db, { password: env.DEMO_PASSWORD, now: now(), logger })
      : undefined;

  const signingKey = loadSigningKey(env.JWT_SECRET, dataDir);
  const vapidKeys = loadVapidKeys({ publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }, dataDir);
  const deps = await buildDeps(database, env, { signingKey, logger, now, vapidKeys });
  const scheduler = createAlertScheduler(database.db, {
    now,
    logger,
    intervalMs: env.ALERT_SCHEDULER_INTERVAL_MS,
    onRaised: () => deps.alerts.worker.kick(),
  });
  const app = createApp(deps, {
    webDist: env.WEB_DIST ?? join(here, '../../web/dist'),
    metricsToken: env.METRICS_TOKEN,
  });

  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }) as Server;
  const drain = drainOnClose(server);
  await new Promise<void>((resolveListening) => server.once('listening', () => resolveListening()));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, db: database.kind }, 'Fieldsync is running');
  deps.alerts.worker.start();
  scheduler.start();

  return {
    url,
    port,
    database,
    deps,
    seededPassword,
    async close() {
      await drain(SHUTDOWN_GRACE_MS);
      // After the requests, before the database: a delivery being sent is recorded, not cut off.
      await scheduler.stop();
      await deps.alerts.worker.stop();
      await deps.changes.close();
      await database.close();
      logger.info('Fieldsync stopped');
    },
  };
}

/** How long a shutdown waits for requests in flight before cutting them off. */
const SHUTDOWN_GRACE_MS = 10_000;
const EVENTS_PATH = '/api/sync/events';

/**
 * Graceful close for the HTTP server: the returned function stops accepting
 * connections, ends the event streams (they never finish on their own; the
 * app reconnects elsewhere or later), lets requests in flight — a push
 * mid-transaction — finish and answer, and closes each connection as its
 * last answer goes out. Past `graceMs` whatever is left is cut.
 */
function drainOnClose(server: Server) {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (closing) response.setHeader('Connection', 'close');
  });
  return async (graceMs: number) => {
    closing = true;
    const closed = new Promise<void>((resolveClosed) => server.close(() => resolveClosed()));
    for (const response of inFlight) {
      if (new URL(response.req.url ?? '/', 'http://local').pathname === EVENTS_PATH) response.destroy();
      else if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    // Keep-alive connections between requests would otherwise hold the server open until they time out.
    server.closeIdleConnections();
    const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(cutOff);
  };
}

export async function buildDeps(
  database: Database,
  env: Pick<
    Env,
    'ACCESS_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_TTL_DAYS' | 'LOGIN_MAX_FAILURES' | 'LOGIN_WINDOW_MINUTES'
  > &
    Partial<
      Pick<
        Env,
        | 'SIGNUP'
        | 'SMTP_URL'
        | 'MAIL_FROM'
        | 'PUBLIC_URL'
        | 'WEBHOOK_ALLOW_PRIVATE'
        | 'ALERT_RETRY_BASE_MS'
        | 'ALERT_MAX_ATTEMPTS'
        | 'VAPID_PUBLIC_KEY'
        | 'VAPID_PRIVATE_KEY'
        | 'VAPID_SUBJECT'
        | 'TRUSTED_PROXIES'
        | 'MAX_UPLOAD_BYTES'
      >
    >,
  parts: {
    signingKey: Uint8Array;
    logger: Logger;
    now: () => Date;
    heartbeatMs?: number;
    /** Replaces the SMTP mailer built from `SMTP_URL` (tests). */
    mailer?: Mailer;
    /**
     * The Web Push key pair (`startServer` passes the one kept in DATA_DIR). Without it the env's
     * pair is used, or a fresh one that lives as long as the process (tests and harnesses).
     */
    vapidKeys?: VapidKeys;
    /** Timeout of each webhook and push request; 10 s unless a test shortens it. */
    alertSendTimeoutMs?: number;
  },
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
  const { mailer: mailerOverride, vapidKeys: givenVapidKeys, alertSendTimeoutMs, ...rest } = parts;
  const mailer =
    mailerOverride ??
    (env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, env.MAIL_FROM ?? 'Fieldsync <no-reply@localhost>') : undefined);
  const allowPrivateTargets = env.WEBHOOK_ALLOW_PRIVATE === 'true';
  const maxUploadBytes = env.MAX_UPLOAD_BYTES ?? DEFAULT_MAX_UPLOAD_BYTES;
  const vapidKeys =
    givenVapidKeys ??
    (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
      ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
      : generateVapidKeys());
  const metrics = createServerMetrics(database);
  const worker = createDeliveryWorker(database.db, {
    onSent: (sent) => metrics.observeAlertSent(sent),
    now: parts.now,
    logger: parts.logger,
    retryBaseMs: env.ALERT_RETRY_BASE_MS ?? 30_000,
    maxAttempts: env.ALERT_MAX_ATTEMPTS ?? 8,
    senders: createDeliverySenders(database.db, {
      now: parts.now,
      allowPrivate: allowPrivateTargets,
      vapidKeys,
      vapidSubject: env.VAPID_SUBJECT ?? 'mailto:alerts@fieldsync.invalid',
      mailer,
      publicUrl: env.PUBLIC_URL,
      ...(alertSendTimeoutMs !== undefined ? { timeoutMs: alertSendTimeoutMs } : {}),
    }),
  });
  return {
    database,
    auth,
    invites: createInviteLinks(database.db, {
      auth,
      now: parts.now,
      logger: parts.logger,
      mailer,
      publicUrl: env.PUBLIC_URL,
    }),
    signupOpen: (env.SIGNUP ?? 'open') === 'open',
    trustedProxies: env.TRUSTED_PROXIES ?? 0,
    push: createPushService(
      database.db,
      parts.now,
      parts.logger,
      {
        accountsChanged: (accounts) => {
          for (const account of accounts) auth.forgetAccount(account);
        },
        alertsQueued: () => worker.kick(),
      },
      { emailConfigured: mailer !== undefined, allowPrivateWebhooks: allowPrivateTargets, maxUploadBytes },
    ),
    pull: createPullService(database.db, parts.now),
    changes: await createChangeHub(database),
    alerts: { worker, vapidPublicKey: vapidKeys.publicKey, allowPrivateTargets },
    maxUploadBytes,
    metrics,
    ...rest,
    version: SERVER_VERSION,
  };
}
