/**
 * Phones on a bad line start sending a chunk and then go quiet for minutes.
 * Such stalled uploads must not hold what others need: with more of them than
 * the database has connections (20 here; PGlite has one), another phone still
 * uploads a whole photo and pushes its changes. Real sockets on a real port,
 * since `app.request` could not leave a body half sent.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen } from '../testing/listen';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const STALLED = 25;
const STALLED_SIZE = 600_000;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const metadata = (attachmentId: string) => `attachmentId ${Buffer.from(attachmentId).toString('base64')}`;

describe.each(kinds)('stalled uploads on %s', (kind) => {
  let server: TestServer;
  let live: { url: string; close(): Promise<void> };
  let office: Device;
  let phone: Device;
  let jobId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind);
    live = await listen(server.deps);
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, 'contractor3@example.com');
    ({ jobId } = await createJobFixture(server, office));
    await assignJob(server, office, jobId, await contractorIdOf(server, phone.email));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await live.close();
    await server.close();
  });

  const headers = (token: string) => ({
    authorization: `Bearer ${token}`,
    'tus-resumable': '1.0.0',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  });

  /** The attachment's row through a push, then its upload created: ready for bytes. */
  async function createdUpload(device: Device, bytes: Uint8Array, contentType = 'image/jpeg') {
    const id = randomUUID();
    await pushApplied(server, device, [
      {
        name: 'attachment.add',
        args: {
          id,
          jobId,
          kind: 'photo',
          fileName: 'site.jpg',
          contentType,
          byteSize: bytes.byteLength,
          sha256: sha256(bytes),
          takenAt: '2026-11-21T14:50:00.000Z',
        },
      },
    ]);
    const created = await fetch(`${live.url}/api/uploads`, {
      method: 'POST',
      headers: { ...headers(device.token), 'upload-length': String(bytes.byteLength), 'upload-metadata': metadata(id) },
    });
    expect(created.status).toBe(201);
    return id;
  }

  /** A PATCH that promises `STALLED_SIZE` bytes, sends 16 KiB and then nothing, its socket left open. */
  function stall(attachmentId: string, token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(live.url);
      const socket = connect(Number(port), hostname, () => {
        const head = [
          `PATCH /api/uploads/${attachmentId} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          ...Object.entries(headers(token)).map(([name, value]) => `${name}: ${value}`),
          'Upload-Offset: 0',
          'Content-Type: application/offset+octet-stream',
          `Content-Length: ${STALLED_SIZE}`,
          '',
          '',
        ].join('\r\n');
        socket.write(head);
        socket.write(randomBytes(16 * 1024), () => resolve());
      });
      socket.on('error', reject);
      sockets.push(socket);
    });
  }

  test(`${STALLED} uploads stalled mid-chunk do not keep another phone from uploading and syncing`, async () => {
    for (let index = 0; index < STALLED; index++) {
      await stall(await createdUpload(office, randomBytes(STALLED_SIZE)), office.token);
    }

    const photo = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 90, g: 120, b: 150 } },
    })
      .jpeg()
      .toBuffer();
    const id = await createdUpload(phone, photo);
    const sent = await fetch(`${live.url}/api/uploads/${id}`, {
      method: 'PATCH',
      headers: {
        ...headers(phone.token),
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(photo),
    });
    expect(sent.status).toBe(204);
    const [row] = await server.database.query<{ uploaded_at: string | null }>(
      sql`select uploaded_at from attachments where id = ${id}`,
    );
    expect(row?.uploaded_at).not.toBeNull();
    await pushApplied(server, phone, [{ name: 'note.add', args: { id: randomUUID(), jobId, body: 'Photo sent.' } }]);

    // The stalled ones are still waiting, not cut off: they resume when their phones come back.
    expect(sockets.every((socket) => !socket.destroyed)).toBe(true);
  });
});
