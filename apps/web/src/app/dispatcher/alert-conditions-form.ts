import {
  type AlertConditionOperator,
  type AlertConditions,
  type AlertEventName,
  type AlertFieldType,
  alertEventFields,
  alertFieldType,
} from '@fieldsync/domain';

/**
 * The condition builder's rows and their conversion to and from the
 * contract's object form `{ field: { op: value } }`. A row is what a person
 * edits: a field, an operator and the value as typed (or the values picked,
 * for `in`/`not_in` on a field with a closed list). Several rows on the same
 * field become several operators on that field, all of which must hold.
 */
export interface ConditionRow {
  /** Stable per row, for React keys and per-row messages. */
  key: string;
  field: string;
  op: AlertConditionOperator;
  /** The value as typed; for `exists` `'true'` or `'false'`; for a list on free text, comma-separated. */
  value: string;
  /** The values picked for `in`/`not_in` on an enum field. */
  values: string[];
}

/** Operators in words, for the operator picker. */
export const OPERATOR_LABEL: Record<AlertConditionOperator, string> = {
  '=': 'is',
  '!=': 'is not',
  '>': 'is more than',
  '>=': 'is at least',
  '<': 'is less than',
  '<=': 'is at most',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  exists: 'has a value',
};

/** The operators that make sense on a field of this type (as `conditionProblems` accepts them). */
export function operatorsFor(type: AlertFieldType): AlertConditionOperator[] {
  switch (type.type) {
    case 'string':
      return ['=', '!=', 'contains', 'in', 'not_in', 'exists'];
    case 'number':
      return ['=', '!=', '>', '>=', '<', '<=', 'in', 'not_in', 'exists'];
    case 'boolean':
      return ['=', '!=', 'exists'];
    case 'datetime':
      return ['>', '>=', '<', '<=', '=', '!=', 'exists'];
    case 'enum':
      return type.ordered
        ? ['=', '!=', '>', '>=', '<', '<=', 'in', 'not_in', 'exists']
        : ['=', '!=', 'in', 'not_in', 'exists'];
  }
}

/** Whether the row's value is picked from a list (`values`) rather than typed. */
export function picksMany(type: AlertFieldType | undefined, op: AlertConditionOperator): boolean {
  return type?.type === 'enum' && (op === 'in' || op === 'not_in');
}

/** A fresh row on the event's first field, with a value that already makes sense for it. */
export function newConditionRow(event: AlertEventName, key: string, field?: string): ConditionRow {
  const fields = alertEventFields(event) ?? {};
  const name = field && Object.hasOwn(fields, field) ? field : (Object.keys(fields)[0] ?? '');
  return resetRowForField({ key, field: name, op: '=', value: '', values: [] }, event, name);
}

/** The row moved to another field: keeps the operator when it still applies, otherwise starts over. */
export function resetRowForField(row: ConditionRow, event: AlertEventName, field: string): ConditionRow {
  const type = alertFieldType(event, field);
  if (!type) return { ...row, field };
  const ops = operatorsFor(type);
  const op = ops.includes(row.op) ? row.op : ops[0]!;
  return { ...row, field, op, value: defaultValue(type, op), values: [] };
}

/** The row with another operator; the value is kept where it still reads the same. */
export function changeRowOperator(row: ConditionRow, event: AlertEventName, op: AlertConditionOperator): ConditionRow {
  const type = alertFieldType(event, row.field);
  const wasList = picksMany(type, row.op);
  const isList = picksMany(type, op);
  if (op === 'exists') return { ...row, op, value: 'true', values: [] };
  if (row.op === 'exists') return { ...row, op, value: type ? defaultValue(type, op) : '', values: [] };
  if (wasList && !isList)
    return { ...row, op, value: row.values[0] ?? (type ? defaultValue(type, op) : ''), values: [] };
  if (!wasList && isList) return { ...row, op, values: row.value ? [row.value] : [] };
  return { ...row, op };
}

function defaultValue(type: AlertFieldType, op: AlertConditionOperator): string {
  if (op === 'exists') return 'true';
  if (type.type === 'boolean') return 'true';
  if (type.type === 'enum') return type.values[0] ?? '';
  return '';
}

/** The outcome of reading the rows: the conditions to send, or one plain sentence per row that cannot be read. */
export type RowsReading = { ok: true; conditions: AlertConditions } | { ok: false; problems: Record<string, string> };

/**
 * Rows → the contract's conditions. Values are typed per the field (numbers,
 * true/false, lists); anything that cannot be read as the field's type is a
 * problem on its row. Deeper checks (a value outside a list, a date that is
 * not a date) are `conditionProblems`' to make, in the same words as the server.
 */
export function rowsToConditions(event: AlertEventName, rows: readonly ConditionRow[]): RowsReading {
  const conditions: Record<string, Record<string, unknown>> = {};
  const problems: Record<string, string> = {};
  for (const row of rows) {
    const type = alertFieldType(event, row.field);
    if (!type) {
      problems[row.key] = `Choose a field: ${row.field || 'this one'} is not part of this event.`;
      continue;
    }
    const tests = conditions[row.field] ?? {};
    if (Object.hasOwn(tests, row.op)) {
      problems[row.key] = `${row.field} already has a “${OPERATOR_LABEL[row.op]}” condition; change that one instead.`;
      continue;
    }
    const value = rowValue(type, row);
    if (!value.ok) {
      problems[row.key] = value.problem;
      continue;
    }
    tests[row.op] = value.value;
    conditions[row.field] = tests;
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, conditions };
}

type ValueReading = { ok: true; value: unknown } | { ok: false; problem: string };

function rowValue(type: AlertFieldType, row: ConditionRow): ValueReading {
  if (row.op === 'exists') return { ok: true, value: row.value !== 'false' };
  if (row.op === 'in' || row.op === 'not_in') {
    const items = picksMany(type, row.op)
      ? row.values
      : row.value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
    if (items.length === 0) return { ok: false, problem: `Pick or type at least one value for ${row.field}.` };
    if (type.type !== 'number') return { ok: true, value: items };
    const numbers = items.map(Number);
    return numbers.every(Number.isFinite)
      ? { ok: true, value: numbers }
      : { ok: false, problem: `${row.field} needs numbers separated by commas, like 1, 2, 3.` };
  }
  const text = row.value.trim();
  switch (type.type) {
    case 'number': {
      const number = Number(text);
      return text !== '' && Number.isFinite(number)
        ? { ok: true, value: number }
        : { ok: false, problem: `${row.field} needs a number.` };
    }
    case 'boolean':
      return { ok: true, value: row.value === 'true' };
    case 'string':
      return text === ''
        ? { ok: false, problem: `Type the text ${row.field} should be compared with.` }
        : { ok: true, value: text };
    case 'datetime':
      return text === ''
        ? { ok: false, problem: `${row.field} needs a date and time like 2026-11-21T09:00:00Z.` }
        : { ok: true, value: text };
    case 'enum':
      return { ok: true, value: row.value };
  }
}

/**
 * The contract's conditions → rows, one per field and operator, in the order
 * they are written. Fields or operators this app does not know are kept as
 * rows too, so the form shows them (and the checks name them) rather than
 * dropping them silently.
 */
export function conditionsToRows(conditions: AlertConditions, newKey: () => string): ConditionRow[] {
  const rows: ConditionRow[] = [];
  for (const [field, tests] of Object.entries(conditions)) {
    for (const [op, value] of Object.entries(tests)) {
      const row: ConditionRow = { key: newKey(), field, op: op as AlertConditionOperator, value: '', values: [] };
      if (Array.isArray(value)) {
        row.values = value.map(String);
        row.value = row.values.join(', ');
      } else {
        row.value = value === null || value === undefined ? '' : String(value);
      }
      rows.push(row);
    }
  }
  return rows;
}
