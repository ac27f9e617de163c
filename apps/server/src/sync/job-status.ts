/**
 * Status moves as a push records them: the move with its history row (through
 * the push's writes, held or direct), its activity-log line, the assignment
 * moves that follow from a job's move, and — when the device moved from a
 * status it no longer held — the conflict record.
 */
import { randomUUID } from 'node:crypto';
import { type AssignmentStatus, assignmentsAfterJobStatusChange, type JobStatus } from '@fieldsync/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { assignments, conflicts } from '../db/schema';
import { ownContractorId } from './access';
import { writeActivity } from './activity';
import { raiseConflictEvent, raiseEvent } from './alert-events';
import type { HandlerOutcome, MutationContext } from './mutation-context';

/**
 * Applies one job status change with its side effects: the job row, one
 * status-history row (occurred on the device, recorded now), one
 * activity-log row, and the assignment moves that follow from it
 * (`followJobStatusWithAssignments`), all in the caller's transaction.
 */
export async function recordJobStatusChange(
  ctx: MutationContext,
  change: { jobId: string; from: JobStatus; to: JobStatus; reason?: string | undefined; automatic?: boolean },
) {
  await ctx.writes.moveJob({
    orgId: ctx.user.orgId,
    jobId: change.jobId,
    from: change.from,
    to: change.to,
    changedBy: ctx.user.userId,
    reason: change.reason ?? null,
    occurredAt: ctx.occurredAt,
    recordedAt: ctx.recordedAt,
    clientId: ctx.clientId,
    seq: ctx.seq,
  });
  await writeActivity(ctx, {
    entityType: 'job',
    entityId: change.jobId,
    jobId: change.jobId,
    action: 'job.status_changed',
    details: { from: change.from, to: change.to, reason: change.reason ?? null, automatic: change.automatic ?? false },
  });
  raiseEvent(ctx, {
    event: 'job.status_changed',
    jobId: change.jobId,
    data: { status: change.to, fromStatus: change.from, toStatus: change.to, reason: change.reason ?? null },
  });
  ctx.touchedJobIds.add(change.jobId);
  await followJobStatusWithAssignments(ctx, change);
}

/**
 * Applies one assignment status change, checked by the caller, with its
 * activity-log row (`assignment.<to>`), in the caller's transaction. The
 * reason is kept only by the moves that end an assignment (cancel, decline).
 * Assignment rows are never held (see write-behind.ts): the statement runs at
 * once, also in a push whose job moves are held, and the push writes both in
 * its one transaction.
 */
export async function recordAssignmentStatusChange(
  ctx: MutationContext,
  change: {
    assignmentId: string;
    jobId: string;
    contractorId: string;
    from: AssignmentStatus;
    to: AssignmentStatus;
    reason?: string | null | undefined;
    /** Made by the system as the consequence of a job status change. */
    automatic?: boolean;
  },
) {
  const endsIt = change.to === 'cancelled' || change.to === 'declined';
  await ctx.tx
    .update(assignments)
    .set(endsIt ? { status: change.to, cancellationReason: change.reason ?? null } : { status: change.to })
    .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, change.assignmentId)));
  await writeActivity(ctx, {
    entityType: 'assignment',
    entityId: change.assignmentId,
    jobId: change.jobId,
    action: `assignment.${change.to}`,
    details: {
      from: change.from,
      to: change.to,
      reason: change.reason ?? null,
      contractorId: change.contractorId,
      ...(change.automatic ? { automatic: true } : {}),
    },
  });
  raiseEvent(ctx, {
    event: 'assignment.status_changed',
    jobId: change.jobId,
    assignmentId: change.assignmentId,
    data: { status: change.to, fromStatus: change.from, toStatus: change.to, reason: change.reason ?? null },
  });
  ctx.touchedJobIds.add(change.jobId);
}

/**
 * The assignment moves that follow from a job moving `from` → `to`
 * (`assignmentsAfterJobStatusChange`: starting moves the starting
 * contractor's assignment to in progress, completing completes the live
 * ones), applied as `assignment.setStatus` applies its own. Assignment rows
 * are read row-locked after the job's lock, the order every push takes.
 */
export async function followJobStatusWithAssignments(
  ctx: MutationContext,
  move: { jobId: string; from: JobStatus; to: JobStatus },
) {
  if (move.to !== 'in_progress' && move.to !== 'completed') return;
  const contractorId = ctx.user.role === 'contractor' ? await ownContractorId(ctx) : undefined;
  if (move.to === 'in_progress' && contractorId === undefined) return;
  const rows = await ctx.tx
    .select({ id: assignments.id, contractorId: assignments.contractorId, status: assignments.status })
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, ctx.user.orgId),
        eq(assignments.jobId, move.jobId),
        isNull(assignments.deletedAt),
        move.to === 'in_progress' && contractorId !== undefined
          ? eq(assignments.contractorId, contractorId)
          : undefined,
      ),
    )
    .orderBy(assignments.id)
    .for('no key update');
  const followUps = assignmentsAfterJobStatusChange({
    from: move.from,
    to: move.to,
    actor: { role: ctx.user.role, contractorId },
    assignments: rows.map((row) => ({ ...row, status: row.status as AssignmentStatus })),
  });
  for (const step of followUps) {
    await recordAssignmentStatusChange(ctx, { ...step, jobId: move.jobId, automatic: true });
  }
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
  raiseConflictEvent(ctx, {
    conflictId,
    entity: conflict.entity,
    entityId: conflict.entityId,
    field: 'status',
    winnerValue: conflict.applied,
    loserValue: conflict.overridden,
  });
  return { outcome: 'conflict', conflictId };
}
