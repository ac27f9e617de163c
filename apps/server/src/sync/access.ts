/**
 * Who may change what on a job within a push. The office may touch any job of
 * its organisation; a contractor only jobs they hold a live assignment on —
 * except new work done before their access ended (`decideLateWork`), and a
 * status move on a job cancelled under them, which the state machine refuses
 * in plain words rather than as "not yours".
 */
import {
  type AccessEndReason,
  decideLateWork,
  JOB_CANCELLED_REASON,
  JOB_GONE_MESSAGE,
  JOB_NOT_ASSIGNED_MESSAGE,
  type JobAccess,
  type LateWorkDecision,
  LIVE_ASSIGNMENT_STATUSES,
} from '@fieldsync/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/database';
import { assignments } from '../db/schema';
import type { JobForWrite } from './job-writes';
import { type MutationContext, MutationRejected } from './mutation-context';
import { contractorIdOfUser } from './own-contractor';

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

/** `contractorJobAccess` through the push's writes (held writes ask once per job). */
function jobAccessOf(ctx: MutationContext, jobId: string, contractorId: string): Promise<JobAccess> {
  return ctx.writes.jobAccess(jobId, () => contractorJobAccess(ctx.tx, ctx.user.orgId, jobId, contractorId));
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

/** Details for the activity-log row of work that came in after the contractor's access ended. */
export function lateWorkDetails(work: WorkOnJob) {
  return work.late
    ? { recordedAfterCancellation: true, accessEndedAt: work.accessEndedAt, accessEndedBecause: work.because }
    : {};
}

/**
 * Loads a job's status for a move (row-locked). Contractors may only move
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
): Promise<JobForWrite> {
  const job = await ctx.writes.job(jobId);
  if (!job) throw new MutationRejected('not_found', JOB_GONE_MESSAGE);
  if (ctx.user.role === 'contractor') {
    const contractorId = await ownContractorId(ctx);
    const theirs =
      contractorId !== undefined &&
      ((await jobAccessOf(ctx, jobId, contractorId)).kind === 'live' ||
        (options.cancelledStillTheirs === true &&
          job.status === 'cancelled' &&
          (await contractorLostJobToCancellation(ctx.tx, ctx.user.orgId, jobId, contractorId))));
    if (!theirs) throw new MutationRejected('forbidden', JOB_NOT_ASSIGNED_MESSAGE);
  }
  ctx.touchedJobIds.add(jobId);
  return job;
}
