/**
 * The protocol gate in front of push and pull: versions from
 * `MIN_SUPPORTED_PROTOCOL_VERSION` to `PROTOCOL_VERSION` go through (here to
 * the sign-in check, as no token is sent), anything else is 426
 * `client_outdated` before the body is read. No database: the deps are stand-ins.
 */
import { MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import pino from 'pino';
import { expect, test } from 'vitest';
import { createApp } from '../app';
import type { ServerDeps } from '../http/context';

const deps = {
  database: { kind: 'postgres', isAvailable: () => true, reportFailure: () => false, query: async () => [] },
  logger: pino({ level: 'silent' }),
  now: () => new Date('2026-11-21T15:00:00Z'),
  version: '0.0.0-test',
} as unknown as ServerDeps;
const app = createApp(deps);

const clientId = '0193a1b2-0000-7000-8000-00000000c1e1';

async function syncCalls(version: string | undefined) {
  const headers: Record<string, string> = version === undefined ? {} : { [PROTOCOL_HEADER]: version };
  const push = await app.request('/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ clientId, mutations: [] }),
  });
  const pull = await app.request(`/api/sync/pull?clientId=${clientId}`, { headers });
  return Promise.all(
    [push, pull].map(async (response) => ({
      status: response.status,
      body: (await response.json()) as { error: { code: string; message: string } },
    })),
  );
}

test('every version from the minimum to the current one, and no header, passes the protocol gate', async () => {
  const served = new Set([undefined, String(MIN_SUPPORTED_PROTOCOL_VERSION), String(PROTOCOL_VERSION)]);
  for (const version of served) {
    for (const answer of await syncCalls(version)) {
      expect(answer.status, String(version)).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
    }
  }
});

test('an app older than the minimum is told to update', async () => {
  for (const answer of await syncCalls(String(MIN_SUPPORTED_PROTOCOL_VERSION - 1))) {
    expect(answer.status).toBe(426);
    expect(answer.body).toEqual({
      error: { code: 'client_outdated', message: expect.stringContaining('Update the app') },
    });
  }
});

test('an app newer than the server is refused too, and told to wait rather than update', async () => {
  for (const answer of await syncCalls(String(PROTOCOL_VERSION + 1))) {
    expect(answer.status).toBe(426);
    expect(answer.body.error.code).toBe('client_outdated');
    expect(answer.body.error.message).toContain('newer than this server');
  }
});

test('a header that is not a version number is refused', async () => {
  for (const version of ['abc', '1.5', '', '-1']) {
    for (const answer of await syncCalls(version)) {
      expect(answer.status, JSON.stringify(version)).toBe(426);
      expect(answer.body.error.code).toBe('client_outdated');
    }
  }
});
