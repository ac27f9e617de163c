/**
 * Estimates end to end in real Chromium against the real server: a
 * contractor with no signal prices new work for the customer of the job they
 * are on — three lines, one picked from the company's price list — and the
 * customer accepts by signing on the phone. A reload while still offline
 * keeps the estimate accepted. Back online, the office has it accepted with
 * the totals the phone showed (computed again by the server), the job it
 * created carries the agreed cost, and the customer's PDF opens.
 */
import { type EstimateLine, estimateTotals, formatCents } from '@fieldsync/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  bookJobFor,
  chromiumAvailable,
  goTo,
  launchChromium,
  OfficeClient,
  openDeskAt,
  openSignedInPhone,
  saveScreenshot,
  signIn,
  signOnPad,
  startBrowserTestServer,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();

/** Fills line `index` of the editor (adding it first when needed). */
async function fillLine(
  page: Page,
  index: number,
  line: { kind: string; description: string; quantity: string; unit: string; unitPrice: string },
) {
  const lines = page.locator('.es-lines > li');
  if ((await lines.count()) <= index) await page.getByRole('button', { name: 'Add line' }).click();
  const row = lines.nth(index);
  await row.getByLabel('Kind').selectOption(line.kind);
  await row.getByLabel('Description').fill(line.description);
  await row.getByLabel('Quantity').fill(line.quantity);
  await row.getByLabel('Unit', { exact: true }).fill(line.unit);
  await row.getByLabel(/Unit price/).fill(line.unitPrice);
}

describe.skipIf(!runnable)('estimates on the doorstep, in Chromium', () => {
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

  test('offline: three lines, the customer signs, a reload; online: the office sees the win, the job and the PDF', async () => {
    const job = await bookJobFor(office, {
      contractorEmail: 'contractor6@example.com',
      title: 'Estimate visit: squeaky den floor',
      time: '06:30',
      startJob: true,
    });
    const [org] = await office.rows('organizations');
    const taxRateBasisPoints = Number(org?.taxRateBasisPoints);
    expect(taxRateBasisPoints).toBeGreaterThan(0);

    const phone = await openSignedInPhone(browser, server.url, 'contractor6@example.com');
    const page = phone.page;
    await page.locator('.ct-card', { hasText: job.title }).click();
    await page.locator('.ct-job-head [data-status="in_progress"]').waitFor();

    await phone.setOffline(true);
    await page.locator('.fs-status[data-online="false"]').waitFor();

    await page.getByRole('link', { name: 'New estimate' }).click();
    await page.getByLabel('Title').fill('Oak floor in the den');
    // New work for this customer, not the visit itself: accepting it makes a job.
    await page.getByLabel(/^This job/).uncheck();
    await fillLine(page, 0, {
      kind: 'labor',
      description: 'Lift old boards and lay the new floor',
      quantity: '3.5',
      unit: 'h',
      unitPrice: '65',
    });
    // The second line comes from the price list, offered as the description is typed.
    await page.getByRole('button', { name: 'Add line' }).click();
    const second = page.locator('.es-lines > li').nth(1);
    await second.getByLabel('Description').fill('Oak hard');
    await page.getByRole('option', { name: /Oak hardwood/ }).click();
    await expect(second.getByLabel('Unit', { exact: true }).inputValue()).resolves.toBe('sq ft');
    await expect(second.getByLabel(/Unit price/).inputValue()).resolves.toMatch(/^7\.99$/);
    await second.getByLabel('Quantity').fill('120.5');
    await fillLine(page, 2, {
      kind: 'equipment',
      description: 'Floor sander, one day',
      quantity: '1',
      unit: 'day',
      unitPrice: '95',
    });

    const lines: Array<Pick<EstimateLine, 'quantity' | 'unitPriceCents'>> = [
      { quantity: 3.5, unitPriceCents: 6500 },
      { quantity: 120.5, unitPriceCents: 799 },
      { quantity: 1, unitPriceCents: 9500 },
    ];
    const expected = estimateTotals(lines, taxRateBasisPoints);
    const totals = page.getByRole('complementary', { name: 'Totals' });
    await totals
      .getByText(formatCents(expected.totalCents, 'USD', 'en-US'))
      .first()
      .waitFor();
    await saveScreenshot(page, 'estimate-editor-phone', { fullPage: true });
    await page.getByRole('button', { name: 'Save estimate' }).click();

    await page.waitForURL(/#\/estimates\/[0-9a-f-]{36}$/);
    const estimateId = /#\/estimates\/([0-9a-f-]{36})$/.exec(page.url())?.[1] as string;
    await page.getByRole('button', { name: 'Customer accepts' }).click();
    await page.getByRole('button', { name: 'Customer signs' }).click();
    const pad = page.getByRole('dialog', { name: /signature/i });
    await pad.getByText(/to accept this estimate/).waitFor();
    await signOnPad(page);
    await pad.getByLabel(/printed name/).fill('Dana Smith');
    await pad.getByRole('button', { name: 'Save signature' }).click();
    await page.getByText(/The customer accepted Oak floor in the den/).waitFor();
    await page.locator('[data-estimate-status="accepted"]').first().waitFor();
    // The signature, the estimate, and its moves to sent and accepted.
    await waitForPendingCount(page, 4);
    await saveScreenshot(page, 'estimate-accepted-phone', { fullPage: true });

    // A reload with no signal keeps it accepted.
    const reloaded = await phone.reopen(`#/estimates/${estimateId}`);
    await reloaded.locator('[data-estimate-status="accepted"]').first().waitFor();
    await reloaded
      .getByText(formatCents(expected.totalCents, 'USD', 'en-US'))
      .first()
      .waitFor();
    await waitForPendingCount(reloaded, 4);

    // Online: the changes replay; the office sees the win with the same totals.
    await phone.setOffline(false);
    await waitForPendingCount(reloaded, 0, { timeout: 60_000 });
    const everything = await office.pullAll();
    const estimate = everything.get('estimates')?.get(estimateId);
    expect(estimate).toMatchObject({
      status: 'accepted',
      title: 'Oak floor in the den',
      subtotalCents: expected.subtotalCents,
      taxCents: expected.taxCents,
      totalCents: expected.totalCents,
      taxRateBasisPoints,
    });
    expect(estimate?.number).toMatch(/^EST-\d{8}-[A-Z0-9]{6}$/);
    expect(estimate?.signatureAttachmentId).toBeTruthy();
    const created = everything.get('jobs')?.get(estimate?.jobId as string);
    expect(created).toMatchObject({
      status: 'open',
      title: 'Oak floor in the den',
      agreedCostCents: expected.totalCents,
    });
    expect(created?.id).not.toBe(job.jobId);
    const signature = everything.get('attachments')?.get(estimate?.signatureAttachmentId as string);
    expect(signature).toMatchObject({ kind: 'signature', signerName: 'Dana Smith', jobId: job.jobId });

    // The customer's copy.
    await reloaded.getByTestId('upload-status').waitFor({ state: 'detached', timeout: 60_000 });
    const pdf = await office.fetch(`/api/estimates/${estimateId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    // The print-friendly copy works from the phone's own data.
    await goTo(reloaded, `#/estimates/${estimateId}/print`);
    await reloaded.getByText('Dana Smith').first().waitFor();
    await saveScreenshot(reloaded, 'estimate-print-phone', { fullPage: true });

    // The office's screens: the estimate, accepted, with its job; the list.
    const desk = await openDeskAt(browser, server.url, 'dispatcher');
    await signIn(desk.page, 'dispatcher1@example.com');
    await goTo(desk.page, `#/estimates/${estimateId}`);
    await desk.page.getByRole('heading', { name: /Oak floor in the den/ }).waitFor();
    await desk.page.locator('[data-estimate-status="accepted"]').first().waitFor();
    await desk.page
      .getByText(formatCents(expected.totalCents, 'USD', 'en-US'))
      .first()
      .waitFor();
    await saveScreenshot(desk.page, 'estimate-detail-desk', { fullPage: true });
    await goTo(desk.page, '#/estimates');
    await desk.page.getByText('Oak floor in the den').first().waitFor();
    await saveScreenshot(desk.page, 'estimates-list-desk');
    await desk.page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(desk.page, 'estimates-list-desk-narrow', { fullPage: true });
    await desk.page.setViewportSize({ width: 1440, height: 900 });
    await goTo(desk.page, `#/jobs/${created?.id}`);
    await desk.page
      .getByText(formatCents(expected.totalCents, 'USD', 'en-US'))
      .first()
      .waitFor();
    await saveScreenshot(desk.page, 'job-costing-desk', { fullPage: true });
    await goTo(desk.page, '#/price-list');
    await desk.page.getByText('Oak hardwood, 3/4"').first().waitFor();
    await saveScreenshot(desk.page, 'price-list-desk');
    await goTo(desk.page, '#/reports');
    await desk.page
      .getByRole('heading', { name: /Reports/ })
      .first()
      .waitFor();
    await saveScreenshot(desk.page, 'reports-desk', { fullPage: true });
    await desk.close();
    await phone.close();
  });
});
