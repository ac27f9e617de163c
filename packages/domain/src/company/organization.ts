import { z } from 'zod';
import { syncedRowShape } from '../entities/synced-row';
import { TEXT_LIMITS, textSchema } from '../wire-formats';
import { timeFormatSchema, timeZoneSchema } from './time-zone';

// Weights are compared with a tolerance because 0.4 + 0.35 + 0.25 is not exactly 1 in floating point.
const WEIGHT_SUM_TOLERANCE = 1e-6;

/** How much availability, rating and distance count when contractors are ranked. */
export const scoringWeightsSchema = z
  .strictObject({
    availability: z.number().min(0).max(1),
    rating: z.number().min(0).max(1),
    distance: z.number().min(0).max(1),
  })
  .refine((w) => Math.abs(w.availability + w.rating + w.distance - 1) <= WEIGHT_SUM_TOLERANCE, {
    message: 'scoring weights must add up to 1 (100 %)',
  });
export type ScoringWeights = z.infer<typeof scoringWeightsSchema>;

/** The most a company may set as its recommendation radius. */
export const MAX_DISTANCE_MILES_LIMIT = 500;
/** ISO 4217 code, e.g. USD or EUR. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as USD');

/** The settings a company edits (`org.update`'s patch fields). */
export const organizationSettingsShape = {
  name: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  timeZone: timeZoneSchema,
  timeFormat: timeFormatSchema,
  scoringWeights: scoringWeightsSchema,
  maxDistanceMiles: z.number().positive().max(MAX_DISTANCE_MILES_LIMIT),
  /** Minutes past an assignment's scheduled start before it counts as overdue. */
  overdueMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Hours without a sync before a device counts as stale. */
  staleDeviceHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  currency: currencySchema,
  /** Sales tax in hundredths of a percent (825 = 8.25 %). */
  taxRateBasisPoints: z.number().int().min(0).max(10_000),
};

/** A company: its name, clock and the settings its ranking and alerts use. One row, the user's own. */
export const organizationSchema = z.object({ ...syncedRowShape, ...organizationSettingsShape });
export type Organization = z.infer<typeof organizationSchema>;

export const ORGANIZATION_EDITABLE_FIELDS = Object.keys(organizationSettingsShape) as Array<
  keyof typeof organizationSettingsShape
>;

/** What a new company starts with besides its name, zone and clock. */
export const DEFAULT_ORGANIZATION_SETTINGS = {
  scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 },
  maxDistanceMiles: 50,
  overdueMinutes: 30,
  staleDeviceHours: 4,
  currency: 'USD',
  taxRateBasisPoints: 0,
} as const satisfies Partial<Organization>;
