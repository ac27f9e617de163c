/**
 * Building blocks the mutation handlers share: permission and scope checks,
 * idempotent creates, field-level merge into a row, status changes with their
 * history, conflict rows and the activity log.
 */
import { randomUUID } from 'node:crypto';
import {
  type AccessEndReason,
  decideLateWork,
  deepEqualJson,
  type FieldMergeResult,
  type JobAccess,
  type JobStatus,
  type LateWorkDecision,
  LIVE_ASSIGNMENT_STATUSES,
  mergeFieldUpdate,
} from '@fieldsync/domain';
import type { EditableEntity } from '@fieldsync/protocol';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, type Tx } from '../db/database';
import { pipelined } from '../db/pipelined';
import {
  assignments,
  conflicts,
  contractors,
  customers,
  type jobNotes,
  jobStatusHistory,
  jobs,
  materials,
  mutations,
} from '../db/schema';
import {
  type ActivityRow,
  APPLIED,
  type HandlerOutcome,
  type MutationContext,
  MutationRejected,
} from './mutation-context';
import { toWireRow } from './synced-tables';

/** Postgres SQLSTATE of a failed query, whichever driver threw it. */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The contractor row linked to the signed-in user, if any. */
export async function contractorIdOfUser(tx: Tx, orgId: string, userId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: contractors.id })
    .from(contractors)
    .where(and(eq(contractors.orgId, orgId), eq(contractors.userId, userId), isNull(contractors.deletedAt)));
  return row?.id;
}

/**
 * How a contractor stands on a job (see `JobAccess`): a live assignment, or
 * when the server recorded the end of their last one. An assignment ended by
 * the job's cancellation ended when the cancellation was recorded; one the
 * office (or they) cancelled or declined, when that change was recorded in the
 * activity log — or, for rows older than that log, when the row last changed.
 * One query; the end is only worked out for ended assignments.
 */
export async function contractorJobAccess(
  tx: Tx,
  orgId: string,
  jobId: string,
  contractorId: string,
): Promise<JobAccess> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select
        coalesce(bool_or(a.status in (${sql.join(
          LIVE_ASSIGNMENT_STATUSES.map((status) => sql`${status}`),
          sql`, `,
        )})), false) as live,
        to_char(max(ended.at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ended_at,
        (array_agg(ended.because order by ended.at desc) filter (where ended.at is not null))[1] as because
      from assignments a
      left join lateral (
        select
          coalesce(cancellation.at, ending.at, a.updated_at) as at,
          case when cancellation.at is not null then 'job_cancelled' else 'assignment_ended' end as because
        from (
          select max(h.recorded_at) as at from job_status_history h
          where a.cancellation_reason = ${JOB_CANCELLED_REASON}
            and h.org_id = a.org_id and h.job_id = a.job_id and h.to_status = 'cancelled'
        ) cancellation, (
          select max(l.created_at) as at from activity_log l
          where l.org_id = a.org_id and l.entity_type = 'assignment' and l.entity_id = a.id
            and l.action in ('assignment.cancelled', 'assignment.declined')
        ) ending
        where a.status in ('cancelled', 'declined')
      ) ended on true
      where a.org_id = ${orgId} and a.job_id = ${jobId} and a.contractor_id = ${contractorId}
        and a.deleted_at is null`),
  ) as Array<{ live: boolean; ended_at: string | null; because: AccessEndReason | null }>;
  if (row?.live) return { kind: 'live' };
  if (row?.ended_at) return { kind: 'ended', endedAt: row.ended_at, because: row.because ?? 'assignment_ended' };
  return { kind: 'none' };
}

/** True when the contractor's assignment on the job ended because the office cancelled the job. */
async function contractorLostJobToCancellation(tx: Tx, orgId: string, jobId: string, contractorId: string) {
  const [row] = await tx
    .select({ id: assignments.id })
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, orgId),
        eq(assignments.jobId, jobId),
        eq(assignments.contractorId, contractorId),
        eq(assignments.status, 'cancelled'),
        eq(assignments.cancellationReason, JOB_CANCELLED_REASON),
        isNull(assignments.deletedAt),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** The signed-in contractor's own contractor id, looked up once per push. */
export function ownContractorId(ctx: MutationContext): Promise<string | undefined> {
  ctx.memo.contractorId ??= contractorIdOfUser(ctx.tx, ctx.user.orgId, ctx.user.userId);
  return ctx.memo.contractorId;
}

/** Work that may stand on a job, and whether it came in after the contractor's access ended. */
export type WorkOnJob = Extract<LateWorkDecision, { ok: true }>;

/**
 * Checks the caller may add to or change things on a job (materials, notes).
 * The office may touch any job of its organisation; whether the job exists is
 * left to the foreign key, which saves a query per mutation. Contractors must
 * hold a live assignment on it. With `lateWork`, for new work (a note, a
 * material), a contractor whose access has ended may still add what they did
 * before it ended (see `decideLateWork`): the answer then says it is late.
 */
export async function requireJobAccess(
  ctx: MutationContext,
  jobId: string,
  options: { lateWork?: boolean } = {},
): Promise<WorkOnJob> {
  ctx.touchedJobIds.add(jobId);
  if (ctx.user.role !== 'contractor') return { ok: true, late: false };
  const contractorId = await ownContractorId(ctx);
  const access: JobAccess = contractorId ? await jobAccessOf(ctx, jobId, contractorId) : { kind: 'none' };
  const decision = decideLateWork({
    // Changing what is already on the job needs a live assignment: only new work may come in late.
    access: options.lateWork || access.kind !== 'ended' ? access : { kind: 'none' },
    occurredAt: ctx.occurredAt,
  });
  if (!decision.ok) throw new MutationRejected(decision.code, decision.message);
  return decision;
}

/** `contractorJobAccess`, asked once per job while writes are held. */
function jobAccessOf(ctx: MutationContext, jobId: string, contractorId: string): Promise<JobAccess> {
  const ask = () => contractorJobAccess(ctx.tx, ctx.user.orgId, jobId, contractorId);
  return ctx.writeBehind ? ctx.writeBehind.jobAccess(jobId, ask) : ask();
}

/** Details for the activity-log row of work that came in after the contractor's access ended. */
export function lateWorkDetails(work: WorkOnJob) {
  return work.late
    ? { recordedAfterCancellation: true, accessEndedAt: work.accessEndedAt, accessEndedBecause: work.because }
    : {};
}

/**
 * Loads a job's status for writing (row-locked). Contractors may only touch
 * jobs they hold a live assignment on. With `cancelledStillTheirs`, a
 * cancelled job that was theirs until the office cancelled it counts too (it
 * stays on their phone), so a status change sent from a stale view is refused
 * by the state machine, in plain words and on the timeline, rather than as
 * "not yours".
 */
export async function loadJobForWrite(
  ctx: MutationContext,
  jobId: string,
  options: { cancelledStillTheirs?: boolean } = {},
): Promise<{ status: JobStatus }> {
  const job = ctx.writeBehind ? await ctx.writeBehind.job(jobId) : await selectJobForWrite(ctx, jobId);
  if (!job) throw new MutationRejected('not_found', 'This job no longer exists.');
  if (ctx.user.role === 'contractor') {
    const contractorId = await ownContractorId(ctx);
    const theirs =
      contractorId !== undefined &&
      ((await jobAccessOf(ctx, jobId, contractorId)).kind === 'live' ||
        (options.cancelledStillTheirs === true &&
          job.status === 'cancelled' &&
          (await contractorLostJobToCancellation(ctx.tx, ctx.user.orgId, jobId, contractorId))));
    if (!theirs) {
      throw new MutationRejected('forbidden', 'This job is no longer assigned to you.');
    }
  }
  ctx.touchedJobIds.add(jobId);
  return job;
}

async function selectJobForWrite(ctx: MutationContext, jobId: string) {
  const [job] = await ctx.tx
    .select({ status: jobs.status })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)))
    .for('no key update');
  return job && { status: job.status as JobStatus };
}

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
 * Applies one job status change with its side effects: the job row, one
 * status-history row (occurred on the device, recorded now) and one
 * activity-log row, all in the caller's transaction.
 */
export async function recordJobStatusChange(
  ctx: MutationContext,
  change: { jobId: string; from: JobStatus; to: JobStatus; reason?: string | undefined; automatic?: boolean },
) {
  if (ctx.writeBehind) {
    ctx.writeBehind.moveJob({
      org_id: ctx.user.orgId,
      id: randomUUID(),
      job_id: change.jobId,
      from_status: change.from,
      to_status: change.to,
      changed_by: ctx.user.userId,
      reason: change.reason ?? null,
      occurredAt: ctx.occurredAt,
      recorded_at: ctx.recordedAt,
      client_id: ctx.clientId,
      seq: ctx.seq,
    });
  } else {
    await writeJobStatusChange(ctx, change);
  }
  await writeActivity(ctx, {
    entityType: 'job',
    entityId: change.jobId,
    jobId: change.jobId,
    action: 'job.status_changed',
    details: { from: change.from, to: change.to, reason: change.reason ?? null, automatic: change.automatic ?? false },
  });
  ctx.touchedJobIds.add(change.jobId);
}

async function writeJobStatusChange(
  ctx: MutationContext,
  change: { jobId: string; from: JobStatus; to: JobStatus; reason?: string | undefined },
) {
  // Independent statements, sent together (see pipelined).
  await pipelined(
    ctx.tx
      .update(jobs)
      .set({ status: change.to })
      .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, change.jobId))),
    ctx.tx.insert(jobStatusHistory).values({
      orgId: ctx.user.orgId,
      id: randomUUID(),
      jobId: change.jobId,
      fromStatus: change.from,
      toStatus: change.to,
      changedBy: ctx.user.userId,
      reason: change.reason ?? null,
      // Never before the job's latest transition: a change made offline earlier but applied after
      // another device's later one starts from that one's status, so the timeline must read it after.
      occurredAt: sql`greatest(${ctx.occurredAt}::timestamptz, (select max(h.occurred_at) from job_status_history h
        where h.org_id = ${ctx.user.orgId} and h.job_id = ${change.jobId}))`,
      recordedAt: ctx.recordedAt,
      clientId: ctx.clientId,
      seq: ctx.seq,
    }),
  );
}

/**
 * Creates are idempotent by id: the same id with the same content is a
 * duplicate (nothing done); with different content it is refused.
 */
/**
 * Inserts a created row unless its id is taken; a taken id is a duplicate
 * when the stored row matches, else an id conflict. One statement when new.
 */
export async function insertCreated(
  ctx: MutationContext,
  table: PgTable & { orgId: unknown; id: unknown },
  values: Record<string, unknown>,
  expected: Record<string, unknown>,
): Promise<HandlerOutcome> {
  const typed = table as unknown as typeof jobNotes;
  const inserted = await ctx.tx
    .insert(typed)
    .values(values as typeof jobNotes.$inferInsert)
    .onConflictDoNothing({ target: [typed.orgId, typed.id] })
    .returning({ id: typed.id });
  if (inserted.length > 0) return APPLIED;
  return (await existingCreate(ctx, table, String(values.id), expected)) ?? APPLIED;
}

export async function existingCreate(
  ctx: MutationContext,
  table: PgTable & { orgId: unknown; id: unknown },
  id: string,
  expected: Record<string, unknown>,
): Promise<HandlerOutcome | undefined> {
  const typed = table as unknown as typeof jobs;
  const [existing] = await ctx.tx
    .select()
    .from(typed)
    .where(and(eq(typed.orgId, ctx.user.orgId), eq(typed.id, id)));
  if (!existing) return undefined;
  const wire = toWireRow(table, existing as Record<string, unknown>);
  const same = Object.entries(expected).every(
    ([field, value]) => value === undefined || deepEqualJson(wire[field], value),
  );
  if (same) return { outcome: 'duplicate' };
  throw new MutationRejected('id_conflict', 'Something else was already saved under this id.');
}

const EDITABLE_TABLES = { customers, jobs, contractors, materials } as const;

/**
 * Who last changed an entity, and when it happened on their device, from the ledger.
 * "Last" is the latest device time (occurredAt), not arrival order: the merge then
 * decides the same whichever device's push arrives first, and a tie in received_at
 * (one server millisecond, a frozen test clock) cannot pick an older change.
 */
async function lastChangeOf(ctx: MutationContext, entityId: string, field: string) {
  const [row] = await ctx.tx
    .select({ userId: mutations.userId, occurredAt: mutations.occurredAt })
    .from(mutations)
    .where(
      and(
        eq(mutations.orgId, ctx.user.orgId),
        sql`${mutations.args}->>'id' = ${entityId}`,
        inArray(mutations.outcome, ['applied', 'conflict']),
        sql`(jsonb_exists(${mutations.args}->'patch', ${field}) or ${mutations.name} like '%.create')`,
      ),
    )
    .orderBy(desc(mutations.occurredAt), desc(mutations.receivedAt))
    .limit(1);
  return row;
}

/**
 * Field-level merge of an `*.update` into its row (SYNC.md conflict rules),
 * recording one `conflicts` row per concurrently edited field.
 */
export async function applyFieldUpdate(
  ctx: MutationContext,
  entity: EditableEntity,
  args: { id: string; patch: Record<string, unknown>; base: Record<string, unknown> },
  extraWhere?: (row: Record<string, unknown>) => void,
): Promise<HandlerOutcome> {
  const table = EDITABLE_TABLES[entity] as unknown as typeof jobs;
  const [row] = await ctx.tx
    .select()
    .from(table)
    .where(and(eq(table.orgId, ctx.user.orgId), eq(table.id, args.id), isNull(table.deletedAt)))
    .for('no key update');
  if (!row) throw new MutationRejected('not_found', 'This record no longer exists.');
  extraWhere?.(row as Record<string, unknown>);
  const current = toWireRow(table, row as Record<string, unknown>);

  // Each field edited on the server since the device looked is judged by when
  // that field last changed (from the ledger), not when the row did.
  const changedAt = new Map<string, { by: string | null; at: string }>();
  for (const field of Object.keys(args.patch)) {
    if (deepEqualJson(current[field], args.base[field])) continue;
    const last = await lastChangeOf(ctx, args.id, field);
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
      .where(and(eq(table.orgId, ctx.user.orgId), eq(table.id, args.id)));
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

/**
 * Notes whose phones a change to this row concerns, for the push's poke: the
 * contractors on its job (the job's, a material's, every job of a customer),
 * or the contractor it is.
 */
export async function touchScopeOf(
  ctx: MutationContext,
  entity: EditableEntity,
  id: string,
  materialJobId?: string,
): Promise<void> {
  if (entity === 'jobs') ctx.touchedJobIds.add(id);
  if (entity === 'contractors') ctx.touchedContractorIds.add(id);
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

/** Row for a customer, checked to exist in the caller's organisation. */
export async function requireCustomer(ctx: MutationContext, customerId: string) {
  const [row] = await ctx.tx
    .select({ id: customers.id, archived: customers.archived })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.user.orgId), eq(customers.id, customerId), isNull(customers.deletedAt)));
  if (!row) throw new MutationRejected('validation_failed', 'That customer does not exist.');
  return row;
}

/**
 * Records a status move applied from a stale `from`: the device's move won
 * over a status it never saw. Returns the conflict id for the push result.
 */
export async function recordStatusConflict(
  ctx: MutationContext,
  conflict: { entity: 'jobs' | 'assignments'; entityId: string; applied: string; overridden: string },
): Promise<HandlerOutcome> {
  const conflictId = randomUUID();
  await ctx.tx.insert(conflicts).values({
    orgId: ctx.user.orgId,
    id: conflictId,
    entity: conflict.entity,
    entityId: conflict.entityId,
    field: 'status',
    winnerValue: conflict.applied,
    loserValue: conflict.overridden,
    winnerBy: ctx.user.userId,
    winnerAt: ctx.occurredAt,
    mutationClientId: ctx.clientId,
    mutationSeq: ctx.seq,
  });
  return { outcome: 'conflict', conflictId };
}

/** Cancellation reason on assignments ended because their job was cancelled (they stay visible to the contractor). */
export const JOB_CANCELLED_REASON = 'Job cancelled';
