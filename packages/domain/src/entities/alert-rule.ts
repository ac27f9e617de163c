import { z } from 'zod';
import { alertChannelSchema, alertEventTypeSchema, alertOperatorSchema } from '../enums/alert';
import { idSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** One test on a field of the event, e.g. `{ field: 'toStatus', operator: '=', value: 'on_hold' }`. */
export const alertConditionSchema = z.object({
  field: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  operator: alertOperatorSchema,
  value: z.json(),
});
export type AlertCondition = z.infer<typeof alertConditionSchema>;

const MAX_THROTTLE_MINUTES = 366 * 24 * 60;

/** When an event matches every condition, notify the recipients (at most once per throttle window per entity). */
export const alertRuleSchema = z.object({
  ...syncedRowShape,
  name: textSchema({ min: 1, max: TEXT_LIMITS.name }),
  eventType: alertEventTypeSchema,
  conditions: z.array(alertConditionSchema),
  channels: z.array(alertChannelSchema),
  /** User ids whose notification feed receives the alert. */
  recipients: z.array(idSchema),
  webhookUrl: z.url().max(2_000).nullable(),
  /** At most a year; the column is a 32-bit integer. */
  throttleMinutes: z.number().int().nonnegative().max(MAX_THROTTLE_MINUTES),
  active: z.boolean(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
