import {
  ALERT_DELIVERY_CHANNELS,
  type AlertDeliveryChannel,
  type AlertEventName,
  type AlertRule,
  type AlertTemplate,
  alertRuleProblems,
  DEFAULT_ALERT_TEMPLATES,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { type ConditionRow, conditionsToRows, rowsToConditions } from './alert-conditions-form';

/**
 * The alert rule editor's state and what saving it sends: `alertRule.create`
 * args for a new rule, or an `alertRule.update` patch of the fields that
 * changed. Pure, so the webhook-secret rules (write-only, asked again when
 * the URL changes) are tested without a browser.
 */
export interface AlertRuleDraft {
  name: string;
  event: AlertEventName;
  conditions: ConditionRow[];
  channels: AlertDeliveryChannel[];
  recipients: string[];
  throttleMinutes: string;
  active: boolean;
  webhookUrl: string;
  /** Typed by the person; never read from a row (rows never carry it). Blank keeps the stored one. */
  webhookSecret: string;
  /** Whether the rule has its own wording; off uses the event's default template. */
  customTemplate: boolean;
  templateTitle: string;
  templateBody: string;
}

/** A new rule: job changes to the dispatchers' feed, using the event's default wording. */
export function newRuleDraft(event: AlertEventName = 'job.status_changed'): AlertRuleDraft {
  const template = DEFAULT_ALERT_TEMPLATES[event];
  return {
    name: '',
    event,
    conditions: [],
    channels: ['dashboard'],
    recipients: ['role:dispatcher'],
    throttleMinutes: '0',
    active: true,
    webhookUrl: '',
    webhookSecret: '',
    customTemplate: false,
    templateTitle: template.title,
    templateBody: template.body,
  };
}

/** The draft of an existing rule, to edit. */
export function draftOfRule(rule: AlertRule, newKey: () => string): AlertRuleDraft {
  const template = rule.template ?? DEFAULT_ALERT_TEMPLATES[rule.event];
  return {
    name: rule.name,
    event: rule.event,
    conditions: conditionsToRows(rule.conditions, newKey),
    channels: ALERT_DELIVERY_CHANNELS.filter((channel) => rule.channels.includes(channel)),
    recipients: [...rule.recipients],
    throttleMinutes: String(rule.throttleMinutes),
    active: rule.active,
    webhookUrl: rule.webhookUrl ?? '',
    webhookSecret: '',
    customTemplate: rule.template !== null,
    templateTitle: template.title,
    templateBody: template.body,
  };
}

/** The wording a draft uses: its own, or the event's default. */
export function draftTemplate(draft: AlertRuleDraft): AlertTemplate {
  return draft.customTemplate
    ? { title: draft.templateTitle, body: draft.templateBody }
    : DEFAULT_ALERT_TEMPLATES[draft.event];
}

/** Problems keyed by the form part they are about (`name`, `conditions`, `webhookSecret`, …; `''` for the rule). */
export type DraftProblems = Record<string, string>;

/** The rule as `alertRule.create` would carry it, without `id`; problems when it cannot be read or fails the checks. */
type ReadDraft =
  | { ok: true; definition: Omit<MutationArgs<'alertRule.create'>, 'id'>; conditionRows: Record<string, string> }
  | { ok: false; problems: DraftProblems; conditionRows: Record<string, string> };

/**
 * Reads a draft into a rule definition and runs the shared checks
 * (`alertRuleProblems`), with each problem under the part it is about.
 * `existing` is the rule being edited: its stored webhook counts as set.
 */
function readDraft(draft: AlertRuleDraft, existing: AlertRule | null): ReadDraft {
  const problems: DraftProblems = {};
  const conditions = rowsToConditions(draft.event, draft.conditions);
  const conditionRows = conditions.ok ? {} : conditions.problems;
  if (!conditions.ok) problems.conditions = 'Some conditions are not finished; see the messages next to them.';

  const throttleText = draft.throttleMinutes.trim();
  const throttleMinutes = throttleText === '' ? 0 : Number(throttleText);
  if (!Number.isInteger(throttleMinutes) || throttleMinutes < 0) {
    problems.throttleMinutes = 'Throttle must be a whole number of minutes, 0 or more.';
  }
  const name = draft.name.trim();
  if (name === '') problems.name = 'Give the alert a name.';
  if (draft.channels.length === 0) problems.channels = 'Choose at least one channel.';

  const wantsWebhook = draft.channels.includes('webhook');
  const url = draft.webhookUrl.trim();
  const secret = draft.webhookSecret;
  const storedUrl = existing?.webhookUrl ?? null;
  let webhook: { url: string; secret: string } | undefined;
  if (wantsWebhook) {
    if (url === '') problems.webhookUrl = 'Type the address the webhook posts to.';
    else if (secret !== '') webhook = { url, secret };
    else if (url !== storedUrl) {
      problems.webhookSecret = storedUrl
        ? 'The address changed: type the secret again (it is never shown).'
        : 'Type a secret: the receiver uses it to check each call came from Fieldsync.';
    }
  }
  const template = draft.customTemplate ? { title: draft.templateTitle, body: draft.templateBody } : undefined;
  if (template && template.title.trim() === '') problems.template = 'The title cannot be empty.';

  type Definition = Omit<MutationArgs<'alertRule.create'>, 'id'>;
  const definition: Definition = {
    name,
    event: draft.event,
    // Values are numbers, text, booleans or lists of them: JSON by construction.
    conditions: (conditions.ok ? conditions.conditions : {}) as Definition['conditions'],
    channels: [...draft.channels],
    recipients: [...draft.recipients],
    throttleMinutes,
    active: draft.active,
    ...(webhook ? { webhook } : {}),
    ...(template ? { template } : {}),
  };
  // The shared checks; a kept stored webhook counts as one (its secret stays on the server).
  const checked = alertRuleProblems({
    ...definition,
    conditions: conditions.ok ? conditions.conditions : {},
    ...(!webhook && wantsWebhook && url !== '' && url === storedUrl ? { webhook: { url } } : {}),
  });
  for (const problem of checked) {
    const match = /^([a-z]+): (.*)$/.exec(problem);
    const part = match?.[1] ?? '';
    const words = match?.[2] ?? problem;
    // The form already says what is missing about the webhook in its own words.
    if (part === 'webhook' && (problems.webhookUrl || problems.webhookSecret)) continue;
    const key = part === 'webhook' ? 'webhookUrl' : part;
    problems[key] ??= sentence(words);
  }
  return Object.keys(problems).length > 0
    ? { ok: false, problems, conditionRows }
    : { ok: true, definition, conditionRows };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What saving a new rule sends, or the problems to show. */
export type CreateOutcome =
  | { ok: true; args: MutationArgs<'alertRule.create'> }
  | { ok: false; problems: DraftProblems; conditionRows: Record<string, string> };

export function ruleCreateArgs(id: string, draft: AlertRuleDraft): CreateOutcome {
  const read = readDraft(draft, null);
  if (!read.ok) return read;
  return { ok: true, args: { id, ...read.definition } };
}

/** What saving an edited rule sends: only the changed fields (nothing when nothing changed), or the problems. */
export type UpdateOutcome =
  | { ok: true; patch: MutationArgs<'alertRule.update'>['patch'] }
  | { ok: false; problems: DraftProblems; conditionRows: Record<string, string> };

/**
 * The patch for an edited rule. The webhook is sent only when its address
 * or secret was typed anew (then both, as the contract wants), and cleared
 * with null when the webhook channel and its address were both removed.
 */
export function ruleUpdatePatch(rule: AlertRule, draft: AlertRuleDraft): UpdateOutcome {
  const read = readDraft(draft, rule);
  if (!read.ok) return read;
  const next = read.definition;
  const patch: Record<string, unknown> = {};
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  if (next.name !== rule.name) patch.name = next.name;
  if (next.event !== rule.event) patch.event = next.event;
  if (differs(next.conditions, rule.conditions)) patch.conditions = next.conditions;
  if (differs(next.channels, rule.channels)) patch.channels = next.channels;
  if (differs(next.recipients, rule.recipients)) patch.recipients = next.recipients;
  if (next.throttleMinutes !== rule.throttleMinutes) patch.throttleMinutes = next.throttleMinutes;
  if (next.active !== rule.active) patch.active = next.active;
  if (next.webhook) patch.webhook = next.webhook;
  else if (rule.webhookUrl !== null && !next.channels.includes('webhook') && draft.webhookUrl.trim() === '') {
    patch.webhook = null;
  }
  const template = next.template ?? null;
  if (differs(template, rule.template)) patch.template = template;
  return { ok: true, patch: patch as MutationArgs<'alertRule.update'>['patch'] };
}
