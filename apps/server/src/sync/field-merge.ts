/**
 * Field-level merge of an `*.update` into its row (docs/sync-protocol.md,
 * conflict rules): a field still at the device's `base` takes the new value;
 * one changed on the server since is a concurrent edit, decided by which
 * change happened later on its device, and the other value is kept in a
 * conflict record. The rule itself is `mergeFieldUpdate` in packages/domain.
 *
 * `organizations` is the one table without `orgId`: its row is the tenant
 * itself, found by its id.
 */
import { randomUUID } from 'node:crypto';
import { deepEqualJson, type FieldMergeResult, mergeFieldUpdate } from '@fieldsync/domain';
import type { EditableEntity } from '@fieldsync/protocol';
import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import {
  activityLog,
  conflicts,
  contractors,
  customers,
  jobs,
  materials,
  mutations,
  organizations,
  users,
} from '../db/schema';
import { touchScopeOf, writeActivity } from './activity';
import { raiseConflictEvent } from './alert-events';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from './mutation-context';
import { toWireRow } from './synced-tables';

const EDITABLE_TABLES = { customers, jobs, contractors, materials, users, organizations } as const;

/** Mutations that create a row of each entity: its first change, for the ledger lookup. */
const CREATED_BY: Partial<Record<EditableEntity, string>> = { users: 'user.invite' };

/** The row `id` of `entity` in the caller's organisation. */
function rowOf(ctx: MutationContext, entity: EditableEntity, id: string): SQL | undefined {
  if (entity === 'organizations') return eq(organizations.id, ctx.user.orgId);
  const table = EDITABLE_TABLES[entity] as unknown as typeof jobs;
  return and(eq(table.orgId, ctx.user.orgId), eq(table.id, id));
}

/**
 * Who last changed an entity, and when it happened on their device, from the ledger.
 * "Last" is the latest device time (occurredAt), not arrival order: the merge then
 * decides the same whichever device's push arrives first, and a tie in received_at
 * (one server millisecond, a frozen test clock) cannot pick an older change.
 */
async function lastChangeOf(ctx: MutationContext, entity: EditableEntity, entityId: string, field: string) {
  if (entity === 'organizations') return lastSettingsChangeOf(ctx, field);
  const createdBy = CREATED_BY[entity];
  const [row] = await ctx.tx
    .select({ userId: mutations.userId, occurredAt: mutations.occurredAt })
    .from(mutations)
    .where(
      and(
        eq(mutations.orgId, ctx.user.orgId),
        sql`${mutations.args}->>'id' = ${entityId}`,
        inArray(mutations.outcome, ['applied', 'conflict']),
        sql`(jsonb_exists(${mutations.args}->'patch', ${field}) or ${mutations.name} like '%.create'${
          createdBy ? sql` or ${mutations.name} = ${createdBy}` : sql``
        })`,
      ),
    )
    .orderBy(desc(mutations.occurredAt), desc(mutations.receivedAt))
    .limit(1);
  return row;
}

/**
 * Who last changed one of the company's settings, and when. `org.update`
 * carries no id, and the ledger is indexed by id, so its activity-log lines
 * answer instead: when the server recorded the change, not when it was made
 * on the device (a settings change made offline counts from its arrival).
 */
async function lastSettingsChangeOf(ctx: MutationContext, field: string) {
  const [row] = await ctx.tx
    .select({ userId: activityLog.userId, occurredAt: activityLog.createdAt })
    .from(activityLog)
    .where(
      and(
        eq(activityLog.orgId, ctx.user.orgId),
        eq(activityLog.entityType, 'organizations'),
        eq(activityLog.entityId, ctx.user.orgId),
        sql`jsonb_exists(${activityLog.details}->'applied', ${field})`,
      ),
    )
    .orderBy(desc(activityLog.createdAt))
    .limit(1);
  return row;
}

/** Merges an `*.update` into its row, recording one `conflicts` row per concurrently edited field. */
export async function applyFieldUpdate(
  ctx: MutationContext,
  entity: EditableEntity,
  args: { id: string; patch: Record<string, unknown>; base: Record<string, unknown> },
): Promise<HandlerOutcome> {
  const table = EDITABLE_TABLES[entity] as unknown as typeof jobs;
  const [row] = await ctx.tx
    .select()
    .from(table)
    .where(and(rowOf(ctx, entity, args.id), isNull(table.deletedAt)))
    .for('no key update');
  if (!row) throw new MutationRejected('not_found', 'This record no longer exists.');
  const current = toWireRow(table, row as Record<string, unknown>);

  // Each field edited on the server since the device looked is judged by when
  // that field last changed (from the ledger), not when the row did.
  const changedAt = new Map<string, { by: string | null; at: string }>();
  for (const field of Object.keys(args.patch)) {
    if (deepEqualJson(current[field], args.base[field])) continue;
    const last = await lastChangeOf(ctx, entity, args.id, field);
    changedAt.set(field, {
      by: last?.userId ?? null,
      at: last ? new Date(last.occurredAt).toISOString() : String(current.updatedAt),
    });
  }
  const merge: FieldMergeResult = { apply: {}, conflicts: [] };
  for (const [field, value] of Object.entries(args.patch)) {
    const one = mergeFieldUpdate({
      current,
      patch: { [field]: value },
      base: { [field]: args.base[field] },
      incomingAt: ctx.occurredAt,
      currentChangedAt: changedAt.get(field)?.at ?? String(current.updatedAt),
    });
    Object.assign(merge.apply, one.apply);
    merge.conflicts.push(...one.conflicts);
  }

  if (Object.keys(merge.apply).length > 0) {
    await ctx.tx
      .update(table)
      .set(merge.apply as Partial<typeof jobs.$inferInsert>)
      .where(rowOf(ctx, entity, args.id));
  }
  const conflictIds: string[] = [];
  for (const conflict of merge.conflicts) {
    const id = randomUUID();
    conflictIds.push(id);
    const incoming = { by: ctx.user.userId, at: ctx.occurredAt };
    const server = changedAt.get(conflict.field) ?? { by: null, at: String(current.updatedAt) };
    const [winner, loser] = conflict.incomingWon ? [incoming, server] : [server, incoming];
    await ctx.tx.insert(conflicts).values({
      orgId: ctx.user.orgId,
      id,
      entity,
      entityId: args.id,
      field: conflict.field,
      winnerValue: conflict.winnerValue ?? null,
      loserValue: conflict.loserValue ?? null,
      winnerBy: winner.by,
      loserBy: loser.by,
      winnerAt: winner.at,
      loserAt: loser.at,
      mutationClientId: ctx.clientId,
      mutationSeq: ctx.seq,
    });
    raiseConflictEvent(ctx, {
      conflictId: id,
      entity,
      entityId: args.id,
      field: conflict.field,
      winnerValue: conflict.winnerValue,
      loserValue: conflict.loserValue,
      jobId: entity === 'materials' ? (current.jobId as string) : undefined,
    });
  }
  await writeActivity(ctx, {
    entityType: entity,
    entityId: args.id,
    jobId: entity === 'jobs' ? args.id : entity === 'materials' ? (current.jobId as string) : null,
    action: `${entity}.updated`,
    details: { applied: merge.apply, conflicts: merge.conflicts.map((c) => c.field) },
  });
  await touchScopeOf(ctx, entity, args.id, current.jobId as string | undefined);
  const [firstConflict] = conflictIds;
  return firstConflict ? { outcome: 'conflict', conflictId: firstConflict } : APPLIED;
}
