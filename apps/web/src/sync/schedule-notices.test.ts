import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import { dismissScheduleNotice, readScheduleNotices, scheduleNoticeText } from './schedule-notices';
import { type FakeSyncServer, jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, DISPATCHER, JOB_ID, makeClient, newServer } from './testing/setup';
import type { FetchLike } from './transport';

const CONTRACTOR_ID = '00000000-0000-4000-8000-0000000c0001';
const ASSIGNMENT_ID = '00000000-0000-4000-8000-0000000e0001';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

type Page = { changes: Record<string, Array<Record<string, unknown>>>; removed: Record<string, string[]> };

/**
 * The fake server's pulls with the real server's scope move for a contractor
 * (docs/sync-protocol.md, Scope): an own assignment that ended takes its job
 * into `removed`, and comes along once more in `changes` with its id in
 * `removed` too.
 */
function withScopeMoves(server: FakeSyncServer): FetchLike {
  return async (url, init) => {
    const response = await server.fetch(url, init);
    if (!url.includes('/api/sync/pull') || !response.ok) return response;
    const page = JSON.parse(await response.text()) as Page;
    for (const row of page.changes.assignments ?? []) {
      if (row.status !== 'cancelled' && row.status !== 'declined') continue;
      const jobId = row.jobId as string;
      page.removed.jobs = [...(page.removed.jobs ?? []), jobId];
      page.removed.assignments = [...(page.removed.assignments ?? []), row.id as string];
      if (page.changes.jobs) page.changes.jobs = page.changes.jobs.filter((job) => job.id !== jobId);
    }
    const text = JSON.stringify(page);
    return { status: response.status, ok: response.ok, text: async () => text };
  };
}

/** A contractor's phone holding one job with their confirmed assignment on it. */
async function phoneWithOneJob() {
  const server = newServer();
  server.put('contractors', { id: CONTRACTOR_ID, userId: CONTRACTOR.id, name: CONTRACTOR.name, status: 'active' });
  server.put('jobs', jobRow(JOB_ID, { title: 'Retile bathroom' }));
  server.put('assignments', {
    id: ASSIGNMENT_ID,
    jobId: JOB_ID,
    contractorId: CONTRACTOR_ID,
    status: 'confirmed',
    scheduledStart: '2026-11-21T09:00:00.000Z',
    scheduledEnd: '2026-11-21T11:00:00.000Z',
    cancellationReason: null,
  });
  const client = makeClient(server, { fetch: withScopeMoves(server) });
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  expect(await client.db.jobs.get(JOB_ID)).toBeDefined();
  return { server, client };
}

test('a job the office took off the schedule leaves a notice with its title and the reason', async () => {
  const { server, client } = await phoneWithOneJob();
  server.put('assignments', { id: ASSIGNMENT_ID, status: 'cancelled', cancellationReason: 'The customer moved house' });
  await client.syncNow();

  expect(client.getState().lastError).toBeNull();
  expect(await client.db.jobs.get(JOB_ID)).toBeUndefined();
  expect(await client.db.assignments.get(ASSIGNMENT_ID)).toBeUndefined();
  const notices = await readScheduleNotices(client.db);
  expect(notices).toEqual([
    {
      id: ASSIGNMENT_ID,
      jobId: JOB_ID,
      jobTitle: 'Retile bathroom',
      reason: 'The customer moved house',
      scheduledStart: '2026-11-21T09:00:00.000Z',
      at: '2026-11-21T09:00:00.000Z',
    },
  ]);
  expect(notices.map(scheduleNoticeText)).toEqual([
    'Retile bathroom was taken off your schedule: The customer moved house',
  ]);

  // Pulled again (a fresh cursor elsewhere, a replayed page): still one notice.
  server.put('assignments', { id: ASSIGNMENT_ID, status: 'cancelled' });
  await client.syncNow();
  expect(await readScheduleNotices(client.db)).toHaveLength(1);

  await dismissScheduleNotice(client.db, ASSIGNMENT_ID);
  expect(await readScheduleNotices(client.db)).toEqual([]);
});

test('without a reason the notice says only that the job was taken off', async () => {
  const { server, client } = await phoneWithOneJob();
  server.put('assignments', { id: ASSIGNMENT_ID, status: 'cancelled', cancellationReason: null });
  await client.syncNow();
  expect((await readScheduleNotices(client.db)).map(scheduleNoticeText)).toEqual([
    'Retile bathroom was taken off your schedule.',
  ]);
});

test('a job the contractor declined goes without a notice: they know', async () => {
  const { server, client } = await phoneWithOneJob();
  server.put('assignments', { id: ASSIGNMENT_ID, status: 'declined', cancellationReason: 'Van in the garage' });
  await client.syncNow();
  expect(await client.db.jobs.get(JOB_ID)).toBeUndefined();
  expect(await readScheduleNotices(client.db)).toEqual([]);
});

test('signing out forgets the notices with the rest of the person’s data', async () => {
  const { server, client } = await phoneWithOneJob();
  server.put('assignments', { id: ASSIGNMENT_ID, status: 'cancelled', cancellationReason: 'Rain' });
  await client.syncNow();
  expect(await readScheduleNotices(client.db)).toHaveLength(1);
  await client.signOut();
  await client.signIn(DISPATCHER.email, 'secret');
  expect(await readMeta(client.db, 'scheduleNotices')).toBeUndefined();
});
