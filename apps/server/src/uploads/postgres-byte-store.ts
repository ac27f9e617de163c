/**
 * Attachment bytes inside Postgres: an upload row per attachment and its
 * pieces as `bytea` rows, in the order they arrived. Works on Postgres and
 * PGlite alike, and across any number of server instances.
 */
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { attachmentChunks, attachmentThumbnails, attachmentUploads } from '../db/schema';
import type { AttachmentByteStore, Thumbnail } from './attachment-byte-store';

export function createPostgresByteStore(db: Db): AttachmentByteStore {
  const uploadOf = (orgId: string, attachmentId: string) =>
    and(eq(attachmentUploads.orgId, orgId), eq(attachmentUploads.attachmentId, attachmentId));

  return {
    async startUpload(orgId, attachmentId, length, metadata) {
      await db.transaction(async (tx) => {
        // The pieces go with the upload row (foreign key, on delete cascade).
        await tx.delete(attachmentUploads).where(uploadOf(orgId, attachmentId));
        await tx
          .delete(attachmentThumbnails)
          .where(and(eq(attachmentThumbnails.orgId, orgId), eq(attachmentThumbnails.attachmentId, attachmentId)));
        await tx.insert(attachmentUploads).values({ orgId, attachmentId, uploadLength: length, metadata });
      });
    },

    async progress(orgId, attachmentId) {
      const [row] = await db
        .select({
          length: attachmentUploads.uploadLength,
          offset: attachmentUploads.uploadOffset,
          metadata: attachmentUploads.metadata,
          createdAt: attachmentUploads.createdAt,
        })
        .from(attachmentUploads)
        .where(uploadOf(orgId, attachmentId));
      return row ? { ...row, length: Number(row.length), offset: Number(row.offset) } : undefined;
    },

    append(orgId, attachmentId, offset, bytes) {
      return db.transaction(async (tx) => {
        // The update locks the upload row: a second instance appending at the same offset waits here,
        // then finds the offset moved and writes nothing.
        const [moved] = await tx
          .update(attachmentUploads)
          .set({
            uploadOffset: sql`${attachmentUploads.uploadOffset} + ${bytes.byteLength}`,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              uploadOf(orgId, attachmentId),
              eq(attachmentUploads.uploadOffset, offset),
              sql`${attachmentUploads.uploadOffset} + ${bytes.byteLength} <= ${attachmentUploads.uploadLength}`,
            ),
          )
          .returning({ offset: attachmentUploads.uploadOffset });
        if (!moved) {
          const [exists] = await tx
            .select({ offset: attachmentUploads.uploadOffset })
            .from(attachmentUploads)
            .where(uploadOf(orgId, attachmentId));
          return { ok: false as const, refusal: exists ? ('offset_moved' as const) : ('no_upload' as const) };
        }
        await tx.insert(attachmentChunks).values({ orgId, attachmentId, byteOffset: offset, bytes });
        return { ok: true as const, offset: Number(moved.offset) };
      });
    },

    async *read(orgId, attachmentId) {
      let next = 0;
      for (;;) {
        const [piece] = await db
          .select({ byteOffset: attachmentChunks.byteOffset, bytes: attachmentChunks.bytes })
          .from(attachmentChunks)
          .where(
            and(
              eq(attachmentChunks.orgId, orgId),
              eq(attachmentChunks.attachmentId, attachmentId),
              gte(attachmentChunks.byteOffset, next),
            ),
          )
          .orderBy(asc(attachmentChunks.byteOffset))
          .limit(1);
        if (!piece) return;
        // Appends only ever go at the upload's offset, so the pieces tile the file with no gap.
        if (Number(piece.byteOffset) !== next) throw new Error('attachment bytes have a gap');
        next += piece.bytes.byteLength;
        yield piece.bytes;
      }
    },

    async discard(orgId, attachmentId) {
      await db.transaction(async (tx) => {
        await tx.delete(attachmentUploads).where(uploadOf(orgId, attachmentId));
        await tx
          .delete(attachmentThumbnails)
          .where(and(eq(attachmentThumbnails.orgId, orgId), eq(attachmentThumbnails.attachmentId, attachmentId)));
      });
    },

    async saveThumbnail(orgId, attachmentId, thumbnail: Thumbnail) {
      await db
        .insert(attachmentThumbnails)
        .values({ orgId, attachmentId, ...thumbnail })
        .onConflictDoUpdate({
          target: [attachmentThumbnails.orgId, attachmentThumbnails.attachmentId],
          set: {
            contentType: thumbnail.contentType,
            width: thumbnail.width,
            height: thumbnail.height,
            bytes: thumbnail.bytes,
          },
        });
    },

    async thumbnail(orgId, attachmentId) {
      const [row] = await db
        .select({
          contentType: attachmentThumbnails.contentType,
          width: attachmentThumbnails.width,
          height: attachmentThumbnails.height,
          bytes: attachmentThumbnails.bytes,
        })
        .from(attachmentThumbnails)
        .where(and(eq(attachmentThumbnails.orgId, orgId), eq(attachmentThumbnails.attachmentId, attachmentId)));
      return row;
    },
  };
}
