import { ALERT_EVENT_FIELDS, ALERT_EVENTS, conditionProblems } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import {
  type ConditionRow,
  changeRowOperator,
  conditionsToRows,
  newConditionRow,
  operatorsFor,
  resetRowForField,
  rowsToConditions,
} from './alert-conditions-form';

let next = 0;
const key = () => `k${++next}`;
const row = (fields: Partial<ConditionRow>): ConditionRow => ({
  key: key(),
  field: 'priority',
  op: '=',
  value: '',
  values: [],
  ...fields,
});

test('rows become the contract object form, several operators on one field merged, values typed per field', () => {
  const reading = rowsToConditions('assignment.created', [
    row({ field: 'priority', op: '>=', value: 'high' }),
    row({ field: 'priority', op: '!=', value: 'urgent' }),
    row({ field: 'trade', op: 'in', values: ['tile', 'paving'] }),
    row({ field: 'score', op: '>', value: ' 0.5 ' }),
    row({ field: 'customerName', op: 'contains', value: ' Acme ' }),
    row({ field: 'reason', op: 'exists', value: 'false' }),
    row({ field: 'contractorName', op: 'not_in', value: 'Ann, Bo ,' }),
  ]);
  expect(reading).toEqual({
    ok: true,
    conditions: {
      priority: { '>=': 'high', '!=': 'urgent' },
      trade: { in: ['tile', 'paving'] },
      score: { '>': 0.5 },
      customerName: { contains: 'Acme' },
      reason: { exists: false },
      contractorName: { not_in: ['Ann', 'Bo'] },
    },
  });
  if (reading.ok) expect(conditionProblems('assignment.created', reading.conditions)).toEqual([]);
});

test('a row that cannot be read names itself; nothing is sent', () => {
  const bad = row({ field: 'score', op: '>', value: 'lots' });
  const twice = row({ field: 'priority', op: '=', value: 'low' });
  const first = row({ field: 'priority', op: '=', value: 'high' });
  const empty = row({ field: 'trade', op: 'in', values: [] });
  const reading = rowsToConditions('assignment.created', [bad, first, twice, empty]);
  expect(reading.ok).toBe(false);
  if (reading.ok) return;
  expect(reading.problems[bad.key]).toBe('score needs a number.');
  expect(reading.problems[twice.key]).toMatch(/already has a “is” condition/);
  expect(reading.problems[empty.key]).toMatch(/at least one value/);
  expect(reading.problems[first.key]).toBeUndefined();
});

test('conditions read back into rows and out again unchanged', () => {
  const conditions = {
    priority: { in: ['high', 'urgent'] },
    assigned: { '=': false },
    minutesLate: { '>=': 45 },
    reason: { exists: true },
  };
  const rows = conditionsToRows(conditions, key);
  expect(rows.map((r) => [r.field, r.op])).toEqual([
    ['priority', 'in'],
    ['assigned', '='],
    ['minutesLate', '>='],
    ['reason', 'exists'],
  ]);
  expect(rowsToConditions('job.overdue', rows)).toEqual({ ok: true, conditions });
});

test('every operator offered for every field of every event is one the shared checks accept', () => {
  for (const event of ALERT_EVENTS) {
    for (const [field, type] of Object.entries(ALERT_EVENT_FIELDS[event])) {
      for (const op of operatorsFor(type)) {
        const start = resetRowForField(newConditionRow(event, key(), field), event, field);
        let edited = changeRowOperator(start, event, op);
        if (edited.op === 'in' || edited.op === 'not_in') {
          edited =
            type.type === 'enum'
              ? { ...edited, values: [type.values[0]!] }
              : { ...edited, value: type.type === 'number' ? '1' : 'x' };
        } else if (edited.value === '' && op !== 'exists') {
          edited = {
            ...edited,
            value: type.type === 'number' ? '1' : type.type === 'datetime' ? '2026-11-21T09:00:00Z' : 'x',
          };
        }
        const reading = rowsToConditions(event, [edited]);
        expect(reading.ok, `${event} ${field} ${op}`).toBe(true);
        if (reading.ok) expect(conditionProblems(event, reading.conditions), `${event} ${field} ${op}`).toEqual([]);
      }
    }
  }
});

test('changing field or operator keeps what still fits and resets what does not', () => {
  const start = newConditionRow('job.created', key(), 'priority');
  expect(start).toMatchObject({ field: 'priority', op: '=', value: 'low' });
  const many = changeRowOperator({ ...start, value: 'urgent' }, 'job.created', 'in');
  expect(many).toMatchObject({ op: 'in', values: ['urgent'] });
  expect(changeRowOperator(many, 'job.created', '=')).toMatchObject({ op: '=', value: 'urgent', values: [] });
  expect(changeRowOperator(start, 'job.created', 'exists')).toMatchObject({ op: 'exists', value: 'true' });
  // `>` is not offered on text, so moving there falls back to the field's first operator.
  const moved = resetRowForField({ ...start, op: '>' }, 'job.created', 'title');
  expect(moved).toMatchObject({ field: 'title', op: '=', value: '' });
});
