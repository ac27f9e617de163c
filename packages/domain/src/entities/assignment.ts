import { z } from 'zod';
import { assignmentStatusSchema } from '../enums/assignment-status';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

const unitScore = z.number().min(0).max(1);

/** Why a contractor scored what they did: three part scores and the weights used. */
export const scoreBreakdownSchema = z.object({
  availability: unitScore,
  rating: unitScore,
  distance: unitScore,
  /** The weights of the scoring settings, which sum to 1. */
  weights: z.object({ availability: unitScore, rating: unitScore, distance: unitScore }),
  explanation: textSchema({ max: TEXT_LIMITS.reason }).optional(),
});
export type ScoreBreakdown = z.infer<typeof scoreBreakdownSchema>;

/** One contractor booked on one job for a time window. */
export const assignmentSchema = z.object({
  ...syncedRowShape,
  jobId: idSchema,
  contractorId: idSchema,
  status: assignmentStatusSchema,
  scheduledStart: isoDateTimeSchema,
  scheduledEnd: isoDateTimeSchema,
  /** 0–1, from the recommendation the dispatcher picked; null when assigned by hand. */
  score: unitScore.nullable(),
  scoreBreakdown: scoreBreakdownSchema.nullable(),
  cancellationReason: textSchema({ max: TEXT_LIMITS.reason }).nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;
