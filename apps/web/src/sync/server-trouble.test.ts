/**
 * How the engine decides when the server is in trouble: a change it keeps
 * failing on (5xx) is isolated and set aside so the rest go on; an outage
 * (503) keeps everything; a switched-off account stops syncing but keeps the
 * outbox. Mechanics only, against the in-memory stand-in; the real server's
 * answers are covered in tests/browser.
 */
import { afterEach, expect, test, vi } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import { MutationRefusedError } from './errors';
import { jobRow, type PushedMutation } from './testing/fake-sync-server';
import { CONTRACTOR, freshIndexedDb, JOB_ID, makeClient, newServer } from './testing/setup';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  vi.restoreAllMocks();
});

const OTHER_JOB_ID = '00000000-0000-4000-8000-000000000b02';
const noteId = (n: number) => `00000000-0000-4000-8000-0000000a${String(n).padStart(4, '0')}`;

async function signedInContractor(overrides: Parameters<typeof makeClient>[1] = {}) {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID));
  server.put('jobs', jobRow(OTHER_JOB_ID, { title: 'Other job' }));
  const client = makeClient(server, overrides);
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  return { server, client };
}

const carries = (body: string) => (mutations: readonly PushedMutation[]) =>
  mutations.some((mutation) => mutation.args.body === body) ? { status: 500, code: 'internal' } : undefined;

test('a change the server keeps failing on (500) is isolated, set aside after 3 tries, and the rest go on', async () => {
  const { server, client } = await signedInContractor();
  for (const [n, body] of ['one', 'poison', 'three', 'four'].entries()) {
    await client.mutate('note.add', { id: noteId(n), jobId: JOB_ID, body });
  }
  server.failPush = carries('poison');

  await client.syncNow();
  // Halving sent "one" on its own; "poison" alone failed once and waits.
  expect(server.applied.map((m) => m.args.body)).toEqual(['one']);
  expect((await client.db.outbox.orderBy('seq').toArray()).map((e) => [e.seq, e.serverFailures ?? 0])).toEqual([
    [2, 1],
    [3, 0],
    [4, 0],
  ]);
  expect(client.getState().rejected).toEqual([]);

  await client.syncNow();
  expect(client.getState().rejected).toEqual([]);
  await client.syncNow();

  const [setAside] = client.getState().rejected;
  expect(setAside).toMatchObject({ seq: 2, name: 'note.add', code: 'internal_error' });
  expect(setAside?.args).toMatchObject({ body: 'poison' });
  expect(setAside?.message).toBe('The server could not take this note. It is kept here: try again later or export it.');
  // The changes behind it were renumbered after the server's seq_gap and sent in order.
  expect(server.applied.map((m) => [m.seq, m.args.body])).toEqual([
    [1, 'one'],
    [2, 'three'],
    [3, 'four'],
  ]);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await readMeta(client.db, 'nextSeq')).toBe(4);
  // The set-aside note left the screen with the rebase; the others are the server's rows.
  expect((await client.db.jobNotes.toArray()).map((note) => note.body).sort()).toEqual(['four', 'one', 'three']);
});

test('an outage (503 db_unavailable) keeps every change and sets nothing aside, however often it happens', async () => {
  const { server, client } = await signedInContractor();
  await client.mutate('note.add', { id: noteId(1), jobId: JOB_ID, body: 'kept' });
  await client.mutate('note.add', { id: noteId(2), jobId: JOB_ID, body: 'kept too' });
  server.failPush = () => ({ status: 503, code: 'db_unavailable' });
  for (let i = 0; i < 5; i++) await client.syncNow();
  expect(client.getState().rejected).toEqual([]);
  expect(client.getState().pendingCount).toBe(2);
  expect(client.getState().lastError).toBe(
    'The server is having trouble right now; your changes are kept and will be sent later.',
  );
  const entries = await client.db.outbox.toArray();
  expect(entries.map((entry) => entry.serverFailures ?? 0)).toEqual([0, 0]);
  expect(entries.map((entry) => entry.attempts)).toEqual([5, 5]);

  server.failPush = undefined;
  await client.syncNow();
  expect(server.applied.map((m) => m.args.body)).toEqual(['kept', 'kept too']);
  expect(client.getState()).toMatchObject({ pendingCount: 0, lastError: null });
});

test('a mutation the server records as internal_error lands in rejected in plain words', async () => {
  const { server, client } = await signedInContractor();
  server.rejectMutation = (mutation) =>
    mutation.args.body === 'bad' ? { code: 'internal_error', message: 'TypeError: cannot read x' } : undefined;
  await client.mutate('note.add', { id: noteId(1), jobId: JOB_ID, body: 'bad' });
  await client.mutate('note.add', { id: noteId(2), jobId: JOB_ID, body: 'good' });
  await client.syncNow();
  expect(client.getState().rejected).toEqual([
    expect.objectContaining({
      seq: 1,
      code: 'internal_error',
      message: 'The server could not take this note. It is kept here: try again later or export it.',
    }),
  ]);
  expect(client.getState().pendingCount).toBe(0);
});

test('a switched-off account stops syncing, keeps the outbox and says so, even after a reload', async () => {
  const idb = freshIndexedDb();
  const { server, client } = await signedInContractor(idb);
  await client.mutate('note.add', { id: noteId(1), jobId: JOB_ID, body: 'unsent' });
  server.disabledUsers.add(CONTRACTOR.id);
  await client.syncNow();
  expect(client.getState()).toMatchObject({ accountDisabled: true, needsSignIn: false, pendingCount: 1 });
  expect(client.getState().lastError).toBe(
    'Your account has been switched off by your company. Your unsent changes are kept on this phone: download them and give them to the office.',
  );
  const pushes = server.pushCalls;
  const refreshes = server.refreshCalls;
  await client.syncNow();
  expect([server.pushCalls, server.refreshCalls]).toEqual([pushes, refreshes]);
  const exported = JSON.parse(await client.exportPending()) as { mutations: Array<{ args: { body: string } }> };
  expect(exported.mutations.map((m) => m.args.body)).toEqual(['unsent']);

  // The same phone opened again: still stopped, still kept.
  client.close();
  const reopened = makeClient(server, idb);
  clients.push(reopened);
  await reopened.syncNow();
  expect(reopened.getState()).toMatchObject({ accountDisabled: true, pendingCount: 1 });
  expect(server.pushCalls).toBe(pushes);

  // Switched back on and signed in again: the change goes out.
  server.disabledUsers.delete(CONTRACTOR.id);
  await reopened.signIn(CONTRACTOR.email, 'secret');
  expect(reopened.getState().accountDisabled).toBe(false);
  await reopened.syncNow();
  expect(server.applied.map((m) => m.args.body)).toEqual(['unsent']);
});

test('mutate refuses bad values in plain words naming the field, and queues nothing', async () => {
  const { client } = await signedInContractor();
  const refused = await client
    .mutate('material.add', { id: noteId(1), jobId: JOB_ID, itemName: 'Grout', quantity: 99_999_999_999, unit: 'bag' })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MutationRefusedError);
  const error = refused as MutationRefusedError;
  expect(error.code).toBe('invalid_args');
  expect(error.message).toMatch(/^Quantity must be at most [\d,.]+\.$/);
  expect(error.message).not.toMatch(/Invalid args|Too big|expected/);
  expect(error.issues.quantity).toBe(error.message);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await client.db.materials.count()).toBe(0);
});

test('a rejected change is queued again as a new change, on the same or another job, and stays listed', async () => {
  const { server, client } = await signedInContractor();
  server.rejectMutation = (mutation) =>
    mutation.args.body === 'refused once' ? { code: 'forbidden', message: 'Not your job.' } : undefined;
  await client.mutate('note.add', { id: noteId(1), jobId: JOB_ID, body: 'refused once' });
  await client.syncNow();
  const [change] = client.getState().rejected;
  if (change?.id === undefined) throw new Error('expected a rejected change');
  server.rejectMutation = undefined;

  const { seq } = await client.retryRejected(change.id, { jobId: OTHER_JOB_ID });
  await client.syncNow();
  const resent = server.applied.at(-1);
  expect(resent).toMatchObject({ seq, name: 'note.add', args: { jobId: OTHER_JOB_ID, body: 'refused once' } });
  expect(resent?.args.id).not.toBe(noteId(1));
  // Never dropped without a person deleting it: still listed, marked as sent again.
  expect(client.getState().rejected).toEqual([expect.objectContaining({ id: change.id, resentSeq: seq })]);
  await client.dismissRejected(change.id);
  expect(client.getState().rejected).toEqual([]);
});

test('a load balancer that cannot reach the server (502, 504) is an outage too: nothing is set aside', async () => {
  for (const status of [502, 504]) {
    const { server, client } = await signedInContractor();
    await client.mutate('note.add', { id: noteId(status), jobId: JOB_ID, body: `through a proxy ${status}` });
    server.failPush = () => ({ status, code: 'bad_gateway' });
    for (let i = 0; i < 5; i++) await client.syncNow();
    expect(client.getState().rejected).toEqual([]);
    expect(await client.db.outbox.count()).toBe(1);
  }
});
