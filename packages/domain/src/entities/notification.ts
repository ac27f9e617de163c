import { z } from 'zod';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** An entry in a user's in-app notification feed. */
export const notificationSchema = z.object({
  ...syncedRowShape,
  userId: idSchema,
  type: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  title: textSchema({ max: TEXT_LIMITS.address }),
  message: textSchema({ max: TEXT_LIMITS.longText }),
  entityType: textSchema({ max: TEXT_LIMITS.label }).nullable(),
  entityId: idSchema.nullable(),
  readAt: isoDateTimeSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
