/**
 * Behind a load balancer the per-address limits must count callers, not the
 * balancer: with `TRUSTED_PROXIES` set, the address comes from the right end
 * of X-Forwarded-For; without it, the header is the caller's own claim and is
 * ignored (or anyone could dodge the limit by making one up).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

function signUp(server: TestServer, forwardedFor: string, n: number) {
  return server.call('POST', '/api/orgs', {
    headers: { 'x-forwarded-for': forwardedFor },
    body: {
      companyName: `Proxy Test ${n}`,
      timeZone: 'America/Denver',
      adminName: 'Pat Proxy',
      email: `pat-${n}-${Math.random().toString(36).slice(2)}@proxy.example`,
      password: 'a long and unguessable passphrase 42',
    },
  });
}

describe.each(kinds)('the caller behind proxies on %s', (kind) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  test('with one trusted proxy, each caller has a sign-up limit of their own', async () => {
    const server = await createTestServer(kind, { loginMaxFailures: 1, trustedProxies: 1 });
    servers.push(server);
    expect((await signUp(server, '203.0.113.1', 1)).status).toBe(201);
    expect((await signUp(server, '203.0.113.1', 2)).json.error.code).toBe('rate_limited');
    // Another caller through the same balancer is not held back by the first.
    expect((await signUp(server, '203.0.113.2', 3)).status).toBe(201);
    // A made-up entry on the left changes nothing: the proxy's own entry counts.
    expect((await signUp(server, '198.51.100.9, 203.0.113.1', 4)).json.error.code).toBe('rate_limited');
  });

  test('with none trusted, X-Forwarded-For is ignored', async () => {
    const server = await createTestServer(kind, { loginMaxFailures: 1 });
    servers.push(server);
    expect((await signUp(server, '203.0.113.1', 5)).status).toBe(201);
    expect((await signUp(server, '203.0.113.2', 6)).json.error.code).toBe('rate_limited');
  });
});
