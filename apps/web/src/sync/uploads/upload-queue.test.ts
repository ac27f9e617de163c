import { afterEach, expect, test } from 'vitest';
import { type AttachmentFile, type FieldsyncDatabase, openFieldsyncDatabase } from '../database';
import type { Timers } from '../scheduler';
import { SignInRequired } from '../session';
import { createSyncStateStore, initialSyncState } from '../sync-state';
import { freshIndexedDb, JOB_ID } from '../testing/setup';
import { sha256Hex } from './file-facts';
import { outcomeOfTusError, UPLOAD_CHUNK_BYTES } from './tus-transport';
import { createUploadQueue, UPLOAD_PROGRESS_INTERVAL_MS, type UploadQueue } from './upload-queue';
import { KEEP_UPLOADED_FILES_MS } from './upload-selection';
import type { RunningUpload, UploadCallbacks, UploadOutcome, UploadRequest, UploadTransport } from './upload-transport';

const NOW = Date.parse('2026-11-21T09:00:00Z');
const FILE_ID = '00000000-0000-4000-8000-0000000f0001';

/**
 * An in-memory tus endpoint: creates uploads, keeps each one's offset and
 * bytes, resumes from the offset when given the upload URL, and can be told
 * to drop the connection after some chunks or to answer an outcome.
 */
class MemoryTusServer implements UploadTransport {
  readonly uploads = new Map<string, { attachmentId: string; offset: number; chunks: Uint8Array<ArrayBuffer>[] }>();
  readonly requests: UploadRequest[] = [];
  /** Offsets the server resumed from (one per attempt that came with a known URL). */
  readonly resumedFrom: number[] = [];
  validTokens = new Set(['token-1']);
  /** Outcomes answered before any byte moves, in order (a 404 before the change is applied…). */
  readonly answers: UploadOutcome[] = [];
  /** Answered after the last byte instead of success (the checksum check). */
  finalAnswer: UploadOutcome | null = null;
  dropAfterChunks: number | null = null;
  private created = 0;

  /** The only upload the server holds, with the SHA-256 of its bytes; undefined unless there is exactly one. */
  async received(): Promise<{ url: string; sha256: string } | undefined> {
    const [only, ...more] = [...this.uploads];
    if (!only || more.length > 0) return undefined;
    return { url: only[0], sha256: await sha256Hex(new Blob(only[1].chunks)) };
  }

  upload(request: UploadRequest, callbacks: UploadCallbacks): RunningUpload {
    this.requests.push(request);
    return { done: this.receive(request, callbacks), abort: () => undefined };
  }

  private async receive(request: UploadRequest, callbacks: UploadCallbacks): Promise<UploadOutcome> {
    if (!this.validTokens.has(request.accessToken)) return { kind: 'unauthorized' };
    const answer = this.answers.shift();
    if (answer) return answer;
    let url = request.uploadUrl;
    let upload = url ? this.uploads.get(url) : undefined;
    if (upload) {
      this.resumedFrom.push(upload.offset);
    } else {
      url = `memory://uploads/${++this.created}`;
      upload = { attachmentId: request.attachmentId, offset: 0, chunks: [] };
      this.uploads.set(url, upload);
      callbacks.onUploadUrl(url);
    }
    const bytes = new Uint8Array(await request.blob.arrayBuffer());
    let chunks = 0;
    while (upload.offset < bytes.length) {
      if (this.dropAfterChunks !== null && chunks >= this.dropAfterChunks) {
        this.dropAfterChunks = null;
        return { kind: 'offline' };
      }
      const end = Math.min(bytes.length, upload.offset + UPLOAD_CHUNK_BYTES);
      upload.chunks.push(bytes.slice(upload.offset, end));
      upload.offset = end;
      chunks++;
      callbacks.onProgress(end);
      callbacks.onAcknowledged(end);
    }
    const final = this.finalAnswer;
    this.finalAnswer = null;
    return final ?? { kind: 'uploaded' };
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    set(callback, ms) {
      pending.set(++next, { callback, ms });
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** Backoff waits set (the progress throttle's timer left out). */
    delays: () => [...pending.values()].map((timer) => timer.ms).filter((ms) => ms !== UPLOAD_PROGRESS_INTERVAL_MS),
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const timer of due) timer.callback();
    },
  };
}

const warnings: unknown[] = [];
const dbs: FieldsyncDatabase[] = [];
const queues: UploadQueue[] = [];
afterEach(async () => {
  for (const queue of queues.splice(0)) {
    queue.stop();
    await queue.settled();
  }
  expect(warnings.splice(0)).toEqual([]);
  for (const db of dbs.splice(0)) db.close();
});

function bytes(size: number): Blob {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31) % 251;
  return new Blob([data], { type: 'image/jpeg' });
}

function setup(options: { db?: FieldsyncDatabase; server?: MemoryTusServer; now?: number } = {}) {
  const db = options.db ?? openDb();
  const server = options.server ?? new MemoryTusServer();
  const store = createSyncStateStore(initialSyncState(true));
  const clock = manualTimers();
  let token = 'token-1';
  const refreshedAfter: string[] = [];
  const events = { uploaded: 0, signInRequired: 0 };
  // As the client: a session that ended stops the queue until the next sign-in.
  const queue = createUploadQueue({
    db,
    store,
    transport: server,
    auth: {
      accessToken: async () => token,
      async refreshAfter(failed) {
        refreshedAfter.push(failed);
        if (failed === 'token-dead') throw new SignInRequired();
        token = 'token-2';
      },
    },
    now: () => options.now ?? NOW,
    random: () => 0.5,
    logger: { warn: (...args: unknown[]) => warnings.push(args), error() {} },
    locks: null,
    isRunning: () => events.signInRequired === 0,
    onUploaded: () => events.uploaded++,
    onSignInRequired: () => events.signInRequired++,
    onAccountDisabled: () => undefined,
    timers: clock.timers,
  });
  queues.push(queue);
  return {
    db,
    server,
    store,
    queue,
    clock,
    events,
    refreshedAfter,
    setToken: (value: string) => {
      token = value;
    },
  };
}

function openDb(): FieldsyncDatabase {
  const { indexedDB, IDBKeyRange, dbName } = freshIndexedDb();
  const db = openFieldsyncDatabase(dbName, { indexedDB, IDBKeyRange });
  dbs.push(db);
  return db;
}

async function storeFile(db: FieldsyncDatabase, blob: Blob, fields: Partial<AttachmentFile> = {}) {
  await db.attachmentFiles.put({
    id: FILE_ID,
    jobId: JOB_ID,
    blob,
    preview: new Blob([new Uint8Array(40)], { type: 'image/jpeg' }),
    byteSize: blob.size,
    uploadState: 'waiting',
    uploadedBytes: 0,
    uploadUrl: null,
    error: null,
    storedAt: new Date(NOW - 60_000).toISOString(),
    ...fields,
  });
}

/** The attachment row as a pull brings it once the server applied `attachment.add`. */
async function storeRow(db: FieldsyncDatabase, blob: Blob, fields: Record<string, unknown> = {}) {
  await db.attachments.put({
    id: FILE_ID,
    jobId: JOB_ID,
    kind: 'photo',
    fileName: 'boiler.jpg',
    contentType: 'image/jpeg',
    byteSize: blob.size,
    sha256: 'a'.repeat(64),
    takenAt: '2026-11-21T08:00:00.000Z',
    caption: null,
    signerName: null,
    uploadedAt: null,
    createdBy: null,
    version: 1,
    createdAt: '2026-11-21T08:00:00.000Z',
    updatedAt: '2026-11-21T08:00:00.000Z',
    deletedAt: null,
    ...fields,
  } as never);
}

test('a file waits until the server applied its attachment.add, then uploads in chunks and counts as uploaded', async () => {
  const { db, server, store, queue, events } = setup();
  const blob = bytes(UPLOAD_CHUNK_BYTES * 2 + 1000);
  await storeFile(db, blob);
  // Queued on this device only: the server would answer 404.
  await storeRow(db, blob, { _pendingSeq: 1 });
  await db.outbox.add({
    seq: 1,
    name: 'attachment.add',
    args: { id: FILE_ID },
    occurredAt: '2026-11-21T08:00:00.000Z',
    attempts: 0,
    lastError: null,
  });
  await queue.kick();
  await queue.settled();
  expect(server.requests).toHaveLength(0);
  expect(store.getState().uploads).toEqual({ count: 1, photos: 1, totalBytes: blob.size, sentBytes: 0, failed: 0 });

  // The push was acknowledged and the pull brought the server's row.
  await db.outbox.clear();
  await storeRow(db, blob);
  await queue.kick();
  await queue.settled();
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]).toMatchObject({
    attachmentId: FILE_ID,
    fileName: 'boiler.jpg',
    contentType: 'image/jpeg',
    uploadUrl: null,
    accessToken: 'token-1',
  });
  const received = await server.received();
  expect(received?.sha256).toBe(await sha256Hex(blob));
  expect(await db.attachmentFiles.get(FILE_ID)).toMatchObject({
    uploadState: 'uploaded',
    uploadedBytes: blob.size,
    uploadUrl: received?.url,
    error: null,
  });
  expect(events.uploaded).toBe(1);
  expect(store.getState().uploads).toEqual({ count: 0, photos: 0, totalBytes: 0, sentBytes: 0, failed: 0 });
});

test('a dropped connection resumes from the server’s offset with the stored upload URL, even after a reload', async () => {
  const first = setup();
  const blob = bytes(UPLOAD_CHUNK_BYTES * 3);
  await storeFile(first.db, blob);
  await storeRow(first.db, blob);
  first.server.dropAfterChunks = 1;
  await first.queue.kick();
  await first.queue.settled();
  const halfway = await first.db.attachmentFiles.get(FILE_ID);
  expect(halfway).toMatchObject({ uploadState: 'waiting', uploadedBytes: UPLOAD_CHUNK_BYTES });
  expect(halfway?.uploadUrl).toMatch(/^memory:\/\/uploads\//);
  expect(first.store.getState()).toMatchObject({
    online: false,
    uploads: { count: 1, sentBytes: UPLOAD_CHUNK_BYTES, totalBytes: blob.size },
  });
  // Full-jitter backoff (random 0.5): the first retry after 500 ms.
  expect(first.clock.delays()).toContain(500);

  // The page reloads: a new queue over the same database, same server.
  first.queue.stop();
  const second = setup({ db: first.db, server: first.server });
  await second.queue.kick();
  await second.queue.settled();
  expect(second.server.requests.at(-1)?.uploadUrl).toBe(halfway?.uploadUrl);
  expect(second.server.resumedFrom).toEqual([UPLOAD_CHUNK_BYTES]);
  const received = await second.server.received();
  expect(received?.sha256).toBe(await sha256Hex(blob));
  expect((await second.db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('uploaded');
});

test('404 (change not applied yet) waits out a backoff and tries again', async () => {
  const { db, server, queue, clock } = setup();
  const blob = bytes(1000);
  await storeFile(db, blob);
  await storeRow(db, blob);
  server.answers.push({ kind: 'not_ready' }, { kind: 'not_ready' });
  await queue.kick();
  await queue.settled();
  expect((await db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('waiting');
  expect(clock.delays()).toEqual([500]);
  // Nothing starts again before the backoff ends.
  await queue.kick();
  await queue.settled();
  expect(server.requests).toHaveLength(1);
  clock.fireAll();
  await queue.settled();
  expect(server.requests).toHaveLength(2);
  // Second step: up to 2 s (random 0.5 → 1 000 ms).
  expect(clock.delays()).toEqual([1000]);
  clock.fireAll();
  await queue.settled();
  expect(server.requests).toHaveLength(3);
  expect((await db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('uploaded');
});

test('409 checksum_mismatch and 415 content_type_mismatch mark the file failed with plain words, for good', async () => {
  for (const refusal of [
    { code: 'checksum_mismatch', status: 409, words: /damaged on its way/ },
    { code: 'content_type_mismatch', status: 415, words: /not the kind of file it says/ },
  ]) {
    const { db, server, store, queue, clock } = setup();
    const blob = bytes(2000);
    await storeFile(db, blob);
    await storeRow(db, blob);
    server.finalAnswer = { kind: 'refused', status: refusal.status, code: refusal.code, message: 'Refused.' };
    await queue.kick();
    await queue.settled();
    const file = await db.attachmentFiles.get(FILE_ID);
    expect(file?.uploadState).toBe('failed');
    expect(file?.error).toMatch(refusal.words);
    expect(store.getState().uploads).toMatchObject({ count: 0, failed: 1 });
    expect(clock.delays()).toEqual([]);
    await queue.kick();
    await queue.settled();
    expect(server.requests).toHaveLength(1);
  }
});

test('401 refreshes the token and goes again at once; a dead session raises the sign-in flag', async () => {
  const { db, server, queue, refreshedAfter, setToken, events } = setup();
  const blob = bytes(1000);
  await storeFile(db, blob);
  await storeRow(db, blob);
  server.validTokens = new Set(['token-2']);
  await queue.kick();
  await queue.settled();
  expect(refreshedAfter).toEqual(['token-1']);
  expect(server.requests.map((request) => request.accessToken)).toEqual(['token-1', 'token-2']);
  expect((await db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('uploaded');

  await db.attachmentFiles.update(FILE_ID, { uploadState: 'waiting', uploadUrl: null, uploadedBytes: 0 });
  setToken('token-dead');
  await queue.kick();
  await queue.settled();
  expect(events.signInRequired).toBe(1);
  expect((await db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('waiting');
});

test('after a sync: a row pulled with uploadedAt counts as uploaded; full files older than 3 days are dropped, previews kept', async () => {
  const later = NOW + KEEP_UPLOADED_FILES_MS + 60_000;
  const { db, server, queue } = setup({ now: later });
  const blob = bytes(1000);
  await storeFile(db, blob);
  // Another tab (or device) finished it: the pull brings uploadedAt.
  await storeRow(db, blob, { uploadedAt: '2026-11-21T09:30:00.000Z' });
  await queue.afterSync();
  await queue.settled();
  expect(server.requests).toHaveLength(0);
  expect((await db.attachmentFiles.get(FILE_ID))?.uploadState).toBe('uploaded');
  // Pruning runs on the next pass (this one marked it uploaded).
  await queue.afterSync();
  const file = await db.attachmentFiles.get(FILE_ID);
  expect(file?.blob).toBeNull();
  expect(file?.preview?.size).toBe(40);
});

test('tus errors map to queue outcomes by status and the server’s code', () => {
  const failure = (status: number, body?: unknown) =>
    Object.assign(new Error('tus: failed'), {
      originalRequest: {},
      originalResponse:
        status === 0
          ? null
          : { getStatus: () => status, getBody: () => (body === undefined ? '' : JSON.stringify(body)) },
    });
  const error = (code: string) => ({ error: { code, message: `${code} words` } });
  expect(outcomeOfTusError(failure(0))).toEqual({ kind: 'offline' });
  expect(outcomeOfTusError(failure(401, error('unauthorized')))).toEqual({ kind: 'unauthorized' });
  expect(outcomeOfTusError(failure(404, error('not_found')))).toEqual({ kind: 'not_ready' });
  expect(outcomeOfTusError(failure(409, error('checksum_mismatch')))).toMatchObject({
    kind: 'refused',
    code: 'checksum_mismatch',
  });
  // tus's own 409 (wrong offset) is worth another attempt, which asks the server's offset.
  expect(outcomeOfTusError(failure(409)).kind).toBe('retry');
  expect(outcomeOfTusError(failure(415, error('content_type_mismatch')))).toMatchObject({
    kind: 'refused',
    status: 415,
    code: 'content_type_mismatch',
  });
  expect(outcomeOfTusError(failure(503, error('db_unavailable'))).kind).toBe('retry');
  expect(outcomeOfTusError(failure(413)).kind).toBe('refused');
});
