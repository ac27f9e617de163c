import { z } from 'zod';
import { activitySourceSchema } from '../enums/activity-source';
import { idSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** One entry of the audit trail. Append-only. */
export const activityLogSchema = z.object({
  ...syncedRowShape,
  entityType: z.string().min(1),
  entityId: idSchema,
  action: z.string().min(1),
  details: z.record(z.string(), z.json()),
  userId: idSchema.nullable(),
  jobId: idSchema.nullable(),
  source: activitySourceSchema,
});
export type ActivityLog = z.infer<typeof activityLogSchema>;
