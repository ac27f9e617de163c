import { createHash, randomUUID } from 'node:crypto';
import { type ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pullAll,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { createPostgresByteStore } from './postgres-byte-store';

const kinds = await databaseKindsUnderTest();

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A real photo (1200×900 JPEG unless asked otherwise); noise keeps it large, as camera photos are. */
async function photo(width = 1200, height = 900, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const image = sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  });
  return format === 'jpeg' ? image.jpeg({ quality: 95 }).toBuffer() : image.png().toBuffer();
}

/** The code of an error answer's JSON body. */
const errorCode = async (response: Response) => ((await response.json()) as ErrorBody).error.code;

const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

describe.each(kinds)('attachment uploads on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  let jobId: string;
  let jpeg: Buffer;

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, 'contractor3@example.com');
    ({ jobId } = await createJobFixture(server, office));
    await assignJob(server, office, jobId, await contractorIdOf(server, phone.email));
    jpeg = await photo();
  });
  afterAll(() => server.close());

  /** Adds an attachment's metadata through a push, as the phone does before sending bytes. */
  async function addAttachment(
    device: Device,
    bytes: Uint8Array,
    overrides: Partial<{ contentType: string; sha256: string; kind: string; fileName: string; jobId: string }> = {},
  ) {
    const id = randomUUID();
    await pushApplied(server, device, [
      {
        name: 'attachment.add',
        args: {
          id,
          jobId: overrides.jobId ?? jobId,
          kind: overrides.kind ?? 'photo',
          fileName: overrides.fileName ?? 'kitchen floor.jpg',
          contentType: overrides.contentType ?? 'image/jpeg',
          byteSize: bytes.byteLength,
          sha256: overrides.sha256 ?? sha256(bytes),
          takenAt: '2026-11-21T14:50:00.000Z',
        },
      },
    ]);
    return id;
  }

  function tus(
    method: string,
    path: string,
    token: string,
    init: { headers?: Record<string, string>; body?: Uint8Array } = {},
    app = server.app,
  ) {
    return app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        ...init.headers,
      },
      body: init.body ? new Uint8Array(init.body) : undefined,
    });
  }

  const create = (token: string, attachmentId: string, length: number) =>
    tus('POST', '/api/uploads', token, {
      headers: { 'upload-length': String(length), 'upload-metadata': metadata({ attachmentId }) },
    });

  const send = (token: string, location: string, offset: number, bytes: Uint8Array, app = server.app) =>
    tus(
      'PATCH',
      location,
      token,
      {
        headers: { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: bytes,
      },
      app,
    );

  const attachmentRow = async (id: string) => {
    const [row] = await server.database.query<{ uploaded_at: string | null }>(
      sql`select uploaded_at from attachments where id = ${id}`,
    );
    return row;
  };
  const storedBytes = async (id: string) => {
    const [row] = await server.database.query<{ n: number }>(
      sql`select coalesce(sum(length(bytes)), 0)::int as n from attachment_chunks where attachment_id = ${id}`,
    );
    return Number(row?.n);
  };

  test('a photo goes up in two pieces, resumes from the offset HEAD reports, and is marked uploaded', async () => {
    const id = await addAttachment(phone, jpeg);
    const created = await create(phone.token, id, jpeg.byteLength);
    expect(created.status).toBe(201);
    expect(created.headers.get('tus-resumable')).toBe('1.0.0');
    const location = created.headers.get('location');
    expect(location).toBe(`/api/uploads/${id}`);

    const half = Math.floor(jpeg.byteLength / 2);
    const bytesCounted = async () =>
      (await server.deps.metrics?.registry.getSingleMetric('fieldsync_upload_bytes_total')?.get())?.values[0]?.value ??
      0;
    const countedBefore = await bytesCounted();
    const first = await send(phone.token, location as string, 0, jpeg.subarray(0, half));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(half));

    const head = await tus('HEAD', location as string, phone.token);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(half));
    expect(head.headers.get('upload-length')).toBe(String(jpeg.byteLength));
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect((await attachmentRow(id))?.uploaded_at).toBeNull();

    // Sending the first piece again is refused: the upload is further along.
    const stale = await send(phone.token, location as string, 0, jpeg.subarray(0, half));
    expect(stale.status).toBe(409);
    expect(await errorCode(stale)).toBe('validation_failed');

    const contractorUserId = phone.userId;
    const poked = new Promise<void>((resolve) => {
      const stop = server.deps.changes.subscribe({
        orgId: server.orgA.orgId,
        userId: contractorUserId,
        role: 'contractor',
        poke: () => {
          stop();
          resolve();
        },
      });
    });
    const last = await send(phone.token, location as string, half, jpeg.subarray(half));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(jpeg.byteLength));
    await poked;
    expect((await attachmentRow(id))?.uploaded_at).not.toBeNull();
    // The refused repeat of the first half stored nothing, so /metrics counts the file once.
    expect((await bytesCounted()) - countedBefore).toBe(jpeg.byteLength);

    // The next pull carries uploadedAt, to the office and to the contractor on the job.
    for (const device of [office, phone]) {
      const { copy } = await pullAll(server, device);
      expect(copy.get('attachments')?.get(id)?.uploadedAt).toBe(server.clock.now().toISOString());
    }
  });

  test('the bytes come back with their type, the SHA-256 as ETag and private caching; the thumbnail is ≤ 320 px', async () => {
    const id = await addAttachment(phone, jpeg);
    const location = (await create(phone.token, id, jpeg.byteLength)).headers.get('location') as string;
    expect((await send(phone.token, location, 0, jpeg)).status).toBe(204);

    for (const device of [office, phone]) {
      const response = await server.app.request(`/api/attachments/${id}`, {
        headers: { authorization: `Bearer ${device.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('etag')).toBe(`"${sha256(jpeg)}"`);
      expect(response.headers.get('cache-control')).toBe('private');
      expect(Buffer.from(await response.arrayBuffer()).equals(jpeg)).toBe(true);
    }
    const again = await server.app.request(`/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${office.token}`, 'if-none-match': `"${sha256(jpeg)}"` },
    });
    expect(again.status).toBe(304);

    const thumbnail = await server.app.request(`/api/attachments/${id}/thumbnail`, {
      headers: { authorization: `Bearer ${phone.token}` },
    });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('cache-control')).toBe('private');
    const image = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect(thumbnail.headers.get('content-type')).toBe(`image/${image.format}`);
    expect(Math.max(image.width ?? 0, image.height ?? 0)).toBe(320);
    expect(image.width).toBe(320);
    expect(image.height).toBe(240);
  });

  test('a file larger than one stored piece streams back whole', async () => {
    const big = await photo(1400, 1000);
    expect(big.byteLength).toBeGreaterThan(1024 * 1024);
    const id = await addAttachment(phone, big);
    const location = (await create(phone.token, id, big.byteLength)).headers.get('location') as string;
    expect((await send(phone.token, location, 0, big)).status).toBe(204);
    const [pieces] = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from attachment_chunks where attachment_id = ${id}`,
    );
    expect(Number(pieces?.n)).toBeGreaterThan(1);
    const response = await server.app.request(`/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${office.token}` },
    });
    expect(response.headers.get('content-length')).toBe(String(big.byteLength));
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(big));
  });

  test('an upload must have the attachment’s size and carry its id', async () => {
    const id = await addAttachment(phone, jpeg);
    const wrongSize = await create(phone.token, id, jpeg.byteLength - 1);
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.headers.get('tus-resumable')).toBe('1.0.0');
    expect(await errorCode(wrongSize)).toBe('invalid_body');

    const noId = await tus('POST', '/api/uploads', phone.token, { headers: { 'upload-length': '10' } });
    expect(noId.status).toBe(400);
    expect(await errorCode(noId)).toBe('invalid_body');

    const tooLarge = await create(phone.token, id, server.deps.maxUploadBytes + 1);
    expect(tooLarge.status).toBe(413);
    expect(await errorCode(tooLarge)).toBe('body_too_large');

    // More bytes than the file has left: refused, and nothing stored.
    const location = (await create(phone.token, id, jpeg.byteLength)).headers.get('location') as string;
    const overlong = await send(phone.token, location, 0, Buffer.concat([jpeg, Buffer.from('extra')]));
    expect(overlong.status).toBe(413);
    expect(await errorCode(overlong)).toBe('body_too_large');
    expect(await storedBytes(id)).toBe(0);
    expect((await tus('HEAD', location, phone.token)).headers.get('upload-offset')).toBe('0');
  });

  test('bytes that do not match the SHA-256 are discarded with 409 checksum_mismatch; a new upload then works', async () => {
    const id = await addAttachment(phone, jpeg);
    const damaged = Buffer.from(jpeg);
    damaged[damaged.byteLength - 100] = (damaged[damaged.byteLength - 100] ?? 0) ^ 0xff;
    const location = (await create(phone.token, id, jpeg.byteLength)).headers.get('location') as string;
    const refused = await send(phone.token, location, 0, damaged);
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('checksum_mismatch');
    expect(await storedBytes(id)).toBe(0);
    expect((await attachmentRow(id))?.uploaded_at).toBeNull();
    expect((await tus('HEAD', location, phone.token)).status).toBe(404);
    const missing = await server.app.request(`/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${office.token}` },
    });
    expect(missing.status).toBe(404);

    const retry = await create(phone.token, id, jpeg.byteLength);
    expect(retry.status).toBe(201);
    expect((await send(phone.token, retry.headers.get('location') as string, 0, jpeg)).status).toBe(204);
    expect((await attachmentRow(id))?.uploaded_at).not.toBeNull();

    // Once uploaded, a new upload of the same attachment is refused rather than replacing the file.
    const again = await create(phone.token, id, jpeg.byteLength);
    expect(again.status).toBe(409);
    expect(await storedBytes(id)).toBe(jpeg.byteLength);
  });

  test('bytes of another type than the attachment says are discarded with 415 content_type_mismatch', async () => {
    const png = await photo(300, 200, 'png');
    const id = await addAttachment(phone, png, { contentType: 'image/jpeg' });
    const location = (await create(phone.token, id, png.byteLength)).headers.get('location') as string;
    const refused = await send(phone.token, location, 0, png);
    expect(refused.status).toBe(415);
    expect(await errorCode(refused)).toBe('content_type_mismatch');
    expect(await storedBytes(id)).toBe(0);
    expect((await attachmentRow(id))?.uploaded_at).toBeNull();
  });

  test('a PDF is stored and read back, with no thumbnail', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const id = await addAttachment(office, pdf, {
      kind: 'document',
      contentType: 'application/pdf',
      fileName: 'quote.pdf',
    });
    const location = (await create(office.token, id, pdf.byteLength)).headers.get('location') as string;
    expect((await send(office.token, location, 0, pdf)).status).toBe(204);
    const response = await server.app.request(`/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${phone.token}` },
    });
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
    const thumbnail = await server.app.request(`/api/attachments/${id}/thumbnail`, {
      headers: { authorization: `Bearer ${phone.token}` },
    });
    expect(thumbnail.status).toBe(404);
  });

  test('another contractor, another company, and a removed attachment get 404', async () => {
    const id = await addAttachment(phone, jpeg);
    const location = `/api/uploads/${id}`;
    const stranger = await openDevice(server, 'contractor4@example.com');
    const otherCompany = (await server.login('dispatcher1@other.example')).accessToken;
    for (const token of [stranger.token, otherCompany]) {
      const created = await create(token, id, jpeg.byteLength);
      expect(created.status).toBe(404);
      expect(await errorCode(created)).toBe('not_found');
    }
    expect((await create(phone.token, id, jpeg.byteLength)).status).toBe(201);
    for (const token of [stranger.token, otherCompany]) {
      expect((await tus('HEAD', location, token)).status).toBe(404);
      expect((await send(token, location, 0, jpeg)).status).toBe(404);
    }
    expect(await storedBytes(id)).toBe(0);
    expect((await send(phone.token, location, 0, jpeg)).status).toBe(204);
    for (const token of [stranger.token, otherCompany]) {
      for (const path of [`/api/attachments/${id}`, `/api/attachments/${id}/thumbnail`]) {
        const response = await server.app.request(path, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(404);
        expect(await errorCode(response)).toBe('not_found');
      }
    }

    const removed = await addAttachment(phone, jpeg);
    await pushApplied(server, phone, [{ name: 'attachment.remove', args: { id: removed } }]);
    expect((await create(phone.token, removed, jpeg.byteLength)).status).toBe(404);
  });

  test('a photo taken before the job was taken away still uploads, but the job’s files are no longer readable', async () => {
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, phone.email));
    const id = await addAttachment(phone, jpeg, { jobId: fixture.jobId });
    await pushApplied(server, office, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'cancelled' } },
    ]);
    const created = await create(phone.token, id, jpeg.byteLength);
    expect(created.status).toBe(201);
    expect((await send(phone.token, created.headers.get('location') as string, 0, jpeg)).status).toBe(204);
    expect((await attachmentRow(id))?.uploaded_at).not.toBeNull();
    const read = await server.app.request(`/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${phone.token}` },
    });
    expect(read.status).toBe(404);
  });

  test('an upload survives a restart: a new app over the same database resumes from the stored offset', async () => {
    const id = await addAttachment(phone, jpeg);
    const location = (await create(phone.token, id, jpeg.byteLength)).headers.get('location') as string;
    const part = 1000;
    expect((await send(phone.token, location, 0, jpeg.subarray(0, part))).status).toBe(204);

    const restarted = createApp(server.deps);
    const head = await tus('HEAD', location, phone.token, {}, restarted);
    expect(head.headers.get('upload-offset')).toBe(String(part));
    expect((await send(phone.token, location, part, jpeg.subarray(part), restarted)).status).toBe(204);
    expect((await attachmentRow(id))?.uploaded_at).not.toBeNull();
  });

  test('bytes stored but never checked (a crash after the last piece) are checked when the phone asks where it stands', async () => {
    const id = await addAttachment(phone, jpeg);
    const store = createPostgresByteStore(server.database.db);
    await store.startUpload(server.orgA.orgId, id, jpeg.byteLength, { attachmentId: id });
    expect(await store.append(server.orgA.orgId, id, 0, jpeg)).toEqual({ ok: true, offset: jpeg.byteLength });
    expect((await attachmentRow(id))?.uploaded_at).toBeNull();

    const head = await tus('HEAD', `/api/uploads/${id}`, phone.token);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(jpeg.byteLength));
    expect((await attachmentRow(id))?.uploaded_at).not.toBeNull();
  });

  test('two instances sending the same piece: the second finds the offset moved and stores nothing', async () => {
    const id = await addAttachment(phone, jpeg);
    const store = createPostgresByteStore(server.database.db);
    await store.startUpload(server.orgA.orgId, id, jpeg.byteLength, {});
    const piece = jpeg.subarray(0, 500);
    const results = await Promise.all([
      store.append(server.orgA.orgId, id, 0, piece),
      store.append(server.orgA.orgId, id, 0, piece),
    ]);
    expect(results).toContainEqual({ ok: true, offset: 500 });
    expect(results).toContainEqual({ ok: false, refusal: 'offset_moved' });
    expect(await storedBytes(id)).toBe(500);
    expect(await store.append(server.orgA.orgId, randomUUID(), 0, piece)).toEqual({ ok: false, refusal: 'no_upload' });
  });

  test('an app on an unsupported protocol is told to update', async () => {
    const response = await server.app.request('/api/uploads', {
      method: 'POST',
      headers: { authorization: `Bearer ${phone.token}`, 'tus-resumable': '1.0.0', [PROTOCOL_HEADER]: '1' },
    });
    expect(response.status).toBe(426);
    expect(await errorCode(response)).toBe('client_outdated');
  });
});
