import { z } from 'zod';
import { roleSchema } from '../enums/role';
import { isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** A person who signs in. Never carries password data. */
export const userSchema = z.object({
  ...syncedRowShape,
  email: textSchema({ min: 3, max: TEXT_LIMITS.email }),
  name: textSchema({ min: 1, max: TEXT_LIMITS.name }),
  role: roleSchema,
  isActive: z.boolean(),
  lastLoginAt: isoDateTimeSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;
