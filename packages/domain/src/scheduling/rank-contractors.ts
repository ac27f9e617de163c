import type { ContractorStatus } from '../enums/contractor-status';
import { earliestFreeSlotMs, firstSearchedDayOffset } from './earliest-free-slot';
import { explainRecommendation } from './explanation';
import {
  formatInterval,
  type MsInterval,
  parseInterval,
  type TimeInterval,
  type WorkingHoursWindow,
} from './free-slots';
import { haversineMiles } from './haversine';
import { type LocalDate, parseInstant } from './local-time';
import type { ExcludedContractor, ExclusionCode, Recommendation, RecommendationResult } from './recommendation';
import { availabilityScore, type ComponentScores, distanceScore, ratingScore, roundScore, totalScore } from './scores';
import type { ScoringSettings } from './scoring-settings';
import { matchSkills } from './skills';

/** The job being staffed. A job without lat/lng has an unknown distance to everyone. */
export type RankableJob = {
  id: string;
  trade: string;
  desiredDate: LocalDate;
  durationMinutes: number;
  lat?: number | null | undefined;
  lng?: number | null | undefined;
  /** Skills every recommended contractor must have (see `matchSkills`); none when left out. */
  requiredSkills?: readonly string[] | undefined;
};

/** A contractor as the ranking needs it. */
export type RankableContractor = {
  id: string;
  name: string;
  /** `multi` matches every job trade. */
  trade: string;
  status: ContractorStatus;
  /** 0 … 5 stars. */
  rating: number;
  baseLat?: number | null | undefined;
  baseLng?: number | null | undefined;
  /** Free skill labels; only read when the job requires skills. */
  skills?: readonly string[] | undefined;
};

/** A working-hours row of one contractor. */
export type ContractorWorkingHours = WorkingHoursWindow & { contractorId: string };

/** A live assignment of one contractor, which its slots must not overlap. */
export type ContractorBusyInterval = TimeInterval & { contractorId: string };

/** Arguments of {@link rankContractors}. */
export type RankContractorsInput = {
  job: RankableJob;
  contractors: readonly RankableContractor[];
  workingHours: readonly ContractorWorkingHours[];
  /** Live assignments (not cancelled, declined or completed) of these contractors. */
  busy: readonly ContractorBusyInterval[];
  settings: ScoringSettings;
  /** The organization's IANA time zone; days and times are read in it. */
  timeZone: string;
  /** How many recommendations to return; 10 unless told. Exclusions are all listed. */
  limit?: number;
  /** ISO instant; slots before it are never offered. */
  now?: string;
};

/** The trade that any job accepts. */
export const MULTI_TRADE = 'multi';

type Ranked = {
  contractor: RankableContractor;
  total: number;
  scores: ComponentScores;
  miles: number | null;
  slots: MsInterval[];
  slotStart: number;
  dayOffset: number;
  matchedSkills: string[];
};

/**
 * Ranks the contractors for a job, best first, and says why everyone else
 * is left out.
 *
 * Eligible: status `active`; trade equal to the job's or `multi`; every skill
 * of `job.requiredSkills` (compared as `matchSkills` does; the excluded entry
 * names the missing ones); a base location within
 * `settings.maxDistanceMiles`; a free slot within
 * `settings.searchDays` (see {@link earliestFreeSlotMs} for jobs already
 * late). Checked in that order; an excluded contractor gets the first reason
 * that applies.
 *
 * When the job itself has no location the distance is unknown for everyone:
 * the cut-off is not applied, base locations are not required, the distance
 * score is 0.5 and `distanceMiles` is null.
 *
 * Score = Σ weight × (availability, rating, distance). Ranking uses the
 * unrounded total, then the shorter distance, then name, then id (plain
 * code-unit order, never locale order, so phone and server agree). Output
 * scores are rounded to 4 decimals.
 */
export function rankContractors(input: RankContractorsInput): RecommendationResult {
  const ranking = startRanking(input);
  const hoursByContractor = groupBy(input.workingHours);
  const busyByContractor = groupBy(input.busy);
  for (const screened of ranking.screened) {
    ranking.checkCalendar(
      screened,
      hoursByContractor.get(screened.contractor.id) ?? [],
      busyByContractor.get(screened.contractor.id) ?? [],
    );
  }
  return ranking.result();
}

/** The calendars (working hours and live assignments) of some contractors. */
export type ContractorCalendars = {
  workingHours: readonly ContractorWorkingHours[];
  busy: readonly ContractorBusyInterval[];
};

/** Arguments of {@link rankContractorsOnDemand}. */
export type RankContractorsOnDemandInput = Omit<RankContractorsInput, 'workingHours' | 'busy'> & {
  /** Gives the calendars of these contractors (and may give more; others are ignored). */
  loadCalendars: (contractorIds: readonly string[]) => Promise<ContractorCalendars>;
  /** Contractors whose calendars are asked for at first; each later ask is twice as big. Default 3 × limit + 10. */
  firstBatch?: number;
};

/**
 * {@link rankContractors} for callers whose calendars are expensive to read
 * (the server, on thousands of contractors): the same recommendations, in
 * the same order with the same scores, while asking `loadCalendars` only for
 * the contractors who could still make the top `limit`.
 *
 * Status, trade, skills and distance need no calendar, and they with the
 * earliest day a slot can be found on give every contractor a score ceiling
 * (availability can only fall from there). Calendars are read best ceiling
 * first; the search stops once the `limit`-th best score found beats every
 * ceiling left, strictly, so a tie still gets looked at and settled by
 * distance, name and id.
 *
 * Exclusions are the same too, except for lack of a free slot: a contractor
 * whose calendar was never read is not listed for it (like a contractor
 * ranked below the top `limit`, who is not listed at all).
 */
export async function rankContractorsOnDemand(input: RankContractorsOnDemandInput): Promise<RecommendationResult> {
  const ranking = startRanking(input);
  const queue = [...ranking.screened].sort((a, b) => b.ceiling - a.ceiling);
  let batchSize = Math.max(1, Math.floor(input.firstBatch ?? 3 * ranking.limit + 10));
  let next = 0;
  while (next < queue.length && !ranking.settled(queue[next] as Screened)) {
    const batch = queue.slice(next, next + batchSize);
    next += batch.length;
    batchSize *= 2;
    const calendars = await input.loadCalendars(batch.map((screened) => screened.contractor.id));
    const hoursByContractor = groupBy(calendars.workingHours);
    const busyByContractor = groupBy(calendars.busy);
    for (const screened of batch) {
      ranking.checkCalendar(
        screened,
        hoursByContractor.get(screened.contractor.id) ?? [],
        busyByContractor.get(screened.contractor.id) ?? [],
      );
    }
  }
  return ranking.result();
}

/** A contractor who passed every check that needs no calendar. */
type Screened = {
  contractor: RankableContractor;
  miles: number | null;
  matchedSkills: string[];
  rating: number;
  distance: number;
  /** The best total the calendar could allow: availability on the first day searched. */
  ceiling: number;
};

/**
 * The ranking's shared steps: screening without calendars (done at once),
 * then each screened contractor's calendar, then the result.
 */
function startRanking(input: Omit<RankContractorsInput, 'workingHours' | 'busy'>) {
  const { job, settings, timeZone } = input;
  const limit = Math.max(0, Math.floor(input.limit ?? 10));
  const nowMs = input.now === undefined ? undefined : parseInstant(input.now);
  const jobLocation = locationOf(job.lat, job.lng);
  const requiredSkills = job.requiredSkills ?? [];
  const bestAvailability = availabilityScore(firstSearchedDayOffset(job.desiredDate, timeZone, nowMs));
  // A ceiling is an upper bound only while no weight is negative (settings validated by the schema never are).
  const { weights } = settings;
  const boundable = weights.availability >= 0 && weights.rating >= 0 && weights.distance >= 0;

  const screened: Screened[] = [];
  const ranked: Ranked[] = [];
  const excluded: ExcludedContractor[] = [];
  const exclude = (contractor: RankableContractor, code: ExclusionCode, reason: string) =>
    excluded.push({ contractorId: contractor.id, name: contractor.name, reason, code });

  for (const contractor of input.contractors) {
    if (contractor.status !== 'active') {
      exclude(contractor, contractor.status, contractor.status.replaceAll('_', ' '));
      continue;
    }
    if (contractor.trade !== job.trade && contractor.trade !== MULTI_TRADE) {
      exclude(contractor, 'wrong_trade', `wrong trade (${contractor.trade})`);
      continue;
    }
    const skills = matchSkills(requiredSkills, contractor.skills ?? []);
    if (skills.missing.length > 0) {
      excluded.push({
        contractorId: contractor.id,
        name: contractor.name,
        reason: `missing skills (${skills.missing.join(', ')})`,
        code: 'missing_skills',
        missingSkills: skills.missing,
      });
      continue;
    }
    let miles: number | null = null;
    if (jobLocation) {
      const base = locationOf(contractor.baseLat, contractor.baseLng);
      if (!base) {
        exclude(contractor, 'no_base_location', 'no base location');
        continue;
      }
      miles = haversineMiles(base, jobLocation);
      if (miles > settings.maxDistanceMiles) {
        exclude(contractor, 'too_far', `too far (${miles.toFixed(1)} mi, limit ${settings.maxDistanceMiles})`);
        continue;
      }
    }
    const rating = ratingScore(contractor.rating);
    const distance = distanceScore(miles, settings.maxDistanceMiles);
    // Availability only falls with the day, and with weights ≥ 0 so does the
    // total, in floating point too: every real total is ≤ this ceiling.
    const ceiling = boundable
      ? totalScore({ availability: bestAvailability, rating, distance }, weights)
      : Number.POSITIVE_INFINITY;
    screened.push({ contractor, miles, matchedSkills: skills.matched, rating, distance, ceiling });
  }

  return {
    limit,
    screened,
    /** Looks for a free slot in the contractor's calendar: ranked if one is found, excluded if not. */
    checkCalendar(
      candidate: Screened,
      workingHours: readonly ContractorWorkingHours[],
      busy: readonly ContractorBusyInterval[],
    ) {
      const found = earliestFreeSlotMs({
        desiredDate: job.desiredDate,
        timeZone,
        workingHours,
        busy: busy.map(parseInterval),
        durationMinutes: job.durationMinutes,
        searchDays: settings.searchDays,
        slotMinutes: settings.slotMinutes,
        nowMs,
      });
      if (!found) {
        exclude(candidate.contractor, 'no_free_slot', `no free slot within ${settings.searchDays} days`);
        return;
      }
      const scores: ComponentScores = {
        availability: availabilityScore(found.dayOffset),
        rating: candidate.rating,
        distance: candidate.distance,
      };
      ranked.push({
        contractor: candidate.contractor,
        total: totalScore(scores, weights),
        scores,
        miles: candidate.miles,
        slots: found.slots,
        slotStart: found.slot.start,
        dayOffset: found.dayOffset,
        matchedSkills: candidate.matchedSkills,
      });
    },
    /**
     * True when a contractor with this ceiling (and everyone with a lower
     * one) can no longer enter the top `limit`: that many are ranked and
     * the `limit`-th best total is strictly above the ceiling.
     */
    settled(candidate: Screened): boolean {
      if (limit === 0) return true;
      if (ranked.length < limit) return false;
      return limitthBestTotal(ranked, limit) > candidate.ceiling;
    },
    result(): RecommendationResult {
      ranked.sort(compareRanked);
      excluded.sort((a, b) => compareText(a.name, b.name) || compareText(a.contractorId, b.contractorId));
      return {
        jobId: job.id,
        recommendations: ranked.slice(0, limit).map((r) => toRecommendation(r, settings, timeZone)),
        excluded,
      };
    },
  };
}

/** The `limit`-th highest total (1-based) among at least `limit` ranked contractors. */
function limitthBestTotal(ranked: readonly Ranked[], limit: number): number {
  const totals = ranked.map((r) => r.total).sort((a, b) => b - a);
  return totals[limit - 1] as number;
}

function toRecommendation(r: Ranked, settings: ScoringSettings, timeZone: string): Recommendation {
  return {
    contractorId: r.contractor.id,
    name: r.contractor.name,
    score: roundScore(r.total),
    breakdown: {
      availability: roundScore(r.scores.availability),
      rating: roundScore(r.scores.rating),
      distance: roundScore(r.scores.distance),
      weights: { ...settings.weights },
    },
    explanation: explainRecommendation({
      rating: r.contractor.rating,
      distanceMiles: r.miles,
      slotStart: r.slotStart,
      dayOffset: r.dayOffset,
      timeZone,
      matchedSkills: r.matchedSkills,
    }),
    distanceMiles: r.miles === null ? null : Math.round(r.miles * 100) / 100,
    slots: r.slots.map(formatInterval),
  };
}

function compareRanked(a: Ranked, b: Ranked): number {
  return (
    b.total - a.total ||
    compareMiles(a.miles, b.miles) ||
    compareText(a.contractor.name, b.contractor.name) ||
    compareText(a.contractor.id, b.contractor.id)
  );
}

// Unknown distances (job without a location) are all alike.
function compareMiles(a: number | null, b: number | null): number {
  if (a === null || b === null) return 0;
  return a - b;
}

/** Code-unit order: locale-independent, the same on every device. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function locationOf(lat: number | null | undefined, lng: number | null | undefined) {
  return typeof lat === 'number' && typeof lng === 'number' && Number.isFinite(lat) && Number.isFinite(lng)
    ? { lat, lng }
    : null;
}

function groupBy<T extends { contractorId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.contractorId);
    if (group) group.push(row);
    else groups.set(row.contractorId, [row]);
  }
  return groups;
}
