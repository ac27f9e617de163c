/**
 * The tus DataStore over an `AttachmentByteStore`, for one organisation: the
 * tus upload id is the attachment id, so an attachment has one upload.
 * Supports the `creation` extension only (no deferred length: the length is
 * the attachment's `byteSize`, known before the first byte).
 */
import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import type { AttachmentByteStore } from './attachment-byte-store';
import { inPieces } from './in-pieces';

/** Bytes gathered before they are stored as one piece: few rows per file, little memory per request. */
export const PIECE_BYTES = 1024 * 1024;

export class TusAttachmentStore extends DataStore {
  constructor(
    private readonly store: AttachmentByteStore,
    private readonly orgId: string,
  ) {
    super();
    this.extensions = ['creation'];
  }

  override async create(upload: Upload): Promise<Upload> {
    // The creation hook has checked the length against the attachment, so it is set.
    await this.store.startUpload(this.orgId, upload.id, upload.size ?? 0, upload.metadata ?? {});
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const progress = await this.store.progress(this.orgId, id);
    if (!progress) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({
      id,
      size: progress.length,
      offset: progress.offset,
      metadata: progress.metadata,
      creation_date: progress.createdAt,
    });
  }

  /**
   * Stores the body a piece at a time; each stored piece is acknowledged (a
   * HEAD reports it), so a dropped connection or a restart loses at most the
   * piece in flight. When the client goes away the stream just ends and what
   * arrived is kept.
   */
  override async write(body: Readable, id: string, offset: number): Promise<number> {
    let stored = offset;
    for await (const piece of inPieces(body, PIECE_BYTES)) {
      const appended = await this.store.append(this.orgId, id, stored, piece);
      if (!appended.ok) throw appended.refusal === 'no_upload' ? ERRORS.FILE_NOT_FOUND : ERRORS.INVALID_OFFSET;
      stored = appended.offset;
    }
    return stored;
  }

  override async remove(id: string): Promise<void> {
    await this.store.discard(this.orgId, id);
  }
}
