import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { type FakeSyncServer, jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, freshIndexedDb, JOB_ID, makeClient, newServer } from './testing/setup';
import type { FetchLike } from './transport';

// Guarantee 5 when the answer to a push never arrives: the server repeats the
// recorded outcome on the replay, and the device must still show it.

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** Passes requests to the fake server; while `losePush` is set, a push is processed and its answer lost. */
function lossyFetch(server: FakeSyncServer) {
  const control = { losePush: false, beforePull: undefined as (() => Promise<void>) | undefined };
  const fetch: FetchLike = async (url, init) => {
    if (url.includes('/api/sync/pull') && control.beforePull) {
      const run = control.beforePull;
      control.beforePull = undefined;
      await run();
    }
    const response = await server.fetch(url, init);
    if (url.includes('/api/sync/push') && control.losePush) {
      control.losePush = false;
      throw new TypeError('Failed to fetch');
    }
    return response;
  };
  return { fetch, control };
}

async function setUp() {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID, { status: 'scheduled' }));
  return server;
}

test('a rejection whose push answer was lost is recorded from the replay’s `recorded` outcome', async () => {
  const server = await setUp();
  const { fetch, control } = lossyFetch(server);
  const client = makeClient(server, { fetch });
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  const { seq } = await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  server.put('jobs', { id: JOB_ID, status: 'cancelled' }); // the office cancelled it meanwhile

  control.losePush = true;
  await client.syncNow();
  expect(server.outcomes.get(`${[...server.lastSeq.keys()][0]}:${seq}`)).toMatchObject({ outcome: 'rejected' });
  expect(client.getState()).toMatchObject({ online: false, pendingCount: 1, rejected: [] });

  await client.syncNow(); // the replay comes back `duplicate` with the first outcome
  expect(client.getState().pendingCount).toBe(0);
  const rejected = client.getState().rejected;
  expect(rejected).toHaveLength(1);
  expect(rejected[0]).toMatchObject({ seq, name: 'job.setStatus', code: 'invalid_transition' });
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('cancelled');

  await client.syncNow(); // nothing is recorded twice
  expect(await client.db.rejected.count()).toBe(1);
});

test('a pull never drops an entry the server processed unseen: it pushes first and records the outcome', async () => {
  const server = await setUp();
  const idb = freshIndexedDb();
  const tabA = lossyFetch(server);
  const tabB = lossyFetch(server);
  const a = makeClient(server, { ...idb, fetch: tabA.fetch });
  const b = makeClient(server, { ...idb, fetch: tabB.fetch });
  clients.push(a, b);
  await a.signIn(CONTRACTOR.email, 'secret');
  await a.syncNow();
  server.put('jobs', { id: JOB_ID, status: 'cancelled' });

  // Tab B's push finds an empty outbox. Before its pull reaches the server, tab A (no Web Locks:
  // an old browser) queues a change and pushes it, and A's answer is lost. B's pull then reports
  // a lastSeq that covers an entry nobody on this device has an outcome for.
  tabB.control.beforePull = async () => {
    await a.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
    tabA.control.losePush = true;
    await a.syncNow();
    expect(await a.db.outbox.count()).toBe(1);
  };
  await b.syncNow();

  expect(await b.db.outbox.count()).toBe(0);
  const rejected = await b.db.rejected.toArray();
  expect(rejected).toHaveLength(1);
  expect(rejected[0]).toMatchObject({ seq: 1, name: 'job.setStatus', code: 'invalid_transition' });
  expect((await b.db.jobs.get(JOB_ID))?.status).toBe('cancelled');
  expect(b.getState()).toMatchObject({ pendingCount: 0, lastError: null });
});
