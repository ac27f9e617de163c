import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ErrorBody, MAX_PUSH_BYTES } from '@fieldsync/protocol';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors';
import { limitBody } from './http/body-limit';
import type { AppEnv, ServerDeps } from './http/context';
import { createServerMetrics, type ServerMetrics, UNMATCHED_ROUTE } from './http/metrics';
import { RETRY_AFTER_SECONDS, statusForCode } from './http/status-for-code';
import { attachmentRoutes } from './routes/attachments';
import { authRoutes } from './routes/auth';
import { configRoutes } from './routes/config';
import { estimateRoutes } from './routes/estimates';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { metricsRoutes } from './routes/metrics';
import { orgRoutes } from './routes/orgs';
import { pushRoutes } from './routes/push-subscriptions';
import { reportRoutes } from './routes/reports';
import { syncRoutes } from './routes/sync';
import { uploadRoutes } from './routes/uploads';
import { userRoutes } from './routes/users';
import { UPLOADS_PATH } from './uploads/upload-server';

export interface AppOptions {
  /** Folder of the built web app; when absent only the API is served. */
  webDist?: string | undefined;
  /** `METRICS_TOKEN`: `GET /metrics` answers only with it (Bearer); without one the endpoint is off (404). */
  metricsToken?: string | undefined;
}

/** Builds the HTTP application. No port is opened here: tests call `app.request()`. */
export function createApp(deps: ServerDeps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  // Hand-made deps in unit tests carry no registry: such an app keeps its own.
  const metrics = deps.metrics ?? createServerMetrics(deps.database);

  app.onError((thrown, c) => {
    let error = thrown;
    // A lost database connection surfaces wherever a query was waiting (often wrapped by drizzle):
    // an outage to wait out, not a bug. Reporting it also makes the next requests fail at once.
    if (!(error instanceof ApiError) && deps.database.reportFailure(error)) {
      metrics.countDatabaseConnectionError();
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

  app.use('*', measureRequests(metrics));
  // Every answer carries X-Request-Id (the caller's, or a new one), and so does every log line about it.
  app.use('*', requestId());
  const webApp = options.webDist && existsSync(join(options.webDist, 'index.html')) ? options.webDist : undefined;
  app.use('*', secureHeaders(securityHeaders(webApp ? inlineScriptHashes(webApp) : [])));

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

  // No endpoint takes more than a push; an oversized body is refused the same way everywhere. Except the
  // bytes of an upload (tus PATCH): the upload route holds each to what its file has left to send.
  const limitToPush = limitBody(MAX_PUSH_BYTES);
  app.use('*', (c, next) =>
    c.req.method === 'PATCH' && c.req.path.startsWith(`${UPLOADS_PATH}/`) ? next() : limitToPush(c, next),
  );

  // Outside /api: no database gate, and no request log line per scrape.
  app.route('/metrics', metricsRoutes(metrics, options.metricsToken));
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
  app.route('/api/sync', syncRoutes(deps, metrics));
  app.route('/api/jobs', jobRoutes(deps));
  app.route('/api/orgs', orgRoutes(deps));
  app.route('/api/users', userRoutes(deps));
  app.route('/api/push', pushRoutes(deps));
  app.route(UPLOADS_PATH, uploadRoutes(deps, metrics));
  app.route('/api/attachments', attachmentRoutes(deps));
  app.route('/api/reports', reportRoutes(deps));
  app.route('/api/estimates', estimateRoutes(deps));

  app.all('/api/*', (c) =>
    c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } } satisfies ErrorBody, 404),
  );

  if (webApp) mountWebApp(app, webApp);
  return app;
}

/**
 * Times every request into the HTTP histogram under the pattern of the route
 * that answered (`/api/jobs/:id`, never the path with its id). A 404 from a
 * catch-all (`*`, `/api/*`) is UNMATCHED_ROUTE, so unknown paths add no labels.
 */
function measureRequests(metrics: ServerMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const pattern = routePath(c);
    const route = c.res.status === 404 && pattern.endsWith('*') ? UNMATCHED_ROUTE : pattern;
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest({ method: c.req.method, route, status: c.res.status, seconds });
  };
}

function databaseUnavailable() {
  return new ApiError('db_unavailable', 'The server cannot reach its database right now; try again shortly.');
}

/**
 * A strict policy for the app: scripts, styles, the manifest and the service
 * worker only from this origin, no plugins, no framing. The one inline script
 * is the build's import map (stable chunk names to hashed files, so an update
 * re-downloads only the chunks that changed); it is allowed by its hash alone.
 * `'self'` for images because the icons are files; React's `style` props are
 * set through the DOM, which `style-src` does not govern.
 */
function securityHeaders(scriptHashes: readonly string[]): Parameters<typeof secureHeaders>[0] {
  return {
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...scriptHashes.map((hash) => `'${hash}'`)],
      styleSrc: ["'self'"],
      // Attachments are fetched with the bearer token and shown as object URLs.
      imgSrc: ["'self'", 'blob:'],
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
}

/** `sha256-…` sources for the inline scripts of the built index.html (its import map). */
export function inlineScriptHashes(webDist: string): string[] {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((match) => match[1] ?? '')
    .filter((content) => content.trim() !== '')
    .map((content) => `sha256-${createHash('sha256').update(content).digest('base64')}`);
}

/**
 * The built app is served from files. Text files are precompressed at build time (`name.br` Brotli at max
 * quality, `name.gz` gzip -9, see apps/web/vite.config.ts) and serveStatic picks one by Accept-Encoding,
 * rather than Hono's compress middleware: no CPU per request, the best Brotli quality (too slow to run per
 * request), and Hono's compress has no Brotli on Node anyway.
 */
function mountWebApp(app: Hono<AppEnv>, webDist: string) {
  const root = relative(process.cwd(), webDist) || '.';
  const serveFile = serveStatic({ root, precompressed: true });
  // Client-side routes get the app shell, compressed the same way.
  const serveShell = serveStatic({ root, path: 'index.html', precompressed: true });
  app.use('*', async (c, next) => {
    const answer = await serveFile(c, next);
    // Not a file: serveStatic handed over to the next handler, whose answer is already in place.
    if (!(answer instanceof Response)) return;
    setWebAppHeaders(answer.headers, c.req.path);
    return answer;
  });
  app.get('*', async (c, next) => {
    const answer = await serveShell(c, next);
    if (!(answer instanceof Response)) return;
    setWebAppHeaders(answer.headers, '/index.html');
    return answer;
  });
}

function setWebAppHeaders(headers: Headers, requestPath: string) {
  // Set (not appended) after serveStatic, which adds Vary only when it picked a compressed copy:
  // caches must key every answer on Accept-Encoding, the uncompressed ones too.
  headers.set('Vary', 'Accept-Encoding');
  // The service worker and the shell must be re-checked on every load so updates arrive; hashed assets never change.
  const immutable = requestPath.startsWith('/assets/');
  headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
}
