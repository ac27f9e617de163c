import { z } from 'zod';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const noteBodySchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.longText });

/** A note on a job. Append-only, so notes never conflict. */
export const jobNoteSchema = z.object({
  ...syncedRowShape,
  jobId: idSchema,
  authorId: idSchema.nullable(),
  body: noteBodySchema,
  /** When it was written on the device. */
  occurredAt: isoDateTimeSchema,
  /** Written on the phone before the office's cancellation or reassignment reached it (see rules/late-work). */
  recordedAfterCancellation: z.boolean(),
});
export type JobNote = z.infer<typeof jobNoteSchema>;
