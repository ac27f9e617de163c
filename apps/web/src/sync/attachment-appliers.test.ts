import { SIGNATURE_REQUIRED_MESSAGE } from '@fieldsync/domain';
import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { MutationRefusedError } from './errors';
import { assignmentRow, contractorRow, jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, JOB_ID, makeClient, newServer } from './testing/setup';

// A photo or signature shows on the phone the moment it is taken, and a job
// that needs the customer's signature cannot be completed on the phone without one.

const OWN_CONTRACTOR = '00000000-0000-4000-8000-0000000c0001';
const ASSIGNMENT = '00000000-0000-4000-8000-0000000a5001';
const SIGNATURE = '00000000-0000-4000-8000-0000000f0001';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function phoneWithJobInProgress(requiresSignature: boolean) {
  const server = newServer();
  server.put('contractors', contractorRow(OWN_CONTRACTOR, { userId: CONTRACTOR.id, name: 'Contractor 1' }));
  server.put('jobs', jobRow(JOB_ID, { status: 'in_progress', requiresSignature }));
  server.put(
    'assignments',
    assignmentRow(ASSIGNMENT, { jobId: JOB_ID, contractorId: OWN_CONTRACTOR, status: 'in_progress' }),
  );
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  server.offline = true;
  return client;
}

const signature = {
  id: SIGNATURE,
  jobId: JOB_ID,
  kind: 'signature' as const,
  fileName: 'signature.png',
  contentType: 'image/png' as const,
  byteSize: 4_096,
  sha256: 'cd'.repeat(32),
  takenAt: '2026-11-21T10:50:00Z',
  signerName: 'Dana Smith',
};

test('completing a job that requires a signature is refused on the phone until the customer signed', async () => {
  const client = await phoneWithJobInProgress(true);
  const refusal = client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  await expect(refusal).rejects.toThrow(MutationRefusedError);
  await expect(refusal).rejects.toMatchObject({ code: 'signature_required', message: SIGNATURE_REQUIRED_MESSAGE });
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('in_progress');

  await client.mutate('attachment.add', signature);
  expect(await client.db.attachments.get(SIGNATURE)).toMatchObject({
    kind: 'signature',
    signerName: 'Dana Smith',
    uploadedAt: null,
    takenAt: '2026-11-21T10:50:00.000Z',
    createdBy: CONTRACTOR.id,
  });
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('completed');
});

test('a job without the requirement completes without a signature', async () => {
  const client = await phoneWithJobInProgress(false);
  await client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' });
  expect((await client.db.jobs.get(JOB_ID))?.status).toBe('completed');
});

test('a removed signature no longer counts', async () => {
  const client = await phoneWithJobInProgress(true);
  await client.mutate('attachment.add', signature);
  await client.mutate('attachment.remove', { id: SIGNATURE });
  await expect(client.mutate('job.setStatus', { jobId: JOB_ID, to: 'completed' })).rejects.toMatchObject({
    code: 'signature_required',
  });
});
