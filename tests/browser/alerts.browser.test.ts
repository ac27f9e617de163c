/**
 * Alerts end to end in real Chromium: a contractor puts a high-priority job on
 * hold for materials on the phone and the dispatcher's bell shows it within
 * seconds, without a reload; the office adds a rule in the Alerts editor, and
 * a new assignment reaches the phone as a Web Push (through a stand-in push
 * service on loopback, whose encrypted body the test decrypts with the keys
 * only the "browser" holds) and as an entry on the phone's own bell.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { type BrowserPushKeys, browserPushKeys, decryptPushBody } from '@fieldsync/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  goTo,
  invitedContractor,
  launchChromium,
  OfficeClient,
  openDeskAt,
  openPhone,
  type Phone,
  saveScreenshot,
  signIn,
  startBrowserTestServer,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();
const PASSWORD = 'slate-gutter-lantern-47';

interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in push service on a free loopback port: keeps every push it is sent and answers 201. */
async function startPushService(): Promise<{ url: string; received: ReceivedPush[]; close(): Promise<void> }> {
  const received: ReceivedPush[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Waits for `check` to return a value, polling; fails with `what` after `timeoutMs`. */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The bell's unread count as the header shows it (0 when the badge is hidden). */
async function unreadCount(page: Page): Promise<number> {
  const label = (await page.getByTestId('notification-bell').first().getAttribute('aria-label')) ?? '';
  const match = /(\d+)\s+unread/.exec(label);
  return match ? Number(match[1]) : 0;
}

async function signInPhone(phone: Phone, email: string): Promise<void> {
  await phone.page.getByLabel('Email').fill(email);
  await phone.page.getByLabel('Password').fill(PASSWORD);
  await phone.page.getByRole('button', { name: 'Sign in' }).click();
  await phone.page.getByRole('heading', { name: 'My day' }).waitFor();
  await phone.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });
}

/** Hands a decrypted push to the phone's service worker, as the browser's push service would (DevTools protocol). */
async function deliverToServiceWorker(phone: Phone, origin: string, data: string): Promise<void> {
  const cdp = await phone.context.newCDPSession(phone.page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
      const live = event.registrations.find((registration) => !registration.isDeleted);
      if (live) resolve(live.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: await registrationId, data });
}

describe.skipIf(!runnable)('alerts in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;
  let office: OfficeClient;
  let pushService: Awaited<ReturnType<typeof startPushService>>;
  const open: Array<{ close(): Promise<void> }> = [];
  const suffix = randomUUID().slice(0, 6);
  const email = `bea-${suffix}@example.com`;

  beforeAll(async () => {
    pushService = await startPushService();
    [server, browser] = await Promise.all([
      // Loopback targets allowed: the stand-in push service lives on 127.0.0.1.
      startBrowserTestServer({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }),
      launchChromium(),
    ]);
    office = await OfficeClient.signIn(server.apiUrl);
    await invitedContractor(server.apiUrl, { name: 'Bea Whitfield', email, trade: 'tile', password: PASSWORD });
  });

  afterAll(async () => {
    for (const item of open) await item.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await pushService?.close();
  });

  test("a job waiting on materials reaches the dispatcher's bell within seconds, without a reload", async () => {
    const job = await bookJobFor(office, {
      contractorEmail: email,
      title: `Shower niche retile ${suffix}`,
      time: '06:00',
      startJob: true,
    });
    const [jobRow] = (await office.rows('jobs')).filter((row) => row.id === job.jobId);
    const jobNumber = String(jobRow?.jobNumber);

    const desk = await openDeskAt(browser, server.url, 'dispatcher');
    open.push(desk);
    await signIn(desk.page, 'dispatcher1@example.com');
    await desk.page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await desk.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });
    const before = await unreadCount(desk.page);

    const phone = await openPhone(browser, server.url);
    open.push(phone);
    await signInPhone(phone, email);
    await phone.page.locator('.ct-card', { hasText: job.title }).click();
    await phone.page.getByRole('heading', { name: job.title }).waitFor();
    await phone.page.getByRole('button', { name: 'Waiting on materials' }).click();
    await phone.page.getByLabel(/Which materials are you waiting for/).fill('Niche trim back-ordered');
    await phone.page.getByRole('button', { name: 'Waiting on materials' }).click();
    await phone.page.locator('.ct-job-head [data-status="waiting_on_materials"]').waitFor();

    // The desk was left alone: the live channel brings the notification, no reload.
    await desk.page.waitForFunction(
      (count) => {
        const label = document.querySelector('[data-testid="notification-bell"]')?.getAttribute('aria-label') ?? '';
        return Number(/(\d+)\s+unread/.exec(label)?.[1] ?? 0) > count;
      },
      before,
      { timeout: 15_000, polling: 100 },
    );
    await saveScreenshot(desk.page, 'alerts-desk-bell');
    await desk.page.getByTestId('notification-bell').first().click();
    const item = desk.page
      .getByTestId('notification-item')
      .filter({ hasText: `Job ${jobNumber} is waiting on materials` });
    await item.waitFor();
    await expect(item.getAttribute('data-read')).resolves.toBe('false');
    await desk.page
      .getByText(/Niche trim back-ordered/)
      .first()
      .waitFor();
    await saveScreenshot(desk.page, 'alerts-desk-feed');

    // A tap marks it read and opens the job, whose timeline lists the alert.
    await item.click();
    await desk.page.getByRole('heading', { name: job.title }).waitFor();
    await desk.page
      .getByTestId('job-timeline-alert')
      .filter({ hasText: /waiting on materials/i })
      .first()
      .waitFor();
    await saveScreenshot(desk.page, 'alerts-desk-job-timeline', { fullPage: true });
    await goTo(desk.page, '#/notifications');
    await desk.page
      .getByTestId('notification-item')
      .filter({ hasText: `Job ${jobNumber} is waiting on materials` })
      .and(desk.page.locator('[data-read="true"]'))
      .waitFor();

    // The Alerts screen: the company's default rules and the delivery just made.
    await desk.page.getByTestId('nav-alerts').click();
    await desk.page.getByTestId('alert-rule-row').filter({ hasText: 'Job waiting on materials' }).waitFor();
    expect(await desk.page.getByTestId('alert-rule-row').count()).toBe(7);
    await desk.page.getByTestId('alert-delivery-row').filter({ hasText: jobNumber }).first().waitFor();
    await saveScreenshot(desk.page, 'alerts-desk-rules');
    await desk.page.getByTestId('alert-delivery-row').first().scrollIntoViewIfNeeded();
    await saveScreenshot(desk.page, 'alerts-desk-deliveries');
  });

  test('a new assignment reaches the phone as a push and on its bell', async () => {
    const phone = await openPhone(browser, server.url);
    open.push(phone);
    await phone.context.grantPermissions(['notifications'], { origin: server.url });
    await signInPhone(phone, email);

    // Offered after the first sync, not on first load. Headless Chromium has no push service to
    // subscribe with, so turning on ends in the card's calm explanation rather than a subscription.
    await phone.page.getByTestId('push-prompt-card').waitFor();
    await phone.page.getByTestId('push-prompt-turn-on').click();
    await phone.page.getByTestId('push-prompt-problem').waitFor({ timeout: 30_000 });
    await saveScreenshot(phone.page, 'alerts-phone-push-card-problem');
    await phone.page.getByTestId('push-prompt-dismiss').click();
    await phone.page.getByTestId('push-prompt-card').waitFor({ state: 'detached' });

    // The phone's browser subscribes with keys only it holds (here: the test's), at the stand-in push service.
    const keys: BrowserPushKeys = browserPushKeys();
    const login = (await (
      await fetch(`${server.apiUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify({ email, password: PASSWORD }),
      })
    ).json()) as { accessToken: string };
    const subscribed = await fetch(`${server.apiUrl}/api/push/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
      body: JSON.stringify(keys.json(`${pushService.url}/push/${suffix}`)),
    });
    expect(subscribed.status).toBe(201);

    // The office adds a rule in the editor: every new assignment also goes on the contractor's own bell.
    const desk = await openDeskAt(browser, server.url, 'dispatcher-2');
    open.push(desk);
    await signIn(desk.page, 'dispatcher2@example.com');
    await desk.page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await goTo(desk.page, '#/alerts/new');
    const name = `New job on the contractor's bell ${suffix}`;
    await desk.page.getByTestId('alert-rule-name').fill(name);
    await desk.page.getByTestId('alert-rule-event').selectOption('assignment.created');
    await desk.page.getByTestId('alert-channel-dashboard').check();
    await desk.page.getByTestId('alert-recipient-assigned_contractor').check();
    await desk.page.getByTestId('alert-rule-preview').waitFor();
    await saveScreenshot(desk.page, 'alerts-desk-editor');
    await desk.page.getByTestId('alert-rule-preview').scrollIntoViewIfNeeded();
    await saveScreenshot(desk.page, 'alerts-desk-editor-preview');
    await desk.page.getByTestId('alert-rule-save').click();
    await desk.page.getByTestId('alert-rule-row').filter({ hasText: name }).waitFor();
    await waitForPendingCount(desk.page, 0, { timeout: 30_000 });
    const rules = await office.rows('alertRules');
    expect(rules.some((rule) => rule.name === name)).toBe(true);

    const unreadBefore = await unreadCount(phone.page);
    const job = await bookJobFor(office, { contractorEmail: email, title: `Backsplash ${suffix}`, time: '20:00' });

    // The push service got one encrypted, VAPID-signed message for the phone.
    const push = await eventually('a push at the stand-in push service', () =>
      pushService.received.find((request) => request.path === `/push/${suffix}`),
    );
    expect(push.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    const message = JSON.parse(decryptPushBody(push.body, keys)) as { title: string; jobId?: string; url?: string };
    expect(message.title).toMatch(new RegExp(`^New job: ${job.title}, \\w{3} \\w{3} \\d{1,2}, 8:00 PM$`));
    expect(message.jobId).toBe(job.jobId);

    // The phone's service worker shows it.
    await deliverToServiceWorker(phone, server.url, JSON.stringify(message));
    await phone.page.waitForFunction(
      async (title) => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).some((notification) => notification.title === title);
      },
      message.title,
      { timeout: 15_000, polling: 200 },
    );

    // And the phone's own bell counts the new job; a tap opens it.
    await phone.page.waitForFunction(
      (count) => {
        const label = document.querySelector('[data-testid="notification-bell"]')?.getAttribute('aria-label') ?? '';
        return Number(/(\d+)\s+unread/.exec(label)?.[1] ?? 0) > count;
      },
      unreadBefore,
      { timeout: 15_000, polling: 100 },
    );
    await saveScreenshot(phone.page, 'alerts-phone-bell');
    await phone.page.getByTestId('notification-bell').first().click();
    const item = phone.page.getByTestId('notification-item').filter({ hasText: job.title });
    await item.waitFor();
    await saveScreenshot(phone.page, 'alerts-phone-feed');
    await item.click();
    await phone.page.getByRole('heading', { name: job.title }).waitFor();

    // The office's Alerts screens hold up on a phone-sized window too.
    await desk.page.setViewportSize({ width: 390, height: 844 });
    await goTo(desk.page, '#/alerts');
    await desk.page.getByTestId('alert-rule-row').filter({ hasText: name }).waitFor();
    await saveScreenshot(desk.page, 'alerts-narrow-rules');
    await desk.page.getByTestId('alert-rule-row').filter({ hasText: name }).getByTestId('alert-rule-edit').click();
    await desk.page.getByTestId('alert-rule-preview').scrollIntoViewIfNeeded();
    await saveScreenshot(desk.page, 'alerts-narrow-editor-preview');
  });
});
