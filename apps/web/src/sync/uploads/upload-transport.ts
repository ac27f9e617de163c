/**
 * The port between the upload queue and the wire. The real adapter is
 * `tus-transport.ts` (tus-js-client); tests use an in-memory one. An upload
 * never throws: it resolves with how it ended.
 */

/** One attempt at sending one file's bytes. */
export interface UploadRequest {
  attachmentId: string;
  blob: Blob;
  fileName: string;
  contentType: string;
  /** Where an earlier attempt's bytes went: the upload resumes from the server's offset there. */
  uploadUrl: string | null;
  accessToken: string;
}

export interface UploadCallbacks {
  /** The server created the upload (or the stored one was replaced): keep the URL to resume. */
  onUploadUrl(url: string): void;
  /** Bytes sent so far (may run ahead of what the server acknowledged). */
  onProgress(sentBytes: number): void;
  /** The server acknowledged this many bytes in all (after each chunk). */
  onAcknowledged(bytes: number): void;
}

/**
 * How an attempt ended:
 * - `uploaded`: the server holds every byte and the checksum matched.
 * - `refused`: the server will never take these bytes (`checksum_mismatch`,
 *   `content_type_mismatch`, too large); `message` is the server's words.
 * - `not_ready`: 404 — the server has not applied the `attachment.add` yet (or
 *   the job is not in the caller's scope right now); try later.
 * - `unauthorized`: 401 — refresh the tokens, then try again.
 * - `offline`: no answer at all.
 * - `retry`: anything else worth trying again later (5xx, 423, aborted).
 */
export type UploadOutcome =
  | { kind: 'uploaded' }
  | { kind: 'refused'; status: number; code: string; message: string }
  | { kind: 'not_ready' }
  | { kind: 'unauthorized' }
  | { kind: 'offline' }
  | { kind: 'retry'; message: string };

export interface RunningUpload {
  done: Promise<UploadOutcome>;
  /** Stops sending; `done` then resolves with `retry`. The server keeps what it has for a later resume. */
  abort(): void;
}

export interface UploadTransport {
  upload(request: UploadRequest, callbacks: UploadCallbacks): RunningUpload;
}
