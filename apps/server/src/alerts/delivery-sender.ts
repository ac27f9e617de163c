/**
 * The port the delivery worker sends through: one sender per channel
 * (webhook, push, e-mail). A sender either resolves (delivered) or throws;
 * the worker records the throw as the delivery's `lastError` and retries it
 * on the normal schedule, so what a sender throws is shown to the office.
 */
import type { DeliveryPayload } from './raise-alerts';

/** A delivery the worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  orgId: string;
  id: string;
  ruleId: string;
  event: string;
  channel: string;
  /** `user:<id>` for push and e-mail, the webhook's URL (when raised) for webhooks. */
  recipient: string;
  /** Attempts so far, this one included. */
  attempts: number;
  payload: DeliveryPayload;
}

/** The delivery's rule as it stands now (the secret never leaves the server). */
export interface DeliveryRule {
  id: string;
  name: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export interface DeliveryContext {
  rule: DeliveryRule;
}

/**
 * Sends one delivery. Resolving means the far end took it. Throwing means it
 * did not: throw a `DeliveryFailed` with a short reason in plain words (never
 * a secret or a token); any other error is recorded as a generic reason and
 * logged.
 */
export interface DeliverySender {
  send(delivery: ClaimedDelivery, context: DeliveryContext): Promise<void>;
}

/** A failure whose message is fit to show the office as the delivery's last error. */
export class DeliveryFailed extends Error {
  /** Trying again cannot help (nobody to send it to): the delivery is `failed` at once, not retried. */
  readonly final: boolean;
  constructor(message: string, options?: { cause?: unknown; final?: boolean }) {
    super(message, options);
    this.name = 'DeliveryFailed';
    this.final = options?.final ?? false;
  }
}

/** The user id a `user:<id>` recipient names, or undefined. */
export function recipientUserId(recipient: string): string | undefined {
  return recipient.startsWith('user:') ? recipient.slice('user:'.length) : undefined;
}
