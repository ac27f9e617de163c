/**
 * A new version of the app reaches an open phone: the service worker waits,
 * the app asks before reloading, and changes not sent yet survive the reload
 * and go out afterwards.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  launchChromium,
  OfficeClient,
  openPhone,
  signIn,
  startBrowserTestServer,
  waitForPendingCount,
  waitForServiceWorkerControl,
  webDist,
} from './support';

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('app updates in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;
  let office: OfficeClient;
  // A copy of the build, so shipping "version 2" touches nothing other tests serve.
  const shippedApp = mkdtempSync(join(tmpdir(), 'fieldsync-shipped-'));

  beforeAll(async () => {
    cpSync(webDist, shippedApp, { recursive: true });
    [server, browser] = await Promise.all([startBrowserTestServer({ webDist: shippedApp }), launchChromium()]);
    office = await OfficeClient.signIn(server.apiUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(shippedApp, { recursive: true, force: true });
  });

  test('an update waits for the person, and a change not sent yet survives the reload', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor4@example.com',
      title: 'Update day: kitchen tile',
      time: '06:30',
      materials: [['Tile spacers', 1, 'bag']],
    });
    const phone = await openPhone(browser, server.url);
    const page = phone.page;
    await signIn(page, 'contractor4@example.com');
    await waitForServiceWorkerControl(page);
    await page.locator('.ct-card', { hasText: job.title }).click();
    await page.getByRole('heading', { name: job.title }).waitFor();

    // The sync API goes dark (the app shell stays reachable): the tick stays in the outbox.
    await phone.context.route('**/api/sync/**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('checkbox', { name: /Tile spacers/ }).click();
    await page.getByRole('checkbox', { name: /Tile spacers/, checked: true }).waitFor();
    await waitForPendingCount(page, 1);

    // Version 2 ships: a changed service worker script.
    appendFileSync(join(shippedApp, 'sw.js'), '\n// version 2\n');
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await page.getByText('Update available — reload.').waitFor();
    // Nothing reloaded on its own: the change is still here, still pending.
    expect(await page.getByRole('checkbox', { name: /Tile spacers/ }).isChecked()).toBe(true);

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload now' }).click()]);
    await page.getByRole('heading', { name: job.title }).waitFor();
    const activeAfter = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(registration?.waiting), controlled: Boolean(navigator.serviceWorker.controller) };
    });
    expect(activeAfter).toEqual({ waiting: false, controlled: true });
    expect(await page.getByRole('checkbox', { name: /Tile spacers/ }).isChecked()).toBe(true);
    await waitForPendingCount(page, 1);

    // The connection comes back: the change goes out by itself.
    await phone.context.unroute('**/api/sync/**');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    const everything = await office.pullAll();
    expect(everything.get('materials')?.get(job.materialIds[0] as string)?.purchased).toBe(true);
    await phone.close();
  });
});
