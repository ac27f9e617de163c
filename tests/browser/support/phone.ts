/**
 * Chromium driven like a phone: 390×844 touch viewport in the demo company's
 * time zone, service workers on, and an offline switch that also cuts the
 * service worker off (context.setOffline alone does not).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath } from './browser-env';
import { DEMO_TIME_ZONE } from './office-api';
import { DEMO_PASSWORD } from './test-server';

export const PHONE_VIEWPORT = { width: 390, height: 844 };

export async function launchChromium(): Promise<Browser> {
  // Imported here, after browser-env set PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Phone {
  context: BrowserContext;
  page: Page;
  url: string;
  /** Cuts (or restores) the network for pages and the service worker alike. */
  setOffline(offline: boolean): Promise<void>;
  /** Closes the current page and opens the app in a new one (same profile, same IndexedDB). */
  reopen(hash?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function openPhone(browser: Browser, url: string): Promise<Phone> {
  const context = await browser.newContext({
    viewport: PHONE_VIEWPORT,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    timezoneId: DEMO_TIME_ZONE,
    locale: 'en-US',
    serviceWorkers: 'allow',
    colorScheme: 'light',
  });
  // Generous: these machines run other suites alongside, and a starved Chromium can take a while.
  context.setDefaultTimeout(60_000);
  let offline = false;
  // Routes see the worker's requests too (PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS).
  await context.route('**/api/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
  const phone: Phone = {
    context,
    page: await context.newPage(),
    url,
    async setOffline(value) {
      offline = value;
      await context.setOffline(value);
    },
    async reopen(hash = '') {
      await phone.page.close();
      phone.page = await context.newPage();
      await phone.page.goto(`${url}/${hash}`);
      return phone.page;
    },
    close: () => context.close(),
  };
  // Errors from the app end up in the test output, which is where someone debugging looks first.
  // Failed loads while a test has the phone offline are expected, not news.
  context.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (offline && message.text().includes('ERR_INTERNET_DISCONNECTED')) return;
    console.warn(`[phone ${message.type()}] ${message.text()}`);
  });
  await phone.page.goto(url);
  return phone;
}

/** Signs in through the form, the way a person (or a password manager) does. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until a service worker controls the page: from now on the app opens offline. */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 60_000 });
}

/** The pending count the status bar shows. */
export async function pendingCount(page: Page): Promise<number> {
  return Number(await page.locator('.fs-status').getAttribute('data-pending-count'));
}

/** Waits until the status bar's pending count is exactly `count` (or at least it, with `atLeast`). No sleeps. */
export async function waitForPendingCount(
  page: Page,
  count: number,
  options: { atLeast?: boolean; timeout?: number } = {},
): Promise<number> {
  const handle = await page.waitForFunction(
    ({ want, atLeast }) => {
      const text = document.querySelector('.fs-status')?.getAttribute('data-pending-count');
      if (text == null) return false;
      const value = Number(text);
      // An object, not the number: a count of 0 is falsy and would read as "not yet".
      return (atLeast ? value >= want : value === want) ? { value } : false;
    },
    { want: count, atLeast: options.atLeast ?? false },
    { timeout: options.timeout ?? 20_000, polling: 100 },
  );
  return ((await handle.jsonValue()) as { value: number }).value;
}

/**
 * Draws a short scribble on the signature pad with the mouse, as a customer's
 * finger would, once the pad's library has loaded (strokes drawn before that
 * are not recorded, and the form then says nobody signed).
 */
export async function signOnPad(page: Page): Promise<void> {
  await page.locator('.ct-sign__pad[data-state="ready"]').waitFor();
  const pad = page.getByTestId('signature-pad');
  const box = await pad.boundingBox();
  if (!box) throw new Error('The signature pad is not on screen');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let step = 1; step <= 12; step++) {
    await page.mouse.move(box.x + box.width * (0.2 + step * 0.05), box.y + box.height * (0.6 - (step % 3) * 0.1));
  }
  await page.mouse.up();
}

/**
 * A phone with `email` signed in, on their day, the service worker in control
 * and the first sync done: from here the app works offline.
 */
export async function openSignedInPhone(browser: Browser, url: string, email: string): Promise<Phone> {
  const phone = await openPhone(browser, url);
  await signIn(phone.page, email);
  await phone.page.getByRole('heading', { name: 'My day' }).waitFor({ timeout: 60_000 });
  await waitForServiceWorkerControl(phone.page);
  await phone.page.locator('.fs-chip--ready').waitFor({ timeout: 60_000 });
  return phone;
}
