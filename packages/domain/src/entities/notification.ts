import { z } from 'zod';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** An entry in one person's notification feed, written by an alert rule's `dashboard` channel. */
export const notificationSchema = z.object({
  ...syncedRowShape,
  userId: idSchema,
  /** The alert event that raised it (`job.status_changed`, …). */
  event: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  title: textSchema({ max: TEXT_LIMITS.address }),
  body: textSchema({ max: TEXT_LIMITS.longText }),
  /** What it is about: a synced table name and the row's id. */
  entityType: textSchema({ max: TEXT_LIMITS.label }).nullable(),
  entityId: idSchema.nullable(),
  /** The job it concerns, where there is one: a tap opens it. */
  jobId: idSchema.nullable(),
  readAt: isoDateTimeSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
