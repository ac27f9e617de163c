/**
 * A dispatcher's day end to end in real Chromium at 1440×900: drag an
 * unassigned job onto a contractor's row in the schedule, drag the booking to
 * another time, the contractor's phone shows the new time within seconds,
 * the contractor finishes the job, and the desktop asks for a rating that
 * changes the contractor's average. No sleeps: every wait is on a locator or
 * on the server's data.
 */
import { randomUUID } from 'node:crypto';
import { addDaysToLocalDate } from '@fieldsync/domain';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  chromiumAvailable,
  goTo,
  invitedContractor,
  launchChromium,
  OfficeClient,
  openDeskAt,
  openPhone,
  saveScreenshot,
  signIn,
  startBrowserTestServer,
  todayInDemoZone,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();
const PASSWORD = 'cedar-plank-harbor-82';

/** The x of a wall-clock minute on a day-mode schedule row (see the track's data attributes). */
async function xOfMinute(row: Locator, minute: number): Promise<number> {
  const track = row.locator('[data-schedule-track]');
  const box = await track.boundingBox();
  if (!box) throw new Error('schedule track not visible');
  const start = Number(await track.getAttribute('data-range-start'));
  const end = Number(await track.getAttribute('data-range-end'));
  return box.x + ((minute - start) / (end - start)) * box.width;
}

/** Presses on `from`, moves in steps to (x, y) and lets go: a person's drag. */
async function dragTo(page: Page, from: Locator, x: number, y: number): Promise<void> {
  await from.scrollIntoViewIfNeeded();
  const box = await from.boundingBox();
  if (!box) throw new Error('drag source not visible');
  await page.mouse.move(box.x + Math.min(24, box.width / 2), box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, y, { steps: 12 });
  await page.locator('[data-testid="drop-preview"][data-tone="ok"]').waitFor();
  await page.mouse.up();
}

async function centreY(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.y + box.height / 2;
}

describe.skipIf(!runnable)("the dispatcher's day in Chromium", () => {
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

  test('drag a job onto a row, move it, the phone follows, finish and rate it', async () => {
    const suffix = randomUUID().slice(0, 6);
    const email = `aaron-${suffix}@example.com`;
    const { contractorId } = await invitedContractor(server.apiUrl, {
      name: 'Aaron Abbott',
      email,
      trade: 'flooring',
      password: PASSWORD,
    });
    const customer = (await office.rows('customers')).find((row) => row.address);
    const jobId = randomUUID();
    const title = `Oak stair nosing ${suffix}`;
    const tomorrow = addDaysToLocalDate(todayInDemoZone(), 1);
    await office.pushApplied([
      {
        name: 'job.create',
        args: {
          id: jobId,
          title,
          customerId: customer?.id,
          trade: 'flooring',
          priority: 'urgent',
          desiredDate: tomorrow,
          durationMinutes: 60,
          address: customer?.address,
        },
      },
    ]);

    // The contractor is signed in on a phone before anything is booked.
    const phone = await openPhone(browser, server.url);
    open.push(phone);
    await phone.page.getByLabel('Email').fill(email);
    await phone.page.getByLabel('Password').fill(PASSWORD);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await phone.page.getByRole('heading', { name: 'My day' }).waitFor();
    await phone.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });

    const desk = await openDeskAt(browser, server.url, 'dispatcher');
    open.push(desk);
    const { page } = desk;
    await signIn(page, 'dispatcher1@example.com');
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await page.getByText(/Last synced/).waitFor({ timeout: 30_000 });

    // Tomorrow's day in the schedule: drop the job on Aaron's row at 10:00.
    await goTo(page, '#/schedule');
    await page.getByRole('heading', { name: 'Schedule' }).waitFor();
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.locator('[data-schedule-track][data-days="7"]').first().waitFor();
    await saveScreenshot(page, 'schedule-week');
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByRole('button', { name: /Next/ }).click();
    const row = page.locator(`[data-testid="schedule-row"][data-contractor-id="${contractorId}"]`);
    await row.scrollIntoViewIfNeeded();
    const job = page.locator(`[data-testid="unassigned-job"][data-job-id="${jobId}"]`);
    await dragTo(page, job, await xOfMinute(row, 10 * 60), await centreY(row));
    const block = page.locator(`[data-testid="schedule-block"][data-job-id="${jobId}"]`);
    await block.getByText('10:00 AM–11:00 AM').waitFor();
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await saveScreenshot(page, 'schedule-day');

    // The phone lists the proposal under upcoming days.
    const card = phone.page.locator('.ct-card', { hasText: title });
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.textContent()).toContain('10:00 AM');

    // Drag the booking 90 minutes later on the same row.
    const blockBox = await block.boundingBox();
    if (!blockBox) throw new Error('block not visible');
    const shift = (await xOfMinute(row, 11 * 60 + 30)) - (await xOfMinute(row, 10 * 60));
    await dragTo(page, block, blockBox.x + Math.min(24, blockBox.width / 2) + shift, await centreY(row));
    await block.getByText('11:30 AM–12:30 PM').waitFor();
    const moved = Date.now();
    await waitForPendingCount(page, 0, { timeout: 30_000 });

    // The phone follows within seconds.
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('11:30 AM');
    const seen = Date.now();

    // The contractor confirms, starts and finishes the job.
    await card.click();
    await phone.page.getByRole('heading', { name: title }).waitFor();
    await phone.page.getByRole('button', { name: 'Confirm' }).click();
    await phone.page.getByRole('button', { name: 'Start job' }).click();
    await phone.page.locator('.ct-job-head [data-status="in_progress"]').waitFor();
    await phone.page.getByRole('button', { name: 'Mark completed' }).click();
    await phone.page.locator('.ct-job-head [data-status="completed"]').waitFor();
    await waitForPendingCount(phone.page, 0, { timeout: 30_000 });

    // The desktop asks for a rating; saving it changes the contractor's average.
    await goTo(page, `#/jobs/${jobId}`);
    const prompt = page.getByRole('heading', { name: "Rate Aaron Abbott's work" });
    await prompt.waitFor({ timeout: 30_000 });
    await page.getByRole('radio', { name: '4 stars' }).check();
    await saveScreenshot(page, 'rating-prompt');
    await page.getByRole('button', { name: 'Save rating' }).click();
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await expect
      .poll(async () => (await office.rows('contractors')).find((row) => row.id === contractorId)?.rating, {
        timeout: 15_000,
      })
      .toBe(4);
    const completed = (await office.rows('assignments')).find((row) => row.jobId === jobId);
    expect(completed?.status).toBe('completed');

    // The customer's page lists the job.
    await goTo(page, `#/customers/${customer?.id}`);
    await page.getByRole('link', { name: title }).first().waitFor();
    await saveScreenshot(page, 'customer-page');

    console.info(`[dispatcher day e2e] the phone showed the moved time ${seen - moved} ms after the drop`);
  });
});
