import { z } from 'zod';
import { alertChannelSchema, alertEventTypeSchema, alertOperatorSchema } from '../enums/alert';
import { idSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** One test on a field of the event, e.g. `{ field: 'toStatus', operator: '=', value: 'on_hold' }`. */
export const alertConditionSchema = z.object({
  field: z.string().min(1),
  operator: alertOperatorSchema,
  value: z.json(),
});
export type AlertCondition = z.infer<typeof alertConditionSchema>;

/** When an event matches every condition, notify the recipients (at most once per throttle window per entity). */
export const alertRuleSchema = z.object({
  ...syncedRowShape,
  name: z.string().min(1),
  eventType: alertEventTypeSchema,
  conditions: z.array(alertConditionSchema),
  channels: z.array(alertChannelSchema),
  /** User ids whose notification feed receives the alert. */
  recipients: z.array(idSchema),
  webhookUrl: z.url().nullable(),
  throttleMinutes: z.number().int().nonnegative(),
  active: z.boolean(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
