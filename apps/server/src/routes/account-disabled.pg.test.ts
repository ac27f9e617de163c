import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest';
import { ACCOUNT_DISABLED_MESSAGE, ACCOUNT_RECHECK_MS, ACCOUNT_STATUS_TTL_MS } from '../auth/account-status';
import { openDatabase } from '../db/database';
import { buildDeps } from '../server';
import { listen } from '../testing/listen';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const SIGNING_KEY = new TextEncoder().encode('test-signing-key-that-is-long-enough-0123456789');
/** The contract: a turned-off account is refused, and its streams closed, within 5 seconds. */
const BOUND_MS = 5_000;
const DISABLED = { code: 'account_disabled', message: ACCOUNT_DISABLED_MESSAGE };

/** Opens the event stream; `ended` turns true when the server closes it. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/sync/events?token=${encodeURIComponent(token)}`, {
    signal: controller.signal,
  });
  const state = { ready: false, ended: false };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        if (decoder.decode(value, { stream: true }).includes('event: ready')) state.ready = true;
      }
      state.ended = true;
    } catch {
      // aborted by the test
    }
  })();
  return {
    status: response.status,
    state,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** Status and body of a request that may answer with an endless stream (then only the status). */
async function openingOf(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (response.headers.get('content-type')?.includes('text/event-stream')) {
    controller.abort();
    return { status: response.status, json: undefined };
  }
  return { status: response.status, json: await response.json() };
}

interface WayOut {
  name: string;
  email: string;
  takeOut: (orgId: string, userId: string) => SQL[];
}

const WAYS_OUT: WayOut[] = [
  {
    name: 'deactivated',
    email: 'contractor1@example.com',
    takeOut: (orgId, userId) => [sql`update users set is_active = false where org_id = ${orgId} and id = ${userId}`],
  },
  {
    name: 'soft-deleted',
    email: 'contractor2@example.com',
    takeOut: (orgId, userId) => [sql`update users set deleted_at = now() where org_id = ${orgId} and id = ${userId}`],
  },
  {
    name: 'hard-deleted',
    email: 'contractor3@example.com',
    // The contractor profile outlives its login; the user row and (by cascade) its refresh tokens go.
    takeOut: (orgId, userId) => [
      sql`update contractors set user_id = null where org_id = ${orgId} and user_id = ${userId}`,
      sql`delete from users where org_id = ${orgId} and id = ${userId}`,
    ],
  },
];

describe.each(kinds)('an account taken out on %s', (kind) => {
  let server: TestServer;
  let instance: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    server = await createTestServer(kind);
    instance = await listen(server.deps);
  });
  afterAll(async () => {
    await instance.close();
    await server.close();
  });

  async function streamToken(accessToken: string) {
    const response = await server.call('POST', '/api/sync/events/token', { token: accessToken });
    expect(response.status).toBe(200);
    return response.json.token as string;
  }

  function pushBody() {
    return {
      clientId: randomUUID(),
      mutations: [
        {
          seq: 1,
          name: 'note.add',
          occurredAt: server.clock.now().toISOString(),
          args: { id: randomUUID(), jobId: randomUUID(), body: 'still here?' },
        },
      ],
    };
  }

  async function liveRefreshTokens(userId: string) {
    const [row] = await server.database.query<{ count: number }>(
      sql`select count(*)::int as count from refresh_tokens where user_id = ${userId} and revoked_at is null`,
    );
    return Number(row?.count);
  }

  test('the bound holds by construction: a remembered answer ages out and a stream re-checks within 5 s', () => {
    expect(ACCOUNT_STATUS_TTL_MS + ACCOUNT_RECHECK_MS).toBeLessThan(BOUND_MS);
  });

  test.each(WAYS_OUT)('$name: every endpoint answers 401 account_disabled and the open stream closes', async (way) => {
    const session = await server.login(way.email);
    const { id: userId, orgId } = session.user;
    const pullPath = `/api/sync/pull?clientId=${randomUUID()}`;
    expect((await server.call('GET', pullPath, { token: session.accessToken })).status).toBe(200);
    const stream = await openStream(instance.url, await streamToken(session.accessToken));
    expect(stream.status).toBe(200);
    await vi.waitFor(() => expect(stream.state.ready).toBe(true));
    const laterStreamToken = await streamToken(session.accessToken);

    onTestFinished(() => stream.close());

    for (const statement of way.takeOut(orgId, userId)) await server.database.query(statement);
    const takenOutAt = performance.now();
    // What this instance last heard about the account ages out (the clock stands in for real time).
    server.clock.advance(ACCOUNT_STATUS_TTL_MS);

    const refusals = {
      pull: await server.call('GET', pullPath, { token: session.accessToken }),
      push: await server.call('POST', '/api/sync/push', { token: session.accessToken, body: pushBody() }),
      clients: await server.call('GET', '/api/sync/clients', { token: session.accessToken }),
      recommendations: await server.call('GET', `/api/jobs/${randomUUID()}/recommendations`, {
        token: session.accessToken,
      }),
      eventsToken: await server.call('POST', '/api/sync/events/token', { token: session.accessToken }),
      events: await openingOf(`${instance.url}/api/sync/events?token=${encodeURIComponent(laterStreamToken)}`),
    };
    for (const [endpoint, response] of Object.entries(refusals)) {
      expect({ endpoint, status: response.status, error: response.json?.error }).toEqual({
        endpoint,
        status: 401,
        error: DISABLED,
      });
    }

    // The stream that was already open closes on its own, within the bound, at the default re-check pace.
    await vi.waitFor(() => expect(stream.state.ended).toBe(true), { timeout: BOUND_MS, interval: 20 });
    expect(performance.now() - takenOutAt).toBeLessThan(BOUND_MS);

    const refresh = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refresh.status).toBe(401);
    // A hard delete took the refresh tokens with the user: nothing is left to say whose the token was.
    expect(refresh.json.error.code).toBe(way.name === 'hard-deleted' ? 'unauthorized' : 'account_disabled');
    expect(await liveRefreshTokens(userId)).toBe(0);
  });

  test('refresh of a turned-off account is refused with account_disabled and ends all its sessions', async () => {
    const phone = await server.login('contractor4@example.com');
    const laptop = await server.login('contractor4@example.com');
    await server.database.query(sql`update users set is_active = false where id = ${phone.user.id}`);

    const refresh = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: phone.refreshToken } });
    expect(refresh.status).toBe(401);
    expect(refresh.json.error).toEqual(DISABLED);
    expect(await liveRefreshTokens(phone.user.id)).toBe(0);
    const other = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: laptop.refreshToken } });
    expect(other.json.error).toEqual(DISABLED);
  });

  test('deactivateUser revokes the sessions and takes effect at once on this instance', async () => {
    const session = await server.login('contractor5@example.com');
    const pullPath = `/api/sync/pull?clientId=${randomUUID()}`;
    expect((await server.call('GET', pullPath, { token: session.accessToken })).status).toBe(200);
    expect(await liveRefreshTokens(session.user.id)).toBe(1);

    await server.deps.auth.deactivateUser({ orgId: session.user.orgId, userId: session.user.id });

    // No clock advance: the instance that made the change forgets what it remembered.
    const pull = await server.call('GET', pullPath, { token: session.accessToken });
    expect(pull.status).toBe(401);
    expect(pull.json.error).toEqual(DISABLED);
    expect(await liveRefreshTokens(session.user.id)).toBe(0);
    const refresh = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refresh.json.error).toEqual(DISABLED);
    const login = await server.call('POST', '/api/auth/login', {
      body: { email: 'contractor5@example.com', password: 'correct horse battery staple' },
    });
    expect(login.status).toBe(401);
    expect(login.json.error.code).toBe('invalid_credentials');
  });

  test('a push from a user removed while this instance still remembers them active is 401, never 500', async () => {
    const session = await server.login('contractor7@example.com');
    const { id: userId, orgId } = session.user;
    const pullPath = `/api/sync/pull?clientId=${randomUUID()}`;
    expect((await server.call('GET', pullPath, { token: session.accessToken })).status).toBe(200);
    const hardDelete = WAYS_OUT.find((way) => way.name === 'hard-deleted');
    for (const statement of hardDelete?.takeOut(orgId, userId) ?? []) await server.database.query(statement);

    // No clock advance: the remembered "active" still stands, so the push itself meets the missing user row.
    const push = await server.call('POST', '/api/sync/push', { token: session.accessToken, body: pushBody() });
    expect(push.status).toBe(401);
    expect(push.json.error.code).toBe('account_disabled');
  });

  // Another instance has no message from the first: only the TTL brings it round. Postgres only (two connections).
  if (kind === 'postgres')
    test('another instance refuses the account once its remembered answer ages out', async () => {
      if (!server.url) throw new Error('postgres url missing');
      const database = await openDatabase({ url: server.url, maxConnections: 2 });
      const other = await buildDeps(
        database,
        { ACCESS_TOKEN_TTL_SECONDS: 900, REFRESH_TOKEN_TTL_DAYS: 30, LOGIN_MAX_FAILURES: 5, LOGIN_WINDOW_MINUTES: 15 },
        { signingKey: SIGNING_KEY, logger: pino({ level: 'silent' }), now: server.clock.now },
      );
      try {
        const session = await server.login('contractor6@example.com');
        const user = { orgId: session.user.orgId, userId: session.user.id, role: 'contractor' as const };
        expect(await other.auth.isAccountActive(user)).toBe(true);
        await server.deps.auth.deactivateUser(user);
        server.clock.advance(ACCOUNT_STATUS_TTL_MS);
        expect(await other.auth.isAccountActive(user)).toBe(false);
      } finally {
        await other.changes.close();
        await database.close();
      }
    });
});
