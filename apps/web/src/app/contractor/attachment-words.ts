/**
 * Plain words for photos, documents and signatures on a job: where a file's
 * upload stands, what happened to it on the timeline, what a picked file is
 * refused for. Pure, so the phone and the office say the same thing.
 */
import type { AttachmentKind } from '@fieldsync/domain';

/** "Photo", "Signature", "Document". */
export const ATTACHMENT_KIND_LABEL: Record<AttachmentKind, string> = {
  photo: 'Photo',
  signature: 'Signature',
  document: 'Document',
};

/** `2.1 MB`, `340 KB`: one decimal above a megabyte, whole kilobytes below. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The upload facts a screen has about one file: the synced row, and this device's copy when it holds one. */
export interface UploadFacts {
  /** The synced row's `uploadedAt`: set once the server holds every byte and checked them. */
  uploadedAt: string | null;
  byteSize: number;
  /** This device's copy of the bytes; absent when the file came from another device. */
  local?:
    | {
        uploadState: 'waiting' | 'uploading' | 'uploaded' | 'failed';
        uploadedBytes: number;
        error: string | null;
      }
    | undefined;
}

export type UploadTone = 'done' | 'busy' | 'waiting' | 'failed';

/**
 * Where one file's upload stands, in a few words, and a tone for its colour.
 * `online` changes "Waiting to upload" into "Uploads when back online".
 */
export function uploadStatus(facts: UploadFacts, online: boolean): { text: string; tone: UploadTone } {
  const { local } = facts;
  if (local?.uploadState === 'failed') {
    return { text: `Not uploaded: ${local.error ?? 'the server refused this file.'}`, tone: 'failed' };
  }
  if (facts.uploadedAt || local?.uploadState === 'uploaded') return { text: 'Uploaded', tone: 'done' };
  if (!local) return { text: 'Uploading from another device', tone: 'waiting' };
  if (local.uploadState === 'uploading') {
    return { text: `Uploading ${uploadPercent(local.uploadedBytes, facts.byteSize)}%`, tone: 'busy' };
  }
  return { text: online ? 'Waiting to upload' : 'Uploads when back online', tone: 'waiting' };
}

/** Whole percent sent, never 100 before the server has confirmed the last byte. */
export function uploadPercent(uploadedBytes: number, byteSize: number): number {
  if (byteSize <= 0) return 0;
  const percent = Math.floor((uploadedBytes / byteSize) * 100);
  return Math.min(99, Math.max(0, percent));
}

/**
 * One line for the files still to upload from this device, or null when
 * there are none: "3 files uploading, 2.1 of 5.4 MB".
 */
export function uploadSummary(
  files: ReadonlyArray<{
    uploadState: 'waiting' | 'uploading' | 'uploaded' | 'failed';
    uploadedBytes: number;
    byteSize: number;
  }>,
  online: boolean,
): string | null {
  const open = files.filter((file) => file.uploadState === 'waiting' || file.uploadState === 'uploading');
  if (open.length === 0) return null;
  const total = open.reduce((sum, file) => sum + file.byteSize, 0);
  const sent = open.reduce((sum, file) => sum + Math.min(file.uploadedBytes, file.byteSize), 0);
  const files_ = open.length === 1 ? '1 file' : `${open.length} files`;
  if (!online) return `${files_} (${formatBytes(total)}) will upload when this phone is back online.`;
  return `${files_} uploading, ${formatMegabytesPair(sent, total)}`;
}

/** "2.1 of 5.4 MB", in the total's unit so the two numbers compare at a glance. */
function formatMegabytesPair(sent: number, total: number): string {
  if (total >= 1_048_576) return `${(sent / 1_048_576).toFixed(1)} of ${(total / 1_048_576).toFixed(1)} MB`;
  return `${Math.round(sent / 1024)} of ${Math.max(1, Math.round(total / 1024))} KB`;
}

/** The details the server writes on an attachment's activity row. */
export interface AttachmentActivityDetails {
  kind?: unknown;
  fileName?: unknown;
  signerName?: unknown;
}

/** Activity actions about attachments that {@link attachmentActivityText} puts in words. */
export const ATTACHMENT_ACTIONS = ['attachment.added', 'attachment.signed', 'attachment.removed'] as const;

/**
 * An attachment's activity row as a sentence: "Signed by Dana Smith",
 * "Photo added", "Document added: invoice.pdf", "Photo removed". Null for
 * any other action.
 */
export function attachmentActivityText(action: string, details: unknown): string | null {
  const facts = (details && typeof details === 'object' ? details : {}) as AttachmentActivityDetails;
  const kind = isKind(facts.kind) ? facts.kind : null;
  const fileName = typeof facts.fileName === 'string' && facts.fileName ? facts.fileName : null;
  const signer = typeof facts.signerName === 'string' && facts.signerName.trim() ? facts.signerName.trim() : null;
  switch (action) {
    case 'attachment.signed':
      return signer ? `Signed by ${signer}` : 'Customer signature added';
    case 'attachment.added':
      if (kind === 'signature') return signer ? `Signed by ${signer}` : 'Customer signature added';
      if (kind === 'document') return fileName ? `Document added: ${fileName}` : 'Document added';
      return 'Photo added';
    case 'attachment.removed':
      if (kind === 'signature') return 'Signature removed';
      if (kind === 'document') return fileName ? `Document removed: ${fileName}` : 'Document removed';
      return 'Photo removed';
    default:
      return null;
  }
}

function isKind(value: unknown): value is AttachmentKind {
  return value === 'photo' || value === 'signature' || value === 'document';
}

/**
 * Why a picked file cannot be added, in plain words, or null when it can:
 * photos must be images, documents PDFs; `maxBytes` is the server's limit.
 */
export function pickedFileProblem(
  file: { type: string; size: number; name: string },
  kind: 'photo' | 'document',
  maxBytes: number,
): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (kind === 'photo' && !file.type.startsWith('image/')) {
    return `“${file.name}” is not a photo. Pick a JPEG, PNG or WebP image, or use “Add PDF” for a document.`;
  }
  // Some phones give a PDF no type at all: its name decides then.
  const pdf = file.type === 'application/pdf' || (file.type === '' && /\.pdf$/i.test(file.name));
  if (kind === 'document' && !pdf) {
    return `“${file.name}” is not a PDF. Only PDF documents can be added.`;
  }
  if (kind === 'document' && file.size > maxBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; files may be at most ${formatBytes(maxBytes)}.`;
  }
  return null;
}
