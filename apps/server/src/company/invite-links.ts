import { randomBytes, randomUUID } from 'node:crypto';
import { canRole } from '@fieldsync/domain';
import type { InviteLinkResponse, LoginResponse } from '@fieldsync/protocol';
import { and, eq, gt, isNull, TransactionRollbackError } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { AuthService } from '../auth/auth-service';
import { hashPassword } from '../auth/passwords';
import { revokeOpenLinksOf } from '../auth/revocations';
import { type AuthUser, hashToken } from '../auth/tokens';
import { type Db, registerChangeWriter } from '../db/database';
import { inviteTokens, organizations, users } from '../db/schema';
import { ApiError } from '../errors';
import { escapeHtml, type Mailer } from './mailer';

/** How long a link works. */
export const INVITE_TTL_MS = 7 * 86_400_000;

const INVALID_INVITE =
  'This link no longer works: it was used, replaced by a newer one, or has expired. Ask your office for a new link.';
const TOO_MANY_INVITE_FAILURES = 'Too many links that did not work. Wait a few minutes and try again.';
const NO_SUCH_USER = 'There is no such person in your company.';

export interface InviteLinkDeps {
  auth: AuthService;
  now: () => Date;
  logger: Logger;
  /** Sends the link by e-mail too; absent when `SMTP_URL` is not set. */
  mailer?: Mailer | undefined;
  /** Base of the links; the request's origin when absent. */
  publicUrl?: string | undefined;
}

/** The link for a token: the app's invite screen, which reads the token from the fragment (never sent to a server log). */
export function inviteUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/#/invite/${token}`;
}

/**
 * Single-use links to choose a password. For a person whose invite is open the
 * link accepts the invite; for an active person it is a password reset. Only
 * the SHA-256 of a token is stored; asking again revokes the open links of
 * that person.
 */
export function createInviteLinks(db: Db, deps: InviteLinkDeps) {
  /**
   * What the caller may do for this person: an admin for anyone, a dispatcher for
   * contractors, a contractor for nobody. The caller's role is read from the
   * database, not the access token, so a demotion counts at once.
   */
  async function targetFor(caller: AuthUser, userId: string) {
    const [me] = await db
      .select({ role: users.role })
      .from(users)
      .where(and(eq(users.orgId, caller.orgId), eq(users.id, caller.userId)));
    const role = (me?.role ?? caller.role) as AuthUser['role'];
    if (!canRole(role, 'contractors.invite')) {
      throw new ApiError('forbidden', 'Only the office can send sign-in links.');
    }
    const [target] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, caller.orgId), eq(users.id, userId), isNull(users.deletedAt)));
    if (!target) throw new ApiError('not_found', NO_SUCH_USER);
    if (target.role !== 'contractor' && !canRole(role, 'users.manage')) {
      throw new ApiError('forbidden', 'Only an admin can send sign-in links to office people.');
    }
    if (!target.active) {
      throw new ApiError('validation_failed', `${target.name} is deactivated. Reactivate them before sending a link.`);
    }
    return target;
  }

  /** E-mails the link; a failure is logged (without the link) and reported as not e-mailed. */
  async function emailLink(target: typeof users.$inferSelect, url: string, expiresAt: string): Promise<boolean> {
    if (!deps.mailer) return false;
    const [org] = await db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, target.orgId));
    const message = linkEmail({
      isInvite: target.passwordHash === null,
      personName: target.name,
      companyName: org?.name ?? 'your company',
      url,
      expiresAt,
    });
    try {
      await deps.mailer.send({ to: target.email, ...message });
      return true;
    } catch (error) {
      deps.logger.warn(
        { orgId: target.orgId, userId: target.id, reason: error instanceof Error ? error.message : String(error) },
        'sign-in link not e-mailed',
      );
      return false;
    }
  }

  return {
    /**
     * Issues a new link for `userId` of the caller's company, revoking the open ones.
     * `not_found` for an unknown person or one of another company, `forbidden` per role,
     * `validation_failed` for a deactivated person.
     */
    async issue(caller: AuthUser, userId: string, requestOrigin: string): Promise<InviteLinkResponse> {
      const target = await targetFor(caller, userId);
      const token = randomBytes(32).toString('base64url');
      const issuedAt = deps.now();
      const expiresAt = new Date(issuedAt.getTime() + INVITE_TTL_MS).toISOString();
      await db.transaction(async (tx) => {
        // Asking again replaces the link: the older ones stop working.
        await revokeOpenLinksOf(tx, { orgId: target.orgId, userId: target.id }, issuedAt.toISOString());
        await tx.insert(inviteTokens).values({
          orgId: target.orgId,
          id: randomUUID(),
          userId: target.id,
          tokenHash: hashToken(token),
          expiresAt,
          createdAt: issuedAt.toISOString(),
        });
      });
      const url = inviteUrl(deps.publicUrl ?? requestOrigin, token);
      const emailed = await emailLink(target, url, expiresAt);
      return { url, token, expiresAt, emailed };
    },

    /**
     * Spends a link: sets the password, ends the person's other sessions (a reset
     * is often a lost or stolen phone) and signs them in. A used, revoked, expired
     * or unknown token, or a deactivated person, is `invalid_invite`; such failures
     * count against the address, `rate_limited` past `loginMaxFailures`.
     */
    async accept(token: string, password: string, clientAddress: string): Promise<LoginResponse> {
      if (!(await deps.auth.admitAddress('invite', clientAddress, false))) {
        throw new ApiError('rate_limited', TOO_MANY_INVITE_FAILURES);
      }
      const tokenHash = hashToken(token);
      const refuse = async (): Promise<never> => {
        await deps.auth.recordAddressFailure('invite', clientAddress);
        throw new ApiError('invalid_invite', INVALID_INVITE);
      };
      // A cheap look first, so a dead link costs no password hashing.
      if (!(await usableToken(tokenHash))) return refuse();
      const passwordHash = await hashPassword(password);

      const accepted = await db
        .transaction(async (tx) => {
          const at = deps.now().toISOString();
          // The claim: of two accepts of one token, the second waits on the row and then finds it used.
          const [claimed] = await tx
            .update(inviteTokens)
            .set({ usedAt: at })
            .where(
              and(
                eq(inviteTokens.tokenHash, tokenHash),
                isNull(inviteTokens.usedAt),
                isNull(inviteTokens.revokedAt),
                gt(inviteTokens.expiresAt, at),
              ),
            )
            .returning();
          if (!claimed) return undefined;
          await registerChangeWriter(tx);
          const [user] = await tx
            .update(users)
            .set({ passwordHash, lastSeenAt: at })
            .where(
              and(
                eq(users.orgId, claimed.orgId),
                eq(users.id, claimed.userId),
                eq(users.active, true),
                isNull(users.deletedAt),
              ),
            )
            .returning();
          // A deactivated person: roll back, so the token is not spent by a refusal.
          if (!user) tx.rollback();
          await deps.auth.revokeSessions({ orgId: claimed.orgId, userId: claimed.userId }, tx);
          return user;
        })
        .catch((error: unknown) => {
          if (error instanceof TransactionRollbackError) return undefined;
          throw error;
        });
      if (!accepted) return refuse();
      return deps.auth.startSession(accepted);
    },
  };

  async function usableToken(tokenHash: string): Promise<boolean> {
    const [row] = await db
      .select({ id: inviteTokens.id })
      .from(inviteTokens)
      .where(
        and(
          eq(inviteTokens.tokenHash, tokenHash),
          isNull(inviteTokens.usedAt),
          isNull(inviteTokens.revokedAt),
          gt(inviteTokens.expiresAt, deps.now().toISOString()),
        ),
      );
    return Boolean(row);
  }
}

export type InviteLinks = ReturnType<typeof createInviteLinks>;

/** The invite or reset e-mail: plain text, and the same in simple HTML. */
export function linkEmail(input: {
  isInvite: boolean;
  personName: string;
  companyName: string;
  url: string;
  expiresAt: string;
}): { subject: string; text: string; html: string } {
  const until = new Date(input.expiresAt).toUTCString();
  const subject = input.isInvite
    ? `You're invited to ${input.companyName} on Fieldsync`
    : 'Reset your Fieldsync password';
  const lead = input.isInvite
    ? `${input.companyName} invited you to Fieldsync. Open this link to choose your password and sign in:`
    : `Someone at ${input.companyName} sent you a link to choose a new Fieldsync password. Open it to set one; your devices will be signed out:`;
  const after = `The link works once, until ${until}. If you did not expect this e-mail, ignore it.`;
  const text = `Hello ${input.personName},\n\n${lead}\n\n${input.url}\n\n${after}\n`;
  const html = [
    `<p>Hello ${escapeHtml(input.personName)},</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    `<p><a href="${escapeHtml(input.url)}">${input.isInvite ? 'Accept the invite' : 'Choose a new password'}</a></p>`,
    `<p>${escapeHtml(after)}</p>`,
  ].join('\n');
  return { subject, text, html };
}
