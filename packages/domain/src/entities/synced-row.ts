import { z } from 'zod';
import { idSchema, isoDateTimeSchema } from '../wire-formats';

/**
 * Columns every synced row carries on the wire. `orgId` is never sent: a pull
 * is already scoped to the user's organisation. `version` comes from one
 * change sequence across all tables; `deletedAt` marks a tombstone.
 */
export const syncedRowShape = {
  id: idSchema,
  version: z.number().int().nonnegative(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  deletedAt: isoDateTimeSchema.nullable(),
};
