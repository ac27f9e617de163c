/**
 * What happens once every byte of an attachment has arrived: the bytes are
 * checked against what the phone said (SHA-256, then the type read from the
 * bytes themselves), an image gets its thumbnail, and the row is marked
 * uploaded — which bumps its version, so every phone that sees the job pulls
 * it — and the people who see the job are poked. Bytes that fail a check are
 * thrown away, so the phone can start a new upload.
 */
import { createHash } from 'node:crypto';
import { THUMBNAIL_SIDE_PX } from '@fieldsync/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { type Db, registerChangeWriter, rowsOf, type Tx } from '../db/database';
import { attachments } from '../db/schema';
import { notifyCommitted } from '../sync/push-service';
import type { AttachmentForBytes } from './attachment-access';
import type { AttachmentByteStore, Thumbnail } from './attachment-byte-store';

export type CompletionFailure = {
  code: 'checksum_mismatch' | 'content_type_mismatch';
  message: string;
};
export type Completion = { ok: true } | ({ ok: false } & CompletionFailure);

/** Enough of the start of a file for `file-type` to recognise every format we take. */
const SNIFF_BYTES = 64 * 1024;
/**
 * Larger images are refused rather than decoded: a small file can unpack to a
 * huge bitmap. Far above any phone camera, and far below what would exhaust
 * the server.
 */
const MAX_IMAGE_PIXELS = 120_000_000;

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/webp': 'a WebP image',
  'application/pdf': 'a PDF document',
};
const describeType = (type: string | undefined) => (type && TYPE_NAMES[type]) || 'of a kind we do not take';

export interface CompletionDeps {
  db: Db;
  store: AttachmentByteStore;
  now: () => Date;
}

/**
 * Checks and records a complete upload. Safe to run twice (a retried request,
 * two instances): the second finds the row already uploaded.
 */
export async function completeUpload(
  deps: CompletionDeps,
  attachment: AttachmentForBytes,
  uploaderUserId: string,
): Promise<Completion> {
  if (attachment.uploadedAt !== null) return { ok: true };
  const { orgId, id } = attachment;
  const checked = await checkBytes(deps.store, attachment);
  if (!checked.ok) {
    await deps.store.discard(orgId, id);
    return checked;
  }
  if (checked.thumbnail) await deps.store.saveThumbnail(orgId, id, checked.thumbnail);
  await markUploaded(deps, attachment, uploaderUserId);
  return { ok: true };
}

type CheckedBytes = { ok: true; thumbnail: Thumbnail | undefined } | ({ ok: false } & CompletionFailure);

async function checkBytes(store: AttachmentByteStore, attachment: AttachmentForBytes): Promise<CheckedBytes> {
  const isImage = attachment.contentType.startsWith('image/');
  const hash = createHash('sha256');
  const head: Uint8Array[] = [];
  let headBytes = 0;
  // Only an image is held whole, to make its thumbnail; the rest is hashed piece by piece.
  const whole: Uint8Array[] = [];
  let total = 0;
  for await (const piece of store.read(attachment.orgId, attachment.id)) {
    hash.update(piece);
    total += piece.byteLength;
    if (isImage) whole.push(piece);
    else if (headBytes < SNIFF_BYTES) {
      head.push(piece);
      headBytes += piece.byteLength;
    }
  }
  if (total !== attachment.byteSize || hash.digest('hex') !== attachment.sha256) {
    return {
      ok: false,
      code: 'checksum_mismatch',
      message:
        'The file arrived different from the one on the phone (its SHA-256 does not match), so it was discarded. Upload it again.',
    };
  }
  const bytes = Buffer.concat(isImage ? whole : head);
  const found = (await fileTypeFromBuffer(bytes.subarray(0, SNIFF_BYTES)))?.mime;
  if (found !== attachment.contentType) {
    return {
      ok: false,
      code: 'content_type_mismatch',
      message: `The file is ${describeType(found)}, not ${describeType(attachment.contentType)} as it was added, so it was discarded.`,
    };
  }
  if (!isImage) return { ok: true, thumbnail: undefined };
  try {
    return { ok: true, thumbnail: await makeThumbnail(bytes) };
  } catch {
    return {
      ok: false,
      code: 'content_type_mismatch',
      message: `The file starts like ${describeType(found)} but cannot be read as one, so it was discarded.`,
    };
  }
}

/** A WebP at most THUMBNAIL_SIDE_PX on its longer side, turned upright (phones record rotation in EXIF). */
async function makeThumbnail(image: Buffer): Promise<Thumbnail> {
  const { data, info } = await sharp(image, { failOn: 'none', limitInputPixels: MAX_IMAGE_PIXELS })
    .autoOrient()
    .resize({ width: THUMBNAIL_SIDE_PX, height: THUMBNAIL_SIDE_PX, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer({ resolveWithObject: true });
  return { contentType: 'image/webp', width: info.width, height: info.height, bytes: data };
}

/** Sets `uploadedAt` (the version trigger makes pulls carry it) and pokes the office and the job's contractors. */
async function markUploaded(deps: CompletionDeps, attachment: AttachmentForBytes, uploaderUserId: string) {
  await deps.db.transaction(async (tx) => {
    await registerChangeWriter(tx);
    const [marked] = await tx
      .update(attachments)
      .set({ uploadedAt: deps.now().toISOString() })
      .where(
        and(eq(attachments.orgId, attachment.orgId), eq(attachments.id, attachment.id), isNull(attachments.uploadedAt)),
      )
      .returning({ jobId: attachments.jobId });
    if (!marked) return;
    const contractorUserIds = await contractorUsersOnJob(tx, attachment.orgId, marked.jobId);
    await notifyCommitted(tx, {
      orgId: attachment.orgId,
      userIds: [...new Set([...contractorUserIds, uploaderUserId])],
    });
  });
}

/** The users of every contractor assigned to the job, as a push pokes them. */
async function contractorUsersOnJob(tx: Tx, orgId: string, jobId: string): Promise<string[]> {
  const rows = rowsOf(
    await tx.execute(sql`
      select distinct c.user_id from contractors c
      where c.org_id = ${orgId} and c.user_id is not null
        and c.id in (select a.contractor_id from assignments a where a.org_id = ${orgId} and a.job_id = ${jobId})`),
  ) as Array<{ user_id: string }>;
  return rows.map((row) => row.user_id);
}
