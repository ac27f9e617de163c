/** The browsers that turned on notifications: one row per push endpoint, owned by one user. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/database';
import { pushSubscriptions } from '../db/schema';

export interface StoredPushSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * Saves a browser's subscription for `userId`. An endpoint belongs to one
 * browser profile: if someone else had it (another person signed in on that
 * browser), it moves to this user.
 */
export async function savePushSubscription(
  db: DbOrTx,
  owner: { orgId: string; userId: string },
  subscription: StoredPushSubscription & { userAgent?: string | undefined },
) {
  const values = {
    orgId: owner.orgId,
    userId: owner.userId,
    endpoint: subscription.endpoint,
    p256dh: subscription.p256dh,
    auth: subscription.auth,
    userAgent: subscription.userAgent?.slice(0, 300) ?? null,
  };
  await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: {
        orgId: values.orgId,
        userId: values.userId,
        p256dh: values.p256dh,
        auth: values.auth,
        userAgent: values.userAgent,
      },
    });
}

/** Removes `endpoint` if it is this user's; answers whether a row went. */
export async function removePushSubscription(
  db: DbOrTx,
  owner: { orgId: string; userId: string },
  endpoint: string,
): Promise<boolean> {
  const removed = await db
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.endpoint, endpoint),
        eq(pushSubscriptions.orgId, owner.orgId),
        eq(pushSubscriptions.userId, owner.userId),
      ),
    )
    .returning({ endpoint: pushSubscriptions.endpoint });
  return removed.length > 0;
}

export async function pushSubscriptionsOf(
  db: DbOrTx,
  owner: { orgId: string; userId: string },
): Promise<StoredPushSubscription[]> {
  return db
    .select({ endpoint: pushSubscriptions.endpoint, p256dh: pushSubscriptions.p256dh, auth: pushSubscriptions.auth })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.orgId, owner.orgId), eq(pushSubscriptions.userId, owner.userId)))
    .orderBy(pushSubscriptions.createdAt, pushSubscriptions.endpoint);
}

/** Forgets an endpoint the push service says is gone (404/410), whoever held it. */
export async function forgetPushEndpoint(db: DbOrTx, endpoint: string) {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
}
