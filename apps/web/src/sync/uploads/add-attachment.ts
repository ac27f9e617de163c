import type { AttachmentContentType, AttachmentKind } from '@fieldsync/domain';
import { type LocalChangeDeps, queueMutation } from '../local-changes';
import { makePreview, sha256Hex } from './file-facts';

/** A file a person adds to a job (see `FieldsyncClient.addAttachment`). */
export interface NewAttachment {
  jobId: string;
  kind: AttachmentKind;
  blob: Blob;
  fileName: string;
  contentType: AttachmentContentType;
  /** When the photo was taken or the signature given (ISO). */
  takenAt: string;
  caption?: string;
  signerName?: string;
}

/**
 * Stores the file on the device and queues its `attachment.add`, in one
 * transaction: the `attachmentFiles` row (bytes, preview, `waiting`) exists
 * exactly when the change does. Throws `MutationRefusedError` (nothing
 * stored) when the change may not be made.
 */
export async function storeAttachment(
  deps: LocalChangeDeps,
  input: NewAttachment,
): Promise<{ id: string; seq: number }> {
  const { db, now, newId } = deps;
  // Both read the whole file: done before the transaction, which must not wait on anything but IndexedDB.
  const [sha256, preview] = await Promise.all([sha256Hex(input.blob), makePreview(input.blob, input.contentType)]);
  const id = newId();
  const args = {
    id,
    jobId: input.jobId,
    kind: input.kind,
    fileName: input.fileName,
    contentType: input.contentType,
    byteSize: input.blob.size,
    sha256,
    takenAt: input.takenAt,
    ...(input.caption !== undefined ? { caption: input.caption } : {}),
    ...(input.signerName !== undefined ? { signerName: input.signerName } : {}),
  };
  const { seq } = await queueMutation(deps, 'attachment.add', args, {
    alsoWrite: async () => {
      await db.attachmentFiles.add({
        id,
        jobId: input.jobId,
        blob: input.blob,
        preview,
        byteSize: input.blob.size,
        uploadState: 'waiting',
        uploadedBytes: 0,
        uploadUrl: null,
        error: null,
        storedAt: new Date(now()).toISOString(),
      });
    },
  });
  return { id, seq };
}

/** Bytes this device keeps for attachments: full files not yet dropped, and previews. */
export function storedBytes(files: ReadonlyArray<{ blob: Blob | null; preview: Blob | null }>): {
  bytes: number;
  files: number;
} {
  let bytes = 0;
  let count = 0;
  for (const file of files) {
    if (!file.blob && !file.preview) continue;
    count++;
    bytes += (file.blob?.size ?? 0) + (file.preview?.size ?? 0);
  }
  return { bytes, files: count };
}
