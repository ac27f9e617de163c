/**
 * Ending what lets a person in: their refresh tokens (sessions) and their
 * open invite or reset links. Shared by the auth service, invite links and
 * the people mutations, which run them inside their own transactions.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/database';
import { inviteTokens, refreshTokens } from '../db/schema';

interface Person {
  orgId: string;
  userId: string;
}

/** Revokes every refresh token of the person still alive: all their sessions end. */
export async function revokeSessionsOf(executor: DbOrTx, person: Person, at: string): Promise<void> {
  await executor
    .update(refreshTokens)
    .set({ revokedAt: at })
    .where(
      and(
        eq(refreshTokens.orgId, person.orgId),
        eq(refreshTokens.userId, person.userId),
        isNull(refreshTokens.revokedAt),
      ),
    );
}

/** Revokes the person's invite and reset links not used yet. */
export async function revokeOpenLinksOf(executor: DbOrTx, person: Person, at: string): Promise<void> {
  await executor
    .update(inviteTokens)
    .set({ revokedAt: at })
    .where(
      and(
        eq(inviteTokens.orgId, person.orgId),
        eq(inviteTokens.userId, person.userId),
        isNull(inviteTokens.usedAt),
        isNull(inviteTokens.revokedAt),
      ),
    );
}
