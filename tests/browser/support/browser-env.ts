/**
 * The only place the browser tests read the environment.
 *
 * - `CHROMIUM_PATH`: the Chromium to drive (default Debian's /usr/bin/chromium).
 * - `CI=true`: a missing Chromium fails the run instead of skipping it.
 *
 * It also turns on Playwright's service-worker network events, which must
 * happen before playwright-core is first imported: without them
 * `context.route` never sees the worker's own requests and a test cannot cut
 * the worker off the network.
 */
import { existsSync } from 'node:fs';

process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const inCi = process.env.CI === 'true';

/** Whether the browser tests can run here; throws in CI when Chromium is missing. */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  const message = `Chromium not found at ${chromiumPath} (set CHROMIUM_PATH).`;
  if (inCi) throw new Error(`${message} Browser tests cannot be skipped in CI.`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING BROWSER TESTS: ${message}\n!! Install Debian's chromium package to run them.\n${'!'.repeat(78)}\n`,
  );
  return false;
}
