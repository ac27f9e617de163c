/**
 * Alert rules (office configuration), their delivery history, and each
 * person's notification feed. A rule is checked whole — the shape by the
 * mutation schema, the event's fields, recipients and template by
 * `alertRuleProblems`, the deployment's limits (e-mail configured, private
 * webhook targets) here — so an invalid rule never reaches the engine.
 */
import { type AlertRuleDefinition, alertRuleProblems } from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq, isNull } from 'drizzle-orm';
import { webhookUrlProblem } from '../../alerts/webhook-target';
import { alertDeliveries, alertRules, notifications } from '../../db/schema';
import { writeActivity } from '../activity';
import { existingCreate } from '../idempotent-create';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';

export const EMAIL_NOT_CONFIGURED = 'e-mail is not configured';
const RULE_GONE_MESSAGE = 'This alert rule no longer exists.';

/** Refuses a rule the engine could not run, naming every problem in plain words. */
function checkRule(ctx: MutationContext, rule: AlertRuleDefinition & { webhookUrl: string | null }) {
  const problems = alertRuleProblems({ ...rule, webhook: rule.webhookUrl === null ? undefined : (rule.webhook ?? {}) });
  if (rule.channels.includes('email') && !ctx.settings.emailConfigured) {
    problems.push(`channels: ${EMAIL_NOT_CONFIGURED}`);
  }
  if (rule.webhookUrl !== null) {
    const problem = webhookUrlProblem(rule.webhookUrl, ctx.settings.allowPrivateWebhooks);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new MutationRejected('invalid_args', problems.join('; '));
}

export async function createAlertRule(
  ctx: MutationContext,
  args: MutationArgs<'alertRule.create'>,
): Promise<HandlerOutcome> {
  const row = {
    name: args.name,
    event: args.event,
    conditions: args.conditions,
    channels: args.channels,
    recipients: args.recipients,
    throttleMinutes: args.throttleMinutes,
    active: args.active ?? true,
    webhookUrl: args.webhook?.url ?? null,
    template: args.template ?? null,
  };
  const existing = await existingCreate(ctx.tx, ctx.user.orgId, alertRules, args.id, row);
  if (existing) return existing;
  checkRule(ctx, { ...args, webhookUrl: row.webhookUrl });
  await ctx.tx.insert(alertRules).values({
    orgId: ctx.user.orgId,
    id: args.id,
    ...row,
    webhookSecret: args.webhook?.secret ?? null,
  });
  await writeActivity(ctx, {
    entityType: 'alert_rule',
    entityId: args.id,
    action: 'alertRule.created',
    details: { name: args.name, event: args.event },
  });
  return APPLIED;
}

/**
 * Lays the patch over the rule and checks the result whole. The last change
 * wins field by field (a rule is office configuration; there is no conflict
 * record). `webhook: null` removes the webhook; a new one brings its secret.
 */
export async function updateAlertRule(
  ctx: MutationContext,
  args: MutationArgs<'alertRule.update'>,
): Promise<HandlerOutcome> {
  const [rule] = await ctx.tx
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.orgId, ctx.user.orgId), eq(alertRules.id, args.id), isNull(alertRules.deletedAt)))
    .for('no key update');
  if (!rule) throw new MutationRejected('not_found', RULE_GONE_MESSAGE);
  const { webhook, ...fields } = args.patch;
  const merged = {
    name: fields.name ?? rule.name,
    event: fields.event ?? (rule.event as AlertRuleDefinition['event']),
    conditions: fields.conditions ?? (rule.conditions as AlertRuleDefinition['conditions']),
    channels: fields.channels ?? (rule.channels as AlertRuleDefinition['channels']),
    recipients: fields.recipients ?? (rule.recipients as string[]),
    throttleMinutes: fields.throttleMinutes ?? rule.throttleMinutes,
    active: fields.active ?? rule.active,
    template:
      fields.template === undefined ? (rule.template as AlertRuleDefinition['template'] | null) : fields.template,
    webhookUrl: webhook === undefined ? rule.webhookUrl : (webhook?.url ?? null),
    webhookSecret: webhook === undefined ? rule.webhookSecret : (webhook?.secret ?? null),
  };
  checkRule(ctx, {
    ...merged,
    template: merged.template ?? undefined,
    webhook:
      merged.webhookUrl && merged.webhookSecret ? { url: merged.webhookUrl, secret: merged.webhookSecret } : undefined,
  });
  await ctx.tx
    .update(alertRules)
    .set(merged)
    .where(and(eq(alertRules.orgId, ctx.user.orgId), eq(alertRules.id, args.id)));
  await writeActivity(ctx, {
    entityType: 'alert_rule',
    entityId: args.id,
    action: 'alertRule.updated',
    // Never the secret: the activity log is synced to the office.
    details: { fields: Object.keys(args.patch) },
  });
  return APPLIED;
}

/** Removes a rule; its delivery history stays, and its pending deliveries are not sent. */
export async function removeAlertRule(
  ctx: MutationContext,
  args: MutationArgs<'alertRule.remove'>,
): Promise<HandlerOutcome> {
  const removed = await ctx.tx
    .update(alertRules)
    .set({ deletedAt: ctx.recordedAt, active: false })
    .where(and(eq(alertRules.orgId, ctx.user.orgId), eq(alertRules.id, args.id), isNull(alertRules.deletedAt)))
    .returning({ id: alertRules.id });
  if (removed.length === 0) {
    const [gone] = await ctx.tx
      .select({ id: alertRules.id })
      .from(alertRules)
      .where(and(eq(alertRules.orgId, ctx.user.orgId), eq(alertRules.id, args.id)));
    // Removing what is already removed changes nothing: the same change sent twice stands.
    if (gone) return APPLIED;
    throw new MutationRejected('not_found', RULE_GONE_MESSAGE);
  }
  await writeActivity(ctx, { entityType: 'alert_rule', entityId: args.id, action: 'alertRule.removed' });
  return APPLIED;
}

/** Sends a failed delivery again: a fresh round of attempts, the first as soon as the worker looks. */
export async function retryAlertDelivery(
  ctx: MutationContext,
  args: MutationArgs<'alertDelivery.retry'>,
): Promise<HandlerOutcome> {
  const [delivery] = await ctx.tx
    .select({ status: alertDeliveries.status })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.orgId, ctx.user.orgId), eq(alertDeliveries.id, args.id)))
    .for('no key update');
  if (!delivery) throw new MutationRejected('not_found', 'This delivery no longer exists.');
  if (delivery.status === 'pending' || delivery.status === 'sent') return APPLIED;
  if (delivery.status === 'throttled') {
    throw new MutationRejected('invalid_args', 'A throttled alert was held back on purpose and is never sent.');
  }
  await ctx.tx
    .update(alertDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: ctx.recordedAt })
    .where(and(eq(alertDeliveries.orgId, ctx.user.orgId), eq(alertDeliveries.id, args.id)));
  return APPLIED;
}

/** Marks one of the caller's own notifications read (the first time counts; again changes nothing). */
export async function markNotificationRead(
  ctx: MutationContext,
  args: MutationArgs<'notification.markRead'>,
): Promise<HandlerOutcome> {
  const [notification] = await ctx.tx
    .select({ userId: notifications.userId, readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.orgId, ctx.user.orgId), eq(notifications.id, args.id)));
  // Someone else's notification is as good as missing: its existence is not the caller's to learn.
  if (!notification || notification.userId !== ctx.user.userId) {
    throw new MutationRejected('not_found', 'This notification is not on the server.');
  }
  if (notification.readAt !== null) return APPLIED;
  await ctx.tx
    .update(notifications)
    .set({ readAt: ctx.occurredAt })
    .where(and(eq(notifications.orgId, ctx.user.orgId), eq(notifications.id, args.id)));
  // The person's other devices take the read mark too.
  ctx.touchedUserIds.add(ctx.user.userId);
  return APPLIED;
}
