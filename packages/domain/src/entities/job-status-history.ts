import { z } from 'zod';
import { jobStatusSchema } from '../enums/job-status';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** One applied job status change. Append-only. */
export const jobStatusHistorySchema = z.object({
  ...syncedRowShape,
  jobId: idSchema,
  /** Null for the first status a job gets. */
  fromStatus: jobStatusSchema.nullable(),
  toStatus: jobStatusSchema,
  changedBy: idSchema.nullable(),
  reason: textSchema({ max: TEXT_LIMITS.reason }).nullable(),
  /** When it happened on the device. */
  occurredAt: isoDateTimeSchema,
  /** When the server learned of it. */
  recordedAt: isoDateTimeSchema,
  clientId: idSchema.nullable(),
  seq: z.number().int().positive().nullable(),
});
export type JobStatusHistory = z.infer<typeof jobStatusHistorySchema>;
