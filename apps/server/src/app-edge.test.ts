import { createHash } from 'node:crypto';
/**
 * What every answer gets at the HTTP edge, whatever the route: security
 * headers, one body limit, and an unreachable database turned into
 * `503 db_unavailable`. No database here: the deps are stand-ins.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PUSH_BYTES } from '@fieldsync/protocol';
import { DrizzleQueryError } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from './app';
import { isConnectionError } from './db/connection-errors';
import type { ServerDeps } from './http/context';

function fakeDeps(options: { available?: boolean; loginFails?: unknown } = {}) {
  let available = options.available ?? true;
  const reported: unknown[] = [];
  const deps = {
    database: {
      kind: 'postgres',
      isAvailable: () => available,
      reportFailure(error: unknown) {
        reported.push(error);
        if (!isConnectionError(error)) return false;
        available = false;
        return true;
      },
      query: async () => [],
    },
    auth: {
      async login() {
        if (options.loginFails) throw options.loginFails;
        return { accessToken: 'a', refreshToken: 'r' };
      },
    },
    logger: pino({ level: 'silent' }),
    now: () => new Date('2026-11-21T15:00:00Z'),
    version: '0.0.0-test',
  } as unknown as ServerDeps;
  return { deps, reported, isAvailable: () => available };
}

const login = { email: 'someone@example.com', password: 'long enough password' };

function post(app: ReturnType<typeof createApp>, path: string, body: string, headers: Record<string, string> = {}) {
  return app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('security headers', () => {
  const webDist = mkdtempSync(join(tmpdir(), 'fieldsync-web-'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><div id="root"></div>');
  afterAll(() => rmSync(webDist, { recursive: true, force: true }));

  test('the app shell and the API carry a strict CSP, nosniff, no framing and a referrer policy', async () => {
    const app = createApp(fakeDeps().deps, { webDist });
    for (const path of ['/', '/jobs/some-client-route', '/api/health', '/api/no-such-thing']) {
      const response = await app.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        csp.split(';').map((part) => {
          const [name = '', ...values] = part.trim().split(/\s+/);
          return [name, values.join(' ')] as const;
        }),
      );
      expect(directives.get('default-src'), path).toBe("'self'");
      expect(directives.get('script-src'), path).toBe("'self'");
      expect(directives.get('style-src'), path).toBe("'self'");
      expect(directives.get('worker-src'), path).toBe("'self'");
      expect(directives.get('manifest-src'), path).toBe("'self'");
      expect(directives.get('connect-src'), path).toBe("'self'");
      expect(directives.get('object-src'), path).toBe("'none'");
      expect(directives.get('frame-ancestors'), path).toBe("'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  test("the build's inline import map is allowed by its hash, and nothing else inline is", async () => {
    const dist = mkdtempSync(join(tmpdir(), 'fieldsync-web-'));
    const importMap = '{"imports":{"/assets/a-1.js":"/assets/a-2.js"}}';
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html><script type="importmap">${importMap}</script><div id="root"></div>`,
    );
    try {
      const response = await createApp(fakeDeps().deps, { webDist: dist }).request('/');
      const scriptSrc = /script-src ([^;]*)/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
      const hash = createHash('sha256').update(importMap).digest('base64');
      expect(scriptSrc).toBe(`'self' 'sha256-${hash}'`);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  test('error answers carry them too', async () => {
    const app = createApp(fakeDeps().deps);
    const response = await post(app, '/api/auth/login', 'not json');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('body limit on every endpoint', () => {
  const oversized = 'x'.repeat(MAX_PUSH_BYTES + 1);

  test.each(['/api/auth/login', '/api/auth/refresh', '/api/sync/push', '/api/jobs', '/api/nowhere', '/'])(
    'POST %s over 1 MiB is 400 body_too_large, with or without Content-Length',
    async (path) => {
      const app = createApp(fakeDeps().deps);
      const declared = await post(app, path, oversized, { 'content-length': String(oversized.length) });
      expect(declared.status).toBe(400);
      expect(await declared.json()).toMatchObject({ error: { code: 'body_too_large' } });

      const chunks = new TextEncoder().encode(oversized);
      const chunked = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: new ReadableStream({
          start(controller) {
            for (let offset = 0; offset < chunks.length; offset += 64 * 1024) {
              controller.enqueue(chunks.subarray(offset, offset + 64 * 1024));
            }
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(400);
      expect(await chunked.json()).toMatchObject({ error: { code: 'body_too_large' } });
    },
  );

  test('a body within the limit, chunked, still reaches the route', async () => {
    const app = createApp(fakeDeps().deps);
    const bytes = new TextEncoder().encode(JSON.stringify(login));
    const response = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 10));
          controller.enqueue(bytes.subarray(10));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });
});

describe('database unavailable', () => {
  test.each([
    [
      'a refused connection, wrapped by drizzle',
      new DrizzleQueryError('select 1', [], Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ],
    [
      'a connection postgres.js saw close',
      Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
    ],
    ['an administrator shutdown (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    [
      'SQLSTATE class 08',
      new DrizzleQueryError('select 1', [], Object.assign(new Error('connection failure'), { code: '08006' })),
    ],
  ])('%s is 503 db_unavailable with Retry-After, and later requests are refused at once', async (_name, failure) => {
    const { deps, isAvailable } = fakeDeps({ loginFails: failure });
    const app = createApp(deps);
    const response = await post(app, '/api/auth/login', JSON.stringify(login));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'db_unavailable', message: expect.any(String) } });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(isAvailable()).toBe(false);

    const pull = await app.request('/api/sync/pull');
    expect(pull.status).toBe(503);
    expect(pull.headers.get('retry-after')).not.toBeNull();
    const health = await app.request('/api/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', db: 'down' });
  });

  test('a query error of the ordinary kind stays a 500 and does not mark the database down', async () => {
    const { deps, isAvailable } = fakeDeps({
      loginFails: new DrizzleQueryError('select 1', [], Object.assign(new Error('syntax error'), { code: '42601' })),
    });
    const response = await post(createApp(deps), '/api/auth/login', JSON.stringify(login));
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(isAvailable()).toBe(true);
  });

  test('health is 200 ok while the database answers', async () => {
    const response = await createApp(fakeDeps().deps).request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'postgres', version: '0.0.0-test' });
  });
});
