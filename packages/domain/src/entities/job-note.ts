import { z } from 'zod';
import { idSchema, isoDateTimeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const noteBodySchema = z.string().trim().min(1).max(10_000);

/** A note on a job. Append-only, so notes never conflict. */
export const jobNoteSchema = z.object({
  ...syncedRowShape,
  jobId: idSchema,
  authorId: idSchema.nullable(),
  body: noteBodySchema,
  /** When it was written on the device. */
  occurredAt: isoDateTimeSchema,
});
export type JobNote = z.infer<typeof jobNoteSchema>;
