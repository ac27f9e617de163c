import { loginResponseSchema } from '@fieldsync/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('sign-in and sessions on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { loginMaxFailures: 3, accessTokenTtlSeconds: 60 });
  });
  afterAll(() => server.close());

  test('login with the right password returns tokens and the user, without secrets', async () => {
    const response = await server.call('POST', '/api/auth/login', {
      body: { email: 'Dispatcher1@Example.com', password: TEST_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.json.accessToken).toMatch(/^ey/);
    expect(response.json.refreshToken).toContain('.');
    expect(response.json.user).toMatchObject({
      email: 'dispatcher1@example.com',
      role: 'dispatcher',
      name: 'Dana Reyes',
      timeZone: 'America/Denver',
      organizationName: 'Mile High Floors & Paving',
    });
    expect(JSON.stringify(response.json)).not.toContain('argon2');
    expect(loginResponseSchema.safeParse(response.json).success).toBe(true);
  });

  test('a wrong password and an unknown email get the same generic 401', async () => {
    const wrong = await server.call('POST', '/api/auth/login', {
      body: { email: 'contractor2@example.com', password: 'nope-nope' },
    });
    const unknown = await server.call('POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.error).toEqual(unknown.json.error);
    expect(wrong.json.error.code).toBe('invalid_credentials');
  });

  test('a malformed login body is a 400 with a code', async () => {
    const response = await server.call('POST', '/api/auth/login', { body: '{"email":' });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('invalid_body');
    const missing = await server.call('POST', '/api/auth/login', { body: { email: 'a@b.c' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toContain('password');
  });

  test('repeated failures for one email are refused with 429, even with the right password', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await server.call('POST', '/api/auth/login', {
        body: { email: 'contractor5@example.com', password: `wrong-${attempt}` },
      });
      expect(response.status).toBe(401);
    }
    const limited = await server.call('POST', '/api/auth/login', {
      body: { email: 'contractor5@example.com', password: TEST_PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    // The window passes and the person can sign in again.
    server.clock.advance(16 * 60_000);
    const later = await server.call('POST', '/api/auth/login', {
      body: { email: 'contractor5@example.com', password: TEST_PASSWORD },
    });
    expect(later.status).toBe(200);
  });

  test('refresh rotates the token; the old one no longer works', async () => {
    const session = await server.login('contractor1@example.com');
    const rotated = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.json.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.json.user.email).toBe('contractor1@example.com');
    const again = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: rotated.json.refreshToken } });
    expect(again.status).toBe(200);
  });

  test('a refresh retried right after its answer was lost gets a new token in the same session', async () => {
    const session = await server.login('contractor8@example.com');
    const lostAnswer = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(lostAnswer.status).toBe(200);
    server.clock.advance(5_000);
    const retry = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(retry.status).toBe(200);
    expect(retry.json.refreshToken).not.toBe(lostAnswer.json.refreshToken);
    const next = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: retry.json.refreshToken } });
    expect(next.status).toBe(200);
  });

  test('reusing a rotated refresh token after the grace period revokes the whole family', async () => {
    const session = await server.login('contractor3@example.com');
    const first = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(first.status).toBe(200);
    server.clock.advance(31_000);
    // Someone replays the old token: refused, and the legitimate newer token dies with it.
    const replay = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('unauthorized');
    const victim = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: first.json.refreshToken } });
    expect(victim.status).toBe(401);
  });

  test('refresh tokens are stored hashed', async () => {
    const session = await server.login('contractor4@example.com');
    const { sql } = await import('drizzle-orm');
    const rows = await server.database.query<{ token_hash: string }>(sql`select token_hash from refresh_tokens`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === session.refreshToken)).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  test('logout ends the session: its refresh token is refused afterwards', async () => {
    const session = await server.login('contractor6@example.com');
    const logout = await server.call('POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } });
    expect(logout.status).toBe(204);
    const refresh = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refresh.status).toBe(401);
  });

  test('protected endpoints answer 401 unauthorized without a token, with a bad one, and with an expired one', async () => {
    const pullPath = '/api/sync/pull?clientId=00000000-0000-4000-8000-000000000001';
    const none = await server.call('GET', pullPath);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');
    const bad = await server.call('GET', pullPath, { token: 'not-a-jwt' });
    expect(bad.status).toBe(401);

    const session = await server.login('contractor7@example.com');
    const ok = await server.call('GET', pullPath, { token: session.accessToken });
    expect(ok.status).toBe(200);
    server.clock.advance(61_000);
    const expired = await server.call('GET', pullPath, { token: session.accessToken });
    expect(expired.status).toBe(401);
    expect(expired.json.error).toEqual({ code: 'unauthorized', message: 'Your session has expired.' });
  });

  test('health reports the database kind and the version', async () => {
    const response = await server.call('GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok', db: kind, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  test('unknown API paths are a 404 with a code', async () => {
    const response = await server.call('GET', '/api/nope');
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe('not_found');
  });
});
