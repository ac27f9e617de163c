/**
 * A company that has never heard of the demo, end to end in real Chromium
 * against a real server: sign up, invite a dispatcher and a contractor (the
 * contractor while the admin is offline), accept both invites in fresh
 * profiles, the new dispatcher creates a job and assigns the new contractor,
 * the contractor's phone shows it, and when the admin deactivates the
 * contractor the phone says so within seconds while its unsent change stays
 * exportable. No sleeps: every wait is on a locator or on a response.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  chromiumAvailable,
  DESK_VIEWPORT,
  type Desk,
  goTo,
  launchChromium,
  openDeskAt,
  openPhone,
  PHONE_VIEWPORT,
  type Phone,
  pendingCount,
  saveScreenshot,
  startBrowserTestServer,
  waitForPendingCount,
} from './support';

const runnable = chromiumAvailable();
const COMPANY = 'Cedar Ridge Flooring';
const PASSWORD = 'walnut-plank-harbor-71';

/** Invites someone from the People screen and lands on their detail. */
async function invite(
  page: Page,
  person: { name: string; email: string; role: 'dispatcher' | 'contractor'; trade?: string },
): Promise<void> {
  await goTo(page, '#/people');
  await page.getByRole('heading', { name: 'People' }).waitFor();
  await page
    .getByRole('link', { name: 'Invite someone' })
    .or(page.getByRole('button', { name: 'Invite someone' }))
    .click();
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Role').selectOption(person.role);
  if (person.trade) {
    await page.getByLabel('Trade').selectOption(person.trade);
    await page.getByLabel('Base address').fill('2100 Market St, Denver, CO');
    await page.getByLabel('Latitude').fill('39.7539');
    await page.getByLabel('Longitude').fill('-104.9953');
  }
  await page.getByRole('button', { name: 'Send invite' }).click();
  await page.getByRole('heading', { name: person.name }).waitFor();
}

/** Clicks "Copy invite link" and returns the link the server handed out. */
async function copyInviteLink(page: Page): Promise<string> {
  const answer = page.waitForResponse((response) => response.url().includes('/invite-link'));
  await page.getByRole('button', { name: 'Copy invite link' }).click();
  const response = await answer;
  expect(response.status()).toBe(200);
  const { url } = (await response.json()) as { url: string };
  expect(url).toMatch(/#\/invite\/[\w-]{20,}$/);
  return url;
}

/** Accepts an invite on an open page: choose a password and submit. */
async function acceptInvite(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Choose a password' }).waitFor();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
}

describe.skipIf(!runnable)('company administration in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserTestServer(), launchChromium()]);
  });

  afterAll(async () => {
    for (const item of open) await item.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('sign up, invite a dispatcher and a contractor, run a job, remove the contractor', async () => {
    const suffix = randomUUID().slice(0, 8);

    // Sign-up, shown at both sizes.
    const admin: Desk = await openDeskAt(browser, server.url, 'admin');
    open.push(admin);
    const { page } = admin;
    await page.getByRole('link', { name: 'Start your company' }).click();
    await page.getByRole('heading', { name: 'Start your company' }).waitFor();
    // The time zone defaults to the browser's.
    await expect.poll(() => page.getByLabel('Time zone').inputValue()).toBe('America/Denver');
    await saveScreenshot(page, 'signup-desktop');
    await page.setViewportSize(PHONE_VIEWPORT);
    await saveScreenshot(page, 'signup-phone', { fullPage: true });
    await page.setViewportSize(DESK_VIEWPORT);
    await page.getByLabel('Company name').fill(COMPANY);
    await page.getByLabel('Your name').fill('Ada Okafor');
    await page.getByLabel('Email').fill(`ada-${suffix}@cedar.example`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Start your company' }).click();
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await page.getByText(/Last synced/).waitFor({ timeout: 30_000 });
    // A new company starts empty: nothing of the demo company on the same server.
    expect(await page.locator('.dsp-table-row').count()).toBe(0);

    // A dispatcher, invited online.
    await invite(page, { name: 'Dev Patel', email: `dev-${suffix}@cedar.example`, role: 'dispatcher' });
    const dispatcherLink = await copyInviteLink(page);
    await saveScreenshot(page, 'people-person-desktop');

    // A contractor, invited while the admin is offline: the link waits until the invite has synced.
    await admin.setOffline(true);
    await invite(page, {
      name: 'Rosa Jimenez',
      email: `rosa-${suffix}@cedar.example`,
      role: 'contractor',
      trade: 'flooring',
    });
    expect(await page.getByRole('button', { name: 'Copy invite link' }).isDisabled()).toBe(true);
    await page.getByText(/once this invite has synced/i).waitFor();
    await admin.setOffline(false);
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Copy invite link', disabled: false }).waitFor({ timeout: 30_000 });
    const contractorLink = await copyInviteLink(page);
    await goTo(page, '#/people');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await saveScreenshot(page, 'people-desktop');
    await page.setViewportSize(PHONE_VIEWPORT);
    await saveScreenshot(page, 'people-phone', { fullPage: true });
    await page.setViewportSize(DESK_VIEWPORT);

    // The dispatcher accepts in a fresh profile and lands on the board.
    const dispatcher = await openDeskAt(browser, dispatcherLink, 'dispatcher');
    open.push(dispatcher);
    await dispatcher.page.getByRole('heading', { name: 'Choose a password' }).waitFor();
    await saveScreenshot(dispatcher.page, 'accept-invite-desktop');
    await acceptInvite(dispatcher.page);
    await dispatcher.page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();

    // The contractor accepts on a phone and lands on their day.
    const phone: Phone = await openPhone(browser, contractorLink);
    open.push(phone);
    await phone.page.getByRole('heading', { name: 'Choose a password' }).waitFor();
    await saveScreenshot(phone.page, 'accept-invite-phone');
    await acceptInvite(phone.page);
    await phone.page.getByRole('heading', { name: 'My day' }).waitFor();
    await phone.page.getByText(/Last synced/).waitFor({ timeout: 30_000 });

    // The dispatcher creates a customer and a job, and assigns the new contractor.
    const desk = dispatcher.page;
    await desk.getByRole('link', { name: 'New customer' }).click();
    await desk.getByRole('heading', { name: 'New customer' }).waitFor();
    await desk.getByLabel('Name').fill('Lakeside Dental');
    await desk.getByLabel('Address').fill('1600 Glenarm Pl, Denver, CO');
    await desk.getByLabel('Latitude').fill('39.7445');
    await desk.getByLabel('Longitude').fill('-104.9893');
    await desk.getByRole('button', { name: 'Create customer' }).click();
    const title = `Waiting-room oak floor ${suffix}`;
    await desk.getByRole('heading', { name: 'New job' }).waitFor();
    await desk.getByLabel('Title').fill(title);
    await desk.getByLabel('Trade').selectOption('flooring');
    await desk.getByLabel('Duration (minutes)').fill('120');
    await expect.poll(() => desk.getByLabel('Address').inputValue()).toBe('1600 Glenarm Pl, Denver, CO');
    await desk.getByRole('button', { name: 'Create job' }).click();
    await desk.getByRole('heading', { name: title }).waitFor();
    await desk.getByRole('link', { name: 'Recommend & assign' }).click();
    const rosa = desk.locator('.dsp-rec', { hasText: 'Rosa Jimenez' });
    await rosa.waitFor({ timeout: 30_000 });
    await rosa.getByRole('button', { name: /^Propose/ }).click();
    await desk.getByText(/^Proposed to/).waitFor();

    // The contractor's phone shows the job, live.
    const card = phone.page.locator('.ct-card', { hasText: title });
    await card.waitFor({ timeout: 30_000 });

    // One clock for the whole company: a Denver company reads 12 hours until the admin picks 24.
    await expect.poll(() => card.textContent()).toMatch(/\d:\d\d (AM|PM)/);
    await goTo(page, '#/settings');
    await page.getByRole('heading', { name: 'Company settings' }).waitFor();
    await page.getByLabel('Availability (%)').fill('60');
    await page.getByLabel('Distance (%)').fill('5');
    await page.getByText('Total: 100 %').waitFor();
    await page.getByLabel(/24-hour/).check();
    await saveScreenshot(page, 'settings-desktop', { fullPage: true });
    await page.setViewportSize(PHONE_VIEWPORT);
    await saveScreenshot(page, 'settings-phone', { fullPage: true });
    await page.setViewportSize(DESK_VIEWPORT);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).not.toMatch(/AM|PM/);
    expect(await card.textContent()).toMatch(/\b\d\d:\d\d\b/);

    // Offline, the contractor writes a note that cannot reach the office yet.
    await phone.setOffline(true);
    await card.click();
    await phone.page.getByRole('heading', { name: title }).waitFor();
    await phone.page.getByLabel('Add a note').fill('Subfloor is soft near the door.');
    await phone.page.getByRole('button', { name: 'Add note' }).click();
    await waitForPendingCount(phone.page, 1, { atLeast: true });

    // The admin deactivates the contractor.
    await goTo(page, '#/people');
    await page.getByRole('link', { name: 'Rosa Jimenez' }).click();
    await page.getByRole('heading', { name: 'Rosa Jimenez' }).waitFor();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('button', { name: /^(Confirm|Yes,)?\s*deactivate/i }).last();
    await confirm.click();
    await page.getByRole('button', { name: 'Reactivate' }).waitFor();
    await waitForPendingCount(page, 0, { timeout: 30_000 });
    const deactivated = Date.now();

    // Back online, the phone is told in plain words; the unsent note stays exportable.
    await phone.setOffline(false);
    await phone.page.getByText(`Your access to ${COMPANY} was removed.`).waitFor({ timeout: 15_000 });
    const told = Date.now();
    expect(await pendingCount(phone.page)).toBeGreaterThanOrEqual(1);
    await phone.page
      .getByRole('button', { name: /export/i })
      .first()
      .waitFor();
    await saveScreenshot(phone.page, 'phone-access-removed');

    // The office sees the job flagged for reassignment.
    await goTo(desk, '#/board');
    await desk.getByRole('searchbox', { name: 'Search jobs' }).fill(title);
    await desk
      .locator('.dsp-table-row', { hasText: title })
      .getByText(/reassign/i)
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(desk, 'board-needs-reassignment');

    console.info(
      `[company admin e2e] phone told of the removal ${told - deactivated} ms after the admin's change synced`,
    );
  });
});
