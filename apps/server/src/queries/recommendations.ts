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
  type ContractorCalendars,
  DEFAULT_SCORING_SETTINGS,
  firstSearchedDayOffset,
  LIVE_ASSIGNMENT_STATUSES,
  type RankableContractor,
  type RecommendationResult,
  rankContractorsOnDemand,
  scoringSettingsOf,
} from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import { type Database, uuidArray } from '../db/database';
import { ApiError } from '../errors';

/** How many contractors outside the narrowed set are listed as excluded (wrong trade, inactive, far away). */
const MAX_OTHERS_LISTED = 50;
const MILES_PER_DEGREE_LAT = 69.05;
/** The domain's haversine radius; only the guess of which calendars to read ahead uses it. */
const EARTH_RADIUS_MILES = 3959;

export interface RecommendationsResponse extends RecommendationResult {
  /** Contractors left out of `excluded` to keep the answer short. */
  excludedNotListed: number;
}

export async function recommendContractors(
  database: Pick<Database, 'query'>,
  user: AuthUser,
  jobId: string,
  options: { limit: number; now: Date },
): Promise<RecommendationsResponse> {
  const utcToday = options.now.toISOString().slice(0, 10);
  // The domain's first batch of calendars, which the narrowing statement reads ahead of being asked.
  const firstBatch = 3 * options.limit + 10;
  const [narrowed] = await database.query<NarrowedRow>(
    narrowingStatement(user.orgId, jobId, { utcToday, prefetch: firstBatch }),
  );
  if (!narrowed) throw new ApiError('not_found', 'There is no such job.');
  const job = jsonValue(narrowed.job) as JobRow;
  const settings = job.hasOrg
    ? scoringSettingsOf({ scoringWeights: job.scoringWeights, maxDistanceMiles: job.maxDistanceMiles })
    : DEFAULT_SCORING_SETTINGS;
  const timeZone = job.timeZone ?? 'UTC';
  const desiredDate = job.desiredDate ?? utcToday;
  const candidates = (jsonValue(narrowed.candidates) ?? []) as ContractorTuple[];
  const listedOthers = ((jsonValue(narrowed.others) ?? []) as ContractorTuple[]).slice(0, MAX_OTHERS_LISTED);

  // Bookings that can touch a searched day: the search starts today for a job already late.
  const nowMs = options.now.getTime();
  const firstDay = addDaysToLocalDate(desiredDate, firstSearchedDayOffset(desiredDate, timeZone, nowMs));
  const window = {
    start: `${addDaysToLocalDate(firstDay, -1)}T00:00:00Z`,
    end: `${addDaysToLocalDate(firstDay, settings.searchDays + 2)}T00:00:00Z`,
  };
  const contractors: RankableContractor[] = [];
  for (const tuple of candidates) contractors.push(toRankable(tuple));
  for (const tuple of listedOthers) contractors.push(toRankable(tuple));
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
    contractors,
    loadCalendars: readingAhead(narrowed, (contractorIds) =>
      loadCalendars(database, user.orgId, contractorIds, window),
    ),
    firstBatch,
    settings,
    timeZone,
    limit: options.limit,
    now: options.now.toISOString(),
  });
  const inOrgCount = Number(narrowed.inOrgCount);
  return { ...result, excludedNotListed: Math.max(0, inOrgCount - candidates.length - listedOthers.length) };
}

/**
 * One statement, one row: the job with its organization's settings, the company's head
 * count, the candidates (active, of the trade or `multi`, in a box a little larger than the
 * cut-off circle; the exact distance is checked when ranking), the first others by name,
 * listed as excluded, and the calendars of the candidates the ranking will ask for first,
 * so that it usually needs no second round trip (each one showed as a wait on the busy
 * machine, for the server and for Postgres).
 *
 * Which calendars are asked for first is the domain's to say (best score ceiling first):
 * the order here only guesses it, with the same weights and distances. A wrong guess costs
 * a statement (see `readingAhead`), never a different answer. The bookings read ahead span
 * a couple more days than `loadCalendars`' window (the job's local "today" is not known
 * here); bookings outside the days searched change nothing.
 *
 * Lists come back as JSON arrays, one text each: parsing hundreds of rows field by field
 * (and collecting the garbage) cost more than the statement itself. Skills only when the
 * job requires some. Plain SQL with few pieces: drizzle's building of column references
 * showed in profiles too.
 */
function narrowingStatement(orgId: string, jobId: string, ahead: { utcToday: string; prefetch: number }) {
  const defaults = DEFAULT_SCORING_SETTINGS;
  // Numbers of the code's own as literals: with only the ids and the date as parameters, Postgres
  // estimates the prepared statement's generic plan as well as a custom one and stops re-planning it.
  const literal = (value: number) => sql.raw(String(Number(value)));
  return sql`
    with job as (
      select j.id::text as id, j.trade, to_char(j.desired_date, 'YYYY-MM-DD') as "desiredDate",
          j.duration_minutes as "durationMinutes", j.lat, j.lng, j.required_skills as "requiredSkills",
          o.id is not null as "hasOrg", o.time_zone as "timeZone", o.scoring_weights as "scoringWeights",
          o.max_distance_miles as "maxDistanceMiles",
          greatest(j.desired_date, ${ahead.utcToday}::date) as first_day
        from jobs j left join organizations o on o.id = j.org_id
        where j.org_id = ${orgId} and j.id = ${jobId} and j.deleted_at is null
    ), area as (
      select trade, lat, lng, max_miles, "requiredSkills" <> '[]'::jsonb as reads_skills,
          lat is not null and lng is not null as located,
          lat - lat_delta as lat_min, lat + lat_delta as lat_max,
          lng - least(180, lat_delta / greatest(0.01, cos(radians(abs(lat))))) as lng_min,
          lng + least(180, lat_delta / greatest(0.01, cos(radians(abs(lat))))) as lng_max,
          coalesce(("scoringWeights"->>'rating')::float8, ${literal(defaults.weights.rating)}) as rating_weight,
          coalesce(("scoringWeights"->>'distance')::float8, ${literal(defaults.weights.distance)}) as distance_weight,
          (first_day - 2)::timestamp at time zone 'UTC' as ahead_start,
          (first_day + ${literal(defaults.searchDays + 3)})::timestamp at time zone 'UTC' as ahead_end
        from job, lateral (select coalesce("maxDistanceMiles", ${literal(defaults.maxDistanceMiles)})::float8 as max_miles) m,
          lateral (select max_miles / ${literal(MILES_PER_DEGREE_LAT)}::float8 * 1.01 as lat_delta) d
    ), candidate as (
      -- Located jobs: the box is in the index (contractors_org_trade_location_idx).
      select c.id, c.name, c.trade, c.status, c.rating, c.base_lat, c.base_lng, c.skills from area, contractors c
        where c.org_id = ${orgId} and c.deleted_at is null and c.status = 'active'
          and c.trade = any(array[area.trade, 'multi']) and area.located
          and c.base_lat between area.lat_min and area.lat_max and c.base_lng between area.lng_min and area.lng_max
      union all
      select c.id, c.name, c.trade, c.status, c.rating, c.base_lat, c.base_lng, c.skills from area, contractors c
        where c.org_id = ${orgId} and c.deleted_at is null and c.status = 'active'
          and c.trade = any(array[area.trade, 'multi']) and not area.located
    ), other as (
      select c.* from area, contractors c
        where c.org_id = ${orgId} and c.deleted_at is null
          and not coalesce(c.status = 'active' and c.trade in (area.trade, 'multi') and (not area.located or (
            c.base_lat between area.lat_min and area.lat_max and c.base_lng between area.lng_min and area.lng_max)), false)
        order by c.name limit ${literal(MAX_OTHERS_LISTED)}
    ), guessed as (
      -- The domain's ceiling less the availability term, which is the same for everyone.
      select c.id, area.rating_weight * least(1, greatest(0, c.rating::float8 / 5))
          + area.distance_weight * coalesce(greatest(0, 1 - miles / area.max_miles), 0.5) as guess
        from area, candidate c, lateral (select 2 * ${literal(EARTH_RADIUS_MILES)} * asin(least(1, sqrt(
            sin(radians(c.base_lat - area.lat) / 2) ^ 2
            + cos(radians(area.lat)) * cos(radians(c.base_lat)) * sin(radians(c.base_lng - area.lng) / 2) ^ 2))) as miles) d
        where miles is null or miles <= area.max_miles
        order by guess desc limit ${literal(ahead.prefetch)}
    )
    select row_to_json(job) as job,
        (select count(*)::int from contractors where org_id = ${orgId} and deleted_at is null) as "inOrgCount",
        (select json_agg(json_build_array(c.id, c.name, c.trade, c.status, c.rating, c.base_lat, c.base_lng,
            case when area.reads_skills then c.skills end)) from candidate c, area) as candidates,
        (select json_agg(json_build_array(c.id, c.name, c.trade, c.status, c.rating, c.base_lat, c.base_lng,
            case when area.reads_skills then c.skills end) order by c.name) from other c, area) as others,
        (select json_agg(id) from guessed) as "aheadIds",
        (select json_agg(json_build_array(a.contractor_id, ${isoText('a.scheduled_start')}, ${isoText('a.scheduled_end')}))
          from area, assignments a
          where a.org_id = ${orgId} and a.contractor_id in (select id from guessed)
            and a.status in (${LIVE_STATUSES}) and a.deleted_at is null
            and a.scheduled_start < area.ahead_end and a.scheduled_end > area.ahead_start) as "aheadBusy",
        (select json_agg(json_build_array(h.contractor_id, h.day_of_week, to_char(h.start_time, 'HH24:MI'),
            to_char(h.end_time, 'HH24:MI')))
          from working_hours h
          where h.org_id = ${orgId} and h.contractor_id in (select id from guessed) and h.deleted_at is null) as "aheadHours"
      from job`;
}

/**
 * `loadCalendars` that first serves the calendars the narrowing statement read ahead, and
 * reads only the rest.
 */
function readingAhead(
  narrowed: NarrowedRow,
  load: (contractorIds: readonly string[]) => Promise<ContractorCalendars>,
): (contractorIds: readonly string[]) => Promise<ContractorCalendars> {
  const ahead = new Set((jsonValue(narrowed.aheadIds) ?? []) as string[]);
  const calendars = calendarsOf(narrowed.aheadBusy, narrowed.aheadHours);
  return async (contractorIds) => {
    const missing = contractorIds.filter((id) => !ahead.has(id));
    if (missing.length === 0) return calendars;
    const rest = await load(missing);
    return {
      workingHours: [...calendars.workingHours, ...rest.workingHours],
      busy: [...calendars.busy, ...rest.busy],
    };
  };
}

/** Working hours, and live assignments overlapping `window`, of these contractors. */
async function loadCalendars(
  database: Pick<Database, 'query'>,
  orgId: string,
  contractorIds: readonly string[],
  window: { start: string; end: string },
): Promise<ContractorCalendars> {
  if (contractorIds.length === 0) return { workingHours: [], busy: [] };
  const ids = uuidArray(contractorIds);
  // Both lists in one row, as JSON arrays (see narrowingStatement).
  const [row] = await database.query<{ busy: unknown; hours: unknown }>(sql`
    select
      (select json_agg(json_build_array(contractor_id, ${isoText('scheduled_start')}, ${isoText('scheduled_end')}))
        from assignments
        where org_id = ${orgId} and contractor_id = any(${ids})
          and status in (${LIVE_STATUSES}) and deleted_at is null
          and scheduled_start < ${window.end} and scheduled_end > ${window.start}) as busy,
      (select json_agg(json_build_array(contractor_id, day_of_week, to_char(start_time, 'HH24:MI'),
            to_char(end_time, 'HH24:MI')))
        from working_hours
        where org_id = ${orgId} and contractor_id = any(${ids})
          and deleted_at is null) as hours`);
  return calendarsOf(row?.busy, row?.hours);
}

/** Calendars from JSON lists of `[contractorId, start, end]` bookings and `[contractorId, day, start, end]` hours. */
function calendarsOf(busyJson: unknown, hoursJson: unknown): ContractorCalendars {
  const busy = (jsonValue(busyJson) ?? []) as [string, string, string][];
  const hours = (jsonValue(hoursJson) ?? []) as [string, number, string, string][];
  return {
    busy: busy.map(([contractorId, start, end]) => ({ contractorId, start, end })),
    workingHours: hours.map(([contractorId, dayOfWeek, startTime, endTime]) => ({
      contractorId,
      dayOfWeek,
      startTime,
      endTime,
    })),
  };
}

/** The live statuses as SQL literals (constants of the domain, not input). */
const LIVE_STATUSES = sql.raw(LIVE_ASSIGNMENT_STATUSES.map((status) => `'${status}'`).join(', '));

/** The narrowing statement's one row; null lists for none. */
type NarrowedRow = {
  /** A {@link JobRow}. */
  job: unknown;
  /** Contractors in the company. */
  inOrgCount: number;
  candidates: unknown;
  others: unknown;
  /** The contractors whose calendars were read ahead, and those calendars. */
  aheadIds: unknown;
  aheadBusy: unknown;
  aheadHours: unknown;
};

/** The job and its organization's settings (all null without an organization row). */
type JobRow = {
  id: string;
  trade: string;
  desiredDate: string | null;
  durationMinutes: number;
  lat: number | null;
  lng: number | null;
  requiredSkills: unknown;
  hasOrg: boolean;
  timeZone: string | null;
  scoringWeights: Parameters<typeof scoringSettingsOf>[0]['scoringWeights'];
  maxDistanceMiles: number;
};

/** A contractor as the narrowing statement lists them; skills null when the job requires none. */
type ContractorTuple = [
  id: string,
  name: string,
  trade: string,
  status: string,
  rating: number,
  baseLat: number | null,
  baseLng: number | null,
  skills: unknown,
];

/** json columns arrive parsed from postgres.js; text (another driver) is parsed here. */
function jsonValue(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** A timestamptz column as the wire's ISO text (`2026-11-21T09:03:00.000Z`), the same from either driver. */
function isoText(column: string) {
  return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

const NO_SKILLS: readonly string[] = [];

function toRankable([id, name, trade, status, rating, baseLat, baseLng, skills]: ContractorTuple): RankableContractor {
  return {
    id,
    name,
    trade,
    status: status as RankableContractor['status'],
    rating: Number(rating),
    baseLat,
    baseLng,
    skills: skills === null ? NO_SKILLS : stringList(skills),
  };
}

/** A jsonb list of labels (skills); anything else in it is ignored. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
