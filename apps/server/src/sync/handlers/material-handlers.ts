import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq, isNull } from 'drizzle-orm';
import { jobNotes, materials } from '../../db/schema';
import { applyFieldUpdate, insertCreated, lateWorkDetails, requireJobAccess, writeActivity } from '../handler-support';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import type { HeldMaterial } from '../write-behind';

/** The material, row-locked, on a job the caller may change. */
async function loadMaterial(ctx: MutationContext, id: string): Promise<HeldMaterial> {
  const material = ctx.writeBehind
    ? await ctx.writeBehind.material(id)
    : (
        await ctx.tx
          .select({ jobId: materials.jobId, itemName: materials.itemName, purchased: materials.purchased })
          .from(materials)
          .where(and(eq(materials.orgId, ctx.user.orgId), eq(materials.id, id), isNull(materials.deletedAt)))
          .for('no key update')
      )[0];
  if (!material) throw new MutationRejected('not_found', 'This material is no longer on the list.');
  await requireJobAccess(ctx, material.jobId);
  return material;
}

/** A contractor's material added before the job was taken from them still counts, marked late (see `decideLateWork`). */
export async function addMaterial(ctx: MutationContext, args: MutationArgs<'material.add'>): Promise<HandlerOutcome> {
  const work = await requireJobAccess(ctx, args.jobId, { lateWork: true });
  const created = await insertCreated(
    ctx,
    materials,
    {
      orgId: ctx.user.orgId,
      id: args.id,
      jobId: args.jobId,
      itemName: args.itemName,
      quantity: args.quantity,
      unit: args.unit,
      notes: args.notes ?? null,
      addedBy: ctx.user.userId,
      recordedAfterCancellation: work.late,
    },
    args,
  );
  if (created.outcome === 'duplicate') return created;
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
  const purchase = args.purchased
    ? { purchased: true, purchasedBy: ctx.user.userId, purchasedAt: ctx.occurredAt }
    : { purchased: false, purchasedBy: null, purchasedAt: null };
  if (ctx.writeBehind) {
    ctx.writeBehind.setPurchased(args.id, purchase);
  } else {
    await ctx.tx
      .update(materials)
      .set(purchase)
      .where(and(eq(materials.orgId, ctx.user.orgId), eq(materials.id, args.id)));
  }
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
  if (!material) throw new MutationRejected('not_found', 'This material is no longer on the list.');
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
  const note = {
    orgId: ctx.user.orgId,
    id: args.id,
    jobId: args.jobId,
    authorId: ctx.user.userId,
    body: args.body,
    occurredAt: ctx.occurredAt,
    recordedAfterCancellation: work.late,
  };
  if (ctx.writeBehind) {
    // Written with the push; a taken id sends the push to a replay that tells duplicate from id_conflict.
    ctx.writeBehind.addNote(note);
  } else {
    const created = await insertCreated(ctx, jobNotes, note, { jobId: args.jobId, body: args.body });
    if (created.outcome === 'duplicate') return created;
  }
  await writeActivity(ctx, {
    entityType: 'note',
    entityId: args.id,
    jobId: args.jobId,
    action: 'note.added',
    details: lateWorkDetails(work),
  });
  return APPLIED;
}
