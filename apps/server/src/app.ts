import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ErrorBody, MAX_PUSH_BYTES } from '@fieldsync/protocol';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors';
import { limitBody } from './http/body-limit';
import type { AppEnv, ServerDeps } from './http/context';
import { RETRY_AFTER_SECONDS, statusForCode } from './http/status-for-code';
import { authRoutes } from './routes/auth';
import { configRoutes } from './routes/config';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { orgRoutes } from './routes/orgs';
import { pushRoutes } from './routes/push-subscriptions';
import { syncRoutes } from './routes/sync';
import { userRoutes } from './routes/users';

export interface AppOptions {
  /** Folder of the built web app; when absent only the API is served. */
  webDist?: string | undefined;
}

/** Builds the HTTP application. No port is opened here: tests call `app.request()`. */
export function createApp(deps: ServerDeps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  app.onError((thrown, c) => {
    let error = thrown;
    // A lost database connection surfaces wherever a query was waiting (often wrapped by drizzle):
    // an outage to wait out, not a bug. Reporting it also makes the next requests fail at once.
    if (!(error instanceof ApiError) && deps.database.reportFailure(error)) {
      deps.logger.warn(
        { err: error, method: c.req.method, path: c.req.path, requestId: c.get('requestId') },
        'database unreachable',
      );
      error = databaseUnavailable();
    }
    if (error instanceof ApiError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message },
      };
      if (error.details !== undefined) body.error.details = error.details;
      const retryAfter = RETRY_AFTER_SECONDS[error.code];
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
      return c.json(body, statusForCode(error.code) as 400);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 413 ? 'body_too_large' : status === 401 ? 'unauthorized' : 'invalid_body';
      const body: ErrorBody = { error: { code, message: error.message || 'The request could not be processed.' } };
      return c.json(body, status);
    }
    deps.logger.error(
      { err: error, path: c.req.path, method: c.req.method, requestId: c.get('requestId') },
      'unhandled error',
    );
    return c.json(
      { error: { code: 'internal', message: 'Something went wrong on the server.' } } satisfies ErrorBody,
      500,
    );
  });

  // Every answer carries X-Request-Id (the caller's, or a new one), and so does every log line about it.
  app.use('*', requestId());
  app.use('*', secureHeaders(SECURITY_HEADERS));

  app.use('/api/*', async (c, next) => {
    const started = performance.now();
    await next();
    // Only method, path and status: never headers or bodies, which carry secrets.
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  // No endpoint takes more than a push; an oversized body is refused the same way everywhere.
  app.use('*', limitBody(MAX_PUSH_BYTES));

  app.route('/api/health', healthRoutes(deps));
  // Needs no database: the sign-in screen can ask it during an outage.
  app.route('/api/config', configRoutes(deps));
  // After /api/health, which reports the outage itself: while the database is known to be down every
  // other endpoint answers 503 at once instead of waiting on a connection attempt.
  app.use('/api/*', async (_c, next) => {
    if (!deps.database.isAvailable()) throw databaseUnavailable();
    await next();
  });
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/sync', syncRoutes(deps));
  app.route('/api/jobs', jobRoutes(deps));
  app.route('/api/orgs', orgRoutes(deps));
  app.route('/api/users', userRoutes(deps));
  app.route('/api/push', pushRoutes(deps));

  app.all('/api/*', (c) =>
    c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } } satisfies ErrorBody, 404),
  );

  if (options.webDist && existsSync(join(options.webDist, 'index.html'))) {
    mountWebApp(app, options.webDist);
  }
  return app;
}

function databaseUnavailable() {
  return new ApiError('db_unavailable', 'The server cannot reach its database right now; try again shortly.');
}

/**
 * A strict policy for the app: scripts, styles, the manifest and the service
 * worker only from this origin (the build injects no inline script; the app
 * registers its service worker from its own bundle), no plugins, no framing.
 * `'self'` for images because the icons are files; React's `style` props are
 * set through the DOM, which `style-src` does not govern.
 */
const SECURITY_HEADERS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    manifestSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  xContentTypeOptions: true,
  referrerPolicy: 'no-referrer',
};

function mountWebApp(app: Hono<AppEnv>, webDist: string) {
  const root = relative(process.cwd(), webDist) || '.';
  const indexHtml = readFileSync(join(webDist, 'index.html'), 'utf8');
  app.use(
    '*',
    serveStatic({
      root,
      onFound: (path, c) => {
        // The service worker and the shell must be re-checked on every load so updates arrive;
        // hashed assets never change.
        const immutable = path.includes('/assets/');
        c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // Client-side routes: every other GET gets the app shell.
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(indexHtml);
  });
}
