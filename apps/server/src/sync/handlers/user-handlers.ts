/**
 * The company's people: invite, rename or change an office role, turn an
 * account off and on. Password and token data never travel in a mutation;
 * the invited person chooses their password through the invite link.
 */
import { randomUUID } from 'node:crypto';
import {
  CONTRACTOR_ROLE_CHANGE_MESSAGE,
  DEFAULT_WORKING_WEEK,
  INVITE_OFFICE_MESSAGE,
  newContractor,
  OWN_ACCOUNT_MESSAGE,
  OWN_ROLE_MESSAGE,
  USER_GONE_MESSAGE,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { revokeOpenLinksOf, revokeSessionsOf } from '../../auth/revocations';
import { contractors, users, workingHours } from '../../db/schema';
import { writeActivity } from '../activity';
import { applyFieldUpdate } from '../field-merge';
import { existingCreate, insertCreated } from '../idempotent-create';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { ADMIN_ONLY_MESSAGE, currentRoleOf, keepOneAdmin, lockActiveAdmins } from './admin-access';

export const EMAIL_TAKEN_MESSAGE = 'Someone already has an account with this email address.';

/**
 * Invites a person: their user row (no password until they accept the link)
 * and, for a contractor with details, the contractor row linked to them. An
 * email is unique across every company, whatever its case; two invites racing
 * for one address leave one row and one `email_taken`.
 */
export async function inviteUser(ctx: MutationContext, args: MutationArgs<'user.invite'>): Promise<HandlerOutcome> {
  const callerRole = await currentRoleOf(ctx);
  if (callerRole !== 'admin' && !(callerRole === 'dispatcher' && args.role === 'contractor')) {
    throw new MutationRejected('forbidden', callerRole === 'dispatcher' ? INVITE_OFFICE_MESSAGE : ADMIN_ONLY_MESSAGE);
  }
  // Any unique index may refuse the row: its id (in this company) or its email (in any).
  // A racing invite's row is waited for, then seen, without an error aborting the push.
  const inserted = await ctx.tx
    .insert(users)
    .values({
      orgId: ctx.user.orgId,
      id: args.id,
      email: args.email,
      passwordHash: null,
      name: args.name,
      role: args.role,
      active: true,
      invitedAt: ctx.recordedAt,
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (inserted.length === 0) {
    const existing = await existingCreate(ctx.tx, ctx.user.orgId, users, args.id, {
      email: args.email,
      name: args.name,
      role: args.role,
    });
    if (!existing) throw new MutationRejected('email_taken', EMAIL_TAKEN_MESSAGE);
    if (args.contractor) {
      const contractor = await existingCreate(ctx.tx, ctx.user.orgId, contractors, args.contractor.id, {
        userId: args.id,
        trade: args.contractor.trade,
      });
      if (!contractor) throw new MutationRejected('id_conflict', 'Something else was already saved under this id.');
    }
    return existing;
  }

  if (args.contractor) {
    const { id, ...details } = args.contractor;
    // The user is new, so a contractor row already under this id is someone else's: `id_conflict`.
    await insertCreated(
      ctx.tx,
      ctx.user.orgId,
      contractors,
      {
        orgId: ctx.user.orgId,
        ...newContractor({ ...details, id, userId: args.id, name: args.name, email: args.email }),
      },
      { userId: args.id },
    );
    await ctx.tx.insert(workingHours).values(
      DEFAULT_WORKING_WEEK.map((day) => ({
        orgId: ctx.user.orgId,
        id: randomUUID(),
        contractorId: id,
        dayOfWeek: day.dayOfWeek,
        startTime: day.start,
        endTime: day.end,
      })),
    );
    ctx.touchedContractorIds.add(id);
  }
  await writeActivity(ctx, {
    entityType: 'user',
    entityId: args.id,
    action: 'user.invited',
    details: { role: args.role, ...(args.contractor ? { contractorId: args.contractor.id } : {}) },
  });
  return APPLIED;
}

/**
 * Renames a person or moves them between admin and dispatcher, field by
 * field like any update. Refused: changing one's own role, leaving the
 * company without an active admin, and moving anyone into or out of the
 * contractor role (their contractor row and jobs would be left behind).
 */
export async function updateUser(ctx: MutationContext, args: MutationArgs<'user.update'>): Promise<HandlerOutcome> {
  const admins = await lockActiveAdmins(ctx);
  const target = await userRow(ctx, args.id);
  const newRole = args.patch.role;
  if (newRole !== undefined && newRole !== target.role) {
    if (args.id === ctx.user.userId) throw new MutationRejected('validation_failed', OWN_ROLE_MESSAGE);
    if (newRole === 'contractor' || target.role === 'contractor') {
      throw new MutationRejected('validation_failed', CONTRACTOR_ROLE_CHANGE_MESSAGE);
    }
    if (target.active) keepOneAdmin(admins, args.id);
  }
  return applyFieldUpdate(ctx, 'users', args);
}

/**
 * Turns an account off or back on. Off: no sign-in, every session revoked in
 * this transaction, open invite links void, and a contractor's row becomes
 * `inactive` so recommendations leave them out (their assignments stay, for
 * the office to hand on). Each instance refuses their access tokens within
 * its account-status TTL; this one at once, after commit. On: active again,
 * and an `inactive` contractor row `active`.
 */
export async function setUserActive(
  ctx: MutationContext,
  args: MutationArgs<'user.setActive'>,
): Promise<HandlerOutcome> {
  const admins = await lockActiveAdmins(ctx);
  if (args.id === ctx.user.userId) throw new MutationRejected('validation_failed', OWN_ACCOUNT_MESSAGE);
  const target = await userRow(ctx, args.id);
  if (target.active === args.active) return APPLIED;
  if (!args.active) keepOneAdmin(admins, args.id);

  const theirs = and(eq(users.orgId, ctx.user.orgId), eq(users.id, args.id));
  await ctx.tx.update(users).set({ active: args.active }).where(theirs);
  if (!args.active) {
    const person = { orgId: ctx.user.orgId, userId: args.id };
    await revokeSessionsOf(ctx.tx, person, ctx.recordedAt);
    await revokeOpenLinksOf(ctx.tx, person, ctx.recordedAt);
  }
  // Off: the contractor row becomes inactive, whatever it was. On: only an inactive row comes back.
  const changed = await ctx.tx
    .update(contractors)
    .set({ status: args.active ? 'active' : 'inactive' })
    .where(
      and(
        eq(contractors.orgId, ctx.user.orgId),
        eq(contractors.userId, args.id),
        isNull(contractors.deletedAt),
        args.active ? eq(contractors.status, 'inactive') : ne(contractors.status, 'inactive'),
      ),
    )
    .returning({ id: contractors.id });
  for (const row of changed) ctx.touchedContractorIds.add(row.id);
  ctx.touchedUserIds.add(args.id);
  ctx.accountsChanged.add(args.id);
  await writeActivity(ctx, {
    entityType: 'user',
    entityId: args.id,
    action: args.active ? 'user.reactivated' : 'user.deactivated',
    details: { role: target.role, ...(changed[0] ? { contractorId: changed[0].id } : {}) },
  });
  return APPLIED;
}

/** A person of the caller's company, row-locked. */
async function userRow(ctx: MutationContext, id: string) {
  const [row] = await ctx.tx
    .select({ role: users.role, active: users.active })
    .from(users)
    .where(and(eq(users.orgId, ctx.user.orgId), eq(users.id, id), isNull(users.deletedAt)))
    .for('no key update');
  if (!row) throw new MutationRejected('not_found', USER_GONE_MESSAGE);
  return row;
}
