/**
 * Files on a job as synced rows (`attachment.add`, `attachment.remove`) and
 * the signature a job may require before it completes. The bytes themselves
 * travel by upload (routes/uploads).
 */
import { randomUUID } from 'node:crypto';
import { SIGNATURE_REQUIRED_MESSAGE } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pull,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const MAX_UPLOAD_BYTES = 5_000_000;

function photoArgs(jobId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    jobId,
    kind: 'photo',
    fileName: 'leak.jpg',
    contentType: 'image/jpeg',
    byteSize: 204_800,
    sha256: 'ab'.repeat(32),
    takenAt: '2026-11-21T14:30:00Z',
    caption: 'Water behind the tiles',
    ...overrides,
  };
}

function signatureArgs(jobId: string) {
  return {
    id: randomUUID(),
    jobId,
    kind: 'signature',
    fileName: 'signature.png',
    contentType: 'image/png',
    byteSize: 4_096,
    sha256: 'cd'.repeat(32),
    takenAt: '2026-11-21T14:50:00Z',
    signerName: 'Dana Smith',
  };
}

describe.each(kinds)('attachments on a job, on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind, { maxUploadBytes: MAX_UPLOAD_BYTES });
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  /** A job in progress, held by the contractor, with a phone that pulled it. */
  async function jobInProgress(contractorEmail: string, options: { requiresSignature?: boolean } = {}) {
    const fixture = await createJobFixture(server, office);
    if (options.requiresSignature) {
      await pushApplied(server, office, [
        {
          name: 'job.update',
          args: { id: fixture.jobId, patch: { requiresSignature: true }, base: { requiresSignature: false } },
        },
      ]);
    }
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, contractorEmail));
    const phone = await openDevice(server, contractorEmail);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    return { ...fixture, phone };
  }

  test('a contractor adds a photo to their job: the row syncs without uploadedAt, and the timeline says so', async () => {
    const job = await jobInProgress('contractor1@example.com');
    const args = photoArgs(job.jobId);
    await pushApplied(server, job.phone, [{ name: 'attachment.add', args }]);

    const rows = (await pullAll(server, job.phone)).copy.get('attachments');
    expect(rows?.get(args.id)).toMatchObject({
      jobId: job.jobId,
      kind: 'photo',
      fileName: 'leak.jpg',
      contentType: 'image/jpeg',
      byteSize: 204_800,
      sha256: args.sha256,
      takenAt: '2026-11-21T14:30:00.000Z',
      caption: 'Water behind the tiles',
      signerName: null,
      uploadedAt: null,
      createdBy: job.phone.userId,
    });
    const activity = await server.database.query<{ action: string }>(
      sql`select action from activity_log where entity_id = ${args.id}`,
    );
    expect(activity.map((row) => row.action)).toEqual(['attachment.added']);

    // The same change sent again by a phone that lost the answer is harmless; the same id with other bytes is not.
    const again = await push(server, job.phone, [{ name: 'attachment.add', args }]);
    expect(again.results[0]?.outcome).not.toBe('rejected');
    const other = await push(server, job.phone, [
      { name: 'attachment.add', args: { ...args, sha256: 'ef'.repeat(32) } },
    ]);
    expect(other.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'id_conflict' } });
  });

  test('a file over MAX_UPLOAD_BYTES, a signature without a name and a job not theirs are refused', async () => {
    const job = await jobInProgress('contractor1@example.com');
    const notTheirs = await createJobFixture(server, office);
    const result = await push(server, job.phone, [
      { name: 'attachment.add', args: photoArgs(job.jobId, { byteSize: MAX_UPLOAD_BYTES + 1_000_000 }) },
      { name: 'attachment.add', args: { ...signatureArgs(job.jobId), signerName: undefined } },
      { name: 'attachment.add', args: photoArgs(notTheirs.jobId) },
    ]);
    expect(result.results.map((r) => r.error?.code)).toEqual(['invalid_args', 'invalid_args', 'forbidden']);
    expect(result.results[0]?.error?.message).toBe('This file is 5.7 MB; files may be at most 4.8 MB.');
    const [count] = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from attachments where job_id in (${job.jobId}, ${notTheirs.jobId})`,
    );
    expect(count?.n).toBe(0);
  });

  test('another contractor neither sees nor removes the photo; its author and the office may remove it', async () => {
    const job = await jobInProgress('contractor1@example.com');
    const args = photoArgs(job.jobId);
    await pushApplied(server, job.phone, [{ name: 'attachment.add', args }]);
    const stranger = await openDevice(server, 'contractor2@example.com');
    expect((await pullAll(server, stranger)).copy.get('attachments')?.has(args.id) ?? false).toBe(false);
    const refused = await push(server, stranger, [{ name: 'attachment.remove', args: { id: args.id } }]);
    expect(refused.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'forbidden' } });

    const officeArgs = photoArgs(job.jobId);
    await pushApplied(server, office, [{ name: 'attachment.add', args: officeArgs }]);
    const notAuthor = await push(server, job.phone, [{ name: 'attachment.remove', args: { id: officeArgs.id } }]);
    expect(notAuthor.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'forbidden' } });

    const before = await pull(server, job.phone);
    await pushApplied(server, job.phone, [{ name: 'attachment.remove', args: { id: args.id } }]);
    await pushApplied(server, office, [{ name: 'attachment.remove', args: { id: officeArgs.id } }]);
    const after = await pull(server, job.phone, { cursor: before.cursor });
    expect(after.removed.attachments).toEqual(expect.arrayContaining([args.id, officeArgs.id]));
  });

  test('a job that requires a signature completes only once the customer signed', async () => {
    const job = await jobInProgress('contractor2@example.com', { requiresSignature: true });
    const refused = await push(server, job.phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
    ]);
    expect(refused.results[0]).toMatchObject({
      outcome: 'rejected',
      error: { code: 'signature_required', message: SIGNATURE_REQUIRED_MESSAGE },
    });
    const [still] = await server.database.query<{ status: string }>(
      sql`select status from jobs where id = ${job.jobId}`,
    );
    expect(still?.status).toBe('in_progress');
    const refusals = await server.database.query<{ action: string }>(
      sql`select action from activity_log where job_id = ${job.jobId} and action = 'job.status_refused'`,
    );
    expect(refusals).toHaveLength(1);

    const signature = signatureArgs(job.jobId);
    await pushApplied(server, job.phone, [
      { name: 'attachment.add', args: signature },
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
    ]);
    const [done] = await server.database.query<{ status: string }>(
      sql`select status from jobs where id = ${job.jobId}`,
    );
    expect(done?.status).toBe('completed');
    const signed = await server.database.query<{ action: string; details: { signerName?: string } }>(
      sql`select action, details from activity_log where entity_id = ${signature.id}`,
    );
    expect(signed).toEqual([
      { action: 'attachment.signed', details: expect.objectContaining({ signerName: 'Dana Smith' }) },
    ]);
  });

  test('a removed signature does not count', async () => {
    const job = await jobInProgress('contractor1@example.com', { requiresSignature: true });
    const signature = signatureArgs(job.jobId);
    await pushApplied(server, job.phone, [
      { name: 'attachment.add', args: signature },
      { name: 'attachment.remove', args: { id: signature.id } },
    ]);
    const refused = await push(server, job.phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
    ]);
    expect(refused.results[0]?.error?.code).toBe('signature_required');
  });
});
