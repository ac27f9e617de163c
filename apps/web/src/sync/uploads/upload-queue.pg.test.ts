/**
 * The phone's upload queue against the real server on a real port: the
 * attachment's change is pushed and applied, then its bytes go up by tus
 * (tus-js-client's Node build) in 512 KiB chunks, and the next pull brings
 * `uploadedAt`. Refusals (checksum, type) end as `failed` with plain words.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { databaseKindsUnderTest, TEST_PASSWORD, type TestServer } from '../../../../server/src/testing';
import { listen } from '../../../../server/src/testing/listen';
import { assignJob, contractorIdOf, createJobFixture, openDevice } from '../../../../server/src/testing/sync-test-kit';
import { createTestServer } from '../../../../server/src/testing/test-server';
import { createFieldsyncClient, type FieldsyncClient } from '../client';
import { freshIndexedDb } from '../testing/setup';
import { sha256Hex } from './file-facts';
import { UPLOAD_CHUNK_BYTES } from './tus-transport';

const kinds = await databaseKindsUnderTest();
const CONTRACTOR = 'contractor3@example.com';

/** A PDF the server recognises from its bytes, padded to span several chunks. */
function pdf(size: number): Blob {
  const head = new TextEncoder().encode('%PDF-1.7\n');
  const tail = new TextEncoder().encode('\n%%EOF\n');
  const bytes = new Uint8Array(size);
  bytes.set(head, 0);
  for (let i = head.length; i < size - tail.length; i++) bytes[i] = 0x20 + (i % 90);
  bytes.set(tail, size - tail.length);
  return new Blob([bytes], { type: 'application/pdf' });
}

describe.each(kinds)('phone uploads on %s', (kind) => {
  let server: TestServer;
  let port: Awaited<ReturnType<typeof listen>>;
  let jobId: string;
  const clients: FieldsyncClient[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind, { maxUploadBytes: 5 * 1024 * 1024 });
    port = await listen(server.deps);
    const office = await openDevice(server, 'dispatcher1@example.com');
    ({ jobId } = await createJobFixture(server, office));
    await assignJob(server, office, jobId, await contractorIdOf(server, CONTRACTOR));
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await port?.close();
    await server?.close();
  });

  async function phone() {
    const { indexedDB, IDBKeyRange, dbName } = freshIndexedDb();
    const client = createFieldsyncClient({
      baseUrl: port.url,
      dbName,
      indexedDB,
      IDBKeyRange,
      eventSource: null,
      locks: null,
      storage: null,
      logger: { warn() {}, error() {} },
    });
    clients.push(client);
    await client.signIn(CONTRACTOR, TEST_PASSWORD);
    client.start();
    await vi.waitFor(async () => expect(await client.db.jobs.get(jobId)).toBeDefined(), { timeout: 20_000 });
    return client;
  }

  const addDocument = (client: FieldsyncClient, blob: Blob, contentType: 'application/pdf' | 'image/jpeg') =>
    client.addAttachment({
      jobId,
      kind: 'document',
      blob,
      fileName: 'quote.pdf',
      contentType,
      takenAt: '2026-11-21T14:50:00.000Z',
    });

  test('a file goes up in chunks once its change is applied, and the pull brings uploadedAt', async () => {
    const client = await phone();
    const blob = pdf(UPLOAD_CHUNK_BYTES * 2 + 12_345);
    const { id } = await addDocument(client, blob, 'application/pdf');
    expect(client.getState().uploads).toMatchObject({ count: 1, totalBytes: blob.size });
    await client.syncNow();
    await vi.waitFor(async () => expect((await client.db.attachmentFiles.get(id))?.uploadState).toBe('uploaded'), {
      timeout: 30_000,
    });
    const file = await client.db.attachmentFiles.get(id);
    expect(file).toMatchObject({ uploadedBytes: blob.size, error: null });
    expect(file?.uploadUrl).toContain('/api/uploads/');
    await client.syncNow();
    await vi.waitFor(async () => expect((await client.db.attachments.get(id))?.uploadedAt).toBeTruthy(), {
      timeout: 20_000,
    });
    expect(client.getState().uploads).toMatchObject({ count: 0, failed: 0 });
    // The bytes come back as they went.
    const downloaded = await client.fetchAttachment(id, 'full');
    expect(await sha256Hex(downloaded)).toBe(await sha256Hex(blob));
  });

  test('bytes that do not match the checksum, or their type, end as failed with plain words', async () => {
    const client = await phone();
    const damaged = await addDocument(client, pdf(40_000), 'application/pdf');
    // The stored bytes changed after the checksum was taken (the same size): the server will refuse them.
    await client.db.attachmentFiles.update(damaged.id, { blob: pdfVariant() });
    const mislabelled = await addDocument(client, pdf(30_000), 'image/jpeg');
    await client.syncNow();
    await vi.waitFor(
      async () => {
        expect((await client.db.attachmentFiles.get(damaged.id))?.uploadState).toBe('failed');
        expect((await client.db.attachmentFiles.get(mislabelled.id))?.uploadState).toBe('failed');
      },
      { timeout: 30_000 },
    );
    expect((await client.db.attachmentFiles.get(damaged.id))?.error).toMatch(/damaged on its way/);
    expect((await client.db.attachmentFiles.get(mislabelled.id))?.error).toMatch(/not the kind of file/);
    // The summary follows the files (at most every 250 ms).
    await vi.waitFor(() => expect(client.getState().uploads).toMatchObject({ count: 0, failed: 2 }));
  });
});

/** A PDF of 40 000 bytes whose content differs from `pdf(40_000)`. */
function pdfVariant(): Blob {
  const original = new Uint8Array(40_000);
  original.set(new TextEncoder().encode('%PDF-1.7\n'), 0);
  original.fill(0x41, 9, 40_000 - 7);
  original.set(new TextEncoder().encode('\n%%EOF\n'), 40_000 - 7);
  return new Blob([original], { type: 'application/pdf' });
}
