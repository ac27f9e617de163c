import { z } from 'zod';
import { idSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const starsSchema = z.number().int().min(1).max(5);

/** A dispatcher's 1–5 star rating of one finished assignment (one per assignment). */
export const ratingSchema = z.object({
  ...syncedRowShape,
  assignmentId: idSchema,
  contractorId: idSchema,
  stars: starsSchema,
  comment: textSchema({ max: TEXT_LIMITS.reason }).nullable(),
  ratedBy: idSchema.nullable(),
});
export type Rating = z.infer<typeof ratingSchema>;
