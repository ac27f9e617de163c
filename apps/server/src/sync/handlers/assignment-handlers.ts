import {
  ASSIGNMENT_GONE_MESSAGE,
  type AssignmentStatus,
  alreadyAssignedMessage,
  CONTRACTOR_GONE_MESSAGE,
  checkAssignmentTransition,
  checkContractorTakesJobs,
  checkJobTakesAssignments,
  doubleBookedMessage,
  isLiveAssignment,
  JOB_GONE_MESSAGE,
  type JobStatus,
  jobStatusAfterAssignmentChange,
  LIVE_ASSIGNMENT_STATUSES,
  newAssignment,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { assignments, contractors, jobs } from '../../db/schema';
import { writeActivity } from '../activity';
import { raiseEvent } from '../alert-events';
import { existingCreate } from '../idempotent-create';
import { recordAssignmentStatusChange, recordJobStatusChange, recordStatusConflict } from '../job-status';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { contractorIdOfUser } from '../own-contractor';
import { pgErrorCode } from '../pg-error-code';

/** Moves the job between `open` and `scheduled` when its live assignments appear or all go. */
async function followAssignmentsWithJobStatus(ctx: MutationContext, jobId: string) {
  const [job] = await ctx.tx
    .select({ status: jobs.status })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, jobId)))
    .for('no key update');
  if (!job) return;
  const live = await ctx.tx
    .select({ id: assignments.id })
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, ctx.user.orgId),
        eq(assignments.jobId, jobId),
        inArray(assignments.status, [...LIVE_ASSIGNMENT_STATUSES]),
        isNull(assignments.deletedAt),
      ),
    );
  const next = jobStatusAfterAssignmentChange({
    jobStatus: job.status as JobStatus,
    liveAssignmentsAfter: live.length,
  });
  if (next) {
    await recordJobStatusChange(ctx, { jobId, from: job.status as JobStatus, to: next, automatic: true });
  }
}

export async function createAssignment(
  ctx: MutationContext,
  args: MutationArgs<'assignment.create'>,
): Promise<HandlerOutcome> {
  const existing = await existingCreate(ctx.tx, ctx.user.orgId, assignments, args.id, {
    jobId: args.jobId,
    contractorId: args.contractorId,
    // Stored rows come back as UTC ISO with milliseconds; the same instant sent otherwise is the same booking.
    scheduledStart: new Date(args.start).toISOString(),
    scheduledEnd: new Date(args.end).toISOString(),
  });
  if (existing) return existing;

  const [job] = await ctx.tx
    .select({ status: jobs.status })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, args.jobId), isNull(jobs.deletedAt)))
    .for('no key update');
  if (!job) throw new MutationRejected('not_found', JOB_GONE_MESSAGE);
  const jobTakesIt = checkJobTakesAssignments(job.status as JobStatus);
  if (!jobTakesIt.ok) throw new MutationRejected(jobTakesIt.code, jobTakesIt.message);
  const [contractor] = await ctx.tx
    .select({ status: contractors.status, name: contractors.name })
    .from(contractors)
    .where(
      and(eq(contractors.orgId, ctx.user.orgId), eq(contractors.id, args.contractorId), isNull(contractors.deletedAt)),
    );
  if (!contractor) throw new MutationRejected('validation_failed', CONTRACTOR_GONE_MESSAGE);
  const contractorTakesIt = checkContractorTakesJobs(contractor);
  if (!contractorTakesIt.ok) throw new MutationRejected(contractorTakesIt.code, contractorTakesIt.message);

  try {
    // The database, not a prior check, refuses the double booking: its own savepoint keeps the error contained.
    await ctx.tx.transaction(async (savepoint) => {
      await savepoint.insert(assignments).values({ orgId: ctx.user.orgId, ...newAssignment(args) });
    });
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === '23P01') {
      throw new MutationRejected('double_booked', doubleBookedMessage(contractor.name));
    }
    if (code === '23505') {
      throw new MutationRejected('validation_failed', alreadyAssignedMessage(contractor.name));
    }
    throw error;
  }
  await writeActivity(ctx, {
    entityType: 'assignment',
    entityId: args.id,
    jobId: args.jobId,
    action: 'assignment.created',
    details: { contractorId: args.contractorId, start: args.start, end: args.end },
  });
  raiseEvent(ctx, {
    event: 'assignment.created',
    jobId: args.jobId,
    assignmentId: args.id,
    data: args.score ? { score: args.score.total } : {},
  });
  ctx.touchedJobIds.add(args.jobId);
  await followAssignmentsWithJobStatus(ctx, args.jobId);
  return APPLIED;
}

export async function setAssignmentStatus(
  ctx: MutationContext,
  args: MutationArgs<'assignment.setStatus'>,
): Promise<HandlerOutcome> {
  const [assignment] = await ctx.tx
    .select()
    .from(assignments)
    .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, args.id), isNull(assignments.deletedAt)))
    .for('no key update');
  if (!assignment) throw new MutationRejected('not_found', ASSIGNMENT_GONE_MESSAGE);
  const ownContractorId =
    ctx.user.role === 'contractor' ? await contractorIdOfUser(ctx.tx, ctx.user.orgId, ctx.user.userId) : undefined;
  const isOwn = ownContractorId !== undefined && ownContractorId === assignment.contractorId;
  if (ctx.user.role === 'contractor' && !isOwn) {
    throw new MutationRejected('forbidden', 'This assignment is not yours.');
  }
  const current = assignment.status as AssignmentStatus;
  if (current === args.to) return APPLIED;
  const check = checkAssignmentTransition({ from: current, to: args.to, role: ctx.user.role, isOwn });
  if (!check.ok) throw new MutationRejected(check.code, check.message);

  await recordAssignmentStatusChange(ctx, {
    assignmentId: args.id,
    jobId: assignment.jobId,
    contractorId: assignment.contractorId,
    from: current,
    to: args.to,
    reason: args.reason,
  });
  if (isLiveAssignment(current) !== isLiveAssignment(args.to)) {
    await followAssignmentsWithJobStatus(ctx, assignment.jobId);
  }
  if (current === args.from) return APPLIED;
  return recordStatusConflict(ctx, { entity: 'assignments', entityId: args.id, applied: args.to, overridden: current });
}
