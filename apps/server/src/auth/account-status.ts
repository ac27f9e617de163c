import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/database';
import { users } from '../db/schema';
import type { AuthUser } from './tokens';

/**
 * How long one instance trusts its last answer about an account. With the
 * event-stream re-check below, a person the office turns off is out within
 * 5 s on every instance, with no messages between instances.
 */
export const ACCOUNT_STATUS_TTL_MS = 2_000;
/** How often an open event stream asks again whether its account is still active. */
export const ACCOUNT_RECHECK_MS = 2_000;
/** What every refused request of a deactivated or deleted account says. */
export const ACCOUNT_DISABLED_MESSAGE = 'This account is no longer active. Ask your office if this is a mistake.';

/** Past this many remembered accounts, answers that have aged out are dropped. */
const SWEEP_ABOVE = 10_000;

/** Whether the person behind a still-valid access token may still use the API. */
export interface AccountStatus {
  /**
   * False once the user is deactivated, soft-deleted or gone. Answers may be
   * up to the TTL old; a database error rejects (and is not remembered).
   */
  isActive(user: Pick<AuthUser, 'orgId' | 'userId'>): Promise<boolean>;
  /** Drops this instance's remembered answer, after a change made here. */
  forget(user: Pick<AuthUser, 'orgId' | 'userId'>): void;
}

/** Account status read from `users`, remembered per instance for `ttlMs` of the injected clock. */
export function createAccountStatus(db: Db, now: () => Date, ttlMs = ACCOUNT_STATUS_TTL_MS): AccountStatus {
  const remembered = new Map<string, { answer: Promise<boolean>; checkedAt: number }>();
  const keyOf = (user: Pick<AuthUser, 'orgId' | 'userId'>) => `${user.orgId}:${user.userId}`;

  async function lookUp(user: Pick<AuthUser, 'orgId' | 'userId'>): Promise<boolean> {
    const [row] = await db
      .select({ active: users.active })
      .from(users)
      .where(and(eq(users.orgId, user.orgId), eq(users.id, user.userId), isNull(users.deletedAt)));
    return row?.active === true;
  }

  function sweep(at: number) {
    for (const [key, entry] of remembered) if (at - entry.checkedAt >= ttlMs) remembered.delete(key);
  }

  return {
    isActive(user) {
      const key = keyOf(user);
      const at = now().getTime();
      const known = remembered.get(key);
      if (known && at - known.checkedAt < ttlMs) return known.answer;
      if (remembered.size > SWEEP_ABOVE) sweep(at);
      // Requests arriving together share one lookup.
      const answer = lookUp(user);
      const entry = { answer, checkedAt: at };
      remembered.set(key, entry);
      answer.catch(() => {
        if (remembered.get(key) === entry) remembered.delete(key);
      });
      return answer;
    },
    forget(user) {
      remembered.delete(keyOf(user));
    },
  };
}
