import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import { PULL_PAGE_LIMIT } from './sync-engine';
import { jobRow, serverId } from './testing/fake-sync-server';
import { CONTRACTOR, JOB_ID, makeClient, newServer } from './testing/setup';
import type { FetchLike } from './transport';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A server holding one job and enough notes on it for three pull pages. */
function serverWithThreePages() {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID, { status: 'scheduled' }));
  const notes = PULL_PAGE_LIMIT * 2 + 500;
  for (let i = 0; i < notes; i++)
    server.put('jobNotes', { id: serverId(), jobId: JOB_ID, body: `n${i}`, authorId: null });
  return { server, rows: notes + 1 };
}

/** The cursor of every pull the client sent, in order ('' for none). */
function recordingPulls(fetch: FetchLike, options: { failPull?: number } = {}) {
  const cursors: string[] = [];
  const recorded: FetchLike = async (url, init) => {
    const parsed = new URL(url, 'http://fake');
    if (parsed.pathname === '/api/sync/pull') {
      cursors.push(parsed.searchParams.get('cursor') ?? '');
      if (cursors.length === options.failPull) throw new TypeError('Failed to fetch');
    }
    return fetch(url, init);
  };
  return { cursors, fetch: recorded };
}

test('a first sync over several pages asks for each page once, in cursor order, and stores every row', async () => {
  const { server, rows } = serverWithThreePages();
  const pulls = recordingPulls(server.fetch);
  const client = makeClient(server, { fetch: pulls.fetch });
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();

  expect(pulls.cursors).toEqual(['', `v1.${PULL_PAGE_LIMIT}`, `v1.${PULL_PAGE_LIMIT * 2}`]);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows);
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${rows}`);
  expect(client.getState().lastSyncedAt).not.toBeNull();
});

test('a page asked for while the one before is written, and lost, leaves the pages before it stored and is asked for again', async () => {
  const { server, rows } = serverWithThreePages();
  const pulls = recordingPulls(server.fetch, { failPull: 3 });
  const client = makeClient(server, { fetch: pulls.fetch });
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();

  // Pages 1 and 2 are written; page 3 never came, so the cursor stays after page 2.
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${PULL_PAGE_LIMIT * 2}`);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(PULL_PAGE_LIMIT * 2);
  expect(client.getState().lastSyncedAt).toBeNull();

  await client.syncNow();
  expect(pulls.cursors).toEqual([
    '',
    `v1.${PULL_PAGE_LIMIT}`,
    `v1.${PULL_PAGE_LIMIT * 2}`,
    `v1.${PULL_PAGE_LIMIT * 2}`,
  ]);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows);
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${rows}`);
});
