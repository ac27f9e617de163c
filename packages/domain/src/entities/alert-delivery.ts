import { z } from 'zod';
import { alertEventNameSchema } from '../alerts/alert-events';
import { alertDeliveryChannelSchema } from '../alerts/alert-rule-definition';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/**
 * How a delivery stands: `pending` until the worker sends it (or between
 * retries), `sent`, `failed` after the last attempt, `throttled` when the
 * rule's throttle held it back (never sent).
 */
export const ALERT_DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'throttled'] as const;
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];
export const alertDeliveryStatusSchema = z.enum(ALERT_DELIVERY_STATUSES);

/**
 * One message an alert rule sends on one channel to one recipient (`user:<id>`
 * for dashboard, push and e-mail; the URL for a webhook). Written in the
 * transaction that raised the event, so nothing raised is ever lost.
 */
export const alertDeliverySchema = z.object({
  ...syncedRowShape,
  ruleId: idSchema,
  event: alertEventNameSchema,
  entityId: textSchema({ max: TEXT_LIMITS.address }),
  channel: alertDeliveryChannelSchema,
  recipient: textSchema({ max: 2_000 }),
  status: alertDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  lastError: textSchema({ max: TEXT_LIMITS.longText }).nullable(),
  nextAttemptAt: isoDateTimeSchema.nullable(),
  sentAt: isoDateTimeSchema.nullable(),
  /** The rendered title, for the delivery history. */
  title: textSchema({ max: TEXT_LIMITS.longText }),
  /** The job the event concerns, where there is one: its timeline lists the alert. */
  jobId: idSchema.nullable(),
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;
