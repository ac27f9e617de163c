import { z } from 'zod';
import { TEXT_LIMITS, textSchema } from '../wire-formats';
import { alertEventNameSchema } from './alert-events';
import { type AlertConditions, alertConditionsSchema, conditionProblems } from './conditions';
import { recipientProblems } from './recipients';
import { type AlertTemplate, alertTemplateSchema, templateProblems } from './templates';

/**
 * Where a matched alert goes, as CONTRACTS.md names them. A superset of the
 * older `ALERT_CHANNELS` (`enums/alert.ts`), which the row shape keeps.
 */
export const ALERT_DELIVERY_CHANNELS = ['dashboard', 'webhook', 'push', 'email'] as const;
export type AlertDeliveryChannel = (typeof ALERT_DELIVERY_CHANNELS)[number];
export const alertDeliveryChannelSchema = z.enum(ALERT_DELIVERY_CHANNELS);

/** At most a year; the column is a 32-bit integer. */
export const MAX_ALERT_THROTTLE_MINUTES = 366 * 24 * 60;

/**
 * The fields of `alertRule.create` other than `id`, shape only. Spread it into
 * the mutation's args and add `addAlertRuleIssues` as a check, which runs the
 * checks that need the event (conditions, template, recipients):
 * `z.object({ id: idSchema, ...alertRuleDefinitionShape }).check(addAlertRuleIssues)`.
 * Whether `email` is configured and whether a webhook URL is a private address
 * are the server's to check.
 */
export const alertRuleDefinitionShape = {
  name: textSchema({ min: 1, max: TEXT_LIMITS.name, trim: true }),
  event: alertEventNameSchema,
  conditions: alertConditionsSchema,
  channels: z.array(alertDeliveryChannelSchema).min(1, 'choose at least one channel'),
  recipients: z.array(z.string()),
  throttleMinutes: z.number().int().nonnegative().max(MAX_ALERT_THROTTLE_MINUTES),
  active: z.boolean().optional(),
  webhook: z.object({ url: z.url().max(2_000), secret: z.string().min(1).max(TEXT_LIMITS.address) }).optional(),
  template: alertTemplateSchema.optional(),
};

/** A rule as the office writes it (the args of `alertRule.create` without `id`). */
export type AlertRuleDefinition = {
  name: string;
  event: z.infer<typeof alertEventNameSchema>;
  conditions: AlertConditions;
  channels: readonly AlertDeliveryChannel[];
  recipients: readonly string[];
  throttleMinutes: number;
  active?: boolean;
  webhook?: { url: string; secret: string };
  template?: AlertTemplate;
};

/**
 * Why a rule whose shape already parsed cannot be saved, in plain words, each
 * prefixed by the part it is about ("conditions: unknown field 'colour' for
 * job.created"). Empty when it can. Never throws.
 */
export function alertRuleProblems(rule: {
  event: unknown;
  conditions: unknown;
  channels?: unknown;
  recipients: unknown;
  webhook?: unknown;
  template?: unknown;
}): string[] {
  const problems = [
    ...conditionProblems(rule.event, rule.conditions).map((problem) => `conditions: ${problem}`),
    ...recipientProblems(rule.event, rule.recipients).map((problem) => `recipients: ${problem}`),
  ];
  if (rule.template !== undefined) {
    problems.push(...templateProblems(rule.event, rule.template).map((problem) => `template: ${problem}`));
  }
  if (Array.isArray(rule.channels)) {
    if (new Set(rule.channels).size !== rule.channels.length) problems.push('channels: a channel is listed twice');
    if (rule.channels.includes('webhook') && rule.webhook === undefined) {
      problems.push('webhook: the webhook channel needs a URL and a secret');
    }
  }
  return problems;
}

/** A zod check adding `alertRuleProblems` as issues, for the args of `alertRule.create`. */
export function addAlertRuleIssues(ctx: z.core.ParsePayload<Parameters<typeof alertRuleProblems>[0]>): void {
  for (const problem of alertRuleProblems(ctx.value)) {
    ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  }
}

/** The whole rule definition with its checks: the shape, then `alertRuleProblems`. */
export const alertRuleDefinitionSchema = z.object(alertRuleDefinitionShape).check(addAlertRuleIssues);
