/**
 * The contractor's phone app end to end, in real Chromium against a real
 * server (embedded PGlite, demo company): offline for real (pages and the
 * service worker), reloads and new pages while offline, automatic sync on
 * reconnect, a rejected change shown in plain words, live pokes.
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  launchChromium,
  OfficeClient,
  openPhone,
  type Phone,
  saveScreenshot,
  signIn,
  startBrowserTestServer,
  waitForPendingCount,
  waitForServiceWorkerControl,
} from './support';

const runnable = chromiumAvailable();

/** A job card on the agenda, by title. */
const jobCard = (page: Page, title: string) => page.locator('.ct-card', { hasText: title });

/**
 * Ticks a materials checkbox. The box shows the saved state, which lands a
 * moment after the click, so wait for it rather than use `check()`.
 */
async function tick(page: Page, name: RegExp) {
  const box = page.getByRole('checkbox', { name });
  await box.click();
  await page.getByRole('checkbox', { name, checked: true }).waitFor();
}

/** Signs in on a fresh phone and waits until the app is ready to work offline. */
async function signedInPhone(
  browser: Browser,
  server: BrowserTestServer,
  email: string,
  options: { screenshot?: boolean } = {},
): Promise<Phone> {
  const phone = await openPhone(browser, server.url);
  if (options.screenshot) {
    await phone.page.getByLabel('Email').waitFor();
    await saveScreenshot(phone.page, 'sign-in');
  }
  await signIn(phone.page, email);
  try {
    await phone.page.getByRole('heading', { name: 'My day' }).waitFor({ timeout: 60_000 });
    await waitForServiceWorkerControl(phone.page);
    await phone.page.locator('.fs-chip--ready').waitFor({ timeout: 60_000 });
  } catch (error) {
    // Say which half was missing (worker or first sync) when this ever times out.
    const state = await phone.page.evaluate(() => ({
      controlled: Boolean(navigator.serviceWorker?.controller),
      status: document.querySelector('.fs-status')?.textContent ?? null,
      url: window.location.href,
    }));
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nphone state: ${JSON.stringify(state)}`);
  }
  return phone;
}

describe.skipIf(!runnable)('contractor app in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;
  let office: OfficeClient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserTestServer(), launchChromium()]);
    office = await OfficeClient.signIn(server.apiUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a day offline: reload and reopen offline, nothing lost, sent on reconnect in order', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor1@example.com',
      title: 'Offline day: hallway laminate',
      time: '06:00',
      materials: [
        ['Laminate planks', 12, 'box'],
        ['Transition strip', 2, 'piece'],
      ],
    });
    const phone = await signedInPhone(browser, server, 'contractor1@example.com');
    await jobCard(phone.page, job.title).waitFor();

    await phone.setOffline(true);
    await phone.page.reload();
    // Served by the service worker, data from IndexedDB.
    await jobCard(phone.page, job.title).waitFor();
    await phone.page.locator('.fs-status[data-online="false"]').waitFor();

    await jobCard(phone.page, job.title).click();
    const page = phone.page;
    await page.getByRole('heading', { name: job.title }).waitFor();
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();
    await page.getByRole('button', { name: 'Waiting on materials' }).click();
    await page.getByLabel(/Which materials are you waiting for/).fill('Transition strip out of stock');
    await page.getByRole('button', { name: 'Waiting on materials' }).click();
    await page.locator('.ct-job-head [data-status="waiting_on_materials"]').waitFor();
    await tick(page, /Laminate planks/);
    await tick(page, /Transition strip/);
    await page.getByLabel('Add a note').fill('Customer moved the furniture out already.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Customer moved the furniture out already.').waitFor();
    // Two moves, two ticks and the note: the count moves once the note's change is committed (the
    // screen may show it a moment before, from the transaction still writing it).
    expect(await waitForPendingCount(page, 5, { atLeast: true })).toBeGreaterThanOrEqual(5);

    // A new page, still offline: everything is still there, still pending.
    const reopened = await phone.reopen(`#/jobs/${job.jobId}`);
    await reopened.getByRole('heading', { name: job.title }).waitFor();
    await reopened.locator('.ct-job-head [data-status="waiting_on_materials"]').waitFor();
    expect(await reopened.getByRole('checkbox', { name: /Laminate planks/ }).isChecked()).toBe(true);
    expect(await reopened.getByRole('checkbox', { name: /Transition strip/ }).isChecked()).toBe(true);
    await reopened.getByText('Customer moved the furniture out already.').waitFor();
    expect(await waitForPendingCount(reopened, 5, { atLeast: true })).toBeGreaterThanOrEqual(5);
    await reopened.locator('.ct-timeline__item--pending').nth(1).waitFor();

    // Back online: it all goes out on its own.
    await phone.setOffline(false);
    await waitForPendingCount(reopened, 0, { timeout: 30_000 });
    await reopened
      .getByText(/Reached the office/)
      .last()
      .waitFor();

    const everything = await office.pullAll();
    expect(everything.get('jobs')?.get(job.jobId)?.status).toBe('waiting_on_materials');
    const history = [...(everything.get('jobStatusHistory')?.values() ?? [])]
      .filter((row) => row.jobId === job.jobId)
      .sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
    expect(history.map((row) => `${row.fromStatus}→${row.toStatus}`)).toEqual([
      'null→open',
      'open→scheduled',
      'scheduled→in_progress',
      'in_progress→waiting_on_materials',
    ]);
    const fromPhone = history.slice(2);
    for (const row of fromPhone) {
      expect(row.occurredAt).toEqual(expect.any(String));
      expect(row.recordedAt).toEqual(expect.any(String));
      // Made offline, recorded on reconnect: the office learned of it after it happened.
      expect(Date.parse(String(row.recordedAt))).toBeGreaterThan(Date.parse(String(row.occurredAt)));
    }
    expect(fromPhone[1]?.reason ?? 'Transition strip out of stock').toBe('Transition strip out of stock');
    for (const id of job.materialIds) expect(everything.get('materials')?.get(id)?.purchased).toBe(true);
    const notes = [...(everything.get('jobNotes')?.values() ?? [])].filter((row) => row.jobId === job.jobId);
    expect(notes.map((row) => row.body)).toContain('Customer moved the furniture out already.');
    await phone.close();
  });

  test('the office cancels while the phone completes offline: rejection shown in plain words', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor2@example.com',
      title: 'Race: patio pavers',
      time: '06:00',
      startJob: true,
    });
    const phone = await signedInPhone(browser, server, 'contractor2@example.com');
    const page = phone.page;
    await jobCard(page, job.title).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();

    await phone.setOffline(true);
    await office.pushApplied([
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled' } },
    ]);
    await page.getByRole('button', { name: 'Mark completed' }).click();
    await page.locator('.ct-job-head [data-status="completed"]').waitFor();
    await waitForPendingCount(page, 1);

    await phone.setOffline(false);
    const problems = page.getByRole('button', { name: /not accepted/ });
    await problems.waitFor({ timeout: 30_000 });
    await page.locator('.ct-job-head [data-status="cancelled"]').waitFor();
    await page.getByRole('note').getByText('The office cancelled this job').waitFor();
    await problems.click();
    const sheet = page.getByRole('dialog', { name: 'Changes not accepted' });
    await sheet.waitFor();
    await sheet.getByText('The office changed this job, so it could not be moved to that status').waitFor();
    await sheet.getByText('Move job to “Completed”').waitFor();
    await saveScreenshot(page, 'sync-sheet');

    // Nothing is discarded without a confirmation.
    await sheet.getByRole('button', { name: 'Delete' }).click();
    await sheet.getByRole('button', { name: 'Delete for good' }).click();
    await sheet.getByText('Every change you made was accepted').waitFor();
    await sheet.getByRole('button', { name: 'Close' }).click();
    await problems.waitFor({ state: 'detached' });
    await phone.close();
  });

  test('a job the office assigns while the app is open appears without a reload', async () => {
    const phone = await signedInPhone(browser, server, 'contractor3@example.com');
    const title = `Live poke: stair carpet ${Date.now()}`;
    await bookJobFor(office, { contractorEmail: 'contractor3@example.com', title, time: '06:00' });
    await jobCard(phone.page, title).waitFor({ timeout: 10_000 });
    await jobCard(phone.page, title).getByText('New — please confirm').waitFor();
    await phone.close();
  });

  test('screenshots: sign-in, agenda and job detail at 390×844', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor6@example.com',
      title: 'Basement: LVP floor and shower tile',
      time: '07:00',
      durationMinutes: 60,
      materials: [
        ['LVP flooring', 300, 'sq ft'],
        ['Ceramic tile', 40, 'sq ft'],
        ['Thinset mortar', 3, 'bag'],
      ],
      specialRequirements: ['Lockbox code 4412', 'Wear shoe covers'],
      note: 'Customer asked us to use the side entrance.',
      startJob: true,
    });
    const phone = await signedInPhone(browser, server, 'contractor6@example.com', { screenshot: true });
    const page = phone.page;
    await jobCard(page, job.title).waitFor();
    await saveScreenshot(page, 'agenda');
    await saveScreenshot(page, 'agenda-full', { fullPage: true });

    // Past days are a tap away, and back.
    await page.getByRole('link', { name: 'Previous day' }).click();
    await page.getByRole('heading', { name: 'Yesterday', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Back to today' }).click();
    await jobCard(page, job.title).waitFor();

    await jobCard(page, job.title).click();
    await page.getByRole('heading', { name: job.title }).waitFor();
    await tick(page, /LVP flooring/);
    await page.getByText('Customer asked us to use the side entrance.').waitFor();
    await waitForPendingCount(page, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, 'job-detail');
    await saveScreenshot(page, 'job-detail-full', { fullPage: true });
    await phone.close();
  });

  test('materials checklist and proposal: validate, add, edit, remove, confirm; sign-out warns about unsent changes', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor7@example.com',
      title: 'Checklist: hallway vinyl',
      time: '06:00',
      materials: [['Vinyl planks', 10, 'box']],
    });
    const phone = await signedInPhone(browser, server, 'contractor7@example.com');
    const page = phone.page;
    await jobCard(page, job.title).click();
    await page.getByRole('heading', { name: job.title }).waitFor();

    // Confirm the proposed assignment.
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('The office proposed this job to you').waitFor({ state: 'detached' });

    // Validation: nothing is queued for a bad entry.
    const addForm = page.getByRole('form', { name: 'Add material' });
    await addForm.getByLabel('Material').fill('Quarter round');
    await addForm.getByLabel('Quantity').fill('0');
    await addForm.getByRole('button', { name: 'Add material' }).click();
    await addForm.getByText('Enter a quantity above 0.').waitFor();
    await addForm.getByLabel('Quantity').fill('24');
    await addForm.getByLabel('Unit').fill('ft');
    await addForm.getByRole('button', { name: 'Add material' }).click();
    await page.getByRole('checkbox', { name: /Quarter round\s*24 ft/ }).waitFor();

    // Edit a quantity, then remove an item.
    await page.getByRole('button', { name: 'Edit Vinyl planks' }).click();
    await page.getByLabel('Quantity (box)').fill('12');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('checkbox', { name: /Vinyl planks\s*12 box/ }).waitFor();
    await page.getByRole('button', { name: 'Edit Quarter round' }).click();
    await page.getByRole('button', { name: 'Remove item' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('checkbox', { name: /Quarter round/ }).waitFor({ state: 'detached' });
    await waitForPendingCount(page, 0);

    const everything = await office.pullAll();
    expect(everything.get('assignments')?.get(job.assignmentId)?.status).toBe('confirmed');
    const materials = [...(everything.get('materials')?.values() ?? [])].filter((row) => row.jobId === job.jobId);
    expect(materials.map((row) => [row.itemName, row.quantity, row.unit])).toEqual([['Vinyl planks', 12, 'box']]);

    // Sign-out with a change not sent yet warns and offers the download first.
    await phone.setOffline(true);
    await page.getByRole('button', { name: 'Add note' }).waitFor();
    await page.getByLabel('Add a note').fill('Left the spare planks in the garage.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await waitForPendingCount(page, 1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const warning = page.getByRole('dialog', { name: 'Changes not sent yet' });
    await warning.getByText(/1 change on this phone has not reached the office/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      warning.getByRole('button', { name: 'Download unsent changes' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^fieldsync-unsent-\d{8}-\d{4}\.json$/);
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await waitForPendingCount(page, 1);
    await phone.close();
  });
});
