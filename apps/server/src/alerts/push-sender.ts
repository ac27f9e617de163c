/**
 * The `push` channel: Web Push with VAPID to every browser the recipient
 * turned notifications on in. `web-push` encrypts the message (aes128gcm)
 * and signs the VAPID token; the POST itself goes through `postOutbound`, so
 * push endpoints get the same timeout, no-redirect and private-address rules
 * as webhooks (web-push's own sender only speaks https and has neither).
 */

import type { lookup } from 'node:dns';
import type { PushMessage } from '@fieldsync/protocol';
import webPush from 'web-push';
import type { Db } from '../db/database';
import { DeliveryFailed, type DeliverySender, recipientUserId } from './delivery-sender';
import { OutboundFailure, postOutbound } from './outbound-request';
import { forgetPushEndpoint, pushSubscriptionsOf } from './push-subscriptions';
import type { VapidKeys } from './vapid-keys';

export const PUSH_TIMEOUT_MS = 10_000;
/** How long a push service keeps a message for a phone that is off: after a day the alert is old news. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;

export const NO_PUSH_DEVICE = 'No device of this person has turned on notifications.';

/** What the app's service worker receives and shows (`PushMessage` of the protocol). */
export type { PushMessage };

export interface PushSenderOptions {
  vapidKeys: VapidKeys;
  /** `VAPID_SUBJECT`: how a push service can reach whoever runs this server. */
  subject: string;
  allowPrivate: boolean;
  timeoutMs?: number;
  lookup?: typeof lookup;
}

export function createPushSender(db: Db, options: PushSenderOptions): DeliverySender {
  return {
    async send(delivery) {
      const userId = recipientUserId(delivery.recipient);
      if (!userId) throw new DeliveryFailed('The recipient is not a person.');
      const subscriptions = await pushSubscriptionsOf(db, { orgId: delivery.orgId, userId });
      // Retrying cannot help: a device turned on later gets the next alert, not this old one.
      if (subscriptions.length === 0) throw new DeliveryFailed(NO_PUSH_DEVICE, { final: true });
      const { title, body, url, data } = delivery.payload;
      const message: PushMessage = {
        title,
        body,
        ...(typeof data.jobId === 'string' ? { jobId: data.jobId } : {}),
        ...(url ? { url } : {}),
      };
      const payload = JSON.stringify(message);

      let delivered = 0;
      let gone = 0;
      const problems: string[] = [];
      for (const subscription of subscriptions) {
        const request = webPush.generateRequestDetails(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          payload,
          {
            vapidDetails: { subject: options.subject, ...options.vapidKeys },
            TTL: PUSH_TTL_SECONDS,
            contentEncoding: 'aes128gcm',
          },
        );
        try {
          const { status } = await postOutbound({
            url: request.endpoint,
            headers: request.headers as Record<string, string | number>,
            body: request.body as Buffer,
            timeoutMs: options.timeoutMs ?? PUSH_TIMEOUT_MS,
            allowPrivate: options.allowPrivate,
            ...(options.lookup ? { lookup: options.lookup } : {}),
          });
          if (status >= 200 && status < 300) delivered++;
          else if (status === 404 || status === 410) {
            // The browser unsubscribed or the subscription expired: it will never take a message again.
            await forgetPushEndpoint(db, subscription.endpoint);
            gone++;
          } else problems.push(`HTTP ${status}`);
        } catch (error) {
          if (!(error instanceof OutboundFailure)) throw error;
          problems.push(error.message);
        }
      }
      // One device that showed it is enough: a retry would show it twice there.
      if (delivered > 0) return;
      if (problems.length === 0 && gone > 0) throw new DeliveryFailed(NO_PUSH_DEVICE, { final: true });
      throw new DeliveryFailed(`The push service did not take the message: ${[...new Set(problems)].join('; ')}`);
    },
  };
}
