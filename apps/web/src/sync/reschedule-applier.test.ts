import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import type { FakeUser } from './testing/fake-sync-server';
import { jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, DISPATCHER, JOB_ID, makeClient, newServer } from './testing/setup';

// The optimistic `assignment.reschedule`: the desk shows the new times at once
// and refuses, as the server would, a move onto another booking or of ended work.

const CONTRACTOR_ID = '00000000-0000-4000-8000-0000000c0001';
const OTHER_JOB = '00000000-0000-4000-8000-0000000b0002';
const MOVED = '00000000-0000-4000-8000-0000000a6001';
const BLOCKING = '00000000-0000-4000-8000-0000000a6002';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const nineToEleven = { start: '2026-11-24T16:00:00.000Z', end: '2026-11-24T18:00:00.000Z' };
const oneToThree = { start: '2026-11-24T20:00:00.000Z', end: '2026-11-24T22:00:00.000Z' };

async function device(who: FakeUser, movedStatus = 'confirmed') {
  const server = newServer();
  server.put('contractors', {
    id: CONTRACTOR_ID,
    userId: CONTRACTOR.id,
    name: 'Casey',
    trade: 'tile',
    skills: [],
    rating: 4,
    status: 'active',
    phone: null,
    email: null,
    baseAddress: null,
    baseLat: null,
    baseLng: null,
  });
  server.put('jobs', jobRow(JOB_ID, { status: 'scheduled' }));
  server.put('jobs', jobRow(OTHER_JOB, { status: 'scheduled', jobNumber: 'JOB-20261124-ZZ99ZZ' }));
  const row = (id: string, jobId: string, status: string, times: { start: string; end: string }) => ({
    id,
    jobId,
    contractorId: CONTRACTOR_ID,
    status,
    scheduledStart: times.start,
    scheduledEnd: times.end,
    cancellationReason: null,
  });
  server.put('assignments', row(MOVED, JOB_ID, movedStatus, nineToEleven));
  server.put('assignments', row(BLOCKING, OTHER_JOB, 'pending', oneToThree));
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(who.email, 'secret');
  await client.syncNow();
  server.offline = true;
  return client;
}

test('the desk shows the new times at once and queues the move with the times it saw', async () => {
  const client = await device(DISPATCHER);
  const later = { start: '2026-11-24T18:00:00Z', end: '2026-11-24T20:00:00Z' };
  await client.mutate('assignment.reschedule', { id: MOVED, ...later, base: nineToEleven });
  expect(await client.db.assignments.get(MOVED)).toMatchObject({
    scheduledStart: '2026-11-24T18:00:00.000Z',
    scheduledEnd: '2026-11-24T20:00:00.000Z',
    _pendingSeq: 1,
  });
  const [entry] = await client.db.outbox.toArray();
  expect(entry).toMatchObject({ name: 'assignment.reschedule', args: { id: MOVED, base: nineToEleven } });
});

test('a move onto another booking of the contractor is refused on the device', async () => {
  const client = await device(DISPATCHER);
  const overlapping = { start: '2026-11-24T19:00:00.000Z', end: '2026-11-24T21:00:00.000Z' };
  await expect(
    client.mutate('assignment.reschedule', { id: MOVED, ...overlapping, base: nineToEleven }),
  ).rejects.toMatchObject({ code: 'double_booked', message: 'Casey is already booked at that time.' });
  expect(await client.db.assignments.get(MOVED)).toMatchObject({ scheduledStart: nineToEleven.start });
  expect(await client.db.outbox.count()).toBe(0);
});

test('completed work keeps its times, and a contractor cannot move a booking', async () => {
  const done = await device(DISPATCHER, 'completed');
  await expect(
    done.mutate('assignment.reschedule', { id: MOVED, ...oneToThree, base: nineToEleven }),
  ).rejects.toMatchObject({ code: 'invalid_transition' });

  const phone = await device(CONTRACTOR);
  await expect(
    phone.mutate('assignment.reschedule', {
      id: MOVED,
      start: '2026-11-25T16:00:00Z',
      end: '2026-11-25T18:00:00Z',
      base: nineToEleven,
    }),
  ).rejects.toMatchObject({ code: 'forbidden' });
});
