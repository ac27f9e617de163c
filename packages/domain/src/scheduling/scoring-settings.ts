import { z } from 'zod';
import { DEFAULT_ORGANIZATION_SETTINGS, type Organization, scoringWeightsSchema } from '../company/organization';

/**
 * What ranking contractors needs: the organisation's weights and distance
 * cut-off, and the search window. Weights are non-negative and sum to 1, so
 * a total score stays in 0 … 1.
 */
export const scoringSettingsSchema = z.object({
  weights: scoringWeightsSchema,
  /** Contractors farther than this from the job are not recommended. */
  maxDistanceMiles: z.number().positive(),
  /** How many days after the desired date a free slot may be (10: day 0 … day 10). */
  searchDays: z.number().int().min(0).max(60),
  /** Step between candidate slot starts. */
  slotMinutes: z.number().int().min(5).max(240),
});

/** Weights, distance cut-off and search window used to rank contractors. */
export type ScoringSettings = z.infer<typeof scoringSettingsSchema>;

/** The defaults from the design: 0.40 / 0.35 / 0.25, 50 miles, 10 days, 30-minute slots. */
export const DEFAULT_SCORING_SETTINGS: ScoringSettings = {
  weights: { ...DEFAULT_ORGANIZATION_SETTINGS.scoringWeights },
  maxDistanceMiles: DEFAULT_ORGANIZATION_SETTINGS.maxDistanceMiles,
  searchDays: 10,
  slotMinutes: 30,
};

/** The ranking settings of a company: its own weights and radius, the default search window. */
export function scoringSettingsOf(org: Pick<Organization, 'scoringWeights' | 'maxDistanceMiles'>): ScoringSettings {
  return { ...DEFAULT_SCORING_SETTINGS, weights: org.scoringWeights, maxDistanceMiles: org.maxDistanceMiles };
}
