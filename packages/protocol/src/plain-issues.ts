import type { z } from 'zod';

/**
 * People's names for the fields of the mutation catalogue. A field not listed
 * is named by splitting its key ("scheduledStart" → "Scheduled start").
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  address: 'Address',
  body: 'Note',
  comment: 'Comment',
  contractorId: 'Contractor',
  customerId: 'Customer',
  dayOfWeek: 'Day',
  days: 'Working days',
  description: 'Description',
  desiredDate: 'Desired date',
  durationMinutes: 'Duration (minutes)',
  email: 'Email',
  end: 'End',
  endTime: 'End time',
  from: 'Current status',
  itemName: 'Material',
  jobId: 'Job',
  jobNumber: 'Job number',
  lat: 'Latitude',
  lng: 'Longitude',
  name: 'Name',
  notes: 'Notes',
  phone: 'Phone',
  priority: 'Priority',
  purchased: 'Bought',
  quantity: 'Quantity',
  rating: 'Rating',
  reason: 'Reason',
  resolution: 'Resolution',
  skills: 'Skills',
  specialRequirements: 'Special requirements',
  stars: 'Stars',
  start: 'Start',
  startTime: 'Start time',
  status: 'Status',
  title: 'Title',
  to: 'New status',
  trade: 'Trade',
  unit: 'Unit',
};

/**
 * Ranges people know a field by, so both ends are said at once ("Latitude
 * must be between −90 and 90") instead of only the end that was crossed.
 */
const KNOWN_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  lat: [-90, 90],
  lng: [-180, 180],
  rating: [0, 5],
  stars: [1, 5],
  durationMinutes: [30, 480],
};

/** Path levels that are envelope, not fields a person filled in (`*.update` nests fields under `patch`). */
const ENVELOPE_KEYS: ReadonlySet<PropertyKey> = new Set(['patch', 'base', 'args']);

/** One problem with what a person entered, in plain words. */
export interface PlainIssue {
  /** The form field it is about (first path level under the envelope), or `''` for the whole change. */
  field: string;
  /** A sentence naming the field, e.g. "Quantity must be at most 99,999,999.99." */
  message: string;
}

/** A number as people write it: "99,999,999.99", "−90". */
export function formatNumberForPeople(value: number | bigint): string {
  const text = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 }).format(value);
  return text.replace(/^-/, '−');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "scheduledStart" → "Scheduled start". */
function labelFromKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return capitalise(words.trim());
}

/** The person's name for a field key. */
export function fieldLabel(key: string, labels: Readonly<Record<string, string>> = FIELD_LABELS): string {
  return labels[key] ?? FIELD_LABELS[key] ?? labelFromKey(key);
}

function fieldPath(issue: z.core.$ZodIssue): PropertyKey[] {
  return issue.path.filter((part) => !ENVELOPE_KEYS.has(part));
}

/** The last named key of the path ("days.2.startTime" → "startTime"), for the label. */
function labelKey(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i];
    if (typeof part === 'string') return part;
  }
  return undefined;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function sizeWords(origin: string, count: number | bigint): string {
  const n = formatNumberForPeople(count);
  if (origin === 'string') return `${n} ${count === 1 ? 'character' : 'characters'}`;
  if (origin === 'array' || origin === 'set') return `${n} ${count === 1 ? 'item' : 'items'}`;
  return n;
}

function rangeSentence(label: string, key: string | undefined): string | undefined {
  const range = key ? KNOWN_RANGES[key] : undefined;
  if (!range) return undefined;
  return `${label} must be between ${formatNumberForPeople(range[0])} and ${formatNumberForPeople(range[1])}`;
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  email: 'must be a valid email address, like name@example.com',
  date: 'must be a date',
  datetime: 'must be a date and time',
  time: 'must be a time, like 08:30',
  uuid: 'is not valid',
  url: 'must be a web address',
};

function describeOne(issue: z.core.$ZodIssue, label: string, key: string | undefined): string {
  switch (issue.code) {
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int') {
        const range = rangeSentence(label, key);
        if (range) return range;
        return issue.inclusive === false
          ? `${label} must be less than ${formatNumberForPeople(issue.maximum)}`
          : `${label} must be at most ${formatNumberForPeople(issue.maximum)}`;
      }
      if (issue.origin === 'date') return `${label} is too late`;
      return `${label} must be at most ${sizeWords(issue.origin, issue.maximum)}`;
    }
    case 'too_small': {
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int') {
        const range = rangeSentence(label, key);
        if (range) return range;
        if (Number(issue.minimum) === 0 && issue.inclusive === false) return `${label} must be more than 0`;
        return issue.inclusive === false
          ? `${label} must be more than ${formatNumberForPeople(issue.minimum)}`
          : `${label} must be at least ${formatNumberForPeople(issue.minimum)}`;
      }
      if (issue.origin === 'date') return `${label} is too early`;
      if (Number(issue.minimum) === 1)
        return issue.origin === 'string' ? `${label} is required` : `Add at least one ${label.toLowerCase()}`;
      return `${label} must be at least ${sizeWords(issue.origin, issue.minimum)}`;
    }
    case 'invalid_type': {
      if (issue.input === undefined && /received undefined/.test(issue.message)) return `${label} is required`;
      if (issue.expected === 'number' || issue.expected === 'int') return `${label} must be a number`;
      if (issue.expected === 'string') return `${label} must be text`;
      return `${label} is not valid`;
    }
    case 'invalid_format': {
      const words = FORMAT_WORDS[issue.format];
      return words ? `${label} ${words}` : `${label} is not in the right format`;
    }
    case 'invalid_value': {
      const values = issue.values.filter((value) => typeof value === 'string' || typeof value === 'number');
      if (values.length > 0 && values.length <= 8) {
        return `${label} must be one of: ${values.map((value) => String(value).replace(/_/g, ' ')).join(', ')}`;
      }
      return `${label} is not one of the choices`;
    }
    case 'not_multiple_of': {
      const divisor = Number(issue.divisor);
      const decimals = Math.round(-Math.log10(divisor));
      if (divisor < 1 && Math.abs(10 ** -decimals - divisor) < 1e-12) {
        return `${label} may have at most ${decimals} ${decimals === 1 ? 'decimal' : 'decimals'}`;
      }
      return `${label} must be a multiple of ${formatNumberForPeople(divisor)}`;
    }
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `${fieldLabel(issue.keys[0] ?? '')} cannot be sent with this change`
        : `${issue.keys.map((k) => fieldLabel(k)).join(', ')} cannot be sent with this change`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return `${label} is not valid`;
    default: {
      // Custom checks in the catalogue are written as "<field> must …": say it with the field's name.
      // Parentheses hold the technical detail ("a lone UTF-16 surrogate"): people do not need it.
      const message = issue.message.replace(/\s*\([^)]*\)/g, '').trim();
      if (key && message.startsWith(`${key} `)) return `${label}${message.slice(key.length)}`;
      if (message.startsWith('text ')) return `${label}${message.slice('text'.length)}`;
      if (!message || /^invalid/i.test(message)) return `${label} is not valid`;
      return key ? `${label}: ${message}` : capitalise(message);
    }
  }
}

/**
 * Translates schema issues (from `mutationArgsSchemas[name].safeParse`) into
 * sentences a person understands, each naming the field it is about, e.g.
 * "Latitude must be between −90 and 90." Never returns a schema library's
 * own wording. `labels` overrides field names for one form.
 */
export function plainIssues(
  issues: readonly z.core.$ZodIssue[],
  labels: Readonly<Record<string, string>> = FIELD_LABELS,
): PlainIssue[] {
  return issues.map((issue) => {
    const path = fieldPath(issue);
    const first = path[0];
    const key = labelKey(path);
    const label = key ? fieldLabel(key, labels) : 'This change';
    return { field: typeof first === 'string' ? first : '', message: sentence(describeOne(issue, label, key)) };
  });
}

/** The first plain message per field (`''` for problems not tied to a field), for forms. */
export function plainIssuesByField(
  issues: readonly z.core.$ZodIssue[],
  labels: Readonly<Record<string, string>> = FIELD_LABELS,
): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of plainIssues(issues, labels)) byField[issue.field] ??= issue.message;
  return byField;
}

/** All problems as one paragraph (each message once), for a toast or a refusal message. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  labels: Readonly<Record<string, string>> = FIELD_LABELS,
): string {
  return [...new Set(plainIssues(issues, labels).map((issue) => issue.message))].join(' ');
}
