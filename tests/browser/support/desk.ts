/**
 * Chromium driven like an office desktop: 1440×900 in the demo company's
 * time zone, service workers on, and an offline switch that also cuts the
 * service worker off.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_TIME_ZONE } from './office-api';

export const DESK_VIEWPORT = { width: 1440, height: 900 };

export interface Desk {
  context: BrowserContext;
  page: Page;
  setOffline(offline: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Opens `url` in a fresh desktop profile (nobody signed in). `label` names its console output. */
export async function openDeskAt(browser: Browser, url: string, label: string): Promise<Desk> {
  const context = await browser.newContext({
    viewport: DESK_VIEWPORT,
    deviceScaleFactor: 1,
    timezoneId: DEMO_TIME_ZONE,
    locale: 'en-US',
    serviceWorkers: 'allow',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(60_000);
  let offline = false;
  await context.route('**/api/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (offline && message.text().includes('ERR_INTERNET_DISCONNECTED')) return;
    console.warn(`[desk ${label}] ${message.text()}`);
  });
  const page = await context.newPage();
  // A render that throws leaves a blank page: say why in the test output.
  page.on('pageerror', (error) => console.warn(`[desk ${label}] uncaught: ${error.stack ?? error.message}`));
  await page.goto(url);
  return {
    context,
    page,
    async setOffline(value) {
      offline = value;
      await context.setOffline(value);
    },
    close: () => context.close(),
  };
}

/** Goes to a screen by its hash route, as a link click would. */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((value) => {
    window.location.hash = value;
  }, hash);
}
