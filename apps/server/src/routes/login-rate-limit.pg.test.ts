import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createApp } from '../app';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../testing/test-server';

/**
 * Every password the server checked, wrong or right: the expensive step the limit protects.
 * While `gate.hold` is set, checks wait for it, so a test can make sure the whole burst is in
 * flight before any attempt finishes.
 */
const { checked, gate } = vi.hoisted(() => ({
  checked: [] as string[],
  gate: { hold: undefined as Promise<void> | undefined },
}));
vi.mock('../auth/passwords', async (importOriginal) => {
  const passwords = await importOriginal<typeof import('../auth/passwords')>();
  return {
    ...passwords,
    verifyPassword: async (hash: string, password: string) => {
      checked.push(password);
      await gate.hold;
      return passwords.verifyPassword(hash, password);
    },
  };
});

const kinds = await databaseKindsUnderTest();
const LIMIT = 5;
const BURST = 30;

describe.each(kinds)('sign-in limit under a burst on %s', (kind) => {
  let server: TestServer;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    server = await createTestServer(kind, { loginMaxFailures: LIMIT });
    // Over real HTTP, so the burst arrives as separate connections and requests overlap for real.
    const http = serve({ fetch: createApp(server.deps).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => http.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    stop = () => new Promise<void>((resolve) => http.close(() => resolve()));
  });
  afterAll(async () => {
    await stop();
    await server.close();
  });
  beforeEach(() => {
    checked.length = 0;
  });

  async function login(email: string, password: string) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return { status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code };
  }

  test(`${BURST} simultaneous wrong passwords get exactly ${LIMIT} password checks; the rest are refused with 429`, async () => {
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, attempt) => login('contractor9@example.com', `wrong-${attempt}`)),
    );
    expect(checked).toHaveLength(LIMIT);
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BURST - LIMIT);
    expect(results.filter((result) => result.status === 429).every((result) => result.code === 'rate_limited')).toBe(
      true,
    );
    // The limit holds afterwards too, for the right password as well.
    expect((await login('contractor9@example.com', TEST_PASSWORD)).status).toBe(429);
    expect(checked).toHaveLength(LIMIT);
  });

  test('the right password inside a burst of wrong ones does not let more guesses through', async () => {
    let release: () => void = () => {};
    gate.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const burst = Promise.all(
      Array.from({ length: BURST }, (_, attempt) =>
        login('contractor10@example.com', attempt === BURST / 2 ? TEST_PASSWORD : `wrong-${attempt}`),
      ),
    );
    // Every slot is taken before any check finishes, so no finished attempt can make room for another.
    await vi.waitFor(() => expect(checked.length).toBeGreaterThanOrEqual(LIMIT), { timeout: 10_000 });
    release();
    gate.hold = undefined;
    await burst;
    const wrongChecks = () => checked.filter((password) => password !== TEST_PASSWORD).length;
    expect(wrongChecks()).toBeLessThanOrEqual(LIMIT);

    // Nor after it: whether or not the right password got its turn, the guesses stay capped.
    await Promise.all(
      Array.from({ length: BURST }, (_, attempt) => login('contractor10@example.com', `later-${attempt}`)),
    );
    expect(wrongChecks()).toBeLessThanOrEqual(LIMIT);
  });

  test('simultaneous sign-ins with the right password all get in: they wait for a free check, not a refusal', async () => {
    const results = await Promise.all(
      Array.from({ length: 2 * LIMIT }, () => login('dispatcher1@example.com', TEST_PASSWORD)),
    );
    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 2 * LIMIT }, () => 200));
  });

  test('a successful sign-in forgives the failures that came before it', async () => {
    for (const attempt of [1, 2, 3])
      expect((await login('contractor11@example.com', `typo-${attempt}`)).status).toBe(401);
    expect((await login('contractor11@example.com', TEST_PASSWORD)).status).toBe(200);
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await login('contractor11@example.com', `typo-again-${attempt}`)).status).toBe(401);
    }
    expect((await login('contractor11@example.com', TEST_PASSWORD)).status).toBe(429);
  });

  test('limits are per email: a burst against one account leaves the others alone', async () => {
    await Promise.all(Array.from({ length: BURST }, () => login('contractor12@example.com', 'wrong')));
    expect((await login('dispatcher2@example.com', TEST_PASSWORD)).status).toBe(200);
  });
});
