/**
 * Pure decisions of the upload queue: which files may start now, which the
 * server already holds, which full-size copies may be dropped, and the
 * numbers screens show. No IO here: the queue reads the rows and acts.
 */
import type { AttachmentFile } from '../database';
import type { UploadSummary } from '../sync-state';

/** A full-size file is kept this long after it was stored, once uploaded, then only its preview. */
export const KEEP_UPLOADED_FILES_MS = 3 * 24 * 60 * 60_000;
/** At most this many uploads at a time: phone networks are narrow, and each holds a request open. */
export const MAX_PARALLEL_UPLOADS = 2;

/** What the queue needs to know of an attachment's synced row. */
export interface AttachmentRowFacts {
  id: string;
  kind: string;
  uploadedAt: string | null;
  /** Set while this device's `attachment.add` is not yet confirmed by a pull. */
  _pendingSeq?: number | undefined;
}

/** The file rows the queue decides on; a row's `blob` only matters as present or not. */
export type FileFacts = Pick<
  AttachmentFile,
  'id' | 'blob' | 'byteSize' | 'uploadState' | 'uploadedBytes' | 'storedAt' | 'uploadUrl'
>;

export interface DueUploadsInput {
  files: readonly FileFacts[];
  /** The local `attachments` rows, by id. */
  rows: ReadonlyMap<string, AttachmentRowFacts>;
  /** Attachment ids whose `attachment.add` is still in the outbox. */
  queuedAdds: ReadonlySet<string>;
  /** Files uploading right now in this tab. */
  inFlight: ReadonlySet<string>;
  /** Files waiting out a backoff after a failed attempt. */
  backingOff: ReadonlySet<string>;
  maxParallel?: number;
}

/**
 * The files to start uploading now, oldest first. A file is due when the
 * server has applied its `attachment.add` (the outbox no longer holds it and
 * the local row carries no pending mark — before that the server answers
 * 404), its bytes are still on the device, the server does not hold them yet,
 * it is not refused for good, and it is not waiting out a backoff. A file left
 * `uploading` by a closed tab is due again: it resumes from its `uploadUrl`.
 */
export function dueUploads(input: DueUploadsInput): FileFacts[] {
  const free = (input.maxParallel ?? MAX_PARALLEL_UPLOADS) - input.inFlight.size;
  if (free <= 0) return [];
  return input.files
    .filter((file) => {
      if (file.uploadState !== 'waiting' && file.uploadState !== 'uploading') return false;
      if (!file.blob || input.inFlight.has(file.id) || input.queuedAdds.has(file.id)) return false;
      const row = input.rows.get(file.id);
      if (!row || row._pendingSeq !== undefined || row.uploadedAt !== null) return false;
      return !input.backingOff.has(file.id);
    })
    .sort((a, b) => a.storedAt.localeCompare(b.storedAt))
    .slice(0, free);
}

/**
 * Files the server already holds (a pull brought their row with `uploadedAt`,
 * e.g. another tab finished the upload) that this device does not yet count
 * as uploaded.
 */
export function filesAlreadyUploaded(
  files: readonly FileFacts[],
  rows: ReadonlyMap<string, AttachmentRowFacts>,
): string[] {
  return files
    .filter((file) => file.uploadState !== 'uploaded' && (rows.get(file.id)?.uploadedAt ?? null) !== null)
    .map((file) => file.id);
}

/**
 * Full-size copies to drop (the preview stays): uploaded, and stored more
 * than `keepMs` ago. A file that is not uploaded is never dropped: the
 * device holds its only copy.
 */
export function filesToPrune(files: readonly FileFacts[], now: number, keepMs = KEEP_UPLOADED_FILES_MS): string[] {
  return files
    .filter((file) => file.uploadState === 'uploaded' && file.blob !== null && now - Date.parse(file.storedAt) > keepMs)
    .map((file) => file.id);
}

/**
 * The upload numbers for screens. `liveSent` holds bytes sent so far by the
 * uploads in flight (ahead of the acknowledged `uploadedBytes`). A file whose
 * attachment is neither on the device nor queued (its change was not
 * accepted, or the job left this phone) is not counted: it cannot upload.
 */
export function summarizeUploads(
  files: readonly FileFacts[],
  rows: ReadonlyMap<string, Pick<AttachmentRowFacts, 'kind'>>,
  queuedAdds: ReadonlySet<string>,
  liveSent: ReadonlyMap<string, number> = new Map(),
): UploadSummary {
  const summary: UploadSummary = { count: 0, photos: 0, totalBytes: 0, sentBytes: 0, failed: 0 };
  for (const file of files) {
    if (file.uploadState === 'failed') summary.failed++;
    if (file.uploadState !== 'waiting' && file.uploadState !== 'uploading') continue;
    if (!rows.has(file.id) && !queuedAdds.has(file.id)) continue;
    summary.count++;
    if (rows.get(file.id)?.kind === 'photo') summary.photos++;
    summary.totalBytes += file.byteSize;
    const sent = Math.max(file.uploadedBytes, liveSent.get(file.id) ?? 0);
    summary.sentBytes += Math.min(sent, file.byteSize);
  }
  return summary;
}
