/**
 * `pnpm bench:lighthouse` — what a first install costs on one bar of signal.
 *
 * Lighthouse's default mobile preset (a mid-range phone on simulated slow 4G,
 * CPU slowed 4×) against the production server on the embedded database
 * (PGlite, demo company seeded, the built web app served), for two pages:
 *
 * - sign-in: `/` in a fresh browser profile, Lighthouse clearing the origin's
 *   storage first — the very first visit.
 * - agenda: `/` after contractor1 signed in through the same browser profile
 *   and "My day" showed. Lighthouse keeps storage (`disableStorageReset`), so
 *   the stored session opens the agenda, with the service worker installed
 *   and its cache filled — the first open after signing in.
 *
 * Every run gets its own profile and Chromium, so runs do not warm each
 * other. Prints the median of each figure over the runs and writes the runs
 * to bench-results/lighthouse.json. Not a timed test: nothing is asserted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { assertBuiltApp, webDist } from '../browser/support/built-app';
import { DEMO_TIME_ZONE } from '../browser/support/office-api';
import { DEMO_PASSWORD, startBrowserTestServer } from '../browser/support/test-server';
import { fmt, median, writeResult } from './bench-support';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHROME_PATH = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CONTRACTOR_EMAIL = 'contractor1@example.com';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** How long Chromium may take to start, and sign-in to reach "My day", before the run is reported as broken. */
const STEP_DEADLINE_MS = 60_000;

type PageName = 'signIn' | 'agenda';

/** One Lighthouse run, reduced to the figures we print. Times in ms, sizes in bytes, scores 0–100. */
interface RunFigures {
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  firstContentfulPaintMs: number;
  largestContentfulPaintMs: number;
  totalBlockingTimeMs: number;
  cumulativeLayoutShift: number;
  speedIndexMs: number;
  transferBytes: number;
  scriptTransferBytes: number;
  /** The address the run ended on. */
  finalUrl: string;
  /** The largest contentful paint's element: shows which screen was measured (sign-in form or agenda). */
  lcpElement: string;
  /** Audits that count towards a score and did not get full marks: where the points went. */
  belowFullMarks: string[];
  /** Every request that crossed the wire, largest first: where the bytes went. */
  requests: NetworkRequest[];
  warnings: string[];
  lighthouseVersion: string;
  userAgent: string;
}

/**
 * Headless Chromium on a profile of its own, with a DevTools port for
 * Lighthouse (and Playwright, to sign in). Flags follow chrome-launcher's
 * defaults, which Lighthouse expects: no background work of Chromium's own
 * muddying the network log or the CPU.
 */
async function launchChromium() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'fieldsync-lighthouse-'));
  const child = spawn(
    CHROME_PATH,
    [
      '--headless',
      '--no-sandbox',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-extensions',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-client-side-phishing-detection',
      '--disable-domain-reliability',
      '--disable-hang-monitor',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions',
      '--metrics-recording-only',
      '--mute-audio',
      '--password-store=basic',
      '--use-mock-keychain',
      'about:blank',
    ],
    // The demo company's time zone, so the agenda's "today" is the seed's today.
    { env: { ...process.env, TZ: DEMO_TIME_ZONE }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await devToolsPort(child);
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await removeProfile(userDataDir);
    },
  };
}

/**
 * Deletes a profile once nothing writes to it any more: Chromium's helper
 * processes can still be flushing their caches for a moment after the
 * browser process exited.
 */
async function removeProfile(userDataDir: string) {
  const deadline = Date.now() + STEP_DEADLINE_MS;
  for (;;) {
    try {
      rmSync(userDataDir, { recursive: true, force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The port Chromium chose, from the "DevTools listening on ws://…" line it prints on start. */
function devToolsPort(child: ChildProcess) {
  return new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`Chromium (${CHROME_PATH}) did not open its DevTools port within ${STEP_DEADLINE_MS} ms:\n${output}`),
      );
    }, STEP_DEADLINE_MS);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = output.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium (${CHROME_PATH}) exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * Signs contractor1 in through the form in the browser on `port`, waits for
 * "My day" and for the service worker to control the page (so its install is
 * over and does not run into the measured load), then closes the tab and lets
 * go of the browser, leaving only the profile behind.
 */
async function signInContractor(port: number, url: string) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('Chromium has no default browser context to sign in with');
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_DEADLINE_MS);
    await page.goto(url);
    await page.getByLabel('Email').fill(CONTRACTOR_EMAIL);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My day' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
    await page.close();
  } finally {
    // Disconnects only: the browser and its profile stay for Lighthouse.
    await browser.close();
  }
}

/** One Lighthouse navigation of `url` in the browser on `port`. */
async function runLighthouse(port: number, url: string, page: PageName): Promise<RunFigures> {
  const result = await lighthouse(url, {
    port,
    logLevel: 'error',
    output: 'json',
    onlyCategories: [...CATEGORIES],
    // The agenda run needs the session the sign-in stored; the sign-in run starts clean.
    disableStorageReset: page === 'agenda',
  });
  if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError)
    throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const metric = (id: string) => {
    const value = lhr.audits[id]?.numericValue;
    if (value === undefined) throw new Error(`Lighthouse gave no value for ${id} on ${url}`);
    return value;
  };
  const requests = networkRequests(lhr.audits['network-requests']?.details);
  return {
    scores: Object.fromEntries(
      CATEGORIES.map((id) => {
        const score = lhr.categories[id]?.score;
        return [id, score == null ? null : Math.round(score * 100)];
      }),
    ) as RunFigures['scores'],
    firstContentfulPaintMs: metric('first-contentful-paint'),
    largestContentfulPaintMs: metric('largest-contentful-paint'),
    totalBlockingTimeMs: metric('total-blocking-time'),
    cumulativeLayoutShift: metric('cumulative-layout-shift'),
    speedIndexMs: metric('speed-index'),
    // The same sum as Lighthouse's "total-byte-weight" audit, so the two agree.
    transferBytes: sum(requests.map((request) => request.transferSize)),
    // By MIME type too: a script fetched rather than run is "Fetch" or "Other", and still JavaScript on the wire.
    scriptTransferBytes: sum(
      requests
        .filter((request) => request.resourceType === 'Script' || /javascript/.test(request.mimeType))
        .map((request) => request.transferSize),
    ),
    finalUrl: lhr.finalDisplayedUrl,
    lcpElement: lcpElement(lhr.audits['largest-contentful-paint-element']?.details),
    belowFullMarks: CATEGORIES.flatMap((id) =>
      (lhr.categories[id]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => `${id}: ${ref.id}${auditItems(lhr.audits[ref.id]?.details)}`),
    ),
    requests: [...requests].sort((a, b) => b.transferSize - a.transferSize),
    warnings: lhr.runWarnings.map(String),
    lighthouseVersion: lhr.lighthouseVersion,
    userAgent: lhr.environment.hostUserAgent,
  };
}

/** `transferSize` is bytes on the wire (headers and compressed body), `resourceSize` the body unpacked. */
type NetworkRequest = {
  url: string;
  transferSize: number;
  resourceSize: number;
  resourceType: string;
  mimeType: string;
  sessionTargetType: string;
};

/**
 * The rows of the "network-requests" audit that went over the network. The
 * query string is cut from the saved address: the event stream's carries a
 * token.
 */
function networkRequests(details: unknown): NetworkRequest[] {
  const items = (details as { items?: Partial<NetworkRequest>[] } | undefined)?.items ?? [];
  return items
    .filter((item) => /^https?:/.test(item.url ?? '') && (item.transferSize ?? 0) > 0)
    .map((item) => ({
      url: (item.url as string).replace(/\?.*$/, '?…'),
      transferSize: item.transferSize as number,
      resourceSize: item.resourceSize ?? 0,
      resourceType: item.resourceType ?? '',
      mimeType: item.mimeType ?? '',
      sessionTargetType: item.sessionTargetType ?? '',
    }));
}

/** What an audit found, briefly (e.g. the DevTools issue types), for the JSON and the console. */
function auditItems(details: unknown): string {
  const items = (details as { items?: Array<Record<string, unknown>> } | undefined)?.items ?? [];
  const words = items.map((item) => String(item.issueType ?? item.description ?? item.url ?? '')).filter(Boolean);
  return words.length > 0 ? ` (${[...new Set(words)].join('; ').slice(0, 200)})` : '';
}

/** "nodeLabel (selector)" of the element the LCP audit names. */
function lcpElement(details: unknown): string {
  type Node = { nodeLabel?: string; selector?: string };
  const tables = (details as { items?: { items?: { node?: Node }[] }[] } | undefined)?.items ?? [];
  const node = tables[0]?.items?.[0]?.node;
  return node ? `${node.nodeLabel ?? '?'} (${node.selector ?? '?'})` : 'none';
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** One measured run of `page` in a fresh profile. */
async function measure(page: PageName, url: string): Promise<RunFigures> {
  const browser = await launchChromium();
  try {
    if (page === 'agenda') await signInContractor(browser.port, url);
    return await runLighthouse(browser.port, `${url}/`, page);
  } finally {
    await browser.close();
  }
}

/** Each figure's median over the runs, on its own (the runs are printed and saved too). */
function medians(runs: RunFigures[]) {
  const of = (pick: (run: RunFigures) => number | null) => {
    const values = runs.map(pick).filter((value): value is number => value !== null);
    return values.length ? median(values) : null;
  };
  return {
    scores: Object.fromEntries(CATEGORIES.map((id) => [id, of((run) => run.scores[id])])),
    firstContentfulPaintMs: of((run) => run.firstContentfulPaintMs),
    largestContentfulPaintMs: of((run) => run.largestContentfulPaintMs),
    totalBlockingTimeMs: of((run) => run.totalBlockingTimeMs),
    cumulativeLayoutShift: of((run) => run.cumulativeLayoutShift),
    speedIndexMs: of((run) => run.speedIndexMs),
    transferBytes: of((run) => run.transferBytes),
    scriptTransferBytes: of((run) => run.scriptTransferBytes),
  };
}

const kib = (bytes: number | null) => (bytes === null ? '–' : `${fmt(bytes / 1024)} KiB`);
const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)} ms`);
const score = (value: number | null | undefined) => (value == null ? '–' : String(Math.round(value)));

function report(label: string, runs: RunFigures[]) {
  const figures = medians(runs);
  const { scores } = figures;
  console.log(`\n${label} (median of ${RUNS})`);
  console.log(
    `  scores   performance ${score(scores.performance)}, accessibility ${score(scores.accessibility)}, ` +
      `best practices ${score(scores['best-practices'])}, SEO ${score(scores.seo)}`,
  );
  const missed = [...new Set(runs.flatMap((run) => run.belowFullMarks))].filter((id) => !id.startsWith('performance:'));
  if (missed.length) console.log(`  short of full marks (any run): ${missed.join(', ')}`);
  console.log(
    `  metrics  FCP ${ms(figures.firstContentfulPaintMs)}, LCP ${ms(figures.largestContentfulPaintMs)}, ` +
      `TBT ${ms(figures.totalBlockingTimeMs)}, CLS ${figures.cumulativeLayoutShift === null ? '–' : fmt(figures.cumulativeLayoutShift, 3)}, ` +
      `Speed Index ${ms(figures.speedIndexMs)}`,
  );
  console.log(
    `  bytes    ${kib(figures.transferBytes)} on the wire, of which JavaScript ${kib(figures.scriptTransferBytes)}`,
  );
}

if (!existsSync(CHROME_PATH)) {
  throw new Error(`Chromium not found at ${CHROME_PATH}. Install Debian's chromium package or set CHROME_PATH.`);
}
const startedAt = performance.now();
// Throws with the build command when apps/web/dist is missing.
assertBuiltApp();
// A copy, so a rebuild while the bench runs cannot pull files from under it: every run measures the same build.
const servedApp = mkdtempSync(join(tmpdir(), 'fieldsync-lighthouse-web-'));
cpSync(webDist, servedApp, { recursive: true });
const server = await startBrowserTestServer({ webDist: servedApp });
const pages: { name: PageName; label: string }[] = [
  { name: 'signIn', label: 'Sign-in page, fresh profile' },
  { name: 'agenda', label: "Contractor's agenda after sign-in" },
];
const results: Record<string, { runs: RunFigures[]; median: ReturnType<typeof medians> }> = {};
try {
  console.log(`Lighthouse ${RUNS}× per page against ${server.url} (mobile preset: simulated slow 4G, 4× CPU slowdown)`);
  for (const { name } of pages) {
    const runs: RunFigures[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const figures = await measure(name, server.url);
      console.log(
        `  ${name} run ${run}: performance ${score(figures.scores.performance)}, LCP ${ms(figures.largestContentfulPaintMs)}, ` +
          `${kib(figures.transferBytes)}, LCP element ${figures.lcpElement}`,
      );
      for (const warning of figures.warnings) console.warn(`    warning: ${warning}`);
      runs.push(figures);
    }
    results[name] = { runs, median: medians(runs) };
  }
} finally {
  await server.close();
  rmSync(servedApp, { recursive: true, force: true });
}
for (const { name, label } of pages) report(label, results[name]?.runs ?? []);
const seconds = (performance.now() - startedAt) / 1000;
console.log(`\nTook ${fmt(seconds, 0)} s`);
const file = writeResult('lighthouse', {
  at: new Date().toISOString(),
  lighthouse: results.signIn?.runs[0]?.lighthouseVersion,
  userAgent: results.signIn?.runs[0]?.userAgent,
  preset: 'mobile (default): simulated slow 4G, 4× CPU slowdown',
  runsPerPage: RUNS,
  seconds,
  pages: results,
});
console.log(`Wrote ${file}`);
process.exit(0);
