/**
 * Who may administer the company. The role in an access token may be up to
 * its lifetime old, so an admin-only change also checks the caller's row:
 * an admin demoted or turned off a minute ago cannot go on managing people.
 */
import type { Action, Role } from '@fieldsync/domain';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { users } from '../../db/schema';
import { type MutationContext, MutationRejected } from '../mutation-context';

/** Permissions only an admin holds: the message says "admin", not "office". */
export const ADMIN_ONLY_ACTIONS: ReadonlySet<Action> = new Set<Action>(['users.manage', 'org.manage']);
export const ADMIN_ONLY_MESSAGE = 'Only an admin can make this change.';

/** The caller's role as their row says now, or undefined when the row is gone or turned off. */
export async function currentRoleOf(ctx: MutationContext): Promise<Role | undefined> {
  const [row] = await ctx.tx
    .select({ role: users.role, active: users.active })
    .from(users)
    .where(and(eq(users.orgId, ctx.user.orgId), eq(users.id, ctx.user.userId), isNull(users.deletedAt)));
  return row?.active ? (row.role as Role) : undefined;
}

/**
 * Locks the organisation's active admins (in id order) and checks the caller
 * is still one of them. Answers their ids. Two admins demoting or turning off
 * each other at once queue here, so the second sees the first's change and
 * the company is never left without an admin.
 */
export async function lockActiveAdmins(ctx: MutationContext): Promise<string[]> {
  const rows = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(eq(users.orgId, ctx.user.orgId), eq(users.role, 'admin'), eq(users.active, true), isNull(users.deletedAt)),
    )
    .orderBy(asc(users.id))
    .for('no key update');
  const ids = rows.map((row) => row.id);
  if (!ids.includes(ctx.user.userId)) throw new MutationRejected('forbidden', ADMIN_ONLY_MESSAGE);
  return ids;
}

/** Refuses a change that would leave the company without an active admin. */
export function keepOneAdmin(admins: string[], losing: string) {
  if (admins.includes(losing) && admins.every((id) => id === losing)) {
    throw new MutationRejected('validation_failed', LAST_ADMIN_MESSAGE);
  }
}

export const LAST_ADMIN_MESSAGE = 'The company must keep at least one active admin. Make someone else an admin first.';
