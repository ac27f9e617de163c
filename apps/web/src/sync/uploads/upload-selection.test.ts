import { expect, test } from 'vitest';
import {
  type AttachmentRowFacts,
  dueUploads,
  type FileFacts,
  filesAlreadyUploaded,
  filesToPrune,
  KEEP_UPLOADED_FILES_MS,
  summarizeUploads,
} from './upload-selection';

const NOW = Date.parse('2026-11-21T09:00:00Z');
const blob = (size: number) => new Blob([new Uint8Array(size)]);

function file(id: string, fields: Partial<FileFacts> = {}): FileFacts {
  return {
    id,
    blob: blob(10),
    byteSize: 10,
    uploadState: 'waiting',
    uploadedBytes: 0,
    uploadUrl: null,
    storedAt: '2026-11-21T08:00:00.000Z',
    ...fields,
  };
}
function row(id: string, fields: Partial<AttachmentRowFacts> = {}): [string, AttachmentRowFacts] {
  return [id, { id, kind: 'photo', uploadedAt: null, ...fields }];
}

const none = new Set<string>();

test('a file is due only once the server applied its attachment.add, and not while refused or backing off', () => {
  const files = [
    file('applied'),
    file('row-pending'),
    file('add-queued'),
    file('no-row'),
    file('failed', { uploadState: 'failed' }),
    file('uploaded', { uploadState: 'uploaded' }),
    file('server-has-it'),
    file('dropped', { blob: null }),
    file('backing-off'),
  ];
  const rows = new Map([
    row('applied'),
    row('row-pending', { _pendingSeq: 3 }),
    row('add-queued'),
    row('failed'),
    row('uploaded'),
    row('server-has-it', { uploadedAt: '2026-11-21T08:30:00.000Z' }),
    row('dropped'),
    row('backing-off'),
  ]);
  const due = dueUploads({
    files,
    rows,
    queuedAdds: new Set(['add-queued']),
    inFlight: none,
    backingOff: new Set(['backing-off']),
    maxParallel: 10,
  });
  expect(due.map((f) => f.id)).toEqual(['applied']);
});

test('an upload a closed tab left half-done is due again, keeping its upload URL', () => {
  const halfDone = file('half', { uploadState: 'uploading', uploadedBytes: 5, uploadUrl: 'http://x/api/uploads/abc' });
  const due = dueUploads({
    files: [halfDone],
    rows: new Map([row('half')]),
    queuedAdds: none,
    inFlight: none,
    backingOff: none,
  });
  expect(due).toEqual([halfDone]);
});

test('at most two at a time, oldest first, counting those already in flight', () => {
  const files = [
    file('c', { storedAt: '2026-11-21T08:03:00.000Z' }),
    file('a', { storedAt: '2026-11-21T08:01:00.000Z' }),
    file('b', { storedAt: '2026-11-21T08:02:00.000Z' }),
  ];
  const rows = new Map([row('a'), row('b'), row('c')]);
  const input = { files, rows, queuedAdds: none, backingOff: none };
  expect(dueUploads({ ...input, inFlight: none }).map((f) => f.id)).toEqual(['a', 'b']);
  expect(dueUploads({ ...input, inFlight: new Set(['a']) }).map((f) => f.id)).toEqual(['b']);
  expect(dueUploads({ ...input, inFlight: new Set(['a', 'b']) })).toEqual([]);
});

test('a row pulled with uploadedAt marks the file uploaded', () => {
  const files = [file('x'), file('y', { uploadState: 'uploading' }), file('z', { uploadState: 'uploaded' })];
  const rows = new Map([
    row('x', { uploadedAt: '2026-11-21T08:30:00.000Z' }),
    row('y'),
    row('z', { uploadedAt: '2026-11-21T08:30:00.000Z' }),
  ]);
  expect(filesAlreadyUploaded(files, rows)).toEqual(['x']);
});

test('prune: only uploaded full-size files stored more than 3 days ago', () => {
  const old = new Date(NOW - KEEP_UPLOADED_FILES_MS - 1).toISOString();
  const recent = new Date(NOW - KEEP_UPLOADED_FILES_MS + 60_000).toISOString();
  const files = [
    file('old-uploaded', { uploadState: 'uploaded', storedAt: old }),
    file('recent-uploaded', { uploadState: 'uploaded', storedAt: recent }),
    file('old-waiting', { storedAt: old }),
    file('old-failed', { uploadState: 'failed', storedAt: old }),
    file('old-already-dropped', { uploadState: 'uploaded', storedAt: old, blob: null }),
  ];
  expect(filesToPrune(files, NOW)).toEqual(['old-uploaded']);
});

test('summary: files still to go with their bytes, photos among them, refusals apart', () => {
  const files = [
    file('p1', { byteSize: 1000, uploadedBytes: 200 }),
    file('p2', { byteSize: 3000, uploadState: 'uploading', uploadedBytes: 1000 }),
    file('doc', { byteSize: 500 }),
    file('done', { byteSize: 9000, uploadState: 'uploaded', uploadedBytes: 9000 }),
    file('bad', { byteSize: 100, uploadState: 'failed' }),
    file('orphan', { byteSize: 700 }),
  ];
  const rows = new Map([row('p1'), row('p2'), row('doc', { kind: 'document' }), row('done'), row('bad')]);
  // p2 has sent 1 500 bytes so far, ahead of the 1 000 the server acknowledged.
  expect(summarizeUploads(files, rows, none, new Map([['p2', 1500]]))).toEqual({
    count: 3,
    photos: 2,
    totalBytes: 4500,
    sentBytes: 1700,
    failed: 1,
  });
  // A file whose add is still queued counts even before its row is confirmed.
  expect(summarizeUploads([file('orphan', { byteSize: 700 })], new Map(), new Set(['orphan'])).count).toBe(1);
});
