import { z } from 'zod';

// Weights are compared with a tolerance because 0.4 + 0.35 + 0.25 is not
// exactly 1 in floating point.
const WEIGHT_SUM_TOLERANCE = 1e-6;

/**
 * An organization's scoring settings (stored in `organizations.settings`).
 * Weights are non-negative and sum to 1, so a total score stays in 0 … 1.
 */
export const scoringSettingsSchema = z.object({
  weights: z
    .object({
      availability: z.number().min(0).max(1),
      rating: z.number().min(0).max(1),
      distance: z.number().min(0).max(1),
    })
    .refine((w) => Math.abs(w.availability + w.rating + w.distance - 1) <= WEIGHT_SUM_TOLERANCE, {
      message: 'Scoring weights must sum to 1',
    }),
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
  weights: { availability: 0.4, rating: 0.35, distance: 0.25 },
  maxDistanceMiles: 50,
  searchDays: 10,
  slotMinutes: 30,
};
