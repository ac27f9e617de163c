/**
 * Event streams held open by phones that stopped reading (asleep, on a
 * saturated line) must not slow anyone else: with 25 such streams open, a
 * device that reads still hears every change within moments, and pushes
 * answer as usual. Pokes coalesce per stream, so a stream that does not read
 * holds at most one unsent poke, however many changes happen.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen } from '../testing/listen';
import { createJobFixture, type Device, openDevice, pushApplied } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const SILENT_STREAMS = 25;

/** Resolves once `check` holds, polling; fails with `what` after `deadlineMs`. */
async function eventually(what: string, check: () => boolean, deadlineMs = 10_000) {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(kinds)('event streams that stop reading, on %s', (kind) => {
  let server: TestServer;
  let live: { url: string; close(): Promise<void> };
  let office: Device;
  const silent: Socket[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind);
    live = await listen(server.deps);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(async () => {
    for (const socket of silent) socket.destroy();
    await live.close();
    await server.close();
  });

  /** An event stream whose reader never reads: the socket is paused once the request is out. */
  function openSilentStream(token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(live.url);
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `GET /api/sync/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`,
          () => {
            socket.pause();
            resolve();
          },
        );
      });
      socket.on('error', reject);
      silent.push(socket);
    });
  }

  test('a reading device hears every change while 25 silent streams stay open', async () => {
    for (let index = 0; index < SILENT_STREAMS; index++) await openSilentStream(office.token);

    const controller = new AbortController();
    const response = await fetch(`${live.url}/api/sync/events`, {
      headers: { authorization: `Bearer ${office.token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const events: string[] = [];
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    const pump = (async () => {
      try {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          for (const match of decoder.decode(chunk.value, { stream: true }).matchAll(/^event: (\w+)$/gm)) {
            events.push(match[1] as string);
          }
        }
      } catch {
        // Aborted at the end of the test.
      }
    })();
    await eventually('the stream to be ready', () => events.includes('ready'));

    const { jobId } = await createJobFixture(server, office);
    for (let change = 0; change < 20; change++) {
      const pokesBefore = events.filter((event) => event === 'poke').length;
      await pushApplied(server, office, [
        { name: 'note.add', args: { id: randomUUID(), jobId, body: `Change ${change}` } },
      ]);
      await eventually(`the poke for change ${change}`, () => events.filter((e) => e === 'poke').length > pokesBefore);
    }
    expect(silent.every((socket) => !socket.destroyed)).toBe(true);
    controller.abort();
    await pump;
  });
});
