import { afterEach, expect, test, vi } from 'vitest';
import type { FieldsyncClient } from '../client';
import { readMeta } from '../database';
import { HttpError, MutationRefusedError, NetworkError, PendingChangesError } from '../errors';
import { jobRow } from '../testing/fake-sync-server';
import { CONTRACTOR, JOB_ID, makeClient, newServer } from '../testing/setup';
import { sha256Hex } from './file-facts';

const OTHER_JOB = '00000000-0000-4000-8000-000000000b99';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  vi.restoreAllMocks();
});

async function signedInContractor() {
  const server = newServer();
  server.put('jobs', jobRow(JOB_ID, { status: 'in_progress' }));
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(CONTRACTOR.email, 'secret');
  await client.syncNow();
  return { server, client };
}

const photo = () => new Blob([new Uint8Array(3000).fill(7)], { type: 'image/jpeg' });

test('addAttachment stores the file and queues attachment.add with its size and SHA-256', async () => {
  const { client } = await signedInContractor();
  const blob = photo();
  const { id, seq } = await client.addAttachment({
    jobId: JOB_ID,
    kind: 'photo',
    blob,
    fileName: 'meter.jpg',
    contentType: 'image/jpeg',
    takenAt: '2026-11-21T08:55:00.000Z',
    caption: 'Meter reading',
  });
  expect(seq).toBe(1);
  const [entry] = await client.db.outbox.toArray();
  expect(entry).toMatchObject({
    name: 'attachment.add',
    args: {
      id,
      jobId: JOB_ID,
      kind: 'photo',
      fileName: 'meter.jpg',
      contentType: 'image/jpeg',
      byteSize: 3000,
      sha256: await sha256Hex(blob),
      takenAt: '2026-11-21T08:55:00.000Z',
      caption: 'Meter reading',
    },
  });
  expect(await client.db.attachments.get(id)).toMatchObject({ uploadedAt: null, _pendingSeq: 1 });
  const file = await client.db.attachmentFiles.get(id);
  expect(file).toMatchObject({
    jobId: JOB_ID,
    byteSize: 3000,
    uploadState: 'waiting',
    uploadedBytes: 0,
    uploadUrl: null,
    error: null,
    storedAt: '2026-11-21T09:00:00.000Z',
    // No OffscreenCanvas in Node: no preview, the screen downloads the server's thumbnail.
    preview: null,
  });
  expect(await file?.blob?.arrayBuffer()).toEqual(await blob.arrayBuffer());
  expect(client.getState().uploads).toEqual({ count: 1, photos: 1, totalBytes: 3000, sentBytes: 0, failed: 0 });
  expect(await client.storageUsage()).toEqual({ bytes: 3000, files: 1 });
});

test('a refused attachment.add stores no file and queues nothing', async () => {
  const { client } = await signedInContractor();
  const attempt = client.addAttachment({
    jobId: OTHER_JOB,
    kind: 'photo',
    blob: photo(),
    fileName: 'meter.jpg',
    contentType: 'image/jpeg',
    takenAt: '2026-11-21T08:55:00.000Z',
  });
  await expect(attempt).rejects.toBeInstanceOf(MutationRefusedError);
  await expect(
    client.addAttachment({
      jobId: JOB_ID,
      kind: 'photo',
      blob: new Blob([], { type: 'image/jpeg' }),
      fileName: 'empty.jpg',
      contentType: 'image/jpeg',
      takenAt: '2026-11-21T08:55:00.000Z',
    }),
  ).rejects.toMatchObject({ code: 'invalid_args' });
  expect(await client.db.attachmentFiles.count()).toBe(0);
  expect(await client.db.attachments.count()).toBe(0);
  expect(await client.db.outbox.count()).toBe(0);
  expect(await readMeta(client.db, 'nextSeq')).toBe(1);
  expect(await client.storageUsage()).toEqual({ bytes: 0, files: 0 });
});

test('a file that cannot be stored takes the queued change with it', async () => {
  const { client } = await signedInContractor();
  vi.spyOn(client.db.attachmentFiles, 'add').mockImplementation(() => {
    throw new Error('QuotaExceededError');
  });
  await expect(
    client.addAttachment({
      jobId: JOB_ID,
      kind: 'document',
      blob: new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
      fileName: 'quote.pdf',
      contentType: 'application/pdf',
      takenAt: '2026-11-21T08:55:00.000Z',
    }),
  ).rejects.toThrow('QuotaExceededError');
  expect(await client.db.outbox.count()).toBe(0);
  expect(await client.db.attachments.count()).toBe(0);
  expect(await client.db.shadows.count()).toBe(0);
  expect(await readMeta(client.db, 'nextSeq')).toBe(1);
});

test('sign-out is refused while a file is not uploaded; forced, the files go too', async () => {
  const { client } = await signedInContractor();
  await client.addAttachment({
    jobId: JOB_ID,
    kind: 'photo',
    blob: photo(),
    fileName: 'meter.jpg',
    contentType: 'image/jpeg',
    takenAt: '2026-11-21T08:55:00.000Z',
  });
  await expect(client.signOut()).rejects.toBeInstanceOf(PendingChangesError);
  expect(await client.db.attachmentFiles.count()).toBe(1);
  await client.signOut({ force: true });
  expect(await client.db.attachmentFiles.count()).toBe(0);
  expect(client.getState().uploads.count).toBe(0);
});

test('fetchAttachment: NetworkError offline, HttpError with the server’s code otherwise', async () => {
  const { server, client } = await signedInContractor();
  await expect(client.fetchAttachment(OTHER_JOB, 'thumbnail')).rejects.toBeInstanceOf(HttpError);
  await expect(client.fetchAttachment(OTHER_JOB, 'full')).rejects.toMatchObject({ status: 404 });
  server.offline = true;
  await expect(client.fetchAttachment(OTHER_JOB, 'full')).rejects.toBeInstanceOf(NetworkError);
});
