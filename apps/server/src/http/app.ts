import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authRoutes } from '../routes/auth';
import { healthRoutes } from '../routes/health';
import { jobRoutes } from '../routes/jobs';
import { syncRoutes } from '../routes/sync';
import { ApiError, statusForCode } from './api-error';
import type { AppEnv, ServerDeps } from './context';

export interface AppOptions {
  /** Folder of the built web app; when absent only the API is served. */
  webDist?: string | undefined;
}

/** Builds the HTTP application. No port is opened here: tests call `app.request()`. */
export function createApp(deps: ServerDeps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      const body: { error: { code: string; message: string; details?: unknown } } = {
        error: { code: error.code, message: error.message },
      };
      if (error.details !== undefined) body.error.details = error.details;
      return c.json(body, statusForCode(error.code) as 400);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 413 ? 'body_too_large' : status === 401 ? 'unauthorized' : 'invalid_body';
      return c.json({ error: { code, message: error.message || 'The request could not be processed.' } }, status);
    }
    deps.logger.error({ err: error, path: c.req.path, method: c.req.method }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Something went wrong on the server.' } }, 500);
  });

  app.use('/api/*', async (c, next) => {
    const started = performance.now();
    await next();
    // Only method, path and status: never headers or bodies, which carry secrets.
    deps.logger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });

  app.route('/api/health', healthRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/sync', syncRoutes(deps));
  app.route('/api/jobs', jobRoutes(deps));

  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } }, 404));

  if (options.webDist && existsSync(join(options.webDist, 'index.html'))) {
    mountWebApp(app, options.webDist);
  }
  return app;
}

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
