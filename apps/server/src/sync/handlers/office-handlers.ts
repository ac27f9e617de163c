/** Mutations only the office makes: customers, contractors, working hours, conflicts, ratings. */
import { randomUUID } from 'node:crypto';
import {
  ASSIGNMENT_GONE_MESSAGE,
  type AssignmentStatus,
  averageRating,
  CONFLICT_RESOLVED_REASON,
  CONTRACTOR_GONE_MESSAGE,
  checkJobTransition,
  checkRatable,
  decideConflictResolution,
  JOB_GONE_MESSAGE,
  type JobStatus,
  newContractor,
  newCustomer,
} from '@fieldsync/domain';
import type { EditableEntity, MutationArgs } from '@fieldsync/protocol';
import { and, eq, isNull, notInArray } from 'drizzle-orm';
import {
  assignments,
  conflicts,
  contractors,
  customers,
  jobs,
  materials,
  ratings,
  workingHours,
} from '../../db/schema';
import { toIsoTimestamp } from '../../db/timestamps';
import { touchScopeOf, writeActivity } from '../activity';
import { raiseEvent } from '../alert-events';
import { applyFieldUpdate } from '../field-merge';
import { existingCreate, insertCreated } from '../idempotent-create';
import { recordJobStatusChange } from '../job-status';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { setAssignmentStatus } from './assignment-handlers';
import { rescheduleAssignment, SCHEDULE_FIELD } from './reschedule-handler';

export async function createCustomer(
  ctx: MutationContext,
  args: MutationArgs<'customer.create'>,
): Promise<HandlerOutcome> {
  const created = await insertCreated(
    ctx.tx,
    ctx.user.orgId,
    customers,
    { orgId: ctx.user.orgId, ...newCustomer(args) },
    args,
  );
  if (created.outcome === 'duplicate') return created;
  await writeActivity(ctx, { entityType: 'customer', entityId: args.id, action: 'customer.created' });
  return APPLIED;
}

export function updateCustomer(ctx: MutationContext, args: MutationArgs<'customer.update'>) {
  return applyFieldUpdate(ctx, 'customers', args);
}

export async function createContractor(
  ctx: MutationContext,
  args: MutationArgs<'contractor.create'>,
): Promise<HandlerOutcome> {
  const created = await insertCreated(
    ctx.tx,
    ctx.user.orgId,
    contractors,
    { orgId: ctx.user.orgId, ...newContractor(args) },
    args,
  );
  if (created.outcome === 'duplicate') return created;
  ctx.touchedContractorIds.add(args.id);
  await writeActivity(ctx, { entityType: 'contractor', entityId: args.id, action: 'contractor.created' });
  return APPLIED;
}

export function updateContractor(ctx: MutationContext, args: MutationArgs<'contractor.update'>) {
  return applyFieldUpdate(ctx, 'contractors', args);
}

/** Replaces the contractor's week: listed days are upserted, the others become days off (soft-deleted). */
export async function setWorkingHours(
  ctx: MutationContext,
  args: MutationArgs<'workingHours.set'>,
): Promise<HandlerOutcome> {
  const [contractor] = await ctx.tx
    .select({ id: contractors.id })
    .from(contractors)
    .where(
      and(eq(contractors.orgId, ctx.user.orgId), eq(contractors.id, args.contractorId), isNull(contractors.deletedAt)),
    );
  if (!contractor) throw new MutationRejected('not_found', CONTRACTOR_GONE_MESSAGE);
  const days = args.days.map((day) => day.dayOfWeek);
  await ctx.tx
    .update(workingHours)
    .set({ deletedAt: ctx.recordedAt })
    .where(
      and(
        eq(workingHours.orgId, ctx.user.orgId),
        eq(workingHours.contractorId, args.contractorId),
        isNull(workingHours.deletedAt),
        days.length ? notInArray(workingHours.dayOfWeek, days) : undefined,
      ),
    );
  for (const day of args.days) {
    await ctx.tx
      .insert(workingHours)
      .values({
        orgId: ctx.user.orgId,
        id: randomUUID(),
        contractorId: args.contractorId,
        dayOfWeek: day.dayOfWeek,
        startTime: day.start,
        endTime: day.end,
      })
      .onConflictDoUpdate({
        target: [workingHours.orgId, workingHours.contractorId, workingHours.dayOfWeek],
        set: { startTime: day.start, endTime: day.end, deletedAt: null },
      });
  }
  ctx.touchedContractorIds.add(args.contractorId);
  await writeActivity(ctx, {
    entityType: 'contractor',
    entityId: args.contractorId,
    action: 'working_hours.set',
    details: { days: args.days },
  });
  return APPLIED;
}

const CONFLICT_TABLES = { jobs, customers, contractors, materials, assignments } as const;

/**
 * Settles a conflict: keep the winner (nothing changes) or flip the field to
 * the losing value. Flipping a status goes through the state machine.
 */
export async function resolveConflict(
  ctx: MutationContext,
  args: MutationArgs<'conflict.resolve'>,
): Promise<HandlerOutcome> {
  const [conflict] = await ctx.tx
    .select()
    .from(conflicts)
    .where(and(eq(conflicts.orgId, ctx.user.orgId), eq(conflicts.id, args.id)))
    .for('no key update');
  if (!conflict) throw new MutationRejected('not_found', 'This conflict no longer exists.');
  const resolution = decideConflictResolution(conflict, args.keep);
  if (!resolution.ok) throw new MutationRejected(resolution.code, resolution.message);
  if (resolution.alreadyResolved) return APPLIED;

  if (args.keep === 'loser') {
    const table = CONFLICT_TABLES[conflict.entity as keyof typeof CONFLICT_TABLES] as unknown as
      | typeof jobs
      | undefined;
    if (!table) throw new MutationRejected('validation_failed', `Conflicts on ${conflict.entity} cannot be flipped.`);
    if (conflict.entity === 'jobs' && conflict.field === 'status') {
      const [job] = await ctx.tx
        .select({ status: jobs.status })
        .from(jobs)
        .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, conflict.entityId)))
        .for('no key update');
      const from = job?.status as JobStatus;
      const to = conflict.loserValue as JobStatus;
      const check = checkJobTransition({ from, to, role: ctx.user.role });
      if (!job || !check.ok) {
        throw new MutationRejected('invalid_transition', check.ok ? JOB_GONE_MESSAGE : check.message);
      }
      await recordJobStatusChange(ctx, { jobId: conflict.entityId, from, to, reason: CONFLICT_RESOLVED_REASON });
    } else if (conflict.entity === 'assignments' && conflict.field === 'status') {
      // The same path as a status change sent by the office: state machine, the job's own status, pokes.
      const [assignment] = await ctx.tx
        .select({ status: assignments.status })
        .from(assignments)
        .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, conflict.entityId)));
      if (!assignment) throw new MutationRejected('not_found', ASSIGNMENT_GONE_MESSAGE);
      await setAssignmentStatus(ctx, {
        id: conflict.entityId,
        from: assignment.status as AssignmentStatus,
        to: conflict.loserValue as AssignmentStatus,
        reason: CONFLICT_RESOLVED_REASON,
      });
    } else if (conflict.entity === 'assignments' && conflict.field === SCHEDULE_FIELD) {
      // Back to the losing times through the move itself: the calendar and the status are checked again.
      const [assignment] = await ctx.tx
        .select({ start: assignments.scheduledStart, end: assignments.scheduledEnd })
        .from(assignments)
        .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, conflict.entityId)));
      if (!assignment) throw new MutationRejected('not_found', ASSIGNMENT_GONE_MESSAGE);
      const times = conflict.loserValue as { start: string; end: string };
      await rescheduleAssignment(ctx, {
        id: conflict.entityId,
        start: times.start,
        end: times.end,
        base: { start: toIsoTimestamp(assignment.start), end: toIsoTimestamp(assignment.end) },
      });
    } else {
      const column = conflict.field;
      if (!Object.hasOwn(table, column)) throw new MutationRejected('validation_failed', 'Unknown field.');
      await ctx.tx
        .update(table)
        .set({ [column]: conflict.loserValue } as Partial<typeof jobs.$inferInsert>)
        .where(and(eq(table.orgId, ctx.user.orgId), eq(table.id, conflict.entityId)));
      await touchScopeOf(ctx, conflict.entity as EditableEntity, conflict.entityId);
    }
  }
  await ctx.tx
    .update(conflicts)
    .set({ status: 'resolved', resolution: args.keep, resolvedBy: ctx.user.userId, resolvedAt: ctx.recordedAt })
    .where(and(eq(conflicts.orgId, ctx.user.orgId), eq(conflicts.id, args.id)));
  await writeActivity(ctx, {
    entityType: 'conflict',
    entityId: args.id,
    jobId: conflict.entity === 'jobs' ? conflict.entityId : null,
    action: 'conflict.resolved',
    details: { keep: args.keep, field: conflict.field, entity: conflict.entity },
  });
  return APPLIED;
}

/** Rates a completed assignment; the contractor's rating becomes the average of their ratings. */
export async function addRating(ctx: MutationContext, args: MutationArgs<'rating.add'>): Promise<HandlerOutcome> {
  const existing = await existingCreate(ctx.tx, ctx.user.orgId, ratings, args.id, {
    assignmentId: args.assignmentId,
    stars: args.stars,
    comment: args.comment ?? null,
  });
  if (existing) return existing;
  const [assignment] = await ctx.tx
    .select({ status: assignments.status, contractorId: assignments.contractorId, jobId: assignments.jobId })
    .from(assignments)
    .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, args.assignmentId)));
  if (!assignment) throw new MutationRejected('not_found', ASSIGNMENT_GONE_MESSAGE);
  const [already] =
    assignment.status === 'completed'
      ? await ctx.tx
          .select({ id: ratings.id })
          .from(ratings)
          .where(and(eq(ratings.orgId, ctx.user.orgId), eq(ratings.assignmentId, args.assignmentId)))
      : [];
  const ratable = checkRatable({ assignmentStatus: assignment.status as AssignmentStatus, alreadyRated: !!already });
  if (!ratable.ok) throw new MutationRejected(ratable.code, ratable.message);

  await ctx.tx.insert(ratings).values({
    orgId: ctx.user.orgId,
    id: args.id,
    assignmentId: args.assignmentId,
    contractorId: assignment.contractorId,
    stars: args.stars,
    comment: args.comment ?? null,
    ratedBy: ctx.user.userId,
  });
  const all = await ctx.tx
    .select({ stars: ratings.stars })
    .from(ratings)
    .where(
      and(
        eq(ratings.orgId, ctx.user.orgId),
        eq(ratings.contractorId, assignment.contractorId),
        isNull(ratings.deletedAt),
      ),
    );
  ctx.touchedContractorIds.add(assignment.contractorId);
  const average = averageRating(all.map((row) => row.stars));
  if (average !== null) {
    await ctx.tx
      .update(contractors)
      .set({ rating: average })
      .where(and(eq(contractors.orgId, ctx.user.orgId), eq(contractors.id, assignment.contractorId)));
  }
  await writeActivity(ctx, {
    entityType: 'rating',
    entityId: args.id,
    jobId: assignment.jobId,
    action: 'rating.added',
    details: { stars: args.stars, contractorId: assignment.contractorId },
  });
  raiseEvent(ctx, {
    event: 'rating.added',
    jobId: assignment.jobId,
    assignmentId: args.assignmentId,
    data: { ratingId: args.id, stars: args.stars, comment: args.comment ?? null },
  });
  return APPLIED;
}
