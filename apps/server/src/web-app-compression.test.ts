/**
 * How the built web app is served: the precompressed copy the build wrote
 * (`.br`, else `.gz`) when the browser accepts it, the file itself otherwise,
 * every answer keyed on Accept-Encoding, and the cache rules that let updates
 * arrive. The "build" is a temp folder written here; no database is needed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from './app';
import type { ServerDeps } from './http/context';

const IMMUTABLE = 'public, max-age=31536000, immutable';

const script = Buffer.from(`export const jobs = [${'"replace the pump seal", '.repeat(200)}];\n`);
const shell = Buffer.from(
  `<!doctype html><title>Fieldsync</title>${'<!-- shell -->'.repeat(100)}<div id="root"></div>`,
);
const worker = Buffer.from('self.addEventListener("fetch", () => {});\n');

/** A web build as apps/web/vite.config.ts writes it: originals, plus `.br` and `.gz` for the larger text files. */
function fakeWebDist() {
  const webDist = mkdtempSync(join(tmpdir(), 'fieldsync-web-'));
  mkdirSync(join(webDist, 'assets'));
  const writeWithCompressedCopies = (path: string, content: Buffer) => {
    writeFileSync(join(webDist, path), content);
    writeFileSync(join(webDist, `${path}.br`), brotliCompressSync(content));
    writeFileSync(join(webDist, `${path}.gz`), gzipSync(content));
  };
  writeWithCompressedCopies('assets/index-Ab12Cd34.js', script);
  writeWithCompressedCopies('index.html', shell);
  // Below the build's size threshold: no compressed copies.
  writeFileSync(join(webDist, 'sw.js'), worker);
  return webDist;
}

function fakeDeps() {
  return {
    database: { kind: 'postgres', isAvailable: () => true, reportFailure: () => false },
    logger: pino({ level: 'silent' }),
    now: () => new Date('2026-11-30T06:00:00Z'),
    version: '0.0.0-test',
  } as unknown as ServerDeps;
}

async function bodyOf(response: Response) {
  return Buffer.from(await response.arrayBuffer());
}

describe('serving the built web app', () => {
  const webDist = fakeWebDist();
  afterAll(() => rmSync(webDist, { recursive: true, force: true }));
  const app = createApp(fakeDeps(), { webDist });
  const get = (path: string, acceptEncoding?: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} });

  test('Brotli when the browser accepts it, with the original content type', async () => {
    const response = await get('/assets/index-Ab12Cd34.js', 'gzip, deflate, br');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    const body = await bodyOf(response);
    expect(body.length).toBeLessThan(script.length);
    expect(brotliDecompressSync(body).equals(script)).toBe(true);
  });

  test('gzip when that is all the browser accepts', async () => {
    const response = await get('/assets/index-Ab12Cd34.js', 'gzip');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(gunzipSync(await bodyOf(response)).equals(script)).toBe(true);
  });

  test('the file itself when the browser accepts no compression, still keyed on Accept-Encoding', async () => {
    for (const acceptEncoding of [undefined, 'identity']) {
      const response = await get('/assets/index-Ab12Cd34.js', acceptEncoding);
      expect(response.headers.get('content-encoding'), acceptEncoding).toBeNull();
      expect(response.headers.get('vary'), acceptEncoding).toBe('Accept-Encoding');
      expect(response.headers.get('cache-control'), acceptEncoding).toBe(IMMUTABLE);
      expect((await bodyOf(response)).equals(script), acceptEncoding).toBe(true);
    }
  });

  test('the shell is compressed too and re-checked on every load', async () => {
    const response = await get('/', 'br, gzip');
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(brotliDecompressSync(await bodyOf(response)).equals(shell)).toBe(true);
  });

  test('a client-side route gets the shell, compressed when asked, never cached as immutable', async () => {
    for (const path of ['/jobs/8f2c', '/assets/index-Gone0000.js']) {
      const compressed = await get(path, 'gzip');
      expect(compressed.status, path).toBe(200);
      expect(compressed.headers.get('content-encoding'), path).toBe('gzip');
      expect(compressed.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(compressed.headers.get('vary'), path).toBe('Accept-Encoding');
      expect(compressed.headers.get('cache-control'), path).toBe('no-cache');
      expect(gunzipSync(await bodyOf(compressed)).equals(shell), path).toBe(true);

      const plain = await get(path);
      expect(plain.headers.get('content-encoding'), path).toBeNull();
      expect(plain.headers.get('vary'), path).toBe('Accept-Encoding');
      expect((await bodyOf(plain)).equals(shell), path).toBe(true);
    }
  });

  test('a file with no compressed copy is sent as it is, not cached as immutable', async () => {
    const response = await get('/sw.js', 'br, gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect((await bodyOf(response)).equals(worker)).toBe(true);
  });

  test('HEAD gives the size of the copy a GET would send, and no body', async () => {
    const compressedSize = brotliCompressSync(script).length;
    const response = await get('/assets/index-Ab12Cd34.js', 'br', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-length')).toBe(String(compressedSize));
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect((await bodyOf(response)).length).toBe(0);
  });

  test('a range is taken from the copy being sent', async () => {
    const plain = await app.request('/assets/index-Ab12Cd34.js', { headers: { Range: 'bytes=0-9' } });
    expect(plain.status).toBe(206);
    expect(plain.headers.get('content-range')).toBe(`bytes 0-9/${script.length}`);
    expect((await bodyOf(plain)).equals(script.subarray(0, 10))).toBe(true);

    const gzipped = gzipSync(script);
    const compressed = await app.request('/assets/index-Ab12Cd34.js', {
      headers: { Range: 'bytes=0-9', 'Accept-Encoding': 'gzip' },
    });
    expect(compressed.status).toBe(206);
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    expect(compressed.headers.get('content-range')).toBe(`bytes 0-9/${gzipped.length}`);
    expect(compressed.headers.get('vary')).toBe('Accept-Encoding');
  });

  test('the API is not touched by any of this', async () => {
    const response = await get('/api/no-such-thing', 'br, gzip');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBeNull();
  });
});
