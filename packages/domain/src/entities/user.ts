import { z } from 'zod';
import { roleSchema } from '../enums/role';
import { isoDateTimeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** A person who signs in. Never carries password data. */
export const userSchema = z.object({
  ...syncedRowShape,
  email: z.string().min(3),
  name: z.string().min(1),
  role: roleSchema,
  isActive: z.boolean(),
  lastLoginAt: isoDateTimeSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;
