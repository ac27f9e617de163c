/**
 * Work done offline on a job the office cancels meanwhile, end to end in
 * real Chromium against the real server: what was done before the
 * cancellation is kept and marked "Recorded after cancellation"; what the
 * server refuses is shown with its content and reason in plain words, can be
 * copied and exported, survives a reload and only goes on "Delete" + confirm.
 * Long unbroken words never widen the phone page. A quantity the server would
 * refuse is refused on the phone first, in plain words, and nothing is queued.
 */

import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  DEMO_TIME_ZONE,
  launchChromium,
  OfficeClient,
  openSignedInPhone,
  saveScreenshot,
  signIn,
  startBrowserTestServer,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();
const DESK_VIEWPORT = { width: 1440, height: 900 };

const HOLD_REASON = 'Customer has not cleared the room yet';
const OFFICE_REASON = 'Customer cancelled by phone: moving house';
const LONG_WORD = `https://example.com/${'x'.repeat(280)}`;
const FIRST_NOTE = 'Subfloor is dry, ready for tile.';
const LATE_NOTE = 'Left the spare grout in the garage.';

/** Whether the page is wider than the screen (a long word pushing it out). */
async function pageOverflow(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

async function addNote(page: Page, body: string) {
  await page.getByLabel('Add a note').fill(body);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.ct-note__body', { hasText: body.slice(0, 40) }).waitFor();
}

describe.skipIf(!runnable)('work refused or kept after the office cancels, in Chromium', () => {
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

  test('offline work on a job the office cancels: kept and marked, or refused and shown with its content', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor4@example.com',
      title: 'Refused offline work: kitchen backsplash',
      time: '06:00',
      startJob: true,
    });
    const otherJob = await bookJobFor(office, {
      contractorEmail: 'contractor4@example.com',
      title: 'Refused offline work: bathroom floor',
      time: '07:00',
    });
    const phone = await openSignedInPhone(browser, server.url, 'contractor4@example.com');
    await phone.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = phone.page;
    await page.locator('.ct-card', { hasText: job.title }).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();

    // A quantity the server refuses is refused here first, in plain words next to the field; nothing is queued.
    const addForm = page.getByRole('form', { name: 'Add material' });
    await addForm.getByLabel('Material').fill('Grout');
    await addForm.getByLabel('Quantity').fill('99999999999');
    await addForm.getByRole('button', { name: 'Add material' }).click();
    const quantityProblem = addForm.locator('.fs-error', { hasText: /^Quantity must be at most [\d,.]+\.$/ });
    await quantityProblem.waitFor();
    expect(await addForm.getByLabel('Quantity').getAttribute('aria-invalid')).toBe('true');
    expect(await addForm.textContent()).not.toMatch(/Too big|expected|Invalid/);
    await waitForPendingCount(page, 0);
    expect(await page.getByRole('checkbox', { name: /Grout/ }).count()).toBe(0);

    // Offline: on hold with a reason, a material and a note with a 300-character word.
    await phone.setOffline(true);
    await page.locator('.fs-status[data-online="false"]').waitFor();
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await page.getByLabel(/Why is the job on hold/).fill(HOLD_REASON);
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await page.locator('.ct-job-head [data-status="on_hold"]').waitFor();
    await addForm.getByLabel('Material').fill('Grout');
    await addForm.getByLabel('Quantity').fill('3');
    await addForm.getByLabel('Unit').fill('bag');
    await addForm.getByRole('button', { name: 'Add material' }).click();
    await page.getByRole('checkbox', { name: /Grout\s*3 bag/ }).waitFor();
    await addNote(page, FIRST_NOTE);
    await addNote(page, LONG_WORD);
    await waitForPendingCount(page, 4);
    // The long word does not push the status button off the screen.
    const resume = await page.getByRole('button', { name: 'Resume work' }).boundingBox();
    expect((resume?.x ?? 0) + (resume?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(390);
    const offlineOverflow = await pageOverflow(page);
    expect(offlineOverflow.scrollWidth).toBeLessThanOrEqual(offlineOverflow.innerWidth);

    // Meanwhile the office cancels the job, with a reason; then the phone, still offline, adds one more note.
    await office.pushApplied([
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled', reason: OFFICE_REASON },
      },
    ]);
    await addNote(page, LATE_NOTE);
    await waitForPendingCount(page, 5);

    // Back online.
    await phone.setOffline(false);
    const problems = page.getByRole('button', { name: /not accepted/ });
    await problems.waitFor({ timeout: 30_000 });
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await page.locator('.ct-job-head [data-status="cancelled"]').waitFor();
    const banner = page.getByRole('note').filter({ hasText: 'The office cancelled this job' });
    await banner.getByText(OFFICE_REASON).waitFor();

    // Work done before the cancellation is kept, and marked.
    const firstNote = page.locator('.ct-note', { hasText: FIRST_NOTE });
    await firstNote.getByText('Recorded after cancellation').waitFor();
    await page
      .locator('.ct-note', { hasText: LONG_WORD.slice(0, 30) })
      .getByText('Recorded after cancellation')
      .waitFor();
    await page.locator('.ct-material', { hasText: 'Grout' }).getByText('Recorded after cancellation').waitFor();
    expect(await page.locator('.ct-note', { hasText: LATE_NOTE }).count()).toBe(0);
    const everything = await office.pullAll();
    const serverNotes = [...(everything.get('jobNotes')?.values() ?? [])].filter((row) => row.jobId === job.jobId);
    expect(serverNotes.map((row) => [row.body, row.recordedAfterCancellation]).sort()).toEqual(
      [
        [FIRST_NOTE, true],
        [LONG_WORD, true],
      ].sort(),
    );

    // The 300-character word wraps: the page is no wider than the phone, the status buttons keep their labels.
    const overflow = await pageOverflow(page);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.innerWidth);
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, 'refused-offline-work-phone');
    await saveScreenshot(page, 'refused-offline-work-phone-full', { fullPage: true });

    // The refused changes, with what they held and why, in plain words.
    await problems.click();
    const sheet = page.getByRole('dialog', { name: 'Changes not accepted' });
    await sheet.waitFor();
    const hold = sheet.getByRole('listitem').filter({ hasText: 'Move job to “On hold”' });
    await hold.getByText(HOLD_REASON).waitFor();
    await hold.getByText(/could not be put on hold/).waitFor();
    await hold.getByText(OFFICE_REASON).waitFor();
    const lateNote = sheet.getByRole('listitem').filter({ hasText: 'Add note' });
    await lateNote.getByText(LATE_NOTE).waitFor();
    await lateNote.getByText('The office cancelled this job before this note reached it.').waitFor();
    expect(await sheet.textContent()).not.toMatch(/not allowed to change this note|Invalid|\{\}/);
    const sheetOverflow = await pageOverflow(page);
    expect(sheetOverflow.scrollWidth).toBeLessThanOrEqual(sheetOverflow.innerWidth);
    await saveScreenshot(page, 'refused-offline-work-sheet');
    await hold.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'refused-offline-work-sheet-hold');

    // Copy and export carry everything the person typed.
    await hold.getByRole('button', { name: 'Copy' }).click();
    await hold.getByText(/^Copied/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Move job to “On hold”');
    expect(copied).toContain(HOLD_REASON);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lateNote.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^fieldsync-change-\d+-\d{8}-\d{4}\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({
      change: 'Add note',
      details: { Note: LATE_NOTE },
      notAccepted: expect.stringMatching(/^The office cancelled this job before this note reached it\./),
      asSent: { name: 'note.add', args: { body: LATE_NOTE, jobId: job.jobId } },
    });

    // Still there after a reload; gone only after Delete and a confirmation.
    const reopened = await phone.reopen(`#/jobs/${job.jobId}`);
    await reopened.getByRole('button', { name: /2 changes not accepted/ }).click();
    const sheetAgain = reopened.getByRole('dialog', { name: 'Changes not accepted' });
    const holdAgain = sheetAgain.getByRole('listitem').filter({ hasText: 'Move job to “On hold”' });
    await holdAgain.getByText(HOLD_REASON).waitFor();
    await holdAgain.getByRole('button', { name: 'Delete' }).click();
    await holdAgain.getByText(/Delete this change for good\?/).waitFor();
    await holdAgain.getByRole('button', { name: 'Keep it' }).click();
    await holdAgain.getByRole('button', { name: 'Copy' }).waitFor();
    await holdAgain.getByRole('button', { name: 'Delete' }).click();
    await holdAgain.getByRole('button', { name: 'Delete for good' }).click();
    await holdAgain.waitFor({ state: 'detached' });
    // The refused note goes to another of the contractor's jobs as a new change; it stays listed until deleted.
    const lateAgain = sheetAgain.getByRole('listitem').filter({ hasText: LATE_NOTE });
    await lateAgain.getByRole('button', { name: 'Add to another job' }).click();
    await lateAgain.getByLabel('Add it to which job?').selectOption(otherJob.jobId);
    await lateAgain.getByRole('button', { name: 'Add to this job' }).click();
    await lateAgain.getByText(/^Added to the other job/).waitFor();
    await lateAgain.getByText(/sent again/).waitFor();
    await waitForPendingCount(reopened, 0, { timeout: 30_000 });
    const moved = [...((await office.pullAll()).get('jobNotes')?.values() ?? [])].filter(
      (row) => row.body === LATE_NOTE,
    );
    expect(moved.map((row) => row.jobId)).toEqual([otherJob.jobId]);

    // The office sees the kept note marked, on its desktop.
    const desk = await browser.newContext({
      viewport: DESK_VIEWPORT,
      deviceScaleFactor: 1,
      timezoneId: DEMO_TIME_ZONE,
      locale: 'en-US',
      colorScheme: 'light',
    });
    const deskPage = await desk.newPage();
    await deskPage.goto(server.url);
    await signIn(deskPage, 'dispatcher1@example.com');
    await deskPage.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await deskPage.getByText(/Last synced/).waitFor({ timeout: 30_000 });
    await deskPage.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/jobs/${job.jobId}`);
    await deskPage.getByRole('heading', { name: job.title }).waitFor();
    const markedNote = deskPage.locator('.dsp-tl-note', { hasText: FIRST_NOTE });
    await markedNote.getByText('Recorded after cancellation').waitFor();
    await deskPage.locator('.dsp-material', { hasText: 'Grout' }).getByText('Recorded after cancellation').waitFor();
    expect(await deskPage.locator('.dsp-timeline').textContent()).not.toContain('{}');
    const deskOverflow = await pageOverflow(deskPage);
    expect(deskOverflow.scrollWidth).toBeLessThanOrEqual(deskOverflow.innerWidth);
    await saveScreenshot(deskPage, 'refused-offline-work-dispatcher');

    // The office's forms speak plain words too, naming the field.
    await deskPage.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/jobs/${job.jobId}/edit`);
    await deskPage.getByLabel('Latitude').fill('91');
    await deskPage.getByRole('button', { name: 'Save changes' }).click();
    await deskPage.getByText('Latitude must be between −90 and 90.').waitFor();
    expect(await deskPage.locator('form').first().textContent()).not.toMatch(/Too big|expected|Invalid/);
    await desk.close();
    await phone.close();
  });
});
