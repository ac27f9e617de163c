import { randomInt, randomUUID } from 'node:crypto';
import {
  type AttachmentKind,
  COST_REASON_REQUIRED_MESSAGE,
  canRole,
  checkJobCosts,
  checkJobTransition,
  decideJobCreate,
  formatJobNumber,
  JOB_CANCELLED_REASON,
  type JobStatus,
  missingSignature,
  type NewJobInput,
  newJob,
  randomJobNumberSuffix,
  SIGNATURE_REQUIRED_MESSAGE,
  STATUSES_ENDED_BY_JOB_CANCELLATION,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  assignments,
  attachments,
  customers,
  estimates,
  jobStatusHistory,
  jobs,
  organizations,
  users,
} from '../../db/schema';
import { toIsoTimestamp } from '../../db/timestamps';
import { loadJobForWrite } from '../access';
import { activityRow, writeActivity } from '../activity';
import { raiseEvent } from '../alert-events';
import { applyFieldUpdate } from '../field-merge';
import { existingCreate } from '../idempotent-create';
import { followJobStatusWithAssignments, recordJobStatusChange, recordStatusConflict } from '../job-status';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { pgErrorCode } from '../pg-error-code';

/** A customer a job may point at: one of the caller's organisation, not deleted. */
async function requireCustomer(ctx: MutationContext, customerId: string) {
  const [row] = await ctx.tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.user.orgId), eq(customers.id, customerId), isNull(customers.deletedAt)));
  if (!row) throw new MutationRejected('validation_failed', 'That customer does not exist.');
}

export async function createJob(ctx: MutationContext, args: MutationArgs<'job.create'>): Promise<HandlerOutcome> {
  // A contractor is checked before the id is looked at: they learn nothing of jobs they may not create.
  const checkedFirst = canRole(ctx.user.role, 'jobs.write') ? undefined : await decideWhoCreates(ctx, args);
  const existing = await existingCreate(ctx.tx, ctx.user.orgId, jobs, args.id, {
    ...args,
    status: undefined,
    jobNumber: args.jobNumber,
  });
  if (existing) return existing;
  const { customerId, fromField } = checkedFirst ?? (await decideWhoCreates(ctx, args));
  if (customerId) await requireCustomer(ctx, customerId);

  const parentJobId = args.parentJobId ?? null;
  await insertNewJob(
    ctx,
    { ...args, customerId },
    {
      jobNumber: args.jobNumber,
      numberDay: args.desiredDate ?? ctx.occurredAt.slice(0, 10),
      activityDetails: parentJobId ? { parentJobId, fromField } : undefined,
      eventData: { parentJobId, fromField },
    },
  );
  if (parentJobId) {
    // The parent's timeline says a follow-up came out of it, and which.
    await writeActivity(ctx, {
      entityType: 'job',
      entityId: parentJobId,
      jobId: parentJobId,
      action: 'job.follow_up_created',
      details: { followUpJobId: args.id, title: args.title, fromField },
    });
    ctx.touchedJobIds.add(parentJobId);
  }
  return APPLIED;
}

/**
 * Writes a new open job the way every creation does: a number (the given one,
 * or drawn for `numberDay`, again on a clash), its first status-history row,
 * its `job.created` activity and alert event. Used by `job.create` and by
 * accepting an estimate that had no job yet.
 */
export async function insertNewJob(
  ctx: MutationContext,
  input: NewJobInput,
  options: {
    jobNumber?: string | undefined;
    /** `YYYY-MM-DD`: the day a drawn number carries. */
    numberDay: string;
    activityDetails?: Record<string, unknown> | undefined;
    /** The event's own fields besides the status (who it follows up, whether it came from the field). */
    eventData: { parentJobId: string | null; fromField: boolean };
  },
): Promise<void> {
  const values = { orgId: ctx.user.orgId, ...newJob(input, ctx.user.userId) };
  // A generated number can collide with an existing one; draw again a few times.
  for (let attempt = 0; ; attempt++) {
    const jobNumber =
      options.jobNumber ??
      formatJobNumber(
        options.numberDay,
        randomJobNumberSuffix(() => randomInt(1_000_000) / 1_000_000),
      );
    try {
      await ctx.tx.transaction(async (savepoint) => {
        await savepoint.insert(jobs).values({ ...values, jobNumber });
      });
      break;
    } catch (error) {
      if (pgErrorCode(error) !== '23505' || attempt >= 4) throw error;
      if (options.jobNumber)
        throw new MutationRejected('validation_failed', `Job number ${options.jobNumber} is already in use.`);
    }
  }
  await ctx.tx.insert(jobStatusHistory).values({
    orgId: ctx.user.orgId,
    id: randomUUID(),
    jobId: input.id,
    fromStatus: null,
    toStatus: 'open',
    changedBy: ctx.user.userId,
    occurredAt: ctx.occurredAt,
    recordedAt: ctx.recordedAt,
    clientId: ctx.clientId,
    seq: ctx.seq,
  });
  await writeActivity(ctx, {
    entityType: 'job',
    entityId: input.id,
    jobId: input.id,
    action: 'job.created',
    ...(options.activityDetails ? { details: options.activityDetails } : {}),
  });
  raiseEvent(ctx, {
    event: 'job.created',
    jobId: input.id,
    data: { status: 'open', fromStatus: 'open', toStatus: 'open', ...options.eventData },
  });
  ctx.touchedJobIds.add(input.id);
}

/**
 * Who may create this job (`decideJobCreate`): the office any job, a
 * contractor only a follow-up of a job they hold, for its customer. Answers
 * the customer the job takes and whether it comes from the field.
 */
async function decideWhoCreates(ctx: MutationContext, args: MutationArgs<'job.create'>) {
  const parent = args.parentJobId ? await parentJob(ctx, args.parentJobId) : undefined;
  const decision = decideJobCreate({
    role: ctx.user.role,
    request: args,
    parent,
    parentHeld: parent !== undefined && ctx.user.role === 'contractor' && (await holdsJob(ctx, parent.id)),
  });
  if (!decision.ok) throw new MutationRejected(decision.code, decision.message);
  return decision;
}

/** The job a follow-up follows, if it is one of the organisation's (not deleted). */
async function parentJob(ctx: MutationContext, parentJobId: string) {
  const [row] = await ctx.tx
    .select({ id: jobs.id, customerId: jobs.customerId })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, parentJobId), isNull(jobs.deletedAt)));
  return row;
}

/**
 * True when the contractor holds a live assignment on the job. The access
 * check's own refusal ("not assigned to you") is replaced by the follow-up's
 * plain words, which say what contractors may create.
 */
async function holdsJob(ctx: MutationContext, jobId: string): Promise<boolean> {
  try {
    await loadJobForWrite(ctx, jobId);
    return true;
  } catch (error) {
    if (error instanceof MutationRejected && (error.code === 'forbidden' || error.code === 'not_found')) return false;
    throw error;
  }
}

export async function updateJob(ctx: MutationContext, args: MutationArgs<'job.update'>): Promise<HandlerOutcome> {
  if (args.patch.customerId) await requireCustomer(ctx, args.patch.customerId);
  const outcome = await applyFieldUpdate(ctx, 'jobs', args);
  if (COST_FIELDS.some((field) => Object.hasOwn(args.patch, field))) await requireCostsExplained(ctx, args.id);
  if (args.patch.customerId) await bringCustomerToPhones(ctx, args.id, args.patch.customerId);
  return outcome;
}

const COST_FIELDS = ['agreedCostCents', 'actualCostCents', 'costDifferenceReason'] as const;

/**
 * A change to a job's money must leave it explained (`checkJobCosts`): an
 * actual cost that differs from the agreed one needs a reason. Checked on the
 * merged row, so a reason given earlier, or on another device, counts; the
 * refusal rolls the whole update back.
 */
async function requireCostsExplained(ctx: MutationContext, jobId: string) {
  const [costs] = await ctx.tx
    .select({
      agreedCostCents: jobs.agreedCostCents,
      actualCostCents: jobs.actualCostCents,
      costDifferenceReason: jobs.costDifferenceReason,
    })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, jobId)));
  if (!costs) return;
  const check = checkJobCosts(costs);
  if (!check.ok) throw new MutationRejected(check.code, COST_REASON_REQUIRED_MESSAGE);
}

/**
 * A job moved to another customer: phones already past that customer's version
 * would never pull it, nor its estimates, so they take new versions (the
 * trigger gives them) and reach them with the job.
 */
async function bringCustomerToPhones(ctx: MutationContext, jobId: string, customerId: string) {
  const stillTheirs = sql`exists (select 1 from jobs where jobs.org_id = ${ctx.user.orgId} and jobs.id = ${jobId}
    and jobs.customer_id = ${customerId})`;
  await ctx.tx
    .update(customers)
    .set({ updatedAt: ctx.recordedAt })
    .where(and(eq(customers.orgId, ctx.user.orgId), eq(customers.id, customerId), stillTheirs));
  await ctx.tx
    .update(estimates)
    .set({ updatedAt: ctx.recordedAt })
    .where(and(eq(estimates.orgId, ctx.user.orgId), eq(estimates.customerId, customerId), stillTheirs));
}

/**
 * Status is not last-writer-wins: the move is checked against the server's
 * current status. A stale `from` with a move still legal from the current
 * status applies as a conflict; an illegal move is refused and the refusal is
 * written on the job's timeline.
 */
export async function setJobStatus(ctx: MutationContext, args: MutationArgs<'job.setStatus'>): Promise<HandlerOutcome> {
  const job = await loadJobForWrite(ctx, args.jobId, { cancelledStillTheirs: true });
  const current = job.status as JobStatus;
  if (current === args.to) {
    // Someone already made the same move: the device's intent holds, and only its own follow-ups
    // are left (a second contractor starting a started job starts their own assignment).
    await followJobStatusWithAssignments(ctx, { jobId: args.jobId, from: args.from, to: args.to });
    return APPLIED;
  }
  const check = checkJobTransition({ from: current, to: args.to, role: ctx.user.role });
  if (!check.ok) {
    if (check.code === 'forbidden') throw new MutationRejected('forbidden', check.message);
    const message = current === args.from ? check.message : await explainStaleStatus(ctx, args.jobId, current, args.to);
    throw new MutationRejected(
      'invalid_transition',
      message,
      activityRow(ctx, {
        entityType: 'job',
        entityId: args.jobId,
        jobId: args.jobId,
        action: 'job.status_refused',
        details: { from: args.from, to: args.to, current, reason: message },
      }),
    );
  }
  if (args.to === 'completed') await requireSignatureIfNeeded(ctx, args.jobId, current);
  await recordJobStatusChange(ctx, { jobId: args.jobId, from: current, to: args.to, reason: args.reason });
  if (args.to === 'cancelled') await endLiveAssignments(ctx, args.jobId);
  if (current === args.from) return APPLIED;

  return recordStatusConflict(ctx, { entity: 'jobs', entityId: args.jobId, applied: args.to, overridden: current });
}

/**
 * A job that requires the customer's signature completes only with one on
 * it. The refusal is kept on the job's timeline, like a refused move.
 */
async function requireSignatureIfNeeded(ctx: MutationContext, jobId: string, current: JobStatus) {
  const [job] = await ctx.tx
    .select({ requiresSignature: jobs.requiresSignature })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, jobId)));
  if (!job?.requiresSignature) return;
  const signatures = await ctx.tx
    .select({ kind: attachments.kind, deletedAt: attachments.deletedAt })
    .from(attachments)
    .where(
      and(
        eq(attachments.orgId, ctx.user.orgId),
        eq(attachments.jobId, jobId),
        eq(attachments.kind, 'signature'),
        isNull(attachments.deletedAt),
      ),
    )
    .limit(1);
  if (!missingSignature(job, 'completed', signatures as Array<{ kind: AttachmentKind; deletedAt: string | null }>)) {
    return;
  }
  throw new MutationRejected(
    'signature_required',
    SIGNATURE_REQUIRED_MESSAGE,
    activityRow(ctx, {
      entityType: 'job',
      entityId: jobId,
      jobId,
      action: 'job.status_refused',
      details: { from: current, to: 'completed', current, reason: SIGNATURE_REQUIRED_MESSAGE },
    }),
  );
}

const STATUS_WORDS: Record<JobStatus, string> = {
  open: 'reopened',
  scheduled: 'scheduled',
  in_progress: 'started',
  waiting_on_materials: 'put on waiting for materials',
  on_hold: 'put on hold',
  completed: 'completed',
  cancelled: 'cancelled',
};
const TARGET_WORDS: Record<JobStatus, string> = {
  open: 'reopened',
  scheduled: 'scheduled',
  in_progress: 'started',
  waiting_on_materials: 'marked as waiting for materials',
  on_hold: 'put on hold',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** "The office cancelled this job at 10:42, so it could not be completed." */
async function explainStaleStatus(ctx: MutationContext, jobId: string, current: JobStatus, wanted: JobStatus) {
  const [last] = await ctx.tx
    .select({ occurredAt: jobStatusHistory.occurredAt, role: users.role, name: users.name })
    .from(jobStatusHistory)
    .leftJoin(users, and(eq(users.orgId, jobStatusHistory.orgId), eq(users.id, jobStatusHistory.changedBy)))
    .where(
      and(
        eq(jobStatusHistory.orgId, ctx.user.orgId),
        eq(jobStatusHistory.jobId, jobId),
        eq(jobStatusHistory.toStatus, current),
      ),
    )
    .orderBy(desc(jobStatusHistory.occurredAt))
    .limit(1);
  const [org] = await ctx.tx
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, ctx.user.orgId));
  const who = !last?.role ? 'Someone' : last.role === 'contractor' ? (last.name ?? 'A contractor') : 'The office';
  const when = last ? ` at ${formatLocalTime(last.occurredAt, org?.timeZone ?? 'UTC')}` : '';
  return `${who} ${STATUS_WORDS[current]} this job${when}, so it could not be ${TARGET_WORDS[wanted]}.`;
}

function formatLocalTime(instant: string, timeZone: string) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(toIsoTimestamp(instant)),
  );
}

/**
 * A cancelled job frees its contractors' time. The assignments end with a
 * reason that keeps the job on their phones, so they see it was cancelled.
 */
async function endLiveAssignments(ctx: MutationContext, jobId: string) {
  await ctx.tx
    .update(assignments)
    .set({ status: 'cancelled', cancellationReason: JOB_CANCELLED_REASON })
    .where(
      and(
        eq(assignments.orgId, ctx.user.orgId),
        eq(assignments.jobId, jobId),
        inArray(assignments.status, [...STATUSES_ENDED_BY_JOB_CANCELLATION]),
        isNull(assignments.deletedAt),
      ),
    );
}
