import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import type { FakeSyncServer, FakeUser } from './testing/fake-sync-server';
import { assignmentRow, contractorRow, jobRow, serverId } from './testing/fake-sync-server';
import { CONTRACTOR, DISPATCHER, JOB_ID, makeClient, newServer } from './testing/setup';

// The optimistic `job.setStatus` moves the job's assignments as the server does
// (`assignmentsAfterJobStatusChange`), so a phone or desk shows them right away.

const OWN_CONTRACTOR = '00000000-0000-4000-8000-0000000c0001';
const OTHER_CONTRACTOR = '00000000-0000-4000-8000-0000000c0002';
const OWN = '00000000-0000-4000-8000-0000000a5001';
const OTHER = '00000000-0000-4000-8000-0000000a5002';
const PENDING = '00000000-0000-4000-8000-0000000a5003';
const DECLINED = '00000000-0000-4000-8000-0000000a5004';
const CANCELLED = '00000000-0000-4000-8000-0000000a5005';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const assignment = (id: string, contractorId: string, status: string, cancellationReason: string | null = null) =>
  assignmentRow(id, { jobId: JOB_ID, contractorId, status, cancellationReason });

/** A device signed in as `who`, holding one job and its assignments, then cut off so changes stay local. */
async function deviceWithJob(who: FakeUser, jobStatus: string, assignments: Array<Record<string, unknown>>) {
  const server = newServer();
  server.put('contractors', contractorRow(OWN_CONTRACTOR, { userId: CONTRACTOR.id, rating: 4.5 }));
  server.put('contractors', contractorRow(OTHER_CONTRACTOR, { rating: 4 }));
  server.put('jobs', jobRow(JOB_ID, { status: jobStatus }));
  for (const assignment of assignments) server.put('assignments', assignment as { id: string });
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(who.email, 'secret');
  await client.syncNow();
  server.offline = true;
  return { server, client };
}

async function statuses(client: FieldsyncClient, ids: string[]) {
  return Promise.all(ids.map(async (id) => (await client.db.assignments.get(id))?.status));
}

test('a contractor starting a job starts their own confirmed assignment, and completing it completes it', async () => {
  const { client } = await deviceWithJob(CONTRACTOR, 'scheduled', [
    assignment(OWN, OWN_CONTRACTOR, 'confirmed'),
    assignment(OTHER, OTHER_CONTRACTOR, 'confirmed'),
  ]);

  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  expect(await statuses(client, [OWN, OTHER])).toEqual(['in_progress', 'confirmed']);
  expect(await client.db.assignments.get(OWN)).toMatchObject({ _pendingSeq: 1 });

  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  expect(await statuses(client, [OWN, OTHER])).toEqual(['completed', 'completed']);
  // Only the job moves are queued: the server makes the same follow-ups itself.
  expect((await client.db.outbox.toArray()).map((entry) => entry.name)).toEqual(['job.setStatus', 'job.setStatus']);
});

test('the office starting a job moves no assignment; completing it completes the live ones and leaves ended ones', async () => {
  const { client } = await deviceWithJob(DISPATCHER, 'scheduled', [
    assignment(OWN, OWN_CONTRACTOR, 'confirmed'),
    assignment(PENDING, OTHER_CONTRACTOR, 'pending'),
    assignment(DECLINED, OTHER_CONTRACTOR, 'declined', 'Away'),
    assignment(CANCELLED, OTHER_CONTRACTOR, 'cancelled', 'Not needed'),
  ]);

  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  expect(await statuses(client, [OWN, PENDING])).toEqual(['confirmed', 'pending']);

  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  expect(await statuses(client, [OWN, PENDING, DECLINED, CANCELLED])).toEqual([
    'completed',
    'completed',
    'declined',
    'cancelled',
  ]);
  expect((await client.db.assignments.get(DECLINED))?.cancellationReason).toBe('Away');
});

test('completed work can be rated on the desk at once, and the contractor’s rating becomes the average', async () => {
  const { client } = await deviceWithJob(DISPATCHER, 'in_progress', [assignment(OWN, OWN_CONTRACTOR, 'in_progress')]);
  const ratingId = '00000000-0000-4000-8000-0000000f0001';
  await expect(client.mutate('rating.add', { id: ratingId, assignmentId: OWN, stars: 3 })).rejects.toMatchObject({
    code: 'validation_failed',
    message: 'Only completed work can be rated.',
  });

  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  await client.mutate('rating.add', { id: ratingId, assignmentId: OWN, stars: 3 });
  expect(await client.db.ratings.get(ratingId)).toMatchObject({ contractorId: OWN_CONTRACTOR, stars: 3 });
  expect((await client.db.contractors.get(OWN_CONTRACTOR))?.rating).toBe(3);
});

test('rebase: a start replayed on a job the office already started still starts this contractor’s assignment', async () => {
  const { server, client } = await deviceWithJob(CONTRACTOR, 'scheduled', [
    assignment(OWN, OWN_CONTRACTOR, 'confirmed'),
  ]);
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'in_progress' });
  // Meanwhile the office started the job; the server's rows come down before this change is pushed.
  server.offline = false;
  server.put('jobs', { id: JOB_ID, status: 'in_progress' });
  await pullOnly(server, client);

  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('in_progress');
  expect(await client.db.assignments.get(OWN)).toMatchObject({ status: 'in_progress', _pendingSeq: 1 });
  expect((await client.db.shadows.get(['assignments', OWN]))?.base).toMatchObject({ status: 'confirmed' });
});

/** Pulls (and rebases) without pushing, so the local change stays pending. */
async function pullOnly(server: FakeSyncServer, client: FieldsyncClient) {
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
}
