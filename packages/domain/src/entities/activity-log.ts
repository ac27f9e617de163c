import { z } from 'zod';
import { activitySourceSchema } from '../enums/activity-source';
import { idSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** One entry of the audit trail. Append-only. */
export const activityLogSchema = z.object({
  ...syncedRowShape,
  entityType: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  entityId: idSchema,
  action: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  details: z.record(z.string(), z.json()),
  userId: idSchema.nullable(),
  jobId: idSchema.nullable(),
  source: activitySourceSchema,
});
export type ActivityLog = z.infer<typeof activityLogSchema>;
