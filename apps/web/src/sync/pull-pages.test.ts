import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta, writeMeta } from './database';
import { FIRST_PULL_PAGE_LIMIT, PULL_PAGE_LIMIT } from './sync-engine';
import { jobRow, serverId } from './testing/fake-sync-server';
import { CONTRACTOR, JOB_ID, makeClient, newServer } from './testing/setup';
import type { FetchLike } from './transport';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** Where the second and third pages of a first sync start: the first page is the smaller one. */
const SECOND_PAGE = `v1.${FIRST_PULL_PAGE_LIMIT}`;
const THIRD_PAGE = `v1.${FIRST_PULL_PAGE_LIMIT + PULL_PAGE_LIMIT}`;

/** A server holding one job and enough notes on it for three pull pages. */
function serverWithThreePages() {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID, { status: 'scheduled' }));
  const notes = FIRST_PULL_PAGE_LIMIT + PULL_PAGE_LIMIT + 500;
  for (let i = 0; i < notes; i++)
    server.put('jobNotes', { id: serverId(), jobId: JOB_ID, body: `n${i}`, authorId: null });
  return { server, rows: notes + 1 };
}

/**
 * The cursor of every pull the client sent, in order ('' for none). `failPull`:
 * that pull (counting from 1) never arrives; `refusing.field`, once set: every
 * pull is refused as malformed, naming that field.
 */
function recordingPulls(fetch: FetchLike, options: { failPull?: number } = {}) {
  const cursors: string[] = [];
  const refusing: { field?: string } = {};
  const recorded: FetchLike = async (url, init) => {
    const parsed = new URL(url, 'http://fake');
    if (parsed.pathname === '/api/sync/pull') {
      cursors.push(parsed.searchParams.get('cursor') ?? '');
      if (cursors.length === options.failPull) throw new TypeError('Failed to fetch');
      if (refusing.field) {
        const body = JSON.stringify({
          error: { code: 'invalid_body', message: 'Refused.', details: { field: refusing.field } },
        });
        return { status: 400, ok: false, text: async () => body };
      }
    }
    return fetch(url, init);
  };
  return { cursors, refusing, fetch: recorded };
}

/** The contractor signed in on a new device that sends its requests through `fetch`, after its first sync. */
async function syncedClient(server: ReturnType<typeof newServer>, fetch: FetchLike) {
  const client = makeClient(server, { fetch });
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  return client;
}

test('a first sync over several pages asks for each page once, in cursor order, and stores every row', async () => {
  const { server, rows } = serverWithThreePages();
  const pulls = recordingPulls(server.fetch);
  const client = await syncedClient(server, pulls.fetch);

  expect(pulls.cursors).toEqual(['', SECOND_PAGE, THIRD_PAGE]);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows);
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${rows}`);
  expect(client.getState().lastSyncedAt).not.toBeNull();
});

test('a page asked for while the one before is written, and lost, leaves the pages before it stored and is asked for again', async () => {
  const { server, rows } = serverWithThreePages();
  const pulls = recordingPulls(server.fetch, { failPull: 3 });
  const client = await syncedClient(server, pulls.fetch);

  // Pages 1 and 2 are written; page 3 never came, so the cursor stays after page 2.
  expect(await readMeta(client.db, 'cursor')).toBe(THIRD_PAGE);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(
    FIRST_PULL_PAGE_LIMIT + PULL_PAGE_LIMIT,
  );
  expect(client.getState().lastSyncedAt).toBeNull();

  await client.syncNow();
  expect(pulls.cursors).toEqual(['', SECOND_PAGE, THIRD_PAGE, THIRD_PAGE]);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows);
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${rows}`);
});

test('a cursor the server refuses (one from a newer server, since rolled back) is dropped once: the device pulls from the beginning and catches up', async () => {
  const { server, rows } = serverWithThreePages();
  const pulls = recordingPulls(server.fetch);
  const client = await syncedClient(server, pulls.fetch);
  await writeMeta(client.db, 'cursor', 'f1.99.jobs.0');
  const laterJob = serverId();
  server.put('jobs', jobRow(laterJob, { status: 'scheduled' }));

  const before = pulls.cursors.length;
  await client.syncNow();

  expect(pulls.cursors.slice(before)).toEqual(['f1.99.jobs.0', '', SECOND_PAGE, THIRD_PAGE]);
  expect(await client.db.jobs.get(laterJob)).toBeDefined();
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows + 1);
  expect(await readMeta(client.db, 'cursor')).toBe(`v1.${rows + 1}`);
  expect(client.getState().lastError).toBeNull();
  expect(client.getState().lastSyncedAt).not.toBeNull();
});

/** A synced client whose pulls the server refuses as malformed once `refusing.field` is set. */
async function clientRefusedOn(server: ReturnType<typeof newServer>) {
  const pulls = recordingPulls(server.fetch);
  const client = await syncedClient(server, pulls.fetch);
  return { client, cursors: pulls.cursors, refusing: pulls.refusing };
}

test('a server that refuses the cursor on every pull is asked from the beginning once per sync, not in a loop', async () => {
  const { server } = serverWithThreePages();
  const { client, cursors, refusing } = await clientRefusedOn(server);
  await writeMeta(client.db, 'cursor', 'f1.99.jobs.0');
  refusing.field = 'cursor';

  const before = cursors.length;
  await client.syncNow();

  expect(cursors.slice(before)).toEqual(['f1.99.jobs.0', '']);
  expect(client.getState().lastError).not.toBeNull();
});

test('a pull refused for something other than the cursor keeps the cursor and the local copy', async () => {
  const { server, rows } = serverWithThreePages();
  const { client, cursors, refusing } = await clientRefusedOn(server);
  const cursor = await readMeta(client.db, 'cursor');
  refusing.field = 'limit';

  const before = cursors.length;
  await client.syncNow();

  expect(cursors.slice(before)).toEqual([cursor]);
  expect(await readMeta(client.db, 'cursor')).toBe(cursor);
  expect((await client.db.jobs.count()) + (await client.db.jobNotes.count())).toBe(rows);
  expect(client.getState().lastSyncedAt).not.toBeNull();
  expect(client.getState().lastError).not.toBeNull();
});
