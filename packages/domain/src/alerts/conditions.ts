import { z } from 'zod';
import { MAX_LIST_ITEMS, TEXT_LIMITS, textProblem } from '../wire-formats';
import {
  ALERT_EVENT_FIELDS,
  ALERT_EVENTS,
  type AlertFieldType,
  alertEventFields,
  isAlertEventName,
} from './alert-events';

/**
 * The operators of a condition, as CONTRACTS.md names them. A superset of the
 * older `ALERT_OPERATORS` (`enums/alert.ts`), which the row shape keeps.
 */
export const ALERT_CONDITION_OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not_in',
  'contains',
  'exists',
] as const;
export type AlertConditionOperator = (typeof ALERT_CONDITION_OPERATORS)[number];

/**
 * A rule's conditions as stored and sent: `{ "<field>": { "<op>": value, … }, … }`.
 * Every test on every field must hold; no conditions match every event.
 */
export type AlertConditions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * The JSON shape of conditions only; `conditionProblems` checks them against
 * an event. A key `__proto__` (which `JSON.parse` makes an own property) is
 * refused before parsing: a record would drop it silently, leaving a rule
 * with fewer conditions than its author wrote.
 */
export const alertConditionsSchema = z
  .unknown()
  .check((ctx) => {
    const value = ctx.value;
    if (typeof value !== 'object' || value === null) return;
    const nested = Object.values(value).filter((test) => typeof test === 'object' && test !== null);
    if ([value, ...nested].some((record) => Object.hasOwn(record, '__proto__'))) {
      ctx.issues.push({ code: 'custom', message: "'__proto__' is not a field or an operator", input: value });
    }
  })
  .pipe(z.record(z.string(), z.record(z.string(), z.json())));

const ORDER_OPERATORS: readonly string[] = ['>', '>=', '<', '<='];
const OPERATOR_LIST = ALERT_CONDITION_OPERATORS.join(' ');
const MAX_CONDITION_FIELDS = 50;

/**
 * Fields whose values have an order (`priority`), by name. A field name means
 * the same thing on every event, so matching needs no event name.
 */
const ORDERED_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.values(ALERT_EVENT_FIELDS).flatMap((fields) =>
    Object.entries(fields as Record<string, AlertFieldType>).flatMap(([field, type]) =>
      type.type === 'enum' && type.ordered ? [[field, type.values] as const] : [],
    ),
  ),
);

function isOperator(op: string): op is AlertConditionOperator {
  return (ALERT_CONDITION_OPERATORS as readonly string[]).includes(op);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

/** Why `value` cannot stand for a value of `type` in a condition, or undefined when it can. */
function valueProblem(type: AlertFieldType, value: unknown): string | undefined {
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string') return `needs text, not ${describe(value)}`;
      if (value.length > TEXT_LIMITS.reason) return `text is longer than ${TEXT_LIMITS.reason} characters`;
      return textProblem(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `needs a number, not ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `needs true or false, not ${describe(value)}`;
    case 'datetime':
      return typeof value === 'string' && instantMs(value) !== undefined
        ? undefined
        : `needs a date and time like 2026-11-21T09:00:00Z, not ${describe(value)}`;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `${describe(value)} is not one of ${type.values.join(', ')}`;
  }
}

// ISO 8601 with a date, a time and an offset; Date.parse alone accepts much looser text.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function instantMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function operatorProblems(field: string, type: AlertFieldType, op: string, value: unknown): string[] {
  const on = `${field}: '${op}'`;
  if (!isOperator(op)) return [`${field}: unknown operator '${op}' (use one of ${OPERATOR_LIST})`];
  if (op === 'exists') return typeof value === 'boolean' ? [] : [`${on} needs true or false`];
  if (ORDER_OPERATORS.includes(op)) {
    const ordered = type.type === 'number' || type.type === 'datetime' || (type.type === 'enum' && type.ordered);
    if (!ordered) return [`${on} compares numbers, dates or ordered values; ${field} is ${typeName(type)}`];
  }
  if (op === 'contains' && type.type !== 'string') return [`${on} works on text; ${field} is ${typeName(type)}`];
  if ((op === '>' || op === '>=' || op === '<' || op === '<=' || op === '=' || op === '!=') && value === null) {
    return [`${on} needs a value; use 'exists' to test for a missing one`];
  }
  if (op === 'contains' && value === '') return [`${on} needs some text to look for`];
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(value) || value.length === 0) return [`${on} needs a list of values`];
    if (value.length > MAX_LIST_ITEMS) return [`${on} takes at most ${MAX_LIST_ITEMS} values`];
    const problems: string[] = [];
    for (const item of value) {
      const problem = valueProblem(type, item);
      if (problem) problems.push(`${on}: ${problem}`);
    }
    return problems;
  }
  const problem = valueProblem(type, value);
  return problem ? [`${on} ${problem}`] : [];
}

function typeName(type: AlertFieldType): string {
  switch (type.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'datetime':
      return 'a date and time';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
  }
}

/**
 * Why `conditions` cannot be used on `event`, in plain words (e.g.
 * "priority: 'in' needs a list of values", "unknown field 'colour' for
 * job.created"); empty when they can. Never throws.
 */
export function conditionProblems(event: unknown, conditions: unknown): string[] {
  try {
    if (!isAlertEventName(event)) {
      return [`unknown event ${describe(event)} (use one of ${ALERT_EVENTS.join(', ')})`];
    }
    if (!isPlainObject(conditions)) {
      return ['conditions must be an object like { "priority": { "=": "urgent" } }'];
    }
    const fields = alertEventFields(event)!;
    const entries = Object.entries(conditions);
    if (entries.length > MAX_CONDITION_FIELDS) return [`at most ${MAX_CONDITION_FIELDS} fields may have conditions`];
    const problems: string[] = [];
    for (const [field, tests] of entries) {
      if (!Object.hasOwn(fields, field)) {
        problems.push(`unknown field '${field}' for ${event}`);
        continue;
      }
      const type = fields[field]!;
      if (!isPlainObject(tests)) {
        problems.push(`${field}: give operators and values, like { "=": … }`);
        continue;
      }
      const ops = Object.entries(tests);
      if (ops.length === 0) problems.push(`${field}: give at least one operator`);
      for (const [op, value] of ops) problems.push(...operatorProblems(field, type, op, value));
    }
    return problems;
  } catch {
    // Only a hostile object (a throwing getter or proxy) gets here; refuse it rather than crash the caller.
    return ['conditions could not be read'];
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') && a === b;
}

/** Orders two values of the same kind: numbers, ISO instants, or two values of an ordered enum. */
function compare(actual: unknown, expected: unknown, order: readonly string[] | undefined): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return Number.isFinite(actual) && Number.isFinite(expected) ? actual - expected : undefined;
  }
  if (typeof actual !== 'string' || typeof expected !== 'string') return undefined;
  if (order) {
    const a = order.indexOf(actual);
    const b = order.indexOf(expected);
    return a >= 0 && b >= 0 ? a - b : undefined;
  }
  const a = instantMs(actual);
  const b = instantMs(expected);
  return a !== undefined && b !== undefined ? a - b : undefined;
}

function holds(op: string, actual: unknown, expected: unknown, order: readonly string[] | undefined): boolean {
  if (op === 'exists') return typeof expected === 'boolean' && expected === (actual !== undefined && actual !== null);
  // Every other test needs a value: a missing field never matches (not even `!=` or `not_in`).
  if (actual === undefined || actual === null) return false;
  switch (op) {
    case '=':
      return sameValue(actual, expected);
    case '!=':
      return typeof actual === typeof expected && sameValue(expected, expected) && actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.some((item) => sameValue(actual, item));
    case 'not_in':
      return (
        Array.isArray(expected) &&
        expected.every((item) => typeof item === typeof actual && sameValue(item, item) && item !== actual)
      );
    case 'contains':
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLocaleLowerCase('en').includes(expected.toLocaleLowerCase('en'))
      );
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const diff = compare(actual, expected, order);
      if (diff === undefined || Number.isNaN(diff)) return false;
      if (op === '>') return diff > 0;
      if (op === '>=') return diff >= 0;
      if (op === '<') return diff < 0;
      return diff <= 0;
    }
    default:
      return false;
  }
}

/**
 * Whether an event's `data` meets every condition. Never throws: a missing
 * field, a value of the wrong type, an unknown operator or conditions that are
 * not an object all mean "no match". A missing or null field matches only
 * `exists: false`. `contains` ignores case. Order comparisons work on numbers,
 * ISO instants and the ordered enums (`priority`: low < medium < high < urgent).
 */
export function matchesConditions(data: unknown, conditions: unknown): boolean {
  try {
    if (!isPlainObject(conditions)) return false;
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    for (const [field, tests] of Object.entries(conditions)) {
      if (!isPlainObject(tests)) return false;
      const actual = Object.hasOwn(record, field) ? record[field] : undefined;
      const order = ORDERED_FIELDS.get(field);
      for (const [op, expected] of Object.entries(tests)) {
        if (!holds(op, actual, expected, order)) return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}
