import { z } from 'zod';
import { roleSchema } from '../enums/role';
import { isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** A person who signs in. Never carries password or token data. */
export const userSchema = z.object({
  ...syncedRowShape,
  email: textSchema({ min: 3, max: TEXT_LIMITS.email }),
  name: textSchema({ min: 1, max: TEXT_LIMITS.name }),
  role: roleSchema,
  /** False once an admin deactivated the account: no sign-in, no sync. */
  active: z.boolean(),
  /** When the person was invited; null for a company's founding admin. */
  invitedAt: isoDateTimeSchema.nullable(),
  /** The last sign-in or token refresh; null until an invite is accepted. */
  lastSeenAt: isoDateTimeSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;

/** Where a person stands, as the people screen shows it. */
export type UserStatus = 'invited' | 'active' | 'deactivated';

export function userStatus(user: Pick<User, 'active' | 'lastSeenAt' | 'invitedAt'>): UserStatus {
  if (!user.active) return 'deactivated';
  // Invited and never signed in: the invite is still open.
  return user.invitedAt !== null && user.lastSeenAt === null ? 'invited' : 'active';
}

/** An email as typed, for sign-up and invites: trimmed, with one @ and a dot after it. */
export const emailSchema = textSchema({ trim: true, min: 3, max: TEXT_LIMITS.email }).refine(
  (email) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email),
  { message: 'must be an email address such as name@example.com' },
);
