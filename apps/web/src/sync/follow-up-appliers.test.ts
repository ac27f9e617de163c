import {
  FOLLOW_UP_NOT_HELD_MESSAGE,
  FOLLOW_UP_OTHER_CUSTOMER_MESSAGE,
  FOLLOW_UP_PARENT_MISSING_MESSAGE,
} from '@fieldsync/domain';
import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import type { FakeUser } from './testing/fake-sync-server';
import { assignmentRow, contractorRow, jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, DISPATCHER, JOB_ID, makeClient, newServer } from './testing/setup';

// The optimistic `job.create` refuses what the server refuses (`decideJobCreate`): on a phone, only a
// follow-up of a job the contractor holds, for that job's customer.

const OWN_CONTRACTOR = '00000000-0000-4000-8000-0000000c0001';
const CUSTOMER = '00000000-0000-4000-8000-0000000cc001';
const OTHER_CUSTOMER = '00000000-0000-4000-8000-0000000cc002';
const OTHER_JOB = '00000000-0000-4000-8000-000000000b02';
const FOLLOW_UP = '00000000-0000-4000-8000-000000000f01';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A device signed in as `who` holding JOB_ID (theirs when `assignment` is given) and OTHER_JOB, then offline. */
async function device(who: FakeUser, assignmentStatus: string | null) {
  const server = newServer();
  server.put('contractors', contractorRow(OWN_CONTRACTOR, { userId: CONTRACTOR.id, name: 'Carl' }));
  server.put('jobs', jobRow(JOB_ID, { customerId: CUSTOMER, status: 'in_progress' }));
  server.put('jobs', jobRow(OTHER_JOB, { customerId: OTHER_CUSTOMER }));
  if (assignmentStatus) {
    server.put(
      'assignments',
      assignmentRow('00000000-0000-4000-8000-0000000a5001', {
        jobId: JOB_ID,
        contractorId: OWN_CONTRACTOR,
        status: assignmentStatus,
      }),
    );
  }
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(who.email, 'secret');
  await client.syncNow();
  server.offline = true;
  return client;
}

const followUp = (changes: Record<string, unknown> = {}) => ({
  id: FOLLOW_UP,
  title: 'Follow-up: Retile bathroom',
  description: 'Grout is cracking by the shower; needs a second visit.',
  customerId: null,
  trade: 'tile' as const,
  durationMinutes: 60,
  parentJobId: JOB_ID,
  ...changes,
});

test('a contractor creates a follow-up of a job they hold, offline: open, for its customer', async () => {
  const client = await device(CONTRACTOR, 'in_progress');
  await client.mutate('job.create', followUp());
  expect(await client.db.jobs.get(FOLLOW_UP)).toMatchObject({
    status: 'open',
    customerId: CUSTOMER,
    parentJobId: JOB_ID,
    description: 'Grout is cracking by the shower; needs a second visit.',
    _pendingSeq: 1,
  });
  expect(await client.db.outbox.count()).toBe(1);
});

test('a contractor is refused, with the server’s words, anything but a follow-up of a job they hold', async () => {
  const held = await device(CONTRACTOR, 'confirmed');
  const refusals = [
    [followUp({ parentJobId: OTHER_JOB }), 'forbidden', FOLLOW_UP_NOT_HELD_MESSAGE],
    [followUp({ parentJobId: undefined, customerId: CUSTOMER }), 'forbidden', FOLLOW_UP_NOT_HELD_MESSAGE],
    [followUp({ customerId: OTHER_CUSTOMER }), 'validation_failed', FOLLOW_UP_OTHER_CUSTOMER_MESSAGE],
  ] as const;
  for (const [args, code, message] of refusals) {
    await expect(held.mutate('job.create', args)).rejects.toMatchObject({ code, message });
  }
  // Declined: no longer theirs.
  const declined = await device(CONTRACTOR, 'declined');
  await expect(declined.mutate('job.create', followUp())).rejects.toMatchObject({
    code: 'forbidden',
    message: FOLLOW_UP_NOT_HELD_MESSAGE,
  });
  for (const client of [held, declined]) {
    expect(await client.db.jobs.get(FOLLOW_UP)).toBeUndefined();
    expect(await client.db.outbox.count()).toBe(0);
  }
});

test('the office creates any job, and a follow-up only of a job it has', async () => {
  const office = await device(DISPATCHER, null);
  await office.mutate('job.create', followUp({ parentJobId: undefined, id: OTHER_JOB.replace('b02', 'b03') }));
  await office.mutate('job.create', followUp());
  expect(await office.db.jobs.get(FOLLOW_UP)).toMatchObject({ customerId: CUSTOMER, parentJobId: JOB_ID });
  await expect(
    office.mutate(
      'job.create',
      followUp({ id: OTHER_JOB.replace('b02', 'b04'), parentJobId: FOLLOW_UP.replace('f01', 'f99') }),
    ),
  ).rejects.toMatchObject({ code: 'validation_failed', message: FOLLOW_UP_PARENT_MISSING_MESSAGE });
});
