/**
 * Oversized bodies over real sockets: every one must be answered with a
 * readable `400 body_too_large`, never a broken pipe or a reset because the
 * server answered and hung up while the client was still sending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, type RunningServer, startServer } from '@fieldsync/server';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';

const TEN_MIB = 10 * 1024 * 1024;
const ROUNDS = 10;
const CHUNK = new Uint8Array(256 * 1024).fill(0x20);
/**
 * Pause between chunks: the body takes about 1.6 s to send, like a phone on a
 * slow uplink (pacing a sender, not waiting for a condition). A server that
 * answers at once and gives the rest of the body a moment (@hono/node-server
 * allows 500 ms) before hanging up breaks such an upload's pipe every time.
 */
const PACE_MS = 40;

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-bodies-'));
  server = await startServer(
    loadEnv({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SEED: 'none', WEB_DIST: join(dataDir, 'none') }),
    { logger: pino({ level: 'silent' }) },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Sends `size` bytes of body, paced; resolves with the answer, rejects on a socket error. */
function sendLarge(path: string, size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(size);
    const outgoing = request(`${server.url}${path}`, { method: 'POST', headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    let sent = 0;
    const writeMore = () => {
      if (outgoing.destroyed) return;
      if (sent >= size) return void outgoing.end();
      const piece = CHUNK.subarray(0, Math.min(CHUNK.length, size - sent));
      sent += piece.length;
      if (outgoing.write(piece)) setTimeout(writeMore, PACE_MS);
      else outgoing.once('drain', () => setTimeout(writeMore, PACE_MS));
    };
    writeMore();
  });
}

test.each([
  ['/api/sync/push', false],
  ['/api/sync/push', true],
  ['/api/auth/login', false],
  ['/api/auth/refresh', true],
])(
  `10 MiB to %s (chunked: %s), ${ROUNDS} at once: always a readable 400 body_too_large`,
  async (path, chunked) => {
    // All at once, as a fleet of phones would.
    const answers = await Promise.allSettled(Array.from({ length: ROUNDS }, () => sendLarge(path, TEN_MIB, chunked)));
    const outcomes = answers.map((answer) =>
      answer.status === 'rejected'
        ? `socket error ${(answer.reason as NodeJS.ErrnoException).code ?? String(answer.reason)}`
        : `${answer.value.status} ${(JSON.parse(answer.value.body) as { error?: { code?: string } }).error?.code}`,
    );
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => '400 body_too_large'));
  },
  120_000,
);
