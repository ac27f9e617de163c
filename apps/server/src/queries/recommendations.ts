/**
 * Recommendations for staffing a job. SQL narrows the candidates (trade,
 * active, a bounding box around the job) so only they pay for working hours
 * and bookings; the ranking itself is the domain's `rankContractors`, the
 * same function the desktop app runs offline on its local copy.
 */
import {
  addDaysToLocalDate,
  DEFAULT_SCORING_SETTINGS,
  LIVE_ASSIGNMENT_STATUSES,
  type RankableContractor,
  type RecommendationResult,
  rankContractors,
  scoringSettingsOf,
} from '@fieldsync/domain';
import { type AnyColumn, and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Db } from '../db/database';
import { assignments, contractors, jobs, organizations, workingHours } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import { ApiError } from '../errors';

/** How many contractors outside the narrowed set are listed as excluded (wrong trade, inactive, far away). */
const MAX_OTHERS_LISTED = 50;
const MILES_PER_DEGREE_LAT = 69.05;

export interface RecommendationsResponse extends RecommendationResult {
  /** Contractors left out of `excluded` to keep the answer short. */
  excludedNotListed: number;
}

export async function recommendContractors(
  db: Db,
  user: AuthUser,
  jobId: string,
  options: { limit: number; now: Date },
): Promise<RecommendationsResponse> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, user.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)));
  if (!job) throw new ApiError('not_found', 'There is no such job.');
  const [org] = await db.select().from(organizations).where(eq(organizations.id, user.orgId));
  const settings = org ? scoringSettingsOf(org) : DEFAULT_SCORING_SETTINGS;
  const timeZone = org?.timeZone ?? 'UTC';
  const desiredDate = job.desiredDate ?? options.now.toISOString().slice(0, 10);

  const columns = {
    id: contractors.id,
    name: contractors.name,
    trade: contractors.trade,
    status: contractors.status,
    rating: contractors.rating,
    baseLat: contractors.baseLat,
    baseLng: contractors.baseLng,
    skills: contractors.skills,
  };
  const inOrg = and(eq(contractors.orgId, user.orgId), isNull(contractors.deletedAt));
  const candidateFilter = and(
    inOrg,
    eq(contractors.status, 'active'),
    or(eq(contractors.trade, job.trade), eq(contractors.trade, 'multi')),
    boundingBox(job.lat, job.lng, settings.maxDistanceMiles),
  );
  const windowStart = `${addDaysToLocalDate(desiredDate, -1)}T00:00:00Z`;
  const windowEnd = `${addDaysToLocalDate(desiredDate, settings.searchDays + 2)}T00:00:00Z`;
  // The candidates' hours and bookings select the candidates again in SQL rather than
  // sending their ids back: every query goes out at once, with no list of hundreds of ids.
  const candidateIds = db.select({ id: contractors.id }).from(contractors).where(candidateFilter);
  // `= any(array(…))`, not `in (…)`: the planner then looks each candidate up by index
  // instead of hashing every row of the table.
  const ofCandidates = (column: AnyColumn) => sql`${column} = any(array(${candidateIds}))`;
  const [candidates, others, [{ count: otherCount } = { count: 0 }], hours, busy] = await Promise.all([
    db.select(columns).from(contractors).where(candidateFilter),
    db
      .select(columns)
      .from(contractors)
      .where(and(inOrg, sql`not coalesce(${candidateFilter}, false)`))
      .orderBy(contractors.name)
      .limit(MAX_OTHERS_LISTED + 1),
    db.select({ count: sql<number>`count(*)::int` }).from(contractors).where(inOrg),
    db
      .select({
        contractorId: workingHours.contractorId,
        dayOfWeek: workingHours.dayOfWeek,
        startTime: workingHours.startTime,
        endTime: workingHours.endTime,
      })
      .from(workingHours)
      .where(
        and(
          eq(workingHours.orgId, user.orgId),
          ofCandidates(workingHours.contractorId),
          isNull(workingHours.deletedAt),
        ),
      ),
    db
      .select({
        contractorId: assignments.contractorId,
        start: assignments.scheduledStart,
        end: assignments.scheduledEnd,
      })
      .from(assignments)
      .where(
        and(
          eq(assignments.orgId, user.orgId),
          ofCandidates(assignments.contractorId),
          inArray(assignments.status, [...LIVE_ASSIGNMENT_STATUSES]),
          isNull(assignments.deletedAt),
          lt(assignments.scheduledStart, windowEnd),
          gt(assignments.scheduledEnd, windowStart),
        ),
      ),
  ]);

  const listedOthers = others.slice(0, MAX_OTHERS_LISTED);
  const result = rankContractors({
    job: {
      id: job.id,
      trade: job.trade,
      desiredDate,
      durationMinutes: job.durationMinutes,
      lat: job.lat,
      lng: job.lng,
      requiredSkills: stringList(job.requiredSkills),
    },
    contractors: [...candidates, ...listedOthers].map(toRankable),
    workingHours: hours.map((row) => ({
      ...row,
      startTime: row.startTime.slice(0, 5),
      endTime: row.endTime.slice(0, 5),
    })),
    busy: busy.map((row) => ({
      contractorId: row.contractorId,
      start: toIsoTimestamp(row.start),
      end: toIsoTimestamp(row.end),
    })),
    settings,
    timeZone,
    limit: options.limit,
    now: options.now.toISOString(),
  });
  return { ...result, excludedNotListed: Math.max(0, Number(otherCount) - candidates.length - listedOthers.length) };
}

function toRankable(row: {
  id: string;
  name: string;
  trade: string;
  status: string;
  rating: number;
  baseLat: number | null;
  baseLng: number | null;
  skills: unknown;
}): RankableContractor {
  return {
    ...row,
    status: row.status as RankableContractor['status'],
    rating: Number(row.rating),
    skills: stringList(row.skills),
  };
}

/** A jsonb list of labels (skills); anything else in it is ignored. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A box a little larger than the cut-off circle; the exact distance is checked when ranking. */
function boundingBox(lat: number | null, lng: number | null, miles: number) {
  if (lat === null || lng === null) return undefined;
  const latDelta = (miles / MILES_PER_DEGREE_LAT) * 1.01;
  const lngDelta = Math.min(180, latDelta / Math.max(0.01, Math.cos((Math.abs(lat) * Math.PI) / 180)));
  return sql`${contractors.baseLat} between ${lat - latDelta} and ${lat + latDelta} and ${contractors.baseLng} between ${lng - lngDelta} and ${lng + lngDelta}`;
}
