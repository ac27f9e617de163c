import { z } from 'zod';

/** A proposed slot, ISO 8601 UTC instants. */
export const slotSchema = z.object({ start: z.string(), end: z.string() });

/**
 * One ranked contractor in `GET /api/jobs/:id/recommendations`. Scores are
 * rounded to 4 decimals; the ranking itself used the unrounded total.
 */
export const recommendationSchema = z.object({
  contractorId: z.string(),
  name: z.string(),
  /** Σ weight × score, 0 … 1. */
  score: z.number(),
  breakdown: z.object({
    availability: z.number(),
    rating: z.number(),
    distance: z.number(),
    weights: z.object({ availability: z.number(), rating: z.number(), distance: z.number() }),
  }),
  /** One line for the dispatcher, times in the organization's time zone. */
  explanation: z.string(),
  /** Miles from the contractor's base to the job; null when the job has no location. */
  distanceMiles: z.number().nullable(),
  /** The earliest free slot first, then up to two more. */
  slots: z.array(slotSchema),
});

/**
 * Why a contractor is left out, for code: `inactive` / `on_leave` (status),
 * `wrong_trade`, `missing_skills` (lacks a skill the job requires),
 * `no_base_location`, `too_far`, `no_free_slot`.
 */
export const EXCLUSION_CODES = [
  'inactive',
  'on_leave',
  'wrong_trade',
  'missing_skills',
  'no_base_location',
  'too_far',
  'no_free_slot',
] as const;
export const exclusionCodeSchema = z.enum(EXCLUSION_CODES);

/** A contractor left out of the ranking and why: `reason` in words a dispatcher reads, `code` for code. */
export const excludedContractorSchema = z.object({
  contractorId: z.string(),
  name: z.string(),
  reason: z.string(),
  code: exclusionCodeSchema,
  /** With `missing_skills`: the job's required skills this contractor lacks. */
  missingSkills: z.array(z.string()).optional(),
});

/** The answer of `GET /api/jobs/:id/recommendations`: best first, then everyone excluded. */
export const recommendationResultSchema = z.object({
  jobId: z.string(),
  recommendations: z.array(recommendationSchema),
  excluded: z.array(excludedContractorSchema),
});

/** A proposed slot, ISO 8601 UTC instants. */
export type Slot = z.infer<typeof slotSchema>;
/** One ranked contractor; see {@link recommendationSchema}. */
export type Recommendation = z.infer<typeof recommendationSchema>;
/** Why a contractor is left out; see {@link EXCLUSION_CODES}. */
export type ExclusionCode = z.infer<typeof exclusionCodeSchema>;
/** A contractor left out of the ranking; see {@link excludedContractorSchema}. */
export type ExcludedContractor = z.infer<typeof excludedContractorSchema>;
/** Recommendations for one job; see {@link recommendationResultSchema}. */
export type RecommendationResult = z.infer<typeof recommendationResultSchema>;
