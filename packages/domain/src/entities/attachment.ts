import { z } from 'zod';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** What a file on a job is: a photo from the site, the customer's signature, or a document (a PDF). */
export const ATTACHMENT_KINDS = ['photo', 'signature', 'document'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const attachmentKindSchema = z.enum(ATTACHMENT_KINDS);

/** The only content types the server stores; the bytes must match the type, not only the header. */
export const ATTACHMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];
export const attachmentContentTypeSchema = z.enum(ATTACHMENT_CONTENT_TYPES);

/** `MAX_UPLOAD_BYTES` when the server is not told otherwise: 25 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 26_214_400;
/** The largest file any server accepts; a server's own `MAX_UPLOAD_BYTES` may be lower. */
export const MAX_ATTACHMENT_BYTES = 1_073_741_824;

/** A SHA-256 digest as 64 lower-case hex characters. */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 digest as 64 lower-case hex characters');

/** Longest photo side kept on the phone and sent: larger photos are scaled down before they are stored. */
export const MAX_PHOTO_SIDE_PX = 2048;
/** Longest side of a thumbnail the server makes. */
export const THUMBNAIL_SIDE_PX = 320;

export const attachmentFileNameSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });
export const attachmentCaptionSchema = textSchema({ trim: true, max: TEXT_LIMITS.reason });
export const signerNameSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });

/**
 * A file on a job: its metadata syncs like any row; the bytes follow by a
 * resumable upload, and `uploadedAt` is set once they are complete and checked.
 */
export const attachmentSchema = z.object({
  ...syncedRowShape,
  jobId: idSchema,
  kind: attachmentKindSchema,
  fileName: attachmentFileNameSchema,
  contentType: attachmentContentTypeSchema,
  byteSize: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
  sha256: sha256HexSchema,
  /** When the photo was taken (its EXIF time when it has one) or the signature given. */
  takenAt: isoDateTimeSchema,
  caption: attachmentCaptionSchema.nullable(),
  /** The signer's printed name, for a signature. */
  signerName: signerNameSchema.nullable(),
  /** Null until the server holds every byte and the checksum matched. */
  uploadedAt: isoDateTimeSchema.nullable(),
  createdBy: idSchema.nullable(),
});
export type Attachment = z.infer<typeof attachmentSchema>;
