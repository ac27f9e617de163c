import { z } from 'zod';
import { TEXT_LIMITS, textSchema } from '../wire-formats';
import { type AlertEventName, alertEventFields, isAlertEventName } from './alert-events';

/** A notification's text with `{{field}}` placeholders (spaces inside the braces are allowed). */
export type AlertTemplate = { readonly title: string; readonly body: string };

/** The longest template title; notification titles are kept short enough for a phone's banner. */
export const MAX_TEMPLATE_TITLE = TEXT_LIMITS.address;

/** The shape of a rule's `template`; `templateProblems` checks its placeholders against the event. */
export const alertTemplateSchema = z.object({
  title: textSchema({ min: 1, max: MAX_TEMPLATE_TITLE }),
  body: textSchema({ max: TEXT_LIMITS.longText }),
});

/**
 * What a missing (or null) value renders as. A dash rather than nothing, so
 * "Job {{jobNumber}} …" without a number still reads as a sentence with a gap
 * a person can see.
 */
export const MISSING_VALUE = '—';

type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'field'; field: string }
  | { kind: 'bad'; text: string; problem: string };

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits a template into text and placeholders. `{{` opens a placeholder and
 * the next `}}` closes it; a `{{` with no `}}`, or a `}}` with no `{{`, is a
 * problem (kept as text when rendering). Single braces are plain text.
 */
function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  const pushText = (text: string) => {
    const stray = text.indexOf('}}');
    if (stray >= 0) {
      parts.push({ kind: 'bad', text, problem: "'}}' without an opening '{{'" });
    } else if (text) {
      parts.push({ kind: 'text', text });
    }
  };
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      pushText(template.slice(at));
      break;
    }
    pushText(template.slice(at, open));
    const close = template.indexOf('}}', open + 2);
    const nextOpen = template.indexOf('{{', open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      const end = nextOpen >= 0 && (close < 0 || nextOpen < close) ? nextOpen : template.length;
      parts.push({ kind: 'bad', text: template.slice(open, end), problem: "'{{' without a closing '}}'" });
      at = end;
      continue;
    }
    const raw = template.slice(open + 2, close);
    const field = raw.trim();
    if (field === '') {
      parts.push({ kind: 'bad', text: `{{${raw}}}`, problem: 'an empty placeholder {{}}' });
    } else if (!FIELD_NAME.test(field)) {
      parts.push({ kind: 'bad', text: `{{${raw}}}`, problem: `'{{${raw}}}' is not a field name` });
    } else {
      parts.push({ kind: 'field', field });
    }
    at = close + 2;
  }
  return parts;
}

/** The field names a template's placeholders use, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  try {
    const fields = parseTemplate(template).flatMap((part) => (part.kind === 'field' ? [part.field] : []));
    return [...new Set(fields)];
  } catch {
    return [];
  }
}

/**
 * Why `template` (one text, or a `{ title, body }`) cannot be used for
 * `event`, in plain words: unknown placeholders ("unknown placeholder
 * {{colour}} for job.created") and unbalanced braces. Empty when it can.
 * Never throws.
 */
export function templateProblems(event: unknown, template: unknown): string[] {
  try {
    if (!isAlertEventName(event)) return [`unknown event '${String(event)}'`];
    if (typeof template === 'string') return textProblems(event, template, '');
    if (typeof template !== 'object' || template === null || Array.isArray(template)) {
      return ['a template needs a title and a body'];
    }
    const { title, body } = template as { title?: unknown; body?: unknown };
    const problems: string[] = [];
    if (typeof title !== 'string') problems.push('the template needs a title');
    else problems.push(...textProblems(event, title, 'title: '));
    if (typeof body !== 'string') problems.push('the template needs a body (it may be empty)');
    else problems.push(...textProblems(event, body, 'body: '));
    return problems;
  } catch {
    return ['the template could not be read'];
  }
}

function textProblems(event: AlertEventName, text: string, prefix: string): string[] {
  const fields = alertEventFields(event)!;
  const problems: string[] = [];
  for (const part of parseTemplate(text)) {
    if (part.kind === 'bad') problems.push(`${prefix}${part.problem}`);
    if (part.kind === 'field' && !Object.hasOwn(fields, part.field)) {
      problems.push(`${prefix}unknown placeholder {{${part.field}}} for ${event}`);
    }
  }
  return [...new Set(problems)];
}

/** How values are written into the text: `html` escapes `& < > " '`; `none` leaves them as they are. */
export type TemplateEscape = 'html' | 'none';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` made safe to place in HTML text or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** One value as text: numbers and booleans in plain words, lists joined, anything else missing. */
function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    const items = value.map(valueText).filter((item) => item !== undefined);
    return items.length > 0 ? items.join(', ') : undefined;
  }
  return undefined;
}

/**
 * Fills a template's placeholders from an event's data. Never throws.
 * - With `escape: 'html'` each value is HTML-escaped; the template's own text
 *   is the rule author's (office staff) and is kept as written, so a template
 *   may hold markup for e-mail.
 * - A missing, null or non-text value renders as `MISSING_VALUE` ("—"), as
 *   does an unknown placeholder; broken braces are kept as text.
 */
export function renderTemplate(template: string, data: unknown, options: { escape: TemplateEscape }): string {
  try {
    if (typeof template !== 'string') return '';
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const writeValue = options?.escape === 'html' ? escapeHtml : (text: string) => text;
    let out = '';
    for (const part of parseTemplate(template)) {
      if (part.kind === 'field') {
        const value = Object.hasOwn(record, part.field) ? valueText(record[part.field]) : undefined;
        out += value === undefined ? MISSING_VALUE : writeValue(value);
      } else {
        out += part.text;
      }
    }
    return out;
  } catch {
    return '';
  }
}

/**
 * The title and body used when a rule has no template of its own, one per
 * event; every placeholder is a field of that event.
 */
export const DEFAULT_ALERT_TEMPLATES = {
  'job.created': {
    title: 'New {{priority}} job {{jobNumber}}: {{title}}',
    body: '{{title}} for {{customerName}} ({{trade}}) was created.',
  },
  'job.status_changed': {
    title: 'Job {{jobNumber}} is now {{toStatus}}',
    body: '{{title}} for {{customerName}} moved from {{fromStatus}} to {{toStatus}}. Reason: {{reason}}',
  },
  'assignment.created': {
    title: 'New job: {{title}}, {{scheduledStartLocal}}',
    body: '{{contractorName}} is booked on job {{jobNumber}} for {{customerName}}, starting {{scheduledStartLocal}}.',
  },
  'assignment.rescheduled': {
    title: 'Job {{jobNumber}} moved to {{scheduledStartLocal}}',
    body: "{{contractorName}}'s visit for {{title}} ({{customerName}}) now starts {{scheduledStartLocal}}.",
  },
  'assignment.status_changed': {
    title: 'Assignment on job {{jobNumber}} is {{toStatus}}',
    body: "{{contractorName}}'s assignment on {{title}} went from {{fromStatus}} to {{toStatus}}. Reason: {{reason}}",
  },
  'conflict.recorded': {
    title: 'Two edits clashed on job {{jobNumber}}',
    body: 'Two changes to {{field}} ({{entity}}) arrived for {{title}}: {{winnerValue}} was kept over {{loserValue}}. Review it under Conflicts.',
  },
  'rating.added': {
    title: '{{contractorName}} rated {{stars}} stars',
    body: 'Job {{jobNumber}} ({{title}}): {{comment}}',
  },
  'job.overdue': {
    title: 'Job {{jobNumber}} has not started',
    body: '{{title}} for {{customerName}} was due at {{scheduledStartLocal}} with {{contractorName}} and is {{minutesLate}} minutes late.',
  },
  'device.stale': {
    title: "{{contractorName}}'s phone has not synced",
    body: '{{contractorName}} has {{assignmentsToday}} jobs today and their phone last synced {{hoursSinceSync}} hours ago.',
  },
  'estimate.created': {
    title: 'New estimate {{number}}: {{total}}',
    body: '{{title}} for {{customerName}} comes to {{total}}.',
  },
  'estimate.status_changed': {
    title: 'Estimate {{number}} is {{toStatus}}',
    body: '{{title}} for {{customerName}} ({{total}}) went from {{fromStatus}} to {{toStatus}}. {{reason}}',
  },
} as const satisfies Record<AlertEventName, AlertTemplate>;
