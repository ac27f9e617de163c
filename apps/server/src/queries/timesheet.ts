/**
 * The timesheet report: time on site per company day, contractor and job,
 * read from the job status history. SQL picks the assignments and the
 * history the range needs; the arithmetic is the domain's `timesheetRows`,
 * the same function the phone runs on its local copy.
 */

import {
  addDaysToLocalDate,
  type JobStatus,
  LIVE_ASSIGNMENT_STATUSES,
  localDateTimeToUtc,
  type TimedStatusChange,
  type TimesheetRow,
  timesheetRows,
} from '@fieldsync/domain';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Db } from '../db/database';
import { assignments, contractors, jobStatusHistory, jobs, organizations } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';

export interface TimesheetQuery {
  /** First and last company day, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** Only this contractor's rows; everyone's when absent. */
  contractorId?: string | undefined;
  now: Date;
}

/**
 * The rows of the report for `user`'s company. Access (a contractor only
 * their own) is the route's to decide; this answers what it is asked.
 */
export async function timesheetReport(db: Db, user: AuthUser, query: TimesheetQuery): Promise<TimesheetRow[]> {
  const [org] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, user.orgId));
  const timeZone = org?.timeZone ?? 'UTC';
  const rangeStart = localDateTimeToUtc(query.from, '00:00', timeZone);
  const rangeEnd = localDateTimeToUtc(addDaysToLocalDate(query.to, 1), '00:00', timeZone);

  const onJobs = await db
    .select({ jobId: assignments.jobId, contractorId: assignments.contractorId, status: assignments.status })
    .from(assignments)
    .innerJoin(jobs, and(eq(jobs.orgId, assignments.orgId), eq(jobs.id, assignments.jobId), isNull(jobs.deletedAt)))
    .where(
      and(
        eq(assignments.orgId, user.orgId),
        isNull(assignments.deletedAt),
        inArray(assignments.status, [...LIVE_ASSIGNMENT_STATUSES]),
        query.contractorId ? eq(assignments.contractorId, query.contractorId) : undefined,
      ),
    );
  if (onJobs.length === 0) return [];
  const jobIds = [...new Set(onJobs.map((row) => row.jobId))];
  const contractorIds = [...new Set(onJobs.map((row) => row.contractorId))];

  const [history, jobRows, contractorRows] = await Promise.all([
    // Each job's changes inside the range, and the last one before it: that one says what the
    // job was doing when the range began. Later changes are not needed: the range ends the stretch.
    db
      .select({
        id: jobStatusHistory.id,
        jobId: jobStatusHistory.jobId,
        toStatus: jobStatusHistory.toStatus,
        occurredAt: jobStatusHistory.occurredAt,
        recordedAt: jobStatusHistory.recordedAt,
        seq: jobStatusHistory.seq,
      })
      .from(jobStatusHistory)
      .where(
        and(
          eq(jobStatusHistory.orgId, user.orgId),
          inArray(jobStatusHistory.jobId, jobIds),
          isNull(jobStatusHistory.deletedAt),
          sql`${jobStatusHistory.occurredAt} < ${rangeEnd}::timestamptz`,
          sql`${jobStatusHistory.occurredAt} >= coalesce((
            select max(before.occurred_at) from job_status_history before
            where before.org_id = ${jobStatusHistory.orgId} and before.job_id = ${jobStatusHistory.jobId}
              and before.deleted_at is null and before.occurred_at < ${rangeStart}::timestamptz
          ), '-infinity'::timestamptz)`,
        ),
      ),
    db
      .select({ id: jobs.id, jobNumber: jobs.jobNumber, title: jobs.title })
      .from(jobs)
      .where(and(eq(jobs.orgId, user.orgId), inArray(jobs.id, jobIds))),
    // Removed contractors keep their name on the time they worked.
    db
      .select({ id: contractors.id, name: contractors.name })
      .from(contractors)
      .where(and(eq(contractors.orgId, user.orgId), inArray(contractors.id, contractorIds))),
  ]);

  return timesheetRows({
    history: history.map(
      (row): TimedStatusChange => ({
        id: row.id,
        jobId: row.jobId,
        toStatus: row.toStatus as JobStatus,
        occurredAt: toIsoTimestamp(row.occurredAt),
        recordedAt: toIsoTimestamp(row.recordedAt),
        seq: row.seq,
      }),
    ),
    assignments: onJobs.map((row) => ({ ...row, status: row.status as (typeof LIVE_ASSIGNMENT_STATUSES)[number] })),
    contractors: contractorRows,
    jobs: jobRows,
    timeZone,
    from: query.from,
    to: query.to,
    now: query.now.getTime(),
  });
}

/** The contractor row of a signed-in user, if they are one. */
export async function contractorIdOfUser(db: Db, user: AuthUser): Promise<string | undefined> {
  const [row] = await db
    .select({ id: contractors.id })
    .from(contractors)
    .where(and(eq(contractors.orgId, user.orgId), eq(contractors.userId, user.userId), isNull(contractors.deletedAt)));
  return row?.id;
}
