/**
 * The dispatcher desktop end to end, in real Chromium against a real server
 * (embedded PGlite, demo company): create a customer and a job, assign the
 * top recommendation and watch the contractor start it live; edit and cancel
 * offline and see both reach the server; a conflict between two dispatchers
 * shown and flipped in one click; screenshots of the main screens at
 * 1440×900. No sleeps: every wait is on a locator or on the server's data.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  chromiumAvailable,
  type Desk,
  goTo,
  launchChromium,
  OfficeClient,
  openDeskAt,
  openPhone,
  type Phone,
  saveScreenshot,
  signIn,
  startBrowserTestServer,
  todayInDemoZone,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();
/** A desktop profile signed in as `email`, after its first full pull. */
async function openDesk(browser: Browser, server: BrowserTestServer, email: string): Promise<Desk> {
  const desk = await openDeskAt(browser, server.url, email);
  await signIn(desk.page, email);
  await desk.page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
  // The first full pull has finished once the status bar shows a last sync time.
  await desk.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });
  return desk;
}

/** The board's row for a job, found through the search box (the list is windowed, so search rather than scroll). */
async function boardRow(page: Page, title: string) {
  await goTo(page, '#/board');
  await page.getByRole('searchbox', { name: 'Search jobs' }).fill(title);
  return page.locator('.dsp-table-row', { hasText: title });
}

/** Waits until the server holds a row of `table` that satisfies `check`; polls the API, no fixed sleeps. */
async function waitForServerRow(
  office: OfficeClient,
  table: string,
  id: string,
  check: (row: Record<string, unknown>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> | undefined;
  for (;;) {
    last = (await office.rows(table)).find((row) => row.id === id);
    if (last && check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`Server row ${table}/${id} never matched; last seen ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates a job over the API for a demo customer, today; returns its id. */
async function createJob(office: OfficeClient, title: string): Promise<string> {
  const customer = (await office.rows('customers')).find((row) => row.address);
  if (!customer) throw new Error('No demo customer with an address');
  const id = randomUUID();
  await office.pushApplied([
    {
      name: 'job.create',
      args: {
        id,
        title,
        customerId: customer.id,
        trade: 'general',
        priority: 'medium',
        desiredDate: todayInDemoZone(),
        durationMinutes: 60,
        address: customer.address,
      },
    },
  ]);
  return id;
}

describe.skipIf(!runnable)('dispatcher desktop in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;
  let office: OfficeClient;
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserTestServer(), launchChromium()]);
    office = await OfficeClient.signIn(server.apiUrl);
  });

  afterAll(async () => {
    for (const item of open) await item.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('during the first sync the board says jobs are loading, then shows them as the pull lands', async () => {
    const desk = await openDeskAt(browser, server.url, 'first-sync');
    open.push(desk);
    // The first pull is held until the screen has been checked: the state between sign-in and the first page.
    let releasePull = () => {};
    const pullHeld = new Promise<void>((resolve) => {
      releasePull = resolve;
    });
    let pulls = 0;
    await desk.page.route('**/api/sync/pull**', async (route) => {
      pulls++;
      if (pulls === 1) await pullHeld;
      await route.fallback();
    });
    await signIn(desk.page, 'dispatcher2@example.com');
    await desk.page.getByText('Loading your company’s jobs… They appear here as they arrive.').waitFor();
    await desk.page.getByText('First sync…').waitFor();
    expect(await desk.page.getByText('No jobs match').count()).toBe(0);
    await saveScreenshot(desk.page, 'dispatcher-first-sync-1440');
    // The columns view says the same, above its empty columns.
    const layout = desk.page.getByRole('group', { name: 'Board layout' });
    await layout.getByRole('button', { name: 'By status' }).click();
    await desk.page.getByText('Loading your company’s jobs… They appear here as they arrive.').waitFor();
    await saveScreenshot(desk.page, 'dispatcher-first-sync-columns-1440');
    await layout.getByRole('button', { name: 'Table' }).click();

    releasePull();
    await desk.page.locator('.dsp-table-row').first().waitFor();
    await desk.page.getByText(/Last synced/).waitFor();
    expect(await desk.page.getByText('Loading your company’s jobs…').count()).toBe(0);
  });

  test('create a customer and a job, assign the top recommendation, the contractor starts it live', async () => {
    const started = Date.now();
    const desk = await openDesk(browser, server, 'dispatcher1@example.com');
    open.push(desk);
    const { page } = desk;
    await saveScreenshot(page, 'dispatcher-board');

    // Customer, then straight on to a job for them.
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByRole('heading', { name: 'New customer' }).waitFor();
    await page.getByRole('button', { name: 'Create customer' }).click();
    // Per-field validation from the protocol's schema: the name is required.
    await page.locator('#dsp-customer-name-error').waitFor();
    await page.getByLabel('Name').fill('Harper & Lane Dental');
    await page.getByLabel('Phone').fill('(303) 555-0199');
    await page.getByLabel('Address').fill('1600 Glenarm Pl, Denver, CO');
    await page.getByLabel('Latitude').fill('39.7445');
    await page.getByLabel('Longitude').fill('-104.9893');
    await page.getByRole('button', { name: 'Create customer' }).click();

    const title = `Waiting-room vinyl plank ${randomUUID().slice(0, 6)}`;
    await page.getByRole('heading', { name: 'New job' }).waitFor();
    await page.getByLabel('Duration (minutes)').fill('10');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.locator('#dsp-job-title-error').waitFor();
    await page.locator('#dsp-job-duration-error').waitFor();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Trade').selectOption('flooring');
    await page.getByLabel('Priority').selectOption('high');
    await page.getByLabel('Duration (minutes)').fill('120');
    await expect.poll(() => page.getByLabel('Address').inputValue()).toBe('1600 Glenarm Pl, Denver, CO');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    // The server numbers the job; the number shows once it has synced.
    await page.locator('.dsp-detail-number .dsp-jobnum:not(.dsp-jobnum-pending)').waitFor({ timeout: 20_000 });
    expect(await page.locator('.dsp-detail-number .dsp-jobnum').textContent()).toMatch(/^JOB-\d{8}-[A-Z0-9]{6}$/);

    // Recommendations: wait for the server's ranking or the labelled local fallback, then read the top candidate.
    await page.getByRole('link', { name: 'Recommend & assign' }).click();
    const source = page.getByTestId('recommendation-source');
    await expect.poll(() => source.textContent(), { timeout: 15_000 }).not.toMatch(/checking the server/);
    const top = page.locator('.dsp-rec').first();
    await top.waitFor();
    const contractorId = await top.getAttribute('data-contractor-id');
    const contractor = (await office.rows('contractors')).find((row) => row.id === contractorId);
    expect(contractor?.email).toBeTruthy();
    await saveScreenshot(page, 'dispatcher-recommendations');

    // The contractor is signed in before the assignment exists, so the job must arrive live.
    const phone: Phone = await openPhone(browser, server.url);
    open.push(phone);
    await signIn(phone.page, String(contractor?.email));
    await phone.page.getByRole('heading', { name: 'My day' }).waitFor();
    await phone.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });
    expect(await phone.page.locator('.ct-card', { hasText: title }).count()).toBe(0);

    await top.getByRole('button', { name: /^Propose/ }).click();
    await page.getByText(/^Proposed to/).waitFor();
    await waitForPendingCount(page, 0);
    const assigned = Date.now();

    const card = phone.page.locator('.ct-card', { hasText: title });
    await card.waitFor({ timeout: 15_000 });
    const seenByContractor = Date.now();
    await card.click();
    await phone.page.getByRole('heading', { name: title }).waitFor();
    await phone.page.getByRole('button', { name: 'Start job' }).click();
    await phone.page.locator('.ct-job-head [data-status="in_progress"]').waitFor();
    const startedOnPhone = Date.now();

    // The dispatcher's board follows by itself (poke → pull → live query).
    const row = await boardRow(page, title);
    await row.locator('.dsp-status-in_progress').waitFor({ timeout: 10_000 });
    const seenByDispatcher = Date.now();
    await row.getByText(String(contractor?.name)).waitFor();

    // The job's timeline: who, when it happened and was recorded, from which device.
    await row.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    const statusEntry = page.locator('.dsp-tl-status', { hasText: 'In progress' }).first();
    await statusEntry.waitFor();
    await statusEntry.getByText(String(contractor?.name)).waitFor();
    await statusEntry.locator('code').waitFor();
    await saveScreenshot(page, 'dispatcher-timeline');

    // Device sync health: the contractor's phone has synced just now and holds their latest schedule.
    await goTo(page, '#/devices');
    const health = page.locator('.dsp-health-group', { hasText: String(contractor?.name) });
    await health.getByText('Up to date').waitFor({ timeout: 15_000 });
    expect(await health.getAttribute('data-stale')).toBe('false');
    await saveScreenshot(page, 'dispatcher-device-health');

    console.info(
      `[dispatcher e2e] signed in → assigned ${assigned - started} ms; on the phone after ${seenByContractor - assigned} ms; ` +
        `board shows in progress ${seenByDispatcher - startedOnPhone} ms after the phone`,
    );
  });

  test('offline: edit one job and cancel another, both reach the server on reconnect', async () => {
    const renameId = await createJob(office, 'Offline rename: garage epoxy');
    const cancelId = await createJob(office, 'Offline cancel: porch tile');
    const desk = await openDesk(browser, server, 'dispatcher1@example.com');
    open.push(desk);
    const { page } = desk;
    await (await boardRow(page, 'Offline cancel: porch tile')).waitFor();

    await desk.setOffline(true);
    await page.getByText('Offline', { exact: true }).first().waitFor();

    await goTo(page, `#/jobs/${renameId}/edit`);
    await page.getByRole('heading', { name: 'Edit job' }).waitFor();
    await page.getByLabel('Title').fill('Offline rename: garage epoxy, two coats');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Offline rename: garage epoxy, two coats' }).waitFor();

    await goTo(page, `#/jobs/${cancelId}`);
    await page.getByRole('heading', { name: 'Offline cancel: porch tile' }).waitFor();
    await page.getByRole('button', { name: 'Cancel job…' }).click();
    await page.getByLabel('Reason (optional)').fill('Customer postponed to spring');
    await page.getByRole('button', { name: 'Confirm cancel' }).click();
    await page.locator('.dsp-detail-sub .dsp-status-cancelled').waitFor();
    await waitForPendingCount(page, 2);

    await desk.setOffline(false);
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await waitForServerRow(office, 'jobs', renameId, (row) => row.title === 'Offline rename: garage epoxy, two coats');
    await waitForServerRow(office, 'jobs', cancelId, (row) => row.status === 'cancelled');
  });

  test('two dispatchers edit the same field, one offline: one conflict, flipped in one click on both screens', async () => {
    const jobId = await createJob(office, 'Conflict: basement carpet');
    const [first, second] = await Promise.all([
      openDesk(browser, server, 'dispatcher1@example.com'),
      openDesk(browser, server, 'dispatcher2@example.com'),
    ]);
    open.push(first, second);
    for (const desk of [first, second]) {
      await goTo(desk.page, `#/jobs/${jobId}`);
      await desk.page.getByRole('heading', { name: 'Conflict: basement carpet' }).waitFor();
    }

    // The second dispatcher edits offline first; the first edits later, online, so theirs is the later change.
    await second.setOffline(true);
    await second.page.getByText('Offline', { exact: true }).first().waitFor();
    await goTo(second.page, `#/jobs/${jobId}/edit`);
    await second.page.getByLabel('Title').fill('Conflict: basement carpet (offline wording)');
    await second.page.getByRole('button', { name: 'Save changes' }).click();
    await second.page.getByRole('heading', { name: 'Conflict: basement carpet (offline wording)' }).waitFor();

    await goTo(first.page, `#/jobs/${jobId}/edit`);
    await first.page.getByLabel('Title').fill('Conflict: basement carpet (office wording)');
    await first.page.getByRole('button', { name: 'Save changes' }).click();
    await waitForPendingCount(first.page, 0);
    await waitForServerRow(office, 'jobs', jobId, (row) => row.title === 'Conflict: basement carpet (office wording)');

    await second.setOffline(false);
    await waitForPendingCount(second.page, 0, { timeout: 30_000 });

    // Exactly one open conflict, in both inboxes, with both values side by side.
    for (const desk of [first, second]) {
      await goTo(desk.page, '#/conflicts');
      const item = desk.page.locator('.dsp-conflict', { hasText: 'Conflict: basement carpet' });
      await item.waitFor({ timeout: 15_000 });
      expect(await desk.page.locator('.dsp-conflict').count()).toBe(1);
      await item.getByTestId('winner-value').getByText('(office wording)').waitFor();
      await item.getByTestId('loser-value').getByText('(offline wording)').waitFor();
    }
    await saveScreenshot(first.page, 'dispatcher-conflicts');

    await first.page.getByRole('button', { name: 'Use the other value' }).click();
    await first.page.getByText('No open conflicts').waitFor();
    await second.page.getByText('No open conflicts').waitFor({ timeout: 15_000 });
    for (const desk of [first, second]) {
      await goTo(desk.page, `#/jobs/${jobId}`);
      await desk.page
        .getByRole('heading', { name: 'Conflict: basement carpet (offline wording)' })
        .waitFor({ timeout: 15_000 });
    }
    await waitForServerRow(office, 'jobs', jobId, (row) => row.title === 'Conflict: basement carpet (offline wording)');
  });
});
