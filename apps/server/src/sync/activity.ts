/**
 * What a mutation leaves besides its rows: activity-log lines, written with
 * the push's ledger once the mutation stands, and the jobs and contractors it
 * touched, whose phones the push pokes.
 */
import { randomUUID } from 'node:crypto';
import type { EditableEntity } from '@fieldsync/protocol';
import { and, eq } from 'drizzle-orm';
import { jobs, materials } from '../db/schema';
import type { ActivityRow, MutationContext } from './mutation-context';

/** In `touchedUserIds`: every user of the organisation. */
export const EVERYONE = '*';

/** Builds an activity-log row for this mutation. */
export function activityRow(
  ctx: MutationContext,
  entry: { entityType: string; entityId: string; action: string; details?: unknown; jobId?: string | null },
): ActivityRow {
  return {
    orgId: ctx.user.orgId,
    id: randomUUID(),
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    details: entry.details ?? {},
    userId: ctx.user.userId,
    jobId: entry.jobId ?? null,
    source: ctx.source,
    createdAt: ctx.recordedAt,
  };
}

/**
 * Records an activity-log row for this mutation. The push writes the rows of
 * every mutation that stands in one statement with its ledger, so a rejected
 * mutation leaves none.
 */
export async function writeActivity(ctx: MutationContext, entry: Parameters<typeof activityRow>[1]) {
  ctx.activity.push(activityRow(ctx, entry));
}

/**
 * Notes whose phones a change to this row concerns, for the push's poke: the
 * contractors on its job (the job's, a material's, every job of a customer),
 * the contractor or person it is, or everyone (the company's own row).
 */
export async function touchScopeOf(
  ctx: MutationContext,
  entity: EditableEntity,
  id: string,
  materialJobId?: string,
): Promise<void> {
  if (entity === 'jobs') ctx.touchedJobIds.add(id);
  if (entity === 'contractors') ctx.touchedContractorIds.add(id);
  // The office hears of every change; a person's own phone hears of a change to them.
  if (entity === 'users') ctx.touchedUserIds.add(id);
  // Every phone of the company has its row.
  if (entity === 'organizations') ctx.touchedUserIds.add(EVERYONE);
  if (entity === 'materials') {
    const jobId =
      materialJobId ??
      (
        await ctx.tx
          .select({ jobId: materials.jobId })
          .from(materials)
          .where(and(eq(materials.orgId, ctx.user.orgId), eq(materials.id, id)))
      )[0]?.jobId;
    if (jobId) ctx.touchedJobIds.add(jobId);
  }
  if (entity === 'customers') {
    const rows = await ctx.tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.customerId, id)));
    for (const row of rows) ctx.touchedJobIds.add(row.id);
  }
}
