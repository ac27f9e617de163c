/**
 * Where attachment bytes live: the port. The Postgres adapter
 * (`postgres-byte-store.ts`) keeps them in the database, so every server
 * instance sees the same uploads with nothing else to run; an S3-compatible
 * adapter can stand behind the same interface. Every call names the
 * organisation: ids are chosen by phones and are only unique within one.
 *
 * A throw means the store could not be reached or refused the write; the
 * caller answers the client with an error and the client retries (its upload
 * resumes from the last acknowledged offset).
 */

/** How far an upload has come. */
export interface UploadProgress {
  /** The whole file's length in bytes (tus `Upload-Length`). */
  length: number;
  /** Bytes received and stored so far (tus `Upload-Offset`). */
  offset: number;
  /** The tus `Upload-Metadata` the upload was created with. */
  metadata: Record<string, string | null>;
  createdAt: string;
}

/** A stored preview image. */
export interface Thumbnail {
  contentType: string;
  width: number;
  height: number;
  bytes: Uint8Array;
}

/** Why `append` refused a piece: someone else wrote first, or there is no such upload. */
export type AppendRefusal = 'offset_moved' | 'no_upload';

export interface AttachmentByteStore {
  /** Starts the upload of an attachment's bytes, replacing an unfinished one (and its bytes). */
  startUpload(
    orgId: string,
    attachmentId: string,
    length: number,
    metadata: Record<string, string | null>,
  ): Promise<void>;
  /** The upload's progress, or undefined when there is none. */
  progress(orgId: string, attachmentId: string): Promise<UploadProgress | undefined>;
  /**
   * Stores `bytes` at `offset` and answers the new offset, only if the upload
   * is at `offset` now and the bytes fit within its length: two instances
   * receiving the same upload cannot interleave pieces.
   */
  append(
    orgId: string,
    attachmentId: string,
    offset: number,
    bytes: Uint8Array,
  ): Promise<{ ok: true; offset: number } | { ok: false; refusal: AppendRefusal }>;
  /** The stored bytes in order, a piece at a time (never the whole file at once). */
  read(orgId: string, attachmentId: string): AsyncIterable<Uint8Array>;
  /** Throws the bytes away (and the upload with them), so a new upload can start. */
  discard(orgId: string, attachmentId: string): Promise<void>;
  saveThumbnail(orgId: string, attachmentId: string, thumbnail: Thumbnail): Promise<void>;
  thumbnail(orgId: string, attachmentId: string): Promise<Thumbnail | undefined>;
}
