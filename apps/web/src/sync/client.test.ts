import { afterEach, expect, test, vi } from 'vitest';
import { mutationAppliers } from './appliers';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import { MutationRefusedError, PendingChangesError } from './errors';
import { jobRow, serverId } from './testing/fake-sync-server';
import {
  CONTRACTOR,
  DISPATCHER,
  fakeLockManager,
  freshIndexedDb,
  JOB_ID,
  makeClient,
  newServer,
} from './testing/setup';

const clients: FieldsyncClient[] = [];
function track(client: FieldsyncClient) {
  clients.push(client);
  return client;
}
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const NOTE_ID = '00000000-0000-4000-8000-0000000a0001';
const NOTE_ID_2 = '00000000-0000-4000-8000-0000000a0002';

async function signedInContractor(jobStatus = 'scheduled') {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID, { status: jobStatus }));
  const client = track(makeClient(server));
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  return { server, client };
}

test('initial sync copies the server rows and remembers the cursor', async () => {
  const { client } = await signedInContractor();
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('scheduled');
  expect(await readMeta(client.db, 'cursor')).toBe('v1.1');
  const state = client.getState();
  expect(state.lastSyncedAt).toBe('2026-11-21T09:00:00.000Z');
  expect(state.session?.user.role).toBe('contractor');
  expect(state.online).toBe(true);
});

test('a local change and its outbox entry are one transaction: a failing applier leaves neither', async () => {
  const { client } = await signedInContractor();
  const real = mutationAppliers['note.add'];
  vi.spyOn(mutationAppliers, 'note.add').mockImplementation(async (ctx, args) => {
    await real(ctx, args);
    expect(await ctx.db.jobNotes.count()).toBe(1); // written inside the transaction…
    throw new Error('disk full');
  });
  await expect(client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'Gate code 1234' })).rejects.toThrow(
    'disk full',
  );
  // …and rolled back with the outbox entry and the seq counter.
  expect(await client.db.jobNotes.count()).toBe(0);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await client.db.shadows.count()).toBe(0);
  expect(await readMeta(client.db, 'nextSeq')).toBe(1);
});

test('mutate applies optimistically, fills `from`, skew-corrects occurredAt and numbers seqs without gaps', async () => {
  const { client } = await signedInContractor();
  await client.db.meta.put({ key: 'clockOffsetMs', value: 5_000 });
  const first = await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  const second = await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'Started' });
  expect([first.seq, second.seq]).toEqual([1, 2]);
  const job = await client.db.jobs.get(JOB_ID);
  expect(job).toMatchObject({ status: 'in_progress', _pendingSeq: 1 });
  const history = await client.db.jobStatusHistory.where('jobId').equals(JOB_ID).toArray();
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ fromStatus: 'scheduled', toStatus: 'in_progress', _pendingSeq: 1 });
  const outbox = await client.db.outbox.toArray();
  expect(outbox.map((entry) => [entry.seq, entry.name])).toEqual([
    [1, 'job.setStatus'],
    [2, 'note.add'],
  ]);
  expect(outbox[0]?.args).toEqual({ jobId: JOB_ID, from: 'scheduled', to: 'in_progress' });
  expect(outbox[0]?.occurredAt).toBe('2026-11-21T09:00:05.000Z');
  expect(client.getState().pendingCount).toBe(2);
});

test('an illegal transition is refused locally with plain words and never queued', async () => {
  const { client } = await signedInContractor('cancelled');
  const attempt = client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  await expect(attempt).rejects.toBeInstanceOf(MutationRefusedError);
  await expect(attempt).rejects.toMatchObject({
    code: 'invalid_transition',
    message: 'A cancelled job cannot be completed',
  });
  // A contractor may not cancel, nor create customers.
  const { client: other } = await signedInContractor('in_progress');
  await expect(other.mutate('job.setStatus', { jobId: JOB_ID, to: 'cancelled' })).rejects.toMatchObject({
    code: 'forbidden',
  });
  await expect(other.mutate('customer.create', { id: serverId(), name: 'Ada' })).rejects.toMatchObject({
    code: 'forbidden',
  });
  await expect(other.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: '  ' })).rejects.toMatchObject({
    code: 'invalid_args',
  });
  expect(await client.db.outbox.count()).toBe(0);
  expect(await other.db.outbox.count()).toBe(0);
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('cancelled');
});

test('rebase: server rows land under still-pending changes, which are re-applied on top', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  // The office edits the title meanwhile; this device cannot push (its change stays pending).
  server.put('jobs', { id: JOB_ID, title: 'Retile bathroom and hall' });
  const { pullAll } = await import('./sync-engine');
  const session = await readMeta(client.db, 'session');
  if (!session) throw new Error('no session');
  await pullAll({
    db: client.db,
    user: session.user,
    now: () => Date.parse('2026-11-21T09:00:00Z'),
    newId: serverId,
    call: async (method, path) => {
      const response = await server.fetch(path, {
        method,
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      return JSON.parse(await response.text());
    },
  });
  const job = await client.db.jobs.get(JOB_ID);
  expect(job).toMatchObject({ title: 'Retile bathroom and hall', status: 'in_progress', _pendingSeq: 1 });
  const history = await client.db.jobStatusHistory.toArray();
  expect(history).toHaveLength(1);
  expect(await client.db.outbox.count()).toBe(1);
  // The server's copy is kept aside for the next rebase.
  expect((await client.db.shadows.get(['jobs', JOB_ID]))?.base).toMatchObject({ status: 'scheduled' });
});

test('after the server acknowledges, optimistic rows are replaced by the server rows', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'On site' });
  const optimisticHistoryId = (await client.db.jobStatusHistory.toArray())[0]?.id;
  await client.syncNow();
  expect(server.applied.map((m) => m.seq)).toEqual([1, 2]);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await client.db.shadows.count()).toBe(0);
  const history = await client.db.jobStatusHistory.toArray();
  expect(history).toHaveLength(1);
  expect(history[0]?.id).not.toBe(optimisticHistoryId);
  expect(history[0]).toMatchObject({ toStatus: 'in_progress', seq: 1 });
  expect(history[0]?._pendingSeq).toBeUndefined();
  const job = await client.db.jobs.get(JOB_ID);
  expect(job?._pendingSeq).toBeUndefined();
  expect(job?.version).toBe(server.get('jobs', JOB_ID)?.version);
  expect((await client.db.jobNotes.get(NOTE_ID))?._pendingSeq).toBeUndefined();
  expect(client.getState()).toMatchObject({ pendingCount: 0, rejected: [], lastError: null });
});

test('a change the server rejects is shown in plain words and the screen returns to the server state', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  server.put('jobs', { id: JOB_ID, status: 'cancelled' }); // the office cancelled it meanwhile
  await client.syncNow();
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('cancelled');
  expect(await client.db.jobStatusHistory.count()).toBe(0);
  const [rejected] = client.getState().rejected;
  expect(rejected).toMatchObject({ seq: 1, name: 'job.setStatus', code: 'invalid_transition' });
  expect(rejected?.message).toMatch(/^The office changed this job, so it could not be moved to that status\./);
  expect(client.getState().pendingCount).toBe(0);
});

test('a pull in several pages keeps optimistic rows on screen until the last page', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  server.put('jobs', { id: JOB_ID, title: 'New title' });
  for (let i = 0; i < 3; i++) server.put('jobNotes', { id: serverId(), jobId: JOB_ID, body: `n${i}`, authorId: null });
  const { applyPullPage } = await import('./sync-engine');
  const session = await readMeta(client.db, 'session');
  if (!session) throw new Error('no session');
  const io = {
    db: client.db,
    user: session.user,
    now: () => 0,
    newId: serverId,
    call: async () => undefined,
  };
  const job = server.get('jobs', JOB_ID);
  await applyPullPage(
    io,
    {
      cursor: 'v1.9',
      hasMore: true,
      lastSeq: 0,
      serverTime: '2026-11-21T09:00:00Z',
      changes: { jobs: [job as never] },
      removed: {},
    },
    { fresh: false },
  );
  expect(await client.db.jobs.get(JOB_ID)).toMatchObject({ status: 'in_progress', title: 'Retile bathroom' });
  await applyPullPage(
    io,
    { cursor: 'v1.10', hasMore: false, lastSeq: 0, serverTime: '2026-11-21T09:00:00Z', changes: {}, removed: {} },
    { fresh: false },
  );
  expect(await client.db.jobs.get(JOB_ID)).toMatchObject({ status: 'in_progress', title: 'New title', _pendingSeq: 1 });
});

test('seq gap: an outbox that starts past the server’s next seq is renumbered and sent', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'one' });
  await client.mutate('note.add', { id: NOTE_ID_2, jobId: JOB_ID, body: 'two' });
  // Simulate an entry set aside locally: the queue now starts at 2.
  await client.db.outbox.delete(1);
  await client.syncNow();
  expect(server.applied.map((m) => [m.seq, m.args.body])).toEqual([[1, 'two']]);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await readMeta(client.db, 'nextSeq')).toBe(2);
});

test('401 → refresh → retry; dead refresh → needsSignIn with the outbox kept; signing in again resumes in order', async () => {
  const { server, client } = await signedInContractor();
  const clientId = await readMeta(client.db, 'clientId');
  server.expireAccessTokens();
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'one' });
  await client.syncNow();
  expect(server.refreshCalls).toBe(1);
  expect(server.applied.map((m) => m.seq)).toEqual([1]);
  expect(client.getState().needsSignIn).toBe(false);

  server.expireAccessTokens();
  server.revokeRefreshTokens();
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  await client.mutate('note.add', { id: NOTE_ID_2, jobId: JOB_ID, body: 'two' });
  await client.syncNow();
  expect(server.refreshCalls).toBe(2);
  expect(client.getState()).toMatchObject({ needsSignIn: true, pendingCount: 2 });
  expect(client.getState().lastError).toMatch(/sign in again/i);
  // Nothing more is tried until the person signs in.
  await client.syncNow();
  expect(server.refreshCalls).toBe(2);
  // Changes keep working offline meanwhile.
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('in_progress');

  await client.signIn(CONTRACTOR.email, 'secret');
  expect(await readMeta(client.db, 'clientId')).toBe(clientId);
  expect(client.getState().needsSignIn).toBe(false);
  await client.syncNow();
  expect(server.applied.map((m) => [m.seq, m.name])).toEqual([
    [1, 'note.add'],
    [2, 'job.setStatus'],
    [3, 'note.add'],
  ]);
  expect(client.getState().pendingCount).toBe(0);
});

test('signing in as someone else is refused while changes are pending; sign-out needs force', async () => {
  const { client } = await signedInContractor();
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'unsent' });
  await expect(client.signIn(DISPATCHER.email, 'secret')).rejects.toBeInstanceOf(PendingChangesError);
  expect(client.getState().session?.user.id).toBe(CONTRACTOR.id);
  await expect(client.signOut()).rejects.toMatchObject({ count: 1 });
  const exported = JSON.parse(await client.exportPending()) as { mutations: Array<{ name: string; seq: number }> };
  expect(exported.mutations).toEqual([expect.objectContaining({ seq: 1, name: 'note.add' })]);
  await client.signOut({ force: true });
  expect(await client.db.outbox.count()).toBe(0);
  expect(await client.db.jobs.count()).toBe(0);
  expect(client.getState().session).toBeNull();
  // A different person now starts clean with a new client id.
  await client.signIn(DISPATCHER.email, 'secret');
  expect(client.getState().session?.user.role).toBe('dispatcher');
});

test('offline: a failed fetch marks the client offline and keeps the outbox; 426 flags an update', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'offline' });
  server.offline = true;
  await client.syncNow();
  expect(client.getState()).toMatchObject({ online: false, pendingCount: 1 });
  expect((await client.db.outbox.get(1))?.attempts).toBe(1);
  server.offline = false;
  server.outdated = true;
  await client.syncNow();
  expect(client.getState()).toMatchObject({ online: true, updateRequired: true, pendingCount: 1 });
  server.outdated = false;
  await client.syncNow();
  expect(client.getState()).toMatchObject({ updateRequired: false, pendingCount: 0 });
});

test('after a failure the retry timer fires with exponential backoff and full jitter', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const { server, client } = await signedInContractor();
  server.offline = true;
  const pushesBefore = server.pushCalls;
  await client.mutate('note.add', { id: NOTE_ID, jobId: JOB_ID, body: 'x' });
  client.start();
  await vi.waitFor(() => expect(client.getState().online).toBe(false));
  const pulls = server.pullCalls;
  // random() = 0.5 → first retry at 500 ms, second at 1 000 ms after that.
  server.offline = false;
  await vi.advanceTimersByTimeAsync(400);
  expect(server.pullCalls).toBe(pulls);
  await vi.advanceTimersByTimeAsync(200);
  await vi.waitFor(() => expect(client.getState().pendingCount).toBe(0));
  expect(server.pushCalls).toBeGreaterThan(pushesBefore);
  client.stop();
});

test('two tabs on one database: only one pushes at a time and every change is sent once, in order', async () => {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID));
  server.pushDelayMs = 20;
  const locks = fakeLockManager();
  const idb = freshIndexedDb();
  const tabA = track(makeClient(server, { ...idb, locks }));
  const tabB = track(makeClient(server, { ...idb, locks }));
  await tabA.signIn(CONTRACTOR.email, 'secret');
  await tabA.syncNow();
  for (let i = 0; i < 6; i++) {
    const tab = i % 2 === 0 ? tabA : tabB;
    await tab.mutate('note.add', { id: serverId(), jobId: JOB_ID, body: `note ${i}` });
  }
  await Promise.all([tabA.syncNow(), tabB.syncNow(), tabA.syncNow(), tabB.syncNow()]);
  // A tab that found the lock taken skipped; a later sync sends anything left.
  await Promise.all([tabB.syncNow(), tabA.syncNow()]);
  expect(server.maxConcurrentPushes).toBe(1);
  expect(server.applied.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await tabB.db.outbox.count()).toBe(0);
});

test('live updates: a poke triggers a pull; the stream token comes from the events endpoint', async () => {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID));
  const listeners = new Map<string, (event: unknown) => void>();
  const urls: string[] = [];
  const client = track(
    makeClient(server, {
      eventSource: (url) => {
        urls.push(url);
        return {
          addEventListener: (type, listener) => listeners.set(type, listener),
          close: () => undefined,
        };
      },
    }),
  );
  await client.signIn(CONTRACTOR.email, 'secret');
  client.start();
  await vi.waitFor(() => expect(urls).toHaveLength(1));
  expect(urls[0]).toMatch(/^\/api\/sync\/events\?token=events-access-/);
  await vi.waitFor(() => expect(client.getState().syncing).toBe(false));
  server.put('jobs', { id: JOB_ID, title: 'Poked' });
  listeners.get('poke')?.({});
  await vi.waitFor(async () => expect((await client.db.jobs.get(JOB_ID))?.title).toBe('Poked'));
  client.stop();
});

test('a queued change is indexed by its job, also when it names only the material it ticks', async () => {
  const { server, client } = await signedInContractor('in_progress');
  server.offline = true;
  const materialId = '00000000-0000-4000-8000-0000000c0001';
  await client.mutate('material.add', { id: materialId, jobId: JOB_ID, itemName: 'Grout', quantity: 2, unit: 'bag' });
  await client.mutate('material.setPurchased', { id: materialId, purchased: true });
  const queued = await client.db.outbox.orderBy('seq').toArray();
  expect(queued.map((entry) => [entry.name, entry.jobId])).toEqual([
    ['material.add', JOB_ID],
    ['material.setPurchased', JOB_ID],
  ]);
  expect(await client.db.outbox.where('jobId').equals(JOB_ID).count()).toBe(2);
});
