/**
 * Recommendations for staffing a job. SQL narrows the candidates (trade,
 * active, a bounding box around the job); the ranking is the domain's
 * `rankContractorsOnDemand`, which gives what `rankContractors` (the one the
 * desktop app runs offline on its local copy) gives, but reads working hours
 * and bookings only of the candidates who could still make the top `limit`:
 * a few dozen rather than every candidate, which is where the time went.
 */
import {
  addDaysToLocalDate,
  type ContractorBusyInterval,
  type ContractorCalendars,
  type ContractorWorkingHours,
  DEFAULT_SCORING_SETTINGS,
  firstSearchedDayOffset,
  LIVE_ASSIGNMENT_STATUSES,
  type RankableContractor,
  type RecommendationResult,
  rankContractorsOnDemand,
  scoringSettingsOf,
} from '@fieldsync/domain';
import { type AnyColumn, and, eq, isNull, or, sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { assignments, contractors, jobs, organizations, workingHours } from '../db/schema';
import { ApiError } from '../errors';

/** How many contractors outside the narrowed set are listed as excluded (wrong trade, inactive, far away). */
const MAX_OTHERS_LISTED = 50;
const MILES_PER_DEGREE_LAT = 69.05;

export interface RecommendationsResponse extends RecommendationResult {
  /** Contractors left out of `excluded` to keep the answer short. */
  excludedNotListed: number;
}

export async function recommendContractors(
  database: Pick<Database, 'db' | 'query'>,
  user: AuthUser,
  jobId: string,
  options: { limit: number; now: Date },
): Promise<RecommendationsResponse> {
  const { db } = database;
  const [found] = await db
    .select({
      job: {
        id: jobs.id,
        trade: jobs.trade,
        desiredDate: jobs.desiredDate,
        durationMinutes: jobs.durationMinutes,
        lat: jobs.lat,
        lng: jobs.lng,
        requiredSkills: jobs.requiredSkills,
      },
      org: {
        timeZone: organizations.timeZone,
        scoringWeights: organizations.scoringWeights,
        maxDistanceMiles: organizations.maxDistanceMiles,
      },
    })
    .from(jobs)
    .leftJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(and(eq(jobs.orgId, user.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)));
  if (!found) throw new ApiError('not_found', 'There is no such job.');
  const { job, org } = found;
  const settings = org ? scoringSettingsOf(org) : DEFAULT_SCORING_SETTINGS;
  const timeZone = org?.timeZone ?? 'UTC';
  const desiredDate = job.desiredDate ?? options.now.toISOString().slice(0, 10);

  const inOrg = and(eq(contractors.orgId, user.orgId), isNull(contractors.deletedAt));
  const candidateFilter = and(
    inOrg,
    eq(contractors.status, 'active'),
    or(eq(contractors.trade, job.trade), eq(contractors.trade, 'multi')),
    boundingBox(job.lat, job.lng, settings.maxDistanceMiles),
  );
  // The candidates and the others listed in one statement (a round trip costs more than
  // these rows), read as plain rows: drizzle's per-field mapping of 500 rows showed in profiles.
  const listed = await database.query<ListedContractor>(sql`
    (select ${CONTRACTOR_COLUMNS}, true as candidate, null::int as "inOrgCount"
      from ${contractors} where ${candidateFilter})
    union all
    (select ${CONTRACTOR_COLUMNS}, false as candidate,
        -- Uncorrelated: counted once, not per row.
        (select count(*)::int from ${contractors} where ${inOrg}) as "inOrgCount"
      from ${contractors} where ${inOrg} and not coalesce(${candidateFilter}, false)
      order by ${contractors.name} limit ${MAX_OTHERS_LISTED + 1})`);
  const candidates = listed.filter((row) => row.candidate);
  const others = listed.filter((row) => !row.candidate);

  // Bookings that can touch a searched day: the search starts today for a job already late.
  const nowMs = options.now.getTime();
  const firstDay = addDaysToLocalDate(desiredDate, firstSearchedDayOffset(desiredDate, timeZone, nowMs));
  const window = {
    start: `${addDaysToLocalDate(firstDay, -1)}T00:00:00Z`,
    end: `${addDaysToLocalDate(firstDay, settings.searchDays + 2)}T00:00:00Z`,
  };
  const listedOthers = others.slice(0, MAX_OTHERS_LISTED);
  const result = await rankContractorsOnDemand({
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
    loadCalendars: (contractorIds) => loadCalendars(database, user.orgId, contractorIds, window),
    settings,
    timeZone,
    limit: options.limit,
    now: options.now.toISOString(),
  });
  // No other contractor at all: everyone in the company is a candidate, nobody left unlisted.
  const inOrgCount = Number(others[0]?.inOrgCount ?? candidates.length);
  return { ...result, excludedNotListed: Math.max(0, inOrgCount - candidates.length - listedOthers.length) };
}

/** Working hours, and live assignments overlapping `window`, of these contractors. */
async function loadCalendars(
  database: Pick<Database, 'query'>,
  orgId: string,
  contractorIds: readonly string[],
  window: { start: string; end: string },
): Promise<ContractorCalendars> {
  if (contractorIds.length === 0) return { workingHours: [], busy: [] };
  const ids = sql.join(
    contractorIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const live = sql.join(
    LIVE_ASSIGNMENT_STATUSES.map((status) => sql`${status}`),
    sql`, `,
  );
  // Bookings and working hours in one statement; a row is one or the other (dayOfWeek null: a booking).
  const rows = await database.query<CalendarRow>(sql`
    select ${assignments.contractorId}::text as "contractorId", ${isoText(assignments.scheduledStart)} as start,
        ${isoText(assignments.scheduledEnd)} as "end", null::int as "dayOfWeek", null as "startTime", null as "endTime"
      from ${assignments}
      where ${assignments.orgId} = ${orgId} and ${assignments.contractorId} in (${ids})
        and ${assignments.status} in (${live}) and ${assignments.deletedAt} is null
        and ${assignments.scheduledStart} < ${window.end} and ${assignments.scheduledEnd} > ${window.start}
    union all
    select ${workingHours.contractorId}::text, null, null, ${workingHours.dayOfWeek}::int,
        to_char(${workingHours.startTime}, 'HH24:MI'), to_char(${workingHours.endTime}, 'HH24:MI')
      from ${workingHours}
      where ${workingHours.orgId} = ${orgId} and ${workingHours.contractorId} in (${ids})
        and ${workingHours.deletedAt} is null`);
  const calendars = { workingHours: [] as ContractorWorkingHours[], busy: [] as ContractorBusyInterval[] };
  for (const row of rows) {
    if (row.dayOfWeek === null) {
      calendars.busy.push({ contractorId: row.contractorId, start: row.start as string, end: row.end as string });
    } else {
      calendars.workingHours.push({
        contractorId: row.contractorId,
        dayOfWeek: row.dayOfWeek,
        startTime: row.startTime as string,
        endTime: row.endTime as string,
      });
    }
  }
  return calendars;
}

/** What both drivers give back alike: text, float8, int, boolean and parsed jsonb. */
const CONTRACTOR_COLUMNS = sql.raw(
  `id::text as id, name, trade, status, rating::float8 as rating, base_lat as "baseLat", base_lng as "baseLng", skills`,
);

/** A contractor as the narrowing statement reads them, before ranking. */
type ContractorRow = {
  id: string;
  name: string;
  trade: string;
  status: string;
  rating: number;
  baseLat: number | null;
  baseLng: number | null;
  skills: unknown;
};

type ListedContractor = ContractorRow & {
  /** In the narrowed set (else one of the others listed as excluded). */
  candidate: boolean;
  /** Contractors in the company; on the others' rows only. */
  inOrgCount: number | null;
};

type CalendarRow = {
  contractorId: string;
  start: string | null;
  end: string | null;
  dayOfWeek: number | null;
  startTime: string | null;
  endTime: string | null;
};

/** A timestamptz as the wire's ISO text (`2026-11-21T09:03:00.000Z`), the same from either driver. */
function isoText(column: AnyColumn) {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function toRankable(row: ContractorRow): RankableContractor {
  return {
    id: row.id,
    name: row.name,
    trade: row.trade,
    status: row.status as RankableContractor['status'],
    rating: Number(row.rating),
    baseLat: row.baseLat,
    baseLng: row.baseLng,
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
