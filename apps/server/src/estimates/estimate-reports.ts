/**
 * The estimates and revenue reports: SQL picks the rows a range needs, the
 * counting and the arithmetic are the domain's (`estimateMonths`,
 * `revenueByContractor`). Who may ask is the route's to decide.
 */
import {
  addDaysToLocalDate,
  type CalendarMonth,
  type ContractorRevenue,
  type EstimateMonth,
  type EstimateStatus,
  localDateTimeToUtc,
  nextCalendarMonth,
  revenueByContractor,
  estimateMonths as toEstimateMonths,
} from '@fieldsync/domain';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { assignments, contractors, estimates, jobStatusHistory, jobs, organizations } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';

async function companyOf(db: Db, orgId: string) {
  const [org] = await db
    .select({ timeZone: organizations.timeZone, currency: organizations.currency })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return { timeZone: org?.timeZone ?? 'UTC', currency: org?.currency ?? 'USD' };
}

/** Month by month from `from` to `to` (`YYYY-MM`, company calendar): estimates sent and how they fared. */
export async function estimatesReport(
  db: Db,
  orgId: string,
  range: { from: CalendarMonth; to: CalendarMonth },
): Promise<{ months: EstimateMonth[] }> {
  const { timeZone } = await companyOf(db, orgId);
  const start = localDateTimeToUtc(`${range.from}-01`, '00:00', timeZone);
  const end = localDateTimeToUtc(`${nextCalendarMonth(range.to)}-01`, '00:00', timeZone);
  const rows = await db
    .select({ status: estimates.status, sentAt: estimates.sentAt })
    .from(estimates)
    .where(
      and(
        eq(estimates.orgId, orgId),
        isNull(estimates.deletedAt),
        sql`${estimates.sentAt} >= ${start}::timestamptz`,
        sql`${estimates.sentAt} < ${end}::timestamptz`,
      ),
    );
  const months = toEstimateMonths({
    estimates: rows.map((row) => ({
      status: row.status as EstimateStatus,
      sentAt: row.sentAt === null ? null : toIsoTimestamp(row.sentAt),
    })),
    timeZone,
    from: range.from,
    to: range.to,
  });
  return { months };
}

/**
 * Revenue of the jobs completed from `from` to `to` (company days), per
 * contractor whose assignment on the job completed.
 */
export async function revenueReport(
  db: Db,
  orgId: string,
  range: { from: string; to: string },
): Promise<{ currency: string; contractors: ContractorRevenue[]; totalCents: number }> {
  const { timeZone, currency } = await companyOf(db, orgId);
  const start = localDateTimeToUtc(range.from, '00:00', timeZone);
  const end = localDateTimeToUtc(addDaysToLocalDate(range.to, 1), '00:00', timeZone);
  // A completion counts when it happened on the device, never after the server recorded it.
  const countedAt = sql`least(${jobStatusHistory.occurredAt}, ${jobStatusHistory.recordedAt})`;
  const candidates = await db
    .selectDistinct({ jobId: jobStatusHistory.jobId })
    .from(jobStatusHistory)
    .innerJoin(jobs, and(eq(jobs.orgId, jobStatusHistory.orgId), eq(jobs.id, jobStatusHistory.jobId)))
    .where(
      and(
        eq(jobStatusHistory.orgId, orgId),
        eq(jobStatusHistory.toStatus, 'completed'),
        isNull(jobStatusHistory.deletedAt),
        sql`${countedAt} >= ${start}::timestamptz`,
        sql`${countedAt} < ${end}::timestamptz`,
        eq(jobs.status, 'completed'),
        isNull(jobs.deletedAt),
      ),
    );
  if (candidates.length === 0) return { currency, contractors: [], totalCents: 0 };
  const jobIds = candidates.map((row) => row.jobId);

  const [jobRows, completions, crews] = await Promise.all([
    db
      .select({
        id: jobs.id,
        status: jobs.status,
        agreedCostCents: jobs.agreedCostCents,
        actualCostCents: jobs.actualCostCents,
      })
      .from(jobs)
      .where(and(eq(jobs.orgId, orgId), inArray(jobs.id, jobIds))),
    // Every completion of those jobs, later ones too: a job completed again after the range is not the range's.
    db
      .select({
        jobId: jobStatusHistory.jobId,
        occurredAt: jobStatusHistory.occurredAt,
        recordedAt: jobStatusHistory.recordedAt,
      })
      .from(jobStatusHistory)
      .where(
        and(
          eq(jobStatusHistory.orgId, orgId),
          inArray(jobStatusHistory.jobId, jobIds),
          eq(jobStatusHistory.toStatus, 'completed'),
          isNull(jobStatusHistory.deletedAt),
        ),
      ),
    db
      .select({ jobId: assignments.jobId, contractorId: assignments.contractorId })
      .from(assignments)
      .where(
        and(
          eq(assignments.orgId, orgId),
          inArray(assignments.jobId, jobIds),
          eq(assignments.status, 'completed'),
          isNull(assignments.deletedAt),
        ),
      ),
  ]);
  const contractorIds = [...new Set(crews.map((row) => row.contractorId))];
  // Removed contractors keep their name on the work they did.
  const names =
    contractorIds.length === 0
      ? []
      : await db
          .select({ id: contractors.id, name: contractors.name })
          .from(contractors)
          .where(and(eq(contractors.orgId, orgId), inArray(contractors.id, contractorIds)));

  const report = revenueByContractor({
    jobs: jobRows.map((row) => ({
      ...row,
      agreedCostCents: row.agreedCostCents === null ? null : Number(row.agreedCostCents),
      actualCostCents: row.actualCostCents === null ? null : Number(row.actualCostCents),
    })),
    completions: completions.map((row) => ({
      jobId: row.jobId,
      occurredAt: toIsoTimestamp(row.occurredAt),
      recordedAt: toIsoTimestamp(row.recordedAt),
    })),
    completedAssignments: crews,
    contractors: names,
    timeZone,
    from: range.from,
    to: range.to,
  });
  return { currency, ...report };
}
