/**
 * The `webhook` channel: a signed JSON POST to the rule's URL. The receiver
 * checks `X-Fieldsync-Signature` (HMAC-SHA256 of "<timestamp>.<raw body>"
 * with the rule's secret) and may drop repeats by `X-Fieldsync-Delivery`,
 * which stays the same on every retry.
 */
import { createHmac } from 'node:crypto';
import type { lookup } from 'node:dns';
import { DeliveryFailed, type DeliverySender } from './delivery-sender';
import { OutboundFailure, postOutbound } from './outbound-request';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookSenderOptions {
  now: () => Date;
  /** `WEBHOOK_ALLOW_PRIVATE=true`: loopback and private targets are allowed. */
  allowPrivate: boolean;
  /** 10 s unless a test shortens it. */
  timeoutMs?: number;
  /** Replaces the system resolver (tests). */
  lookup?: typeof lookup;
}

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export function createWebhookSender(options: WebhookSenderOptions): DeliverySender {
  return {
    async send(delivery, { rule }) {
      if (!rule.webhookUrl) throw new DeliveryFailed('The rule no longer has a webhook address.');
      const rawBody = JSON.stringify({
        id: delivery.id,
        event: delivery.event,
        occurredAt: delivery.payload.occurredAt,
        orgId: delivery.orgId,
        rule: { id: delivery.payload.rule.id, name: delivery.payload.rule.name },
        data: delivery.payload.data,
      });
      const timestamp = Math.floor(options.now().getTime() / 1000);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'Fieldsync-Webhook/1',
        'X-Fieldsync-Event': delivery.event,
        'X-Fieldsync-Delivery': delivery.id,
        'X-Fieldsync-Timestamp': String(timestamp),
      };
      // A rule saved without a secret is still sent, unsigned: the receiver can tell by the missing header.
      if (rule.webhookSecret)
        headers['X-Fieldsync-Signature'] = webhookSignature(rule.webhookSecret, timestamp, rawBody);
      let status: number;
      try {
        ({ status } = await postOutbound({
          url: rule.webhookUrl,
          headers,
          body: Buffer.from(rawBody, 'utf8'),
          timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
          allowPrivate: options.allowPrivate,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        }));
      } catch (error) {
        if (error instanceof OutboundFailure) throw new DeliveryFailed(error.message, { cause: error });
        throw error;
      }
      if (status >= 300 && status < 400) throw new DeliveryFailed(`HTTP ${status} (redirects are not followed).`);
      if (status < 200 || status >= 300) throw new DeliveryFailed(`HTTP ${status}`);
    },
  };
}
