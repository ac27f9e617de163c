import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../db/database';
import type { ServerDeps } from '../http/context';
import { buildDeps } from '../server';
import { listen } from '../testing/listen';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const SIGNING_KEY = new TextEncoder().encode('test-signing-key-that-is-long-enough-0123456789');

/** Opens the event stream and collects event names and comments as they arrive. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/sync/events?token=${encodeURIComponent(token)}`, {
    signal: controller.signal,
  });
  const received: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    let buffer = '';
    try {
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = block.match(/^event: (.+)$/m)?.[1];
          received.push(event ?? (block.startsWith(':') ? 'comment' : 'message'));
          if (event === 'ready') markReady();
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    received,
    ready,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function streamToken(url: string, accessToken: string) {
  const response = await fetch(`${url}/api/sync/events/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return ((await response.json()) as { token: string }).token;
}

describe.each(kinds)('live updates on %s', (kind) => {
  let server: TestServer;
  let instanceA: Awaited<ReturnType<typeof listen>>;
  let secondDeps: ServerDeps | undefined;
  let instanceB: Awaited<ReturnType<typeof listen>> | undefined;

  beforeAll(async () => {
    server = await createTestServer(kind);
    server.deps.heartbeatMs = 100;
    instanceA = await listen(server.deps);
    if (server.url) {
      // A second server instance on the same Postgres: its own connections, its own LISTEN.
      const database = await openDatabase({ url: server.url, maxConnections: 4 });
      secondDeps = await buildDeps(
        database,
        { ACCESS_TOKEN_TTL_SECONDS: 900, REFRESH_TOKEN_TTL_DAYS: 30, LOGIN_MAX_FAILURES: 5, LOGIN_WINDOW_MINUTES: 15 },
        { signingKey: SIGNING_KEY, logger: pino({ level: 'silent' }), now: server.clock.now },
      );
      instanceB = await listen(secondDeps);
    }
  });
  afterAll(async () => {
    await instanceA.close();
    await instanceB?.close();
    if (secondDeps) {
      await secondDeps.changes.close();
      await secondDeps.database.close();
    }
    await server.close();
  });

  async function pushNote(accessToken: string, jobId: string, via = instanceA.url) {
    const response = await fetch(`${via}/api/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: randomUUID(),
        mutations: [
          {
            seq: 1,
            name: 'note.add',
            occurredAt: server.clock.now().toISOString(),
            args: { id: randomUUID(), jobId, body: 'poke me' },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
  }

  async function firstJobOf(contractorEmail: string) {
    const session = await server.login(contractorEmail);
    const pull = await server.call('GET', `/api/sync/pull?clientId=${randomUUID()}`, { token: session.accessToken });
    const job = (pull.json.changes.jobs as Array<{ id: string; status: string }>).find(
      (candidate) => candidate.status !== 'cancelled',
    );
    if (!job) throw new Error(`${contractorEmail} has no job`);
    return { session, jobId: job.id };
  }

  test('the stream opens with ready, then a poke follows a commit in the user scope', async () => {
    const { session, jobId } = await firstJobOf('contractor1@example.com');
    const stream = await openStream(instanceA.url, await streamToken(instanceA.url, session.accessToken));
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    await vi.waitFor(() => expect(stream.received).toContain('ready'));

    const dispatcher = await server.login('dispatcher1@example.com');
    await pushNote(dispatcher.accessToken, jobId);
    await vi.waitFor(() => expect(stream.received).toContain('poke'), { timeout: 5000 });
    await stream.close();
  });

  test('pokes reach only the contractors a change concerns: their jobs, their own row and hours', async () => {
    const dispatcher = await server.login('dispatcher1@example.com');
    const userOf = async (email: string) => {
      const [row] = await server.database.query<{ user_id: string; contractor_id: string }>(
        sql`select u.id as user_id, c.id as contractor_id from users u join contractors c on c.user_id = u.id
            where lower(u.email) = ${email}`,
      );
      if (!row) throw new Error(`no contractor ${email}`);
      return row;
    };
    const hoursChanged = await userOf('contractor3@example.com');
    const bystander = await userOf('contractor4@example.com');
    const { jobId: bystanderJob } = await firstJobOf('contractor4@example.com');
    const pokes = new Map<string, number>();
    const count = (userId: string) => () => pokes.set(userId, (pokes.get(userId) ?? 0) + 1);
    const orgId = server.orgA.orgId;
    const unsubscribe = [
      ...[hoursChanged, bystander].map(({ user_id }) =>
        server.deps.changes.subscribe({ orgId, userId: user_id, role: 'contractor', poke: count(user_id) }),
      ),
      // The office hears of every commit: it counts the notices handled so far.
      server.deps.changes.subscribe({ orgId, userId: 'office', role: 'dispatcher', poke: count('office') }),
    ];

    const response = await server.call('POST', '/api/sync/push', {
      token: dispatcher.accessToken,
      body: {
        clientId: randomUUID(),
        mutations: [
          {
            seq: 1,
            name: 'workingHours.set',
            occurredAt: server.clock.now().toISOString(),
            args: { contractorId: hoursChanged.contractor_id, days: [{ dayOfWeek: 1, start: '07:00', end: '15:00' }] },
          },
        ],
      },
    });
    expect(response.json.results[0].outcome).toBe('applied');
    await pushNote(dispatcher.accessToken, bystanderJob);
    await vi.waitFor(() => expect(pokes.get('office')).toBe(2), { timeout: 5000 });
    expect(pokes.get(hoursChanged.user_id)).toBe(1);
    expect(pokes.get(bystander.user_id)).toBe(1);
    for (const stop of unsubscribe) stop();
  });

  test('heartbeats keep the stream alive while nothing happens', async () => {
    const session = await server.login('dispatcher2@example.com');
    const stream = await openStream(instanceA.url, await streamToken(instanceA.url, session.accessToken));
    await vi.waitFor(() => expect(stream.received.filter((item) => item === 'comment').length).toBeGreaterThan(1), {
      timeout: 5000,
    });
    await stream.close();
  });

  test('a stream without a valid token is refused', async () => {
    const response = await fetch(`${instanceA.url}/api/sync/events?token=nope`);
    expect(response.status).toBe(401);
    // An ordinary access token is not a stream token.
    const session = await server.login('dispatcher2@example.com');
    const wrongAudience = await fetch(`${instanceA.url}/api/sync/events?token=${session.accessToken}`);
    expect(wrongAudience.status).toBe(401);
  });

  test('no subscriber is left behind after 1,000 connect/disconnect cycles', async () => {
    const session = await server.login('dispatcher2@example.com');
    const token = await streamToken(instanceA.url, session.accessToken);
    const before = server.deps.changes.size();
    for (let cycle = 0; cycle < 1000; cycle++) {
      const stream = await openStream(instanceA.url, token);
      await stream.ready;
      await stream.close();
    }
    await vi.waitFor(() => expect(server.deps.changes.size()).toBe(before), { timeout: 10_000 });
  }, 120_000);

  // Two instances need two connections to one server: Postgres only (PGlite delivers in-process, tested above).
  if (kind === 'postgres')
    test('a commit on one instance pokes streams on another (LISTEN/NOTIFY)', async () => {
      if (!instanceB) throw new Error('second instance missing');
      const { session, jobId } = await firstJobOf('contractor2@example.com');
      const stream = await openStream(instanceB.url, await streamToken(instanceB.url, session.accessToken));
      await vi.waitFor(() => expect(stream.received).toContain('ready'));
      const dispatcher = await server.login('dispatcher1@example.com');
      await pushNote(dispatcher.accessToken, jobId, instanceA.url);
      await vi.waitFor(() => expect(stream.received).toContain('poke'), { timeout: 5000 });
      await stream.close();
    });
});
