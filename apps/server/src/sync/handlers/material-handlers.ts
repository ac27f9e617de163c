import { MATERIAL_GONE_MESSAGE } from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq } from 'drizzle-orm';
import { materials } from '../../db/schema';
import { lateWorkDetails, requireJobAccess } from '../access';
import { writeActivity } from '../activity';
import { applyFieldUpdate } from '../field-merge';
import type { MaterialForWrite } from '../job-writes';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';

/** The material, row-locked, on a job the caller may change. */
async function loadMaterial(ctx: MutationContext, id: string): Promise<MaterialForWrite> {
  const material = await ctx.writes.material(id);
  if (!material) throw new MutationRejected('not_found', MATERIAL_GONE_MESSAGE);
  await requireJobAccess(ctx, material.jobId);
  return material;
}

/** A contractor's material added before the job was taken from them still counts, marked late (see `decideLateWork`). */
export async function addMaterial(ctx: MutationContext, args: MutationArgs<'material.add'>): Promise<HandlerOutcome> {
  const work = await requireJobAccess(ctx, args.jobId, { lateWork: true });
  const added = await ctx.writes.addMaterial({
    orgId: ctx.user.orgId,
    id: args.id,
    jobId: args.jobId,
    itemName: args.itemName,
    quantity: args.quantity,
    unit: args.unit,
    notes: args.notes,
    addedBy: ctx.user.userId,
    recordedAfterCancellation: work.late,
  });
  if (added.outcome === 'duplicate') return added;
  await writeActivity(ctx, {
    entityType: 'material',
    entityId: args.id,
    jobId: args.jobId,
    action: 'material.added',
    details: { itemName: args.itemName, quantity: args.quantity, unit: args.unit, ...lateWorkDetails(work) },
  });
  return APPLIED;
}

export async function updateMaterial(ctx: MutationContext, args: MutationArgs<'material.update'>) {
  await loadMaterial(ctx, args.id);
  return applyFieldUpdate(ctx, 'materials', args);
}

export async function setMaterialPurchased(
  ctx: MutationContext,
  args: MutationArgs<'material.setPurchased'>,
): Promise<HandlerOutcome> {
  const material = await loadMaterial(ctx, args.id);
  if (material.purchased === args.purchased) return APPLIED;
  await ctx.writes.setPurchased(
    args.id,
    args.purchased
      ? { purchased: true, purchasedBy: ctx.user.userId, purchasedAt: ctx.occurredAt }
      : { purchased: false, purchasedBy: null, purchasedAt: null },
  );
  await writeActivity(ctx, {
    entityType: 'material',
    entityId: args.id,
    jobId: material.jobId,
    action: args.purchased ? 'material.purchased' : 'material.unpurchased',
    details: { itemName: material.itemName },
  });
  return APPLIED;
}

/**
 * Soft delete: pulls send the id in `removed`. Removing twice is harmless, for
 * whoever may remove it: the permission is checked first, so a contractor
 * learns nothing of, and gets no "applied" for, a material on someone else's job.
 * One read, removed rows included, answers all three questions.
 */
export async function removeMaterial(
  ctx: MutationContext,
  args: MutationArgs<'material.remove'>,
): Promise<HandlerOutcome> {
  const [material] = await ctx.tx
    .select({ jobId: materials.jobId, itemName: materials.itemName, deletedAt: materials.deletedAt })
    .from(materials)
    .where(and(eq(materials.orgId, ctx.user.orgId), eq(materials.id, args.id)))
    .for('no key update');
  if (!material) throw new MutationRejected('not_found', MATERIAL_GONE_MESSAGE);
  await requireJobAccess(ctx, material.jobId);
  if (material.deletedAt !== null) return APPLIED;
  await ctx.tx
    .update(materials)
    .set({ deletedAt: ctx.recordedAt })
    .where(and(eq(materials.orgId, ctx.user.orgId), eq(materials.id, args.id)));
  await writeActivity(ctx, {
    entityType: 'material',
    entityId: args.id,
    jobId: material.jobId,
    action: 'material.removed',
    details: { itemName: material.itemName },
  });
  return APPLIED;
}

/**
 * Notes are append-only, so they never conflict. A contractor's note written
 * before the job was taken from them still counts, marked late (see `decideLateWork`).
 */
export async function addNote(ctx: MutationContext, args: MutationArgs<'note.add'>): Promise<HandlerOutcome> {
  const work = await requireJobAccess(ctx, args.jobId, { lateWork: true });
  const added = await ctx.writes.addNote({
    orgId: ctx.user.orgId,
    id: args.id,
    jobId: args.jobId,
    authorId: ctx.user.userId,
    body: args.body,
    occurredAt: ctx.occurredAt,
    recordedAfterCancellation: work.late,
  });
  if (added.outcome === 'duplicate') return added;
  await writeActivity(ctx, {
    entityType: 'note',
    entityId: args.id,
    jobId: args.jobId,
    action: 'note.added',
    details: lateWorkDetails(work),
  });
  return APPLIED;
}
