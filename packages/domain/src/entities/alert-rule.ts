import { z } from 'zod';
import { alertEventNameSchema } from '../alerts/alert-events';
import { alertDeliveryChannelSchema, MAX_ALERT_THROTTLE_MINUTES } from '../alerts/alert-rule-definition';
import { alertConditionsSchema } from '../alerts/conditions';
import { alertTemplateSchema } from '../alerts/templates';
import { TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/**
 * An alert rule as the office's devices hold it: when `event` happens and its
 * data meets every condition, tell the recipients on each channel (at most
 * once per throttle window per entity). The webhook secret is write-only and
 * never leaves the server; `webhookUrl` says where the webhook posts.
 */
export const alertRuleSchema = z.object({
  ...syncedRowShape,
  name: textSchema({ min: 1, max: TEXT_LIMITS.name }),
  event: alertEventNameSchema,
  conditions: alertConditionsSchema,
  channels: z.array(alertDeliveryChannelSchema),
  recipients: z.array(z.string()),
  throttleMinutes: z.number().int().nonnegative().max(MAX_ALERT_THROTTLE_MINUTES),
  active: z.boolean(),
  webhookUrl: z.string().max(2_000).nullable(),
  template: alertTemplateSchema.nullable(),
  /** Which default rule this is (`DEFAULT_ALERT_RULES`), or null for a rule the office wrote. */
  key: z.string().max(TEXT_LIMITS.label).nullable(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
