import { z } from 'zod';
import { idSchema, isoDateTimeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** An entry in a user's in-app notification feed. */
export const notificationSchema = z.object({
  ...syncedRowShape,
  userId: idSchema,
  type: z.string().min(1),
  title: z.string(),
  message: z.string(),
  entityType: z.string().nullable(),
  entityId: idSchema.nullable(),
  readAt: isoDateTimeSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
