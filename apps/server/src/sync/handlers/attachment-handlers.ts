import { ATTACHMENT_GONE_MESSAGE, newAttachment } from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq } from 'drizzle-orm';
import { attachments } from '../../db/schema';
import { lateWorkDetails, requireJobAccess } from '../access';
import { writeActivity } from '../activity';
import { insertCreated } from '../idempotent-create';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';

const megabytes = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

/**
 * A file's metadata; the bytes follow by upload (`/api/uploads`) once this
 * stands. Like a note, a contractor's photo taken before the job was taken
 * from them still counts, marked late in the activity log.
 */
export async function addAttachment(
  ctx: MutationContext,
  args: MutationArgs<'attachment.add'>,
): Promise<HandlerOutcome> {
  if (args.byteSize > ctx.settings.maxUploadBytes) {
    throw new MutationRejected(
      'invalid_args',
      `This file is ${megabytes(args.byteSize)}; files may be at most ${megabytes(ctx.settings.maxUploadBytes)}.`,
    );
  }
  const work = await requireJobAccess(ctx, args.jobId, { lateWork: true });
  const row = newAttachment(args, ctx.user.userId);
  // A replay matches on what the device sent; the upload may have set `uploadedAt` since.
  const { uploadedAt: _uploadedAt, createdBy: _createdBy, ...asSent } = row;
  const created = await insertCreated(ctx.tx, ctx.user.orgId, attachments, { orgId: ctx.user.orgId, ...row }, asSent);
  if (created.outcome === 'duplicate') return created;
  await writeActivity(ctx, {
    entityType: 'attachment',
    entityId: args.id,
    jobId: args.jobId,
    action: args.kind === 'signature' ? 'attachment.signed' : 'attachment.added',
    details: {
      kind: args.kind,
      fileName: args.fileName,
      ...(args.signerName ? { signerName: args.signerName } : {}),
      ...lateWorkDetails(work),
    },
  });
  return APPLIED;
}

/**
 * Soft delete, by its author or the office. Removing twice is harmless; the
 * stored bytes stay until the row is purged, so a removal can be undone by hand.
 */
export async function removeAttachment(
  ctx: MutationContext,
  args: MutationArgs<'attachment.remove'>,
): Promise<HandlerOutcome> {
  const [attachment] = await ctx.tx
    .select({
      jobId: attachments.jobId,
      kind: attachments.kind,
      fileName: attachments.fileName,
      createdBy: attachments.createdBy,
      deletedAt: attachments.deletedAt,
    })
    .from(attachments)
    .where(and(eq(attachments.orgId, ctx.user.orgId), eq(attachments.id, args.id)))
    .for('no key update');
  if (!attachment) throw new MutationRejected('not_found', ATTACHMENT_GONE_MESSAGE);
  await requireJobAccess(ctx, attachment.jobId);
  if (ctx.user.role === 'contractor' && attachment.createdBy !== ctx.user.userId) {
    throw new MutationRejected('forbidden', 'Only the person who added this file, or the office, can remove it.');
  }
  if (attachment.deletedAt !== null) return APPLIED;
  await ctx.tx
    .update(attachments)
    .set({ deletedAt: ctx.recordedAt })
    .where(and(eq(attachments.orgId, ctx.user.orgId), eq(attachments.id, args.id)));
  await writeActivity(ctx, {
    entityType: 'attachment',
    entityId: args.id,
    jobId: attachment.jobId,
    action: 'attachment.removed',
    details: { kind: attachment.kind, fileName: attachment.fileName },
  });
  return APPLIED;
}
