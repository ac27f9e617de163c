/**
 * Web Push sign-up for the `push` alert channel: the app asks for the
 * server's VAPID public key, subscribes in the browser, and hands the
 * browser's PushSubscription here. Each subscription belongs to the person
 * who sent it; the delivery worker sends their alerts to it.
 */

import { pushSubscriptionRequestSchema, pushUnsubscribeRequestSchema } from '@fieldsync/protocol';
import { Hono } from 'hono';
import { removePushSubscription, savePushSubscription } from '../alerts/push-subscriptions';
import { webhookUrlProblem } from '../alerts/webhook-target';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import { parseJsonBody } from '../http/parse-body';
import { requireAuth } from '../http/require-auth';

export function pushRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .use(requireAuth(deps))
    .get('/vapid-public-key', (c) => c.json({ publicKey: deps.alerts.vapidPublicKey }))
    .post('/subscriptions', async (c) => {
      const subscription = await parseJsonBody(c, pushSubscriptionRequestSchema);
      const problem = webhookUrlProblem(subscription.endpoint, deps.alerts.allowPrivateTargets);
      if (problem) throw new ApiError('invalid_body', `endpoint: ${problem.replace(/^webhook: t/, 't')}`);
      const user = c.get('user');
      await savePushSubscription(
        deps.database.db,
        { orgId: user.orgId, userId: user.userId },
        {
          endpoint: subscription.endpoint,
          p256dh: subscription.keys.p256dh,
          auth: subscription.keys.auth,
          userAgent: c.req.header('user-agent'),
        },
      );
      return c.body(null, 201);
    })
    .delete('/subscriptions', async (c) => {
      const { endpoint } = await parseJsonBody(c, pushUnsubscribeRequestSchema);
      const user = c.get('user');
      // Someone else's endpoint, or one already gone, is left alone and answered the same way:
      // whether another person's browser is subscribed is not the caller's to learn.
      await removePushSubscription(deps.database.db, { orgId: user.orgId, userId: user.userId }, endpoint);
      return c.body(null, 204);
    });
}
