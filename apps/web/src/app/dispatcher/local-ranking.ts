import {
  type AssignmentStatus,
  DEFAULT_SCORING_SETTINGS,
  isLiveAssignment,
  type Organization,
  type RankableContractor,
  type RankableJob,
  type RecommendationResult,
  rankContractors,
  type ScoringSettings,
  scoringSettingsOf,
} from '@fieldsync/domain';

/** The job to staff, as the local rows hold it: a job without a desired date is ranked from `today`. */
export type LocalRankingJob = Omit<RankableJob, 'desiredDate'> & { desiredDate: string | null };

/** Arguments of {@link rankJobOnDevice}: the device's own rows, unfiltered. */
export type LocalRankingInput = {
  job: LocalRankingJob;
  contractors: readonly RankableContractor[];
  workingHours: ReadonlyArray<{ contractorId: string; dayOfWeek: number; startTime: string; endTime: string }>;
  /** Every assignment on the device; only live ones of other jobs make a contractor busy. */
  assignments: ReadonlyArray<{
    jobId: string;
    contractorId: string;
    status: AssignmentStatus;
    scheduledStart: string;
    scheduledEnd: string;
  }>;
  /** Weights, radius and search window; {@link rankingSettingsOf} gives the company's. */
  settings: ScoringSettings;
  /** The company's IANA time zone. */
  timeZone: string;
  /** The company's today (`YYYY-MM-DD`), for a job without a desired date. */
  today: string;
  /** ISO instant; no slot before it is offered. */
  now: string;
  limit?: number;
};

/**
 * The ranking settings of the company: its own weights and radius once its
 * row has synced, the design's defaults before.
 */
export function rankingSettingsOf(
  organization: Pick<Organization, 'scoringWeights' | 'maxDistanceMiles'> | undefined,
): ScoringSettings {
  return organization ? scoringSettingsOf(organization) : DEFAULT_SCORING_SETTINGS;
}

/**
 * Recommendations for a job ranked on this device with the same domain code
 * the server runs. Pass `rankingSettingsOf(organization)` for the company's
 * ranking, or `scoringSettingsOf(draft)` to preview settings not saved yet.
 */
export function rankJobOnDevice(input: LocalRankingInput): RecommendationResult {
  const { job } = input;
  return rankContractors({
    job: {
      id: job.id,
      trade: job.trade,
      desiredDate: job.desiredDate ?? input.today,
      durationMinutes: job.durationMinutes,
      lat: job.lat,
      lng: job.lng,
      // Rows pulled before jobs had required skills lack the field: none then.
      requiredSkills: job.requiredSkills ?? [],
    },
    // Each contractor's `skills` rides along: a job with required skills leaves out who lacks one.
    contractors: input.contractors,
    workingHours: input.workingHours.map((row) => ({
      contractorId: row.contractorId,
      dayOfWeek: row.dayOfWeek,
      startTime: row.startTime,
      endTime: row.endTime,
    })),
    // A job's own assignments do not make its contractor busy for it: they are shown beside the ranking.
    busy: input.assignments
      .filter((a) => a.jobId !== job.id && isLiveAssignment(a.status))
      .map((a) => ({ contractorId: a.contractorId, start: a.scheduledStart, end: a.scheduledEnd })),
    settings: input.settings,
    timeZone: input.timeZone,
    limit: input.limit ?? 10,
    now: input.now,
  });
}
