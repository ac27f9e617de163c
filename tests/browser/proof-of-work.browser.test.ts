/**
 * Proof of work end to end in real Chromium against the real server: a
 * contractor with no signal photographs the job (a real JPEG through the
 * file input), gets the customer's signature on the pad and completes the
 * job; a reload while still offline keeps all of it. Back online, the files
 * reach the server byte for byte (same SHA-256) and the dispatcher sees the
 * thumbnails. An upload cut off by the server going down resumes from the
 * offset the server had acknowledged, not from zero.
 */
import { createHash } from 'node:crypto';
import { localDateTimeToUtc } from '@fieldsync/domain';
import type { Browser, Download, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  DEMO_TIME_ZONE,
  goTo,
  launchChromium,
  OfficeClient,
  openDeskAt,
  openSignedInPhone,
  saveScreenshot,
  signIn,
  signOnPad,
  startBrowserTestServer,
  todayInDemoZone,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();

/**
 * A 3000×2000 photo of noise, taken (says its EXIF) at 14:30 on the camera's
 * clock on 29 November: big enough that the phone scales it down and uploads
 * it in several chunks.
 */
async function noisyJpeg(seed: number): Promise<Buffer> {
  const width = 3000;
  const height = 2000;
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let index = 0; index < pixels.length; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .withExif({ IFD2: { DateTimeOriginal: '2026:11:29 14:30:00' } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Midnight today in the demo company's time zone, as epoch milliseconds. */
function startOfTodayInDemoZone(): number {
  return Date.parse(localDateTimeToUtc(todayInDemoZone(), '00:00', DEMO_TIME_ZONE));
}

async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bytes of a file the phone keeps, read from its IndexedDB, as a SHA-256. */
async function localFileDigest(page: Page, attachmentId: string): Promise<string | null> {
  const bytes = await page.evaluate(async (id) => {
    const request = indexedDB.open('fieldsync');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const row = await new Promise<{ blob: Blob | null } | undefined>((resolve, reject) => {
      const get = db.transaction('attachmentFiles').objectStore('attachmentFiles').get(id);
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    db.close();
    return row?.blob ? Array.from(new Uint8Array(await row.blob.arrayBuffer())) : null;
  }, attachmentId);
  return bytes ? sha256(Uint8Array.from(bytes)) : null;
}

describe.skipIf(!runnable)('proof of work from the field, in Chromium', () => {
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

  test('offline: a photo and a signature, the job completed, a reload; online: the office has both, byte for byte', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor3@example.com',
      title: 'Proof of work: bathroom leak',
      time: '06:00',
      startJob: true,
      requiresSignature: true,
    });
    const phone = await openSignedInPhone(browser, server.url, 'contractor3@example.com');
    const page = phone.page;
    await page.locator('.ct-card', { hasText: job.title }).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();

    await phone.setOffline(true);
    await page.locator('.fs-status[data-online="false"]').waitFor();

    // A real photo through the camera input, with a caption.
    const photo = await noisyJpeg(7);
    await page.getByLabel('Take photo').setInputFiles({ name: 'leak.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByLabel('Caption').fill('Water behind the tiles');
    await page.getByRole('button', { name: 'Save photo' }).click();
    await page.locator('.ct-file__img').first().waitFor();

    // Completing needs the signature first, and the phone says so before anyone taps.
    await page.getByText('Needs the customer’s signature', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Get signature' }).click();
    const pad = page.getByRole('dialog', { name: /signature/i });
    await pad.getByText(job.title).waitFor();
    await signOnPad(page);
    await pad.getByLabel(/printed name/).fill('Dana Smith');
    await saveScreenshot(page, 'proof-of-work-signature-phone');
    await pad.getByRole('button', { name: 'Save signature' }).click();
    await page
      .getByText(/Signed by Dana Smith/)
      .first()
      .waitFor();

    await page.getByRole('button', { name: 'Mark completed' }).click();
    await page.locator('.ct-job-head [data-status="completed"]').waitFor();
    await waitForPendingCount(page, 3);
    await saveScreenshot(page, 'proof-of-work-phone-offline', { fullPage: true });

    // A reload with no signal keeps everything.
    const reloaded = await phone.reopen(`#/jobs/${job.jobId}`);
    await reloaded.locator('.ct-job-head [data-status="completed"]').waitFor();
    await reloaded.locator('.ct-file__img').first().waitFor();
    await reloaded
      .getByText(/Signed by Dana Smith/)
      .first()
      .waitFor();
    await waitForPendingCount(reloaded, 3);
    await reloaded.getByRole('region', { name: /Photos/ }).scrollIntoViewIfNeeded();
    await saveScreenshot(reloaded, 'proof-of-work-photos-phone');

    // Online: the changes replay, then the bytes upload.
    await phone.setOffline(false);
    await waitForPendingCount(reloaded, 0, { timeout: 60_000 });
    // The phone shows its uploads until the server has acknowledged every byte.
    await reloaded.getByTestId('upload-status').waitFor({ state: 'detached', timeout: 60_000 });
    const rows = (await office.rows('attachments')).filter((row) => row.jobId === job.jobId);
    expect(rows.every((row) => row.uploadedAt)).toBe(true);
    expect(rows.map((row) => row.kind).sort()).toEqual(['photo', 'signature']);
    for (const row of rows) {
      const response = await office.fetch(`/api/attachments/${row.id}`);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(sha256(bytes)).toBe(row.sha256);
      expect(await localFileDigest(reloaded, row.id as string)).toBe(row.sha256);
      expect(response.headers.get('content-type')).toBe(row.contentType);
    }
    const photoRow = rows.find((row) => row.kind === 'photo');
    // The camera's clock is local time: 14:30 in Denver.
    expect(photoRow?.takenAt).toBe('2026-11-29T21:30:00.000Z');
    const stored = await sharp(
      Buffer.from(await (await office.fetch(`/api/attachments/${photoRow?.id}`)).arrayBuffer()),
    ).metadata();
    expect(Math.max(stored.width ?? 0, stored.height ?? 0)).toBe(2048);
    const jobs = await office.rows('jobs');
    expect(jobs.find((row) => row.id === job.jobId)?.status).toBe('completed');

    // The dispatcher sees the thumbnails on the job.
    const desk = await openDeskAt(browser, server.url, 'dispatcher');
    await signIn(desk.page, 'dispatcher1@example.com');
    await goTo(desk.page, `#/jobs/${job.jobId}`);
    const gallery = desk.page.getByRole('region', { name: /Photos/ });
    const thumbnails = gallery.locator('img');
    await thumbnails.nth(1).waitFor();
    await desk.page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('img')).filter((img) => img.complete && img.naturalWidth > 0).length >= 2,
    );
    await gallery.getByText('Dana Smith').waitFor();
    await gallery.scrollIntoViewIfNeeded();
    await saveScreenshot(desk.page, 'proof-of-work-desk-gallery');
    await gallery.locator('img').first().click();
    const viewer = desk.page.getByRole('dialog');
    await viewer.getByRole('link', { name: /Download/ }).waitFor();
    await saveScreenshot(desk.page, 'proof-of-work-desk-viewer');
    await desk.page.keyboard.press('Escape');
    await desk.page.setViewportSize({ width: 390, height: 844 });
    await gallery.scrollIntoViewIfNeeded();
    await saveScreenshot(desk.page, 'proof-of-work-desk-gallery-narrow');
    await desk.close();
    await phone.close();
  });

  test('the rest of the day: a shopping list ticked offline, a follow-up from the field, the week in Timesheets', async () => {
    const contractorEmail = 'contractor5@example.com';
    // Booked and started a while ago (a job's history never runs backwards, so both are backdated, by
    // a desk of its own): something for the timesheet to count.
    const bookedAt = Math.max(Date.now() - 95 * 60_000, startOfTodayInDemoZone() + 60_000);
    const earlier = await OfficeClient.signIn(server.apiUrl);
    const first = await bookJobFor(earlier, {
      contractorEmail,
      title: 'Proof of work: shower regrout',
      time: '06:00',
      occurredAt: new Date(bookedAt).toISOString(),
      materials: [
        ['Sanded grout (proof of work)', 2, 'bag'],
        ['Tile spacers (proof of work)', 1, 'box'],
      ],
    });
    const second = await bookJobFor(office, {
      contractorEmail,
      title: 'Proof of work: hallway tiles',
      time: '07:00',
      materials: [['sanded grout (proof of work) ', 3, 'bag']],
    });
    await earlier.pushApplied([
      {
        name: 'job.setStatus',
        args: { jobId: first.jobId, from: 'scheduled', to: 'in_progress' },
        occurredAt: new Date(bookedAt + 60_000).toISOString(),
      },
    ]);

    const phone = await openSignedInPhone(browser, server.url, contractorEmail);
    const page = phone.page;
    await phone.setOffline(true);
    await page.locator('.fs-status[data-online="false"]').waitFor();

    // One line for the grout both jobs need, in total; ticking it ticks both rows, offline.
    await page.getByRole('link', { name: 'Shopping list' }).click();
    const grout = page.locator('.ct-shop-line', { hasText: /Sanded grout \(proof of work\)/ });
    await grout.getByText('5 bag').waitFor();
    await grout.getByRole('link', { name: new RegExp(first.title) }).waitFor();
    await grout.getByRole('link', { name: new RegExp(second.title) }).waitFor();
    await saveScreenshot(page, 'proof-of-work-shopping-list-phone');
    // The line moves to "Bought" at once, so click (a re-rendered box cannot be re-checked in place).
    await grout.getByRole('checkbox').click();
    await page
      .getByRole('region', { name: /Bought/ })
      .locator('.ct-shop-line', { hasText: /Sanded grout/ })
      .waitFor();
    await waitForPendingCount(page, 2);

    // A follow-up job from the field, offline.
    await page.getByRole('link', { name: 'My day' }).click();
    await page.locator('.ct-card', { hasText: first.title }).click();
    await page.getByRole('button', { name: 'Create follow-up job' }).click();
    await page.getByLabel('What needs doing').fill('The shower valve leaks behind the wall; needs a plumber first.');
    await page.getByLabel('Title').fill('Proof of work: replace the shower valve');
    await page.getByRole('button', { name: 'Send to the office' }).click();
    await page.getByText(/Saved: Proof of work: replace the shower valve/).waitFor();
    await waitForPendingCount(page, 3);
    await saveScreenshot(page, 'proof-of-work-follow-up-phone');

    await phone.setOffline(false);
    await waitForPendingCount(page, 0, { timeout: 60_000 });
    await page.getByText('Sent to the office').first().waitFor();
    const materials = (await office.rows('materials')).filter((row) =>
      [first.jobId, second.jobId].includes(row.jobId as string),
    );
    expect(materials.filter((row) => /grout/i.test(row.itemName as string)).map((row) => row.purchased)).toEqual([
      true,
      true,
    ]);
    const followUp = (await office.rows('jobs')).find((row) => row.parentJobId === first.jobId);
    expect(followUp).toMatchObject({ title: 'Proof of work: replace the shower valve', status: 'open' });

    // The office: the follow-up flagged on the board, and the week's hours.
    const desk = await openDeskAt(browser, server.url, 'dispatcher');
    await signIn(desk.page, 'dispatcher1@example.com');
    await desk.page.getByRole('searchbox', { name: 'Search jobs' }).fill('Proof of work');
    const flagged = desk.page.locator('.dsp-table-row', { hasText: 'Proof of work: replace the shower valve' });
    await flagged.getByText('From the field').waitFor();
    // The office's own jobs carry no such flag.
    expect(
      await desk.page.locator('.dsp-table-row', { hasText: first.title }).getByText('From the field').count(),
    ).toBe(0);
    await saveScreenshot(desk.page, 'proof-of-work-board-desk');

    await goTo(desk.page, '#/timesheets');
    const row = desk.page.getByRole('row').filter({ has: desk.page.getByRole('rowheader', { name: /.+/ }) });
    await desk.page.getByRole('heading', { name: 'Timesheets' }).waitFor();
    await row.first().waitFor();
    const [csv] = await Promise.all([
      desk.page.waitForEvent('download'),
      desk.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csvText = await readDownload(csv);
    expect(csvText.split('\r\n')[0]).toBe(
      'date,contractor,job_number,job_title,working_minutes,waiting_minutes,on_hold_minutes',
    );
    // Working since `bookedAt` + 1 minute, until the export (to the minute, at most one off for rounding).
    const line = csvText.split('\r\n').find((entry) => entry.includes(first.title));
    const workedMinutes = Number(line?.split(',')[4]);
    const expectedMinutes = (Date.now() - (bookedAt + 60_000)) / 60_000;
    expect(Math.abs(workedMinutes - expectedMinutes)).toBeLessThanOrEqual(1.5);
    await saveScreenshot(desk.page, 'proof-of-work-timesheets-desk');
    await desk.page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(desk.page, 'proof-of-work-timesheets-narrow');
    await desk.close();
    await phone.close();
  });

  test('an upload cut off by the server going down resumes from the acknowledged offset', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor4@example.com',
      title: 'Proof of work: resumable upload',
      time: '07:00',
      startJob: true,
    });
    const phone = await openSignedInPhone(browser, server.url, 'contractor4@example.com');
    const page = phone.page;
    await page.locator('.ct-card', { hasText: job.title }).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();

    // Every upload request, in order; the second chunk is held back until the server has gone down.
    const uploads: Array<{ method: string; offset: string | null }> = [];
    let patches = 0;
    let releaseHeld: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseHeld = resolve;
    });
    let firstChunkAcknowledged: () => void = () => {};
    const acknowledged = new Promise<void>((resolve) => {
      firstChunkAcknowledged = resolve;
    });
    await phone.context.route('**/api/uploads**', async (route) => {
      const request: Request = route.request();
      uploads.push({ method: request.method(), offset: request.headers()['upload-offset'] ?? null });
      if (request.method() !== 'PATCH') return route.fallback();
      patches++;
      if (patches === 1) {
        const response = await route.fetch();
        await route.fulfill({ response });
        firstChunkAcknowledged();
        return;
      }
      if (patches === 2) {
        await held;
      }
      return route.fallback();
    });

    const photo = await noisyJpeg(11);
    await page.getByLabel('Take photo').setInputFiles({ name: 'resume.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'Save photo' }).click();
    await acknowledged;
    const firstOffset = uploads.filter((entry) => entry.method === 'PATCH')[0]?.offset;
    expect(firstOffset).toBe('0');

    // The server goes down with the second chunk in flight, and comes back.
    await server.stop();
    releaseHeld();
    await page
      .getByText(/uploading/i)
      .first()
      .waitFor();
    await server.start();

    await page.getByTestId('upload-status').waitFor({ state: 'detached', timeout: 60_000 });
    const row = (await office.rows('attachments')).find((entry) => entry.jobId === job.jobId && entry.uploadedAt);
    expect(row).toBeDefined();
    const response = await office.fetch(`/api/attachments/${row?.id}`);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(row?.sha256);

    // One upload was created; after the outage no chunk started from zero again.
    expect(uploads.filter((entry) => entry.method === 'POST')).toHaveLength(1);
    const afterOutage = uploads.filter((entry) => entry.method === 'PATCH').slice(1);
    expect(afterOutage.length).toBeGreaterThan(0);
    for (const patch of afterOutage) expect(Number(patch.offset)).toBeGreaterThan(0);
    await phone.close();
  });
});
