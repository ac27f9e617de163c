/**
 * A real Fieldsync server in this process: embedded PGlite in a fresh temp
 * directory, the demo company seeded, the built web app served, on a free
 * port. The URL uses `localhost` so the page is a secure context and the
 * service worker runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, startServer } from '@fieldsync/server';
import { assertBuiltApp, webDist } from './built-app';

export const DEMO_PASSWORD = 'browser-test-password';

export interface BrowserTestServer {
  /** `http://localhost:<port>` — what the browser opens. */
  url: string;
  /** `http://127.0.0.1:<port>` — what Node's fetch calls (no IPv6 guessing). */
  apiUrl: string;
  /** Takes the server down (connections refused) until `start`. Its database stays on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database, as after a crash or a deploy. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `webDist`: serve a copy of the built app instead (a test that ships a new
 * version changes it). `env`: more server settings (e.g. `WEBHOOK_ALLOW_PRIVATE`
 * for a stand-in push service on loopback).
 */
export async function startBrowserTestServer(
  options: { webDist?: string; env?: Record<string, string> } = {},
): Promise<BrowserTestServer> {
  assertBuiltApp();
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-browser-'));
  const boot = (port: number) =>
    startServer(
      loadEnv({
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        SEED: 'demo',
        DEMO_PASSWORD,
        WEB_DIST: options.webDist ?? webDist,
        LOG_LEVEL: 'warn',
        ...options.env,
      }),
    );
  let running: Awaited<ReturnType<typeof startServer>> | undefined = await boot(0);
  const { url, port } = running;
  return {
    url,
    apiUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async start() {
      running ??= await boot(port);
    },
    async close() {
      await running?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
