/**
 * The first load as a phone on a poor connection gets it: the page paints the
 * brand before any script runs, the sign-in form needs only the first script
 * (the sync engine follows), text comes compressed, and the app trips no
 * Content-Security-Policy rule (a violation is a console error on every load
 * and a point off in every audit).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserTestServer,
  chromiumAvailable,
  DEMO_PASSWORD,
  DESK_VIEWPORT,
  launchChromium,
  PHONE_VIEWPORT,
  saveScreenshot,
  startBrowserTestServer,
} from './support';

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('first load in Chromium', () => {
  let server: BrowserTestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startBrowserTestServer(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the sign-in page loads with no Content-Security-Policy violation', async () => {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    const issues: string[] = [];
    cdp.on('Audits.issueAdded', (event) => issues.push(JSON.stringify(event.issue)));
    await cdp.send('Audits.enable');
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // Every script of the first screen has run by now; a violation is reported as it happens.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(issues.filter((issue) => issue.includes('ContentSecurityPolicy'))).toEqual([]);
    await page.close();
  });

  test("a first visit's sign-in form shows before the sync engine has arrived", async () => {
    const page = await browser.newPage();
    // Hold back zod and Dexie (the engine's libraries) until the form is on screen.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/assets/data-*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.url);
    await page.getByLabel('Email').fill('contractor1@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    release();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My day' }).waitFor();
    await page.close();
  });

  test('before any script runs the page already shows the brand (phone), and sign-in fits a desktop', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE_VIEWPORT });
    const phone = await noScript.newPage();
    await phone.goto(server.url);
    await phone.getByRole('heading', { name: 'Fieldsync' }).waitFor();
    await phone.getByText('Opening Fieldsync…').waitFor();
    await saveScreenshot(phone, 'first-paint-phone');
    await noScript.close();
    const desk = await browser.newPage({ viewport: DESK_VIEWPORT });
    await desk.goto(server.url);
    await desk.getByRole('button', { name: 'Sign in' }).waitFor();
    await saveScreenshot(desk, 'sign-in-desktop');
    await desk.close();
  });

  test('the brand is in the HTML itself, and text is sent compressed', async () => {
    const html = await fetch(server.apiUrl, { headers: { 'accept-encoding': 'br' } });
    expect(html.headers.get('content-encoding')).toBe('br');
    const body = await html.text();
    expect(body).toContain('<h1>Fieldsync</h1>');
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(body)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.apiUrl}${script}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const robots = await fetch(`${server.apiUrl}/robots.txt`);
    expect(await robots.text()).toMatch(/^User-agent: \*/);
  });
});
