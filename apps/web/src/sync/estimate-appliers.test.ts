import { estimateTotals } from '@fieldsync/domain';
import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { assignmentRow, contractorRow, customerRow, jobRow } from './testing/fake-sync-server';
import { CONTRACTOR, JOB_ID, makeClient, newServer } from './testing/setup';

// On the doorstep with no signal: the estimate is priced, sent and accepted on
// the phone at once, with the same totals the server will store.

const OWN_CONTRACTOR = '00000000-0000-4000-8000-0000000c0001';
const ASSIGNMENT = '00000000-0000-4000-8000-0000000a5001';
const CUSTOMER = '00000000-0000-4000-8000-0000000cc001';
const OTHER_CUSTOMER = '00000000-0000-4000-8000-0000000cc002';
const ESTIMATE = '00000000-0000-4000-8000-0000000e0001';
const SIGNATURE = '00000000-0000-4000-8000-0000000f0001';

const lines = [
  {
    id: '00000000-0000-4000-8000-0000000d0001',
    kind: 'labor' as const,
    description: 'Install',
    quantity: 3.5,
    unit: 'h',
    unitPriceCents: 6500,
  },
  {
    id: '00000000-0000-4000-8000-0000000d0002',
    kind: 'material' as const,
    description: 'Oak boards',
    quantity: 120.5,
    unit: 'sq ft',
    unitPriceCents: 399,
  },
  {
    id: '00000000-0000-4000-8000-0000000d0003',
    kind: 'other' as const,
    description: 'Discount',
    quantity: 1,
    unit: 'each',
    unitPriceCents: -2500,
  },
];

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function phoneOnSite() {
  const server = newServer();
  server.put('organizations', {
    id: CONTRACTOR.orgId,
    name: 'Acme Floors',
    timeZone: 'America/Chicago',
    timeFormat: '12h',
    scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 },
    maxDistanceMiles: 50,
    overdueMinutes: 30,
    staleDeviceHours: 4,
    currency: 'USD',
    taxRateBasisPoints: 825,
  });
  server.put('customers', customerRow(CUSTOMER, { name: 'Dana Smith' }));
  server.put('customers', customerRow(OTHER_CUSTOMER, { name: 'Someone Else' }));
  server.put('contractors', contractorRow(OWN_CONTRACTOR, { userId: CONTRACTOR.id, name: 'Contractor 1' }));
  server.put('jobs', jobRow(JOB_ID, { status: 'in_progress', customerId: CUSTOMER }));
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

const create = (fields: Record<string, unknown> = {}) => ({
  id: ESTIMATE,
  customerId: CUSTOMER,
  jobId: JOB_ID,
  title: 'Oak floor, living room',
  lines,
  taxRateBasisPoints: 825,
  validUntil: '2026-12-21',
  ...fields,
});

test('a new estimate shows at once as a draft with the shared totals and no number yet', async () => {
  const client = await phoneOnSite();
  await client.mutate('estimate.create', create());
  const expected = estimateTotals(lines, 825);
  expect(await client.db.estimates.get(ESTIMATE)).toMatchObject({
    number: '',
    status: 'draft',
    currency: 'USD',
    subtotalCents: expected.subtotalCents,
    taxCents: expected.taxCents,
    totalCents: expected.totalCents,
    createdBy: CONTRACTOR.id,
  });
});

test('a contractor cannot price work for a customer of no job of theirs', async () => {
  const client = await phoneOnSite();
  await expect(
    client.mutate('estimate.create', create({ customerId: OTHER_CUSTOMER, jobId: undefined })),
  ).rejects.toMatchObject({
    code: 'forbidden',
  });
  expect(await client.db.estimates.get(ESTIMATE)).toBeUndefined();
});

test('editing a draft recomputes the totals; a sent estimate cannot be edited', async () => {
  const client = await phoneOnSite();
  await client.mutate('estimate.create', create());
  await client.mutate('estimate.update', {
    id: ESTIMATE,
    patch: { lines: lines.slice(0, 1), taxRateBasisPoints: 0 },
    base: { lines, taxRateBasisPoints: 825 },
  });
  expect(await client.db.estimates.get(ESTIMATE)).toMatchObject({
    subtotalCents: 22750,
    taxCents: 0,
    totalCents: 22750,
  });

  await client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'draft', to: 'sent' });
  await expect(
    client.mutate('estimate.update', {
      id: ESTIMATE,
      patch: { title: 'Changed' },
      base: { title: 'Oak floor, living room' },
    }),
  ).rejects.toMatchObject({ code: 'invalid_transition' });
  expect((await client.db.estimates.get(ESTIMATE))?.title).toBe('Oak floor, living room');
});

test('the customer accepts with a signature: accepted offline and the job carries the agreed cost', async () => {
  const client = await phoneOnSite();
  await client.mutate('estimate.create', create());
  await client.mutate('attachment.add', {
    id: SIGNATURE,
    jobId: JOB_ID,
    kind: 'signature',
    fileName: 'signature.png',
    contentType: 'image/png',
    byteSize: 4_096,
    sha256: 'cd'.repeat(32),
    takenAt: '2026-11-21T10:50:00Z',
    signerName: 'Dana Smith',
  });
  await client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'draft', to: 'sent' });
  await client.mutate('estimate.setStatus', {
    id: ESTIMATE,
    from: 'sent',
    to: 'accepted',
    signatureAttachmentId: SIGNATURE,
  });
  const estimate = await client.db.estimates.get(ESTIMATE);
  expect(estimate).toMatchObject({ status: 'accepted', signatureAttachmentId: SIGNATURE });
  expect(estimate?.sentAt).not.toBeNull();
  expect(estimate?.acceptedAt).not.toBeNull();
  expect((await client.db.jobs.get(JOB_ID))?.agreedCostCents).toBe(estimateTotals(lines, 825).totalCents);
});

test('a draft cannot be accepted before it is sent, and a rejection needs a reason', async () => {
  const client = await phoneOnSite();
  await client.mutate('estimate.create', create());
  await expect(
    client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'draft', to: 'accepted' }),
  ).rejects.toMatchObject({
    code: 'invalid_transition',
  });
  await client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'draft', to: 'sent' });
  await expect(
    client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'sent', to: 'rejected' }),
  ).rejects.toMatchObject({
    code: 'validation_failed',
  });
  await client.mutate('estimate.setStatus', { id: ESTIMATE, from: 'sent', to: 'rejected', reason: 'Too dear' });
  expect(await client.db.estimates.get(ESTIMATE)).toMatchObject({ status: 'rejected', rejectedReason: 'Too dear' });
});
