import type { LoginResponse } from '@fieldsync/protocol';
import pino from 'pino';
import { createApp } from '../app';
import { hashPassword } from '../auth/passwords';
import type { Mailer } from '../company/mailer';
import type { DatabaseKind } from '../db/database';
import { seedDemoCompany } from '../seed/demo-company';
import { buildDeps } from '../server';
import { createTestDatabase } from './test-database';

export const TEST_PASSWORD = 'correct horse battery staple';
const SIGNING_KEY = new TextEncoder().encode('test-signing-key-that-is-long-enough-0123456789');

let passwordHash: Promise<string> | undefined;

/** A clock tests can move. */
export function testClock(start = new Date('2026-11-21T15:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

export interface TestServerOptions {
  loginMaxFailures?: number;
  /** `TRUSTED_PROXIES`: proxies whose X-Forwarded-For entries name the caller. */
  trustedProxies?: number;
  accessTokenTtlSeconds?: number;
  /** Seed a second organisation (`@other.example` logins). */
  secondOrg?: boolean;
  /** `SIGNUP`; open unless a test closes it. */
  signup?: 'open' | 'closed';
  /** Sends invite e-mails (e.g. an SMTP mailer aimed at a test's own server); none by default. */
  mailer?: Mailer;
  /** `PUBLIC_URL`, the base of invite links. */
  publicUrl?: string;
  /** `WEBHOOK_ALLOW_PRIVATE=true`: webhooks and push endpoints may be a test's own loopback receiver. */
  allowPrivateTargets?: boolean;
  /** `ALERT_RETRY_BASE_MS` (default 30 s) and `ALERT_MAX_ATTEMPTS` (default 8). */
  alertRetryBaseMs?: number;
  alertMaxAttempts?: number;
  /** Timeout of each webhook and push request (10 s by default). */
  alertSendTimeoutMs?: number;
  /** `VAPID_SUBJECT`. */
  vapidSubject?: string;
  /** `METRICS_TOKEN`: turns `GET /metrics` on. */
  metricsToken?: string;
  /** `MAX_UPLOAD_BYTES` (25 MiB by default). */
  maxUploadBytes?: number;
}

/**
 * The delivery worker is built but not started: a test sends what is due with
 * `server.deps.alerts.worker.runOnce()`, on the test clock.
 *
 * A migrated database with the demo company (`@example.com` logins, password
 * TEST_PASSWORD) and, optionally, a second company, behind the real Hono app.
 */
export async function createTestServer(kind: DatabaseKind, options: TestServerOptions = {}) {
  const testDb = await createTestDatabase(kind);
  const clock = testClock();
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const orgA = await seedDemoCompany(testDb.database.db, { passwordHash: hash, now: clock.now() });
  const orgB = options.secondOrg
    ? await seedDemoCompany(testDb.database.db, {
        passwordHash: hash,
        now: clock.now(),
        seed: 99,
        orgName: 'Other Company',
        emailDomain: 'other.example',
      })
    : undefined;
  const deps = await buildDeps(
    testDb.database,
    {
      ACCESS_TOKEN_TTL_SECONDS: options.accessTokenTtlSeconds ?? 900,
      REFRESH_TOKEN_TTL_DAYS: 30,
      LOGIN_MAX_FAILURES: options.loginMaxFailures ?? 5,
      TRUSTED_PROXIES: options.trustedProxies ?? 0,
      LOGIN_WINDOW_MINUTES: 15,
      SIGNUP: options.signup ?? 'open',
      PUBLIC_URL: options.publicUrl,
      WEBHOOK_ALLOW_PRIVATE: options.allowPrivateTargets ? 'true' : 'false',
      ...(options.alertRetryBaseMs !== undefined ? { ALERT_RETRY_BASE_MS: options.alertRetryBaseMs } : {}),
      ...(options.alertMaxAttempts !== undefined ? { ALERT_MAX_ATTEMPTS: options.alertMaxAttempts } : {}),
      ...(options.vapidSubject !== undefined ? { VAPID_SUBJECT: options.vapidSubject } : {}),
      ...(options.maxUploadBytes !== undefined ? { MAX_UPLOAD_BYTES: options.maxUploadBytes } : {}),
    },
    {
      signingKey: SIGNING_KEY,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      now: clock.now,
      ...(options.mailer ? { mailer: options.mailer } : {}),
      ...(options.alertSendTimeoutMs !== undefined ? { alertSendTimeoutMs: options.alertSendTimeoutMs } : {}),
    },
  );
  const app = createApp(deps, { metricsToken: options.metricsToken });

  async function call(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON for assertions
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, json, headers: response.headers };
  }

  async function login(email: string, password = TEST_PASSWORD) {
    const response = await call('POST', '/api/auth/login', { body: { email, password } });
    if (response.status !== 200)
      throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.json)}`);
    return response.json as LoginResponse;
  }

  return {
    app,
    deps,
    database: testDb.database,
    url: testDb.url,
    clock,
    orgA,
    orgB,
    call,
    login,
    close: async () => {
      await deps.changes.close();
      await testDb.drop();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof createTestServer>>;
