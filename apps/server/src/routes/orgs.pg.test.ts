import { randomUUID } from 'node:crypto';
import { organizationSchema } from '@fieldsync/domain';
import { loginResponseSchema, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const SIGN_UPS_PER_WINDOW = 4;

function signup(overrides: Record<string, unknown> = {}) {
  return {
    companyName: 'Bergblick Bau',
    timeZone: 'Europe/Berlin',
    adminName: 'Jana Keller',
    email: `jana.${randomUUID().slice(0, 8)}@bergblick.example`,
    password: 'long enough password',
    ...overrides,
  };
}

describe.each(kinds)('company sign-up on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { loginMaxFailures: SIGN_UPS_PER_WINDOW });
  });
  afterAll(() => server.close());
  // Every sign-up counts against the address (here always `unknown`): each test starts a fresh window.
  beforeEach(() => server.clock.advance(16 * 60_000));

  const organizationCount = async () => {
    const [row] = await server.database.query<{ n: number }>(sql`select count(*)::int as n from organizations`);
    return Number(row?.n);
  };

  test('a new company and its admin: 201 with a login body; the admin pulls the company row', async () => {
    const request = signup();
    const response = await server.call('POST', '/api/orgs', { body: request });
    expect(response.status).toBe(201);
    const session = loginResponseSchema.parse(response.json);
    expect(session.user).toMatchObject({
      email: request.email,
      name: 'Jana Keller',
      role: 'admin',
      timeZone: 'Europe/Berlin',
      organizationName: 'Bergblick Bau',
    });
    expect(session.user.orgId).not.toBe(server.orgA.orgId);

    const pull = await server.call('GET', `/api/sync/pull?clientId=${randomUUID()}`, {
      token: session.accessToken,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(pull.status).toBe(200);
    const organizations = pull.json.changes.organizations;
    expect(organizations).toHaveLength(1);
    const organization = organizationSchema.parse(organizations[0]);
    expect(organization).toMatchObject({
      id: session.user.orgId,
      name: 'Bergblick Bau',
      timeZone: 'Europe/Berlin',
      timeFormat: '24h',
      maxDistanceMiles: 50,
      currency: 'USD',
    });
    expect(pull.json.changes.users.map((user: { email: string }) => user.email)).toEqual([request.email]);
    // Nothing of the demo company leaks into the new one.
    expect(pull.json.changes.jobs ?? []).toEqual([]);

    // The password chosen at sign-up signs in.
    expect((await server.login(request.email, request.password)).user.id).toBe(session.user.id);
  });

  test('a zone read in 12 hours gets the 12-hour clock', async () => {
    const response = await server.call('POST', '/api/orgs', { body: signup({ timeZone: 'America/Chicago' }) });
    expect(response.status).toBe(201);
    const [row] = await server.database.query<{ time_format: string }>(
      sql`select time_format from organizations where id = ${response.json.user.orgId}`,
    );
    expect(row?.time_format).toBe('12h');
  });

  test('an email in use anywhere, in any case, is 409 email_taken and leaves nothing behind', async () => {
    const before = await organizationCount();
    const demo = await server.call('POST', '/api/orgs', { body: signup({ email: 'ADMIN@Example.com' }) });
    expect(demo.status).toBe(409);
    expect(demo.json.error.code).toBe('email_taken');
    expect(demo.json.error.message).toMatch(/already/);

    const first = signup();
    expect((await server.call('POST', '/api/orgs', { body: first })).status).toBe(201);
    const again = await server.call('POST', '/api/orgs', { body: signup({ email: first.email.toUpperCase() }) });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('email_taken');
    expect(await organizationCount()).toBe(before + 1);
  });

  test('two sign-ups racing for one email: exactly one company is made', async () => {
    const before = await organizationCount();
    const email = `race.${randomUUID().slice(0, 8)}@example.org`;
    const answers = await Promise.all([
      server.call('POST', '/api/orgs', { body: signup({ email }) }),
      server.call('POST', '/api/orgs', { body: signup({ email: email.toUpperCase() }) }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.json.error.code).toBe('email_taken');
    expect(await organizationCount()).toBe(before + 1);
  });

  test('an unknown time zone, a short password or a missing field is 400 invalid_body', async () => {
    const zone = await server.call('POST', '/api/orgs', { body: signup({ timeZone: 'Mars/Olympus_Mons' }) });
    expect(zone.status).toBe(400);
    expect(zone.json.error.code).toBe('invalid_body');
    expect(zone.json.error.message).toContain('timeZone');
    const password = await server.call('POST', '/api/orgs', { body: signup({ password: 'short' }) });
    expect(password.status).toBe(400);
    expect(password.json.error.message).toContain('password');
    const { companyName: _, ...missing } = signup();
    expect((await server.call('POST', '/api/orgs', { body: missing })).json.error.code).toBe('invalid_body');
  });

  test('GET /api/config tells whether sign-up is open; SIGNUP=closed answers 403 signup_closed', async () => {
    expect((await server.call('GET', '/api/config')).json).toEqual({ signupOpen: true });
    const closed = createApp({ ...server.deps, signupOpen: false });
    const config = await closed.request('/api/config');
    expect(await config.json()).toEqual({ signupOpen: false });
    const before = await organizationCount();
    const refused = await closed.request('/api/orgs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signup()),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('signup_closed');
    expect(await organizationCount()).toBe(before);
  });

  test('sign-ups per address are limited within the login window, refused ones included', async () => {
    const taken = await server.call('POST', '/api/orgs', { body: signup({ email: 'admin@example.com' }) });
    expect(taken.status).toBe(409);
    for (let index = 1; index < SIGN_UPS_PER_WINDOW; index++) {
      expect((await server.call('POST', '/api/orgs', { body: signup() })).status).toBe(201);
    }
    const before = await organizationCount();
    const limited = await server.call('POST', '/api/orgs', { body: signup() });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(await organizationCount()).toBe(before);

    server.clock.advance(16 * 60_000);
    expect((await server.call('POST', '/api/orgs', { body: signup() })).status).toBe(201);
  });
});
