/**
 * `pnpm bench:client` — the web client in real Chromium, against the real
 * server (its own process) on a fresh Postgres database.
 *
 * Seeds a company of BENCH_JOBS jobs (default 10,000) with customers,
 * contractors, working hours, assignments and status history. Then BENCH_RUNS
 * (default 3) dispatcher runs, each in a fresh browser profile, and after
 * them (so their changes do not grow the next first sync) BENCH_RUNS phone
 * runs, each with its own contractor login:
 *
 * a. A dispatcher's first sync: rows pulled ÷ time from pressing "Sign in"
 *    to the engine reporting it is caught up (`lastSyncedAt` set, not
 *    syncing); beside it, in the same page, the same number of job-shaped
 *    rows written with the bare IndexedDB API in one transaction (a scratch
 *    database whose one store has the jobs table's indexes). Also how much
 *    of the sync was spent waiting on pull answers (Resource Timing).
 * b. Sign-in to the first job board row on screen (`.dsp-table-row`, at the
 *    animation frame after it entered the DOM).
 * c. Local write latency on that 10k-job database: from the `mutate()` call
 *    (`job.update` and `note.add` in turn) to its transaction committed
 *    (Dexie's `storagemutated`), and to `mutate()` resolving (which also
 *    recounts the pending badge). The sync scheduler is stopped and the API
 *    cut off, so nothing is pushed; before each change the page settles
 *    (idle, BENCH_WRITE_SETTLE_MS, idle) as between a person's taps.
 * d. A week offline: a contractor's phone queues BENCH_OFFLINE_CHANGES
 *    (default 5,000) notes, materials and materials ticked off with the API
 *    cut off, BENCH_OFFLINE_BURST (50) `mutate` calls at a time, then the
 *    network comes back and it syncs: time until nothing is pending, until
 *    the sync pass is over, and the longest main-thread task meanwhile
 *    (PerformanceObserver 'longtask').
 * e. JavaScript sizes: the initial JS (entry chunk + the chunks index.html
 *    preloads, gzip as the build's 110 KB budget check counts it) and the
 *    JS a contractor's phone actually loaded before its first sync ended.
 *
 * The page's client is the app's own (the `client` export of the engine
 * chunk, imported again from the page: same URL, same module instance).
 * BENCH_WEB_DIST serves another build (to compare a change) instead of
 * apps/web/dist, which is built first when missing. Prints medians over the
 * runs and writes bench-results/client.json. Not a timed test: nothing is
 * asserted. Ctrl-C still cleans up (browser, server, database).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashPassword, schema } from '@fieldsync/server';
import type { Browser, Page } from 'playwright-core';
import postgres from 'postgres';
// Sets the flag playwright-core reads when it loads (it is imported later, inside the run).
import { chromiumPath } from '../browser/support/browser-env';
import { webDist as builtWebDist } from '../browser/support/built-app';
import { BENCH_PASSWORD, fmt, median, percentile, startBenchServer, writeResult } from './bench-support';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? Math.max(1, Math.round(JOBS / 10)));
const CONTRACTORS = Number(process.env.BENCH_CONTRACTORS ?? 200);
const WRITE_SAMPLES = Number(process.env.BENCH_WRITES ?? 100);
/** Pause before each timed change, so it does not queue behind the reads the one before it set off. */
const WRITE_SETTLE_MS = Number(process.env.BENCH_WRITE_SETTLE_MS ?? 250);
const OFFLINE_CHANGES = Number(process.env.BENCH_OFFLINE_CHANGES ?? 5_000);
/** Changes queued together (`mutate` calls in flight at once) while offline. */
const OFFLINE_BURST = Number(process.env.BENCH_OFFLINE_BURST ?? 50);
/** BENCH_PROFILE=1: CPU profiles of the first dispatcher sync and the first drain, main-thread time printed by script and function. */
const PROFILE = process.env.BENCH_PROFILE === '1';
const TIME_ZONE = 'America/Denver';
const STEP_TIMEOUT_MS = 300_000;
/** The built app to serve (default apps/web/dist): another build can be compared without touching it. */
const webDist = process.env.BENCH_WEB_DIST ?? builtWebDist;

if (!process.env.BENCH_WEB_DIST && !existsSync(join(webDist, 'index.html'))) {
  console.log('The web app is not built: building it first…');
  execFileSync(process.execPath, [join(import.meta.dirname, '../../scripts/pnpm.mjs'), 'build'], { stdio: 'inherit' });
}

/**
 * Runs in every page before the app: long-task log, sign-in time, first
 * board row time, and a way to reach the app's own client.
 */
const PAGE_HOOKS = `
  // tsx may wrap functions handed to page.evaluate in __name(…): make it a no-op here.
  globalThis.__name = (fn) => fn;
  performance.setResourceTimingBufferSize(5000);
  window.__bench = { longTasks: [], signInAt: null, firstRowAt: null };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('submit', () => { window.__bench.signInAt ??= performance.now(); }, true);
  let rowSeen = false;
  const rows = new MutationObserver(() => {
    if (rowSeen || !document.querySelector('.dsp-table-row[data-job-id]')) return;
    rowSeen = true;
    rows.disconnect();
    requestAnimationFrame(() => { window.__bench.firstRowAt = performance.now(); });
  });
  rows.observe(document, { childList: true, subtree: true });
  window.__benchClient = async () => {
    const map = JSON.parse(document.querySelector('script[type=importmap]')?.textContent ?? '{"imports":{}}').imports;
    const url = Object.values(map).find((file) => /\\/engine-[^/]+\\.js$/.test(file))
      ?? [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href).find((h) => h.includes('/engine-'));
    if (!url) throw new Error('engine chunk not found in index.html');
    return (await import(url)).client;
  };
`;

declare global {
  interface Window {
    __bench: {
      longTasks: Array<{ start: number; duration: number }>;
      signInAt: number | null;
      firstRowAt: number | null;
      caughtUpAt?: number;
    };
    // biome-ignore lint/suspicious/noExplicitAny: the app's client, reached from the page
    __benchClient(): Promise<any>;
  }
}

// ---------------------------------------------------------------- seeding

const bench = await startBenchServer({ env: { WEB_DIST: webDist } });
const sql = postgres(bench.databaseUrl, { max: 4, onnotice: () => {} });
const org = bench.orgId;
const appUrl = bench.url.replace('127.0.0.1', 'localhost');
const dispatcherEmail = `dispatcher-${org.slice(0, 8)}@bench.example`;
const contractorEmails: string[] = [];
let browser: Browser | undefined;

async function seed() {
  const started = performance.now();
  // One contractor login per run, so every run's phone starts from the same data.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const contractorUserIds: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const id = crypto.randomUUID();
    const email = `contractor${run + 1}-${org.slice(0, 8)}@bench.example`;
    await bench.database.db
      .insert(schema.users)
      .values({ orgId: org, id, email, name: `Bench Contractor ${run + 1}`, role: 'contractor', passwordHash });
    contractorUserIds.push(id);
    contractorEmails.push(email);
  }
  await sql`insert into customers (org_id, id, name, phone, email, address, lat, lng, notes)
    select ${org}, gen_random_uuid(), 'Customer ' || n, '(555) ' || lpad((n % 1000)::text, 3, '0') || '-' || lpad((n % 10000)::text, 4, '0'),
      'customer' || n || '@example.com', n || ' Main St, Denver, CO', 39.74 + (random() - 0.5), -104.99 + (random() - 0.5),
      case when n % 3 = 0 then 'Gate code ' || (1000 + n % 9000) else null end
    from generate_series(1, ${CUSTOMERS}) n`;
  await sql`insert into contractors (org_id, id, user_id, name, trade, rating, status, phone, base_lat, base_lng)
    select ${org}, gen_random_uuid(), (${contractorUserIds}::uuid[])[n], 'Contractor ' || n,
      (array['flooring','tile','carpet','paving','general'])[1 + n % 5], round((3 + random() * 2)::numeric, 2), 'active',
      '(555) 200-' || lpad(n::text, 4, '0'), 39.74 + (random() - 0.5) * 2, -104.99 + (random() - 0.5) * 2
    from generate_series(1, ${CONTRACTORS}) n`;
  await sql`insert into working_hours (org_id, id, contractor_id, day_of_week, start_time, end_time)
    select ${org}, gen_random_uuid(), c.id, d, '07:00', '17:00' from contractors c, generate_series(1, 5) d where c.org_id = ${org}`;
  // Three in ten open, four scheduled, one in progress, two completed; dates around today.
  await sql`
    with numbered_customers as (select id, row_number() over (order by id) - 1 as k from customers where org_id = ${org})
    insert into jobs (org_id, id, job_number, title, description, customer_id, trade, priority, status, desired_date,
      duration_minutes, address, lat, lng)
    select ${org}, gen_random_uuid(), 'JOB-20261121-' || lpad(upper(to_hex(n)), 6, '0'), 'Job ' || n || ': replace flooring',
      'Remove the old floor and lay the new one; customer asks to call ahead.', c.id,
      (array['flooring','tile','carpet','paving','general'])[1 + n % 5], (array['low','medium','high'])[1 + n % 3],
      (array['open','open','open','scheduled','scheduled','scheduled','scheduled','in_progress','completed','completed'])[1 + n % 10],
      current_date + (n % 40) - 20, 60 + (n % 4) * 30, n || ' Elm St, Denver, CO',
      39.74 + (random() - 0.5), -104.99 + (random() - 0.5)
    from generate_series(1, ${JOBS}) n join numbered_customers c on c.k = n % ${CUSTOMERS}`;
  // Every job past open has one contractor, one slot a day each so none overlaps.
  await sql`
    with numbered_jobs as (
           -- Scheduled jobs first, so the first contractors (the phones' logins) all get live ones.
           select id, status, row_number() over (order by status <> 'scheduled', id) - 1 as k from jobs
           where org_id = ${org} and status <> 'open'),
         numbered_contractors as (select id, row_number() over (order by user_id nulls last, id) - 1 as k
           from contractors where org_id = ${org})
    insert into assignments (org_id, id, job_id, contractor_id, status, scheduled_start, scheduled_end)
    select ${org}, gen_random_uuid(), j.id, c.id,
      case j.status when 'scheduled' then 'confirmed' when 'in_progress' then 'in_progress' else 'completed' end,
      date_trunc('day', now()) - interval '20 days' + (j.k / ${CONTRACTORS}) * interval '1 day' + interval '15 hours',
      date_trunc('day', now()) - interval '20 days' + (j.k / ${CONTRACTORS}) * interval '1 day' + interval '17 hours'
    from numbered_jobs j join numbered_contractors c on c.k = j.k % ${CONTRACTORS}`;
  // History: created (open), then each step the job took.
  await sql`insert into job_status_history (org_id, id, job_id, from_status, to_status, occurred_at)
    select ${org}, gen_random_uuid(), id, null, 'open', now() - interval '30 days' from jobs where org_id = ${org}`;
  await sql`insert into job_status_history (org_id, id, job_id, from_status, to_status, occurred_at)
    select ${org}, gen_random_uuid(), id, 'open', 'scheduled', now() - interval '25 days'
    from jobs where org_id = ${org} and status <> 'open'`;
  await sql`insert into job_status_history (org_id, id, job_id, from_status, to_status, occurred_at)
    select ${org}, gen_random_uuid(), id, 'scheduled', 'in_progress', now() - interval '2 days'
    from jobs where org_id = ${org} and status in ('in_progress', 'completed')`;
  await sql`insert into job_status_history (org_id, id, job_id, from_status, to_status, occurred_at)
    select ${org}, gen_random_uuid(), id, 'in_progress', 'completed', now() - interval '1 day'
    from jobs where org_id = ${org} and status = 'completed'`;
  await sql`analyze`;
  const [counts] = await sql<{ jobs: number; assignments: number; history: number }[]>`select
    (select count(*)::int from jobs where org_id = ${org}) as jobs,
    (select count(*)::int from assignments where org_id = ${org}) as assignments,
    (select count(*)::int from job_status_history where org_id = ${org}) as history`;
  console.log(
    `  ${counts?.jobs} jobs, ${CUSTOMERS} customers, ${CONTRACTORS} contractors, ${counts?.assignments} assignments, ` +
      `${counts?.history} history rows (${fmt((performance.now() - started) / 1000)} s)`,
  );
}

// ---------------------------------------------------------------- browser helpers

async function newContext(kind: 'desk' | 'phone') {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({
    viewport: kind === 'desk' ? { width: 1440, height: 900 } : { width: 390, height: 844 },
    ...(kind === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    deviceScaleFactor: 1,
    timezoneId: TIME_ZONE,
    locale: 'en-US',
    serviceWorkers: 'allow',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript({ content: PAGE_HOOKS });
  let offline = false;
  await context.route('**/api/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
  context.on('console', (message) => {
    if (message.text().startsWith('[bench]')) console.log(`  ${message.text()}`);
    if (message.type() !== 'error' || offline) return;
    console.warn(`  [${kind}] ${message.text()}`);
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`  [${kind}] uncaught: ${error.message}`));
  return {
    context,
    page,
    /** Cuts the API off (requests fail as with no signal); `navigator.onLine` stays as it was. */
    setApiOffline(value: boolean) {
      offline = value;
    },
  };
}

/** Opens the app, arms the "caught up" watch, and signs in through the form. */
type CpuProfile = {
  nodes: Array<{
    id: number;
    callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number };
  }>;
  samples?: number[];
  timeDeltas?: number[];
};

/** Starts a sampling CPU profile of the page's main thread; the returned function stops it and prints it. */
async function startProfile(page: Page, label: string): Promise<() => Promise<void>> {
  const profiler = await page.context().newCDPSession(page);
  await profiler.send('Profiler.enable');
  await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
  await profiler.send('Profiler.start');
  return async () => {
    const { profile } = await profiler.send('Profiler.stop');
    printProfile(label, profile as CpuProfile);
    await profiler.detach();
  };
}

/** Main-thread self time of a CPU profile by script file (and V8's own buckets: idle, GC, program), then by function. */
function printProfile(label: string, profile: CpuProfile) {
  const selfMs = new Map<number, number>();
  (profile.samples ?? []).forEach((nodeId, index) => {
    selfMs.set(nodeId, (selfMs.get(nodeId) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  });
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    const file = url ? (url.split('/').pop() ?? url) : `(${functionName.replace(/[()]/g, '') || 'native'})`;
    const where = url ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}:${columnNumber + 1}` : file;
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    byFunction.set(where, (byFunction.get(where) ?? 0) + ms);
  }
  const total = [...byFile.values()].reduce((sum, ms) => sum + ms, 0);
  const list = (entries: Map<string, number>, count: number) => {
    for (const [name, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`    ${fmt(ms, 0).padStart(6)} ms  ${fmt((ms / total) * 100).padStart(5)} %  ${name}`);
    }
  };
  console.log(`  CPU profile of ${label} (${fmt(total, 0)} ms), self time by script:`);
  list(byFile, 8);
  console.log('  …and by function:');
  list(byFunction, 15);
}

async function signInAndSync(page: Page, email: string, options: { profile?: boolean } = {}) {
  const pulled: Promise<number>[] = [];
  const onResponse = (response: import('playwright-core').Response) => {
    if (!response.url().includes('/api/sync/pull')) return;
    pulled.push(
      response
        .json()
        .then((body: { changes: Record<string, unknown[]> }) =>
          Object.values(body.changes).reduce((sum, rows) => sum + rows.length, 0),
        )
        .catch(() => 0),
    );
  };
  page.on('response', onResponse);
  await page.goto(appUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(BENCH_PASSWORD);
  // Armed before the click: the engine module is loaded with the sign-in form.
  await page.evaluate(async () => {
    const client = await window.__benchClient();
    const check = () => {
      const state = client.getState();
      if (window.__bench.signInAt !== null && state.lastSyncedAt && !state.syncing && !window.__bench.caughtUpAt) {
        window.__bench.caughtUpAt = performance.now();
      }
    };
    client.subscribe(check);
  });
  const stopProfile = options.profile ? await startProfile(page, 'the first sync') : undefined;
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.__bench.caughtUpAt !== undefined, undefined, {
    timeout: STEP_TIMEOUT_MS,
    polling: 50,
  });
  await stopProfile?.();
  page.off('response', onResponse);
  const rowsPulled = (await Promise.all(pulled)).reduce((sum, rows) => sum + rows, 0);
  const timing = await page.evaluate(async () => {
    const { signInAt, caughtUpAt } = window.__bench;
    const pulls = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.includes('/api/sync/pull')) as PerformanceResourceTiming[];
    const client = await window.__benchClient();
    const localTables = new Set(['meta', 'outbox', 'shadows', 'rejected', 'attachmentFiles']);
    let rowsStored = 0;
    for (const table of client.db.tables) {
      if (!localTables.has(table.name)) rowsStored += await table.count();
    }
    const longTasks = window.__bench.longTasks.filter(
      (task) => task.start >= (signInAt ?? 0) && task.start <= (caughtUpAt ?? 0),
    );
    return {
      syncMs: (caughtUpAt ?? 0) - (signInAt ?? 0),
      pullRequests: pulls.length,
      pullRequestsMs: pulls.reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0),
      rowsStored,
      longestTaskMs: Math.max(0, ...longTasks.map((task) => task.duration)),
      longTaskMs: longTasks.reduce((sum, task) => sum + task.duration, 0),
      scripts: performance
        .getEntriesByType('resource')
        .filter((entry) => /\/assets\/[^/]+\.js$/.test(new URL(entry.name).pathname))
        .map((entry) => new URL(entry.name).pathname),
    };
  });
  return { rowsPulled, ...timing };
}

/** Writes `count` job-shaped rows (copies of this page's jobs, fresh ids) with bare IndexedDB, one transaction. */
async function rawIndexedDbMs(page: Page, count: number) {
  return page.evaluate(async (rowCount) => {
    const client = await window.__benchClient();
    const sample: Array<Record<string, unknown>> = await client.db.jobs.limit(1000).toArray();
    const rows = Array.from({ length: rowCount }, (_, index) => ({
      ...sample[index % sample.length],
      id: crypto.randomUUID(),
    }));
    const name = `bench-scratch-${crypto.randomUUID()}`;
    const scratch = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        // The jobs table's indexes (apps/web/src/sync/database.ts).
        const store = request.result.createObjectStore('jobs', { keyPath: 'id' });
        for (const index of ['status', 'desiredDate', 'customerId', 'updatedAt', '_pendingSeq']) {
          store.createIndex(index, index);
        }
        store.createIndex('[status+desiredDate]', ['status', 'desiredDate']);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const transaction = scratch.transaction('jobs', 'readwrite');
      const store = transaction.objectStore('jobs');
      for (const row of rows) store.put(row);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    const ms = performance.now() - started;
    scratch.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
    return ms;
  }, count);
}

/** `await client.mutate()` times on the dispatcher's full database, sync stopped, page idle before each. */
async function localWriteTimes(page: Page, samples: number) {
  return page.evaluate(
    async ({ count, settleMs }) => {
      const client = await window.__benchClient();
      client.stop();
      const jobs: Array<{ id: string; title: string }> = await client.db.jobs
        .where('status')
        .equals('open')
        .limit(count)
        .toArray();
      const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 1000 }));
      // A tap comes a moment after the screen settled: idle, then a pause in which reads the last change
      // started in IndexedDB (the board re-reading 10,000 jobs) finish, then idle again.
      const settled = async () => {
        await idle();
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        await idle();
      };
      // Dexie announces every committed read-write transaction of this tab ('storagemutated').
      let committedAt = 0;
      client.db.constructor.on('storagemutated', () => {
        committedAt ||= performance.now();
      });
      const committed: number[] = [];
      const resolved: number[] = [];
      for (let index = 0; index < count; index++) {
        const job = jobs[index % jobs.length] as { id: string; title: string };
        await settled();
        committedAt = 0;
        const started = performance.now();
        if (index % 2 === 0) {
          await client.mutate('job.update', { id: job.id, patch: { title: `${job.title} (${index})` } });
        } else {
          await client.mutate('note.add', { id: crypto.randomUUID(), jobId: job.id, body: `Bench note ${index}` });
        }
        resolved.push(performance.now() - started);
        committed.push((committedAt || performance.now()) - started);
      }
      return { committed, resolved, pending: client.getState().pendingCount as number };
    },
    { count: samples, settleMs: WRITE_SETTLE_MS },
  );
}

/** Queues `count` changes on the phone's live jobs: notes, materials, materials ticked off. */
async function queueOfflineChanges(page: Page, count: number) {
  return page.evaluate(
    async ({ changes, burst }) => {
      const client = await window.__benchClient();
      const jobs: Array<{ id: string; status: string }> = (await client.db.jobs.toArray()).filter(
        (job: { status: string }) => job.status === 'scheduled' || job.status === 'in_progress',
      );
      if (jobs.length === 0) throw new Error('the contractor has no live jobs');
      const started = performance.now();
      // Queued a burst at a time (a day's work between signal): one change after another, the app's own
      // screens re-read the growing outbox after each, which would make this step alone take many minutes.
      const earlierMaterials: string[] = [];
      for (let from = 0; from < changes; from += burst) {
        const added: string[] = [];
        const calls: Promise<unknown>[] = [];
        for (let index = from; index < Math.min(changes, from + burst); index++) {
          const job = jobs[index % jobs.length] as { id: string };
          const earlier = index % 3 === 2 ? earlierMaterials.pop() : undefined;
          if (earlier) {
            calls.push(client.mutate('material.setPurchased', { id: earlier, purchased: true }));
          } else if (index % 3 === 1) {
            const id = crypto.randomUUID();
            added.push(id);
            calls.push(
              client.mutate('material.add', {
                id,
                jobId: job.id,
                itemName: `Grout ${index}`,
                quantity: 2,
                unit: 'bag',
              }),
            );
          } else {
            calls.push(
              client.mutate('note.add', { id: crypto.randomUUID(), jobId: job.id, body: `Offline note ${index}` }),
            );
          }
        }
        await Promise.all(calls);
        earlierMaterials.push(...added);
        const done = Math.min(changes, from + burst);
        if (done % 1000 === 0 || done === changes) {
          console.info(`[bench] ${done} queued, ${((performance.now() - started) / done).toFixed(1)} ms each`);
        }
      }
      return { ms: performance.now() - started, pending: client.getState().pendingCount as number, jobs: jobs.length };
    },
    { changes: count, burst: OFFLINE_BURST },
  );
}

/** Syncs now (the network is back) and waits until nothing is pending and the pass is over. */
async function drain(page: Page) {
  return page.evaluate(async () => {
    const client = await window.__benchClient();
    const started = performance.now();
    let drainedAt = 0;
    const settled = new Promise<void>((resolve) => {
      const check = () => {
        const state = client.getState();
        if (state.pendingCount === 0 && !drainedAt) drainedAt = performance.now();
        if (drainedAt && !state.syncing) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = client.subscribe(check);
    });
    void client.syncNow();
    await settled;
    const settledAt = performance.now();
    const tasks = window.__bench.longTasks.filter((task) => task.start >= started && task.start <= settledAt);
    const waitedOn = (path: string, until: number) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.name.includes(path) && entry.startTime >= started && entry.startTime <= until)
        .reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0);
    return {
      drainMs: drainedAt - started,
      settledMs: settledAt - started,
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      longTasks: tasks.length,
      /** Of `drainMs`, the time push requests were out (the server applying the changes). */
      waitingOnPushMs: waitedOn('/api/sync/push', drainedAt),
      waitingOnPullMs: waitedOn('/api/sync/pull', settledAt),
      lastError: client.getState().lastError as string | null,
      rejected: (client.getState().rejected ?? []).length as number,
    };
  });
}

// ---------------------------------------------------------------- sizes

function gzipKb(file: string) {
  return gzipSync(readFileSync(join(webDist, file))).length / 1024;
}

/** The entry chunk and the chunks index.html preloads: what the build's 110 KB budget counts. */
function initialJs() {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g),
  ].map((match) => match[1] as string);
  return { files, gzipKb: files.reduce((sum, file) => sum + gzipKb(file), 0) };
}

// ---------------------------------------------------------------- the runs

type Run = {
  initialSync: {
    rowsPulled: number;
    rowsStored: number;
    syncMs: number;
    rowsPerSecond: number;
    pullRequests: number;
    /** Sum of the pull requests' round trips (they overlap the writes: the next page is asked for ahead). */
    pullRequestsMs: number;
    longestTaskMs: number;
    longTaskMs: number;
    rawIndexedDbMs: number;
    rawRowsPerSecond: number;
    ratio: number;
  };
  firstBoardRowMs: number;
  /** Call → row and outbox entry committed; `resolved*`: call → `mutate()` resolved (after the badge's recount). */
  localWrites: {
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    resolvedP50Ms: number;
    resolvedP95Ms: number;
    samples: number;
  };
  offline: {
    changes: number;
    queueMs: number;
    drainMs: number;
    settledMs: number;
    longestTaskMs: number;
    longTasks: number;
    waitingOnPushMs: number;
    waitingOnPullMs: number;
    rejected: number;
  };
  phoneScripts: string[];
};

/** a, b, c: the dispatcher on a desktop, in a fresh profile. */
async function deskRun(run: number): Promise<Omit<Run, 'offline' | 'phoneScripts'>> {
  const desk = await newContext('desk');
  let initialSync: Run['initialSync'];
  let firstBoardRowMs: number;
  let localWrites: Run['localWrites'];
  try {
    const sync = await signInAndSync(desk.page, dispatcherEmail, { profile: PROFILE && run === 0 });
    console.log(`  run ${run + 1}: dispatcher caught up (${sync.rowsStored} rows in ${fmt(sync.syncMs, 0)} ms)`);
    await desk.page.waitForFunction(() => window.__bench.firstRowAt !== null, undefined, { timeout: STEP_TIMEOUT_MS });
    firstBoardRowMs = await desk.page.evaluate(() => (window.__bench.firstRowAt ?? 0) - (window.__bench.signInAt ?? 0));
    const rawMs = await rawIndexedDbMs(desk.page, sync.rowsStored);
    const rowsPerSecond = sync.rowsStored / (sync.syncMs / 1000);
    const rawRowsPerSecond = sync.rowsStored / (rawMs / 1000);
    initialSync = {
      rowsPulled: sync.rowsPulled,
      rowsStored: sync.rowsStored,
      syncMs: sync.syncMs,
      rowsPerSecond,
      pullRequests: sync.pullRequests,
      pullRequestsMs: sync.pullRequestsMs,
      longestTaskMs: sync.longestTaskMs,
      longTaskMs: sync.longTaskMs,
      rawIndexedDbMs: rawMs,
      rawRowsPerSecond,
      ratio: rowsPerSecond / rawRowsPerSecond,
    };
    // Nothing of this reaches the server: every run's first sync pulls the same rows.
    desk.setApiOffline(true);
    const writes = await localWriteTimes(desk.page, WRITE_SAMPLES);
    localWrites = {
      p50Ms: percentile(writes.committed, 50),
      p95Ms: percentile(writes.committed, 95),
      maxMs: Math.max(...writes.committed),
      resolvedP50Ms: percentile(writes.resolved, 50),
      resolvedP95Ms: percentile(writes.resolved, 95),
      samples: writes.committed.length,
    };
    console.log(
      `  run ${run + 1}: first sync ${initialSync.rowsStored} rows in ${fmt(initialSync.syncMs, 0)} ms ` +
        `(${fmt(initialSync.rowsPerSecond, 0)} rows/s; ${initialSync.pullRequests} pulls out ${fmt(initialSync.pullRequestsMs, 0)} ms), ` +
        `raw IndexedDB ${fmt(rawMs, 0)} ms → ${fmt(initialSync.ratio * 100)} %; first board row ${fmt(firstBoardRowMs, 0)} ms; ` +
        `committed p50 ${fmt(localWrites.p50Ms)} ms p95 ${fmt(localWrites.p95Ms)} ms ` +
        `(mutate() resolved p50 ${fmt(localWrites.resolvedP50Ms)} p95 ${fmt(localWrites.resolvedP95Ms)})`,
    );
    return { initialSync, firstBoardRowMs, localWrites };
  } finally {
    await desk.context.close();
  }
}

/** d: a contractor's phone (its own login per run), a week offline. */
async function phoneRun(run: number): Promise<Pick<Run, 'offline' | 'phoneScripts'>> {
  const phone = await newContext('phone');
  try {
    const sync = await signInAndSync(phone.page, contractorEmails[run] as string);
    console.log(
      `  phone ${run + 1} caught up (${sync.rowsStored} rows in ${fmt(sync.syncMs, 0)} ms); queueing offline`,
    );
    phone.setApiOffline(true);
    const queued = await queueOfflineChanges(phone.page, OFFLINE_CHANGES);
    if (queued.pending < OFFLINE_CHANGES) throw new Error(`only ${queued.pending} changes pending after queueing`);
    phone.setApiOffline(false);
    const stopProfile = PROFILE && run === 0 ? await startProfile(phone.page, 'the drain') : undefined;
    const drained = await drain(phone.page);
    await stopProfile?.();
    if (drained.lastError) console.warn(`  [phone] last error after the drain: ${drained.lastError}`);
    const offline = {
      changes: OFFLINE_CHANGES,
      queueMs: queued.ms,
      drainMs: drained.drainMs,
      settledMs: drained.settledMs,
      longestTaskMs: drained.longestTaskMs,
      longTasks: drained.longTasks,
      waitingOnPushMs: drained.waitingOnPushMs,
      waitingOnPullMs: drained.waitingOnPullMs,
      rejected: drained.rejected,
    };
    console.log(
      `  phone ${run + 1}: ${OFFLINE_CHANGES} changes on ${queued.jobs} jobs queued in ${fmt(queued.ms / 1000)} s; ` +
        `drained in ${fmt(drained.drainMs / 1000, 2)} s (pass over at ${fmt(drained.settledMs / 1000, 2)} s), ` +
        `push requests out ${fmt(drained.waitingOnPushMs / 1000, 2)} s, pulls ${fmt(drained.waitingOnPullMs / 1000, 2)} s, ` +
        `longest task ${fmt(drained.longestTaskMs, 0)} ms (${drained.longTasks} long tasks), ${drained.rejected} rejected`,
    );
    return { offline, phoneScripts: sync.scripts };
  } finally {
    await phone.context.close();
  }
}

// Ctrl-C still closes the browser, stops the server and drops the database.
let cleaning: Promise<void> | undefined;
function cleanUp() {
  cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await sql.end().catch(() => {});
    await bench.close();
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

try {
  console.log(`Seeding a ${JOBS}-job company…`);
  await seed();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  console.log(`${RUNS} runs in ${chromiumPath} (${browser.version()}), server ${bench.url}`);
  const runs: Run[] = [];
  // Every dispatcher run first: the phones' changes would grow the company the next first sync pulls.
  const desks = [];
  for (let run = 0; run < RUNS; run++) desks.push(await deskRun(run));
  for (let run = 0; run < RUNS; run++)
    runs.push({ ...(desks[run] as (typeof desks)[number]), ...(await phoneRun(run)) });

  const mid = (pick: (run: Run) => number) => median(runs.map(pick));
  const initial = initialJs();
  const phoneScripts = [...new Set(runs.flatMap((run) => run.phoneScripts))].map((path) => path.replace(/^\//, ''));
  const phoneJs = phoneScripts.filter((file) => existsSync(join(webDist, file)));
  const result = {
    jobs: JOBS,
    runs: RUNS,
    initialSync: {
      rowsPulled: mid((run) => run.initialSync.rowsPulled),
      rowsStored: mid((run) => run.initialSync.rowsStored),
      syncMs: mid((run) => run.initialSync.syncMs),
      rowsPerSecond: mid((run) => run.initialSync.rowsPerSecond),
      pullRequestsMs: mid((run) => run.initialSync.pullRequestsMs),
      rawIndexedDbRowsPerSecond: mid((run) => run.initialSync.rawRowsPerSecond),
      ratio: mid((run) => run.initialSync.ratio),
      longestTaskMs: mid((run) => run.initialSync.longestTaskMs),
    },
    firstBoardRowMs: mid((run) => run.firstBoardRowMs),
    localWrites: {
      p50Ms: mid((run) => run.localWrites.p50Ms),
      p95Ms: mid((run) => run.localWrites.p95Ms),
      resolvedP50Ms: mid((run) => run.localWrites.resolvedP50Ms),
      resolvedP95Ms: mid((run) => run.localWrites.resolvedP95Ms),
    },
    offline: {
      changes: OFFLINE_CHANGES,
      queueMs: mid((run) => run.offline.queueMs),
      drainMs: mid((run) => run.offline.drainMs),
      settledMs: mid((run) => run.offline.settledMs),
      longestTaskMs: mid((run) => run.offline.longestTaskMs),
      waitingOnPushMs: mid((run) => run.offline.waitingOnPushMs),
      waitingOnPullMs: mid((run) => run.offline.waitingOnPullMs),
    },
    js: {
      initialGzipKb: initial.gzipKb,
      initialFiles: initial.files,
      phoneFirstOpenGzipKb: phoneJs.reduce((sum, file) => sum + gzipKb(file), 0),
      phoneFirstOpenFiles: phoneJs,
    },
    perRun: runs.map(({ phoneScripts: _scripts, ...run }) => run),
  };
  const s = result.initialSync;
  console.log(`\nResults (medians of ${RUNS} runs, ${s.rowsStored} rows, ${JOBS} jobs)`);
  console.log(
    `  a. first sync          ${fmt(s.rowsPerSecond, 0)} rows/s (${fmt(s.syncMs, 0)} ms sign-in → caught up, ${s.rowsPulled} rows pulled)`,
  );
  console.log(`     raw IndexedDB       ${fmt(s.rawIndexedDbRowsPerSecond, 0)} rows/s (one transaction, bare API)`);
  console.log(`     ratio               ${fmt(s.ratio * 100)} % of raw (target ≥ 70 %)`);
  console.log(
    `     pull requests out   ${fmt(s.pullRequestsMs, 0)} ms in all (overlapping the writes); longest task ${fmt(s.longestTaskMs, 0)} ms`,
  );
  console.log(`  b. first board row     ${fmt(result.firstBoardRowMs, 0)} ms after "Sign in" (target < 1000 ms)`);
  console.log(
    `  c. local write         committed p50 ${fmt(result.localWrites.p50Ms)} ms, p95 ${fmt(result.localWrites.p95Ms)} ms ` +
      `(target p95 ≤ 10 ms); mutate() resolved p50 ${fmt(result.localWrites.resolvedP50Ms)} ms, p95 ${fmt(result.localWrites.resolvedP95Ms)} ms`,
  );
  console.log(
    `  d. week offline        ${OFFLINE_CHANGES} changes drained in ${fmt(result.offline.drainMs / 1000, 2)} s ` +
      `(pass over ${fmt(result.offline.settledMs / 1000, 2)} s; target ≤ 5 s; push requests out ` +
      `${fmt(result.offline.waitingOnPushMs / 1000, 2)} s), longest task ${fmt(result.offline.longestTaskMs, 0)} ms (target ≤ 200 ms)`,
  );
  console.log(
    `  e. initial JS          ${fmt(result.js.initialGzipKb)} KB gzip (${initial.files.length} files; budget 110 KB); ` +
      `phone's first open ${fmt(result.js.phoneFirstOpenGzipKb)} KB gzip (${phoneJs.length} files)`,
  );
  console.log(`\nWrote ${writeResult('client', { at: new Date().toISOString(), ...result })}`);
} finally {
  await cleanUp();
}
process.exit(0);
