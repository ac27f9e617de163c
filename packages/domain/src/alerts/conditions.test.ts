import { expect, test } from 'vitest';
import { conditionProblems, matchesConditions } from './conditions';

const job = {
  jobId: '00000000-0000-4000-8000-000000000001',
  jobNumber: 'J-1042',
  title: 'Retile the <b>kitchen</b>',
  priority: 'high',
  trade: 'tile',
  status: 'waiting_on_materials',
  fromStatus: 'in_progress',
  toStatus: 'waiting_on_materials',
  customerName: 'Ada Lovelace',
  contractorId: null,
  assigned: false,
  source: 'mobile_app',
};
const overdue = { jobNumber: 'J-7', minutesLate: 45, scheduledStart: '2026-11-21T09:00:00Z', priority: 'urgent' };

test('= and != compare values of the same type', () => {
  expect(matchesConditions(job, { toStatus: { '=': 'waiting_on_materials' } })).toBe(true);
  expect(matchesConditions(job, { toStatus: { '=': 'on_hold' } })).toBe(false);
  expect(matchesConditions(job, { toStatus: { '!=': 'on_hold' } })).toBe(true);
  expect(matchesConditions(job, { toStatus: { '!=': 'waiting_on_materials' } })).toBe(false);
  expect(matchesConditions(job, { assigned: { '=': false } })).toBe(true);
  expect(matchesConditions(overdue, { minutesLate: { '=': 45 } })).toBe(true);
});

test('a value of another type never matches, not even with !=', () => {
  expect(matchesConditions(overdue, { minutesLate: { '=': '45' } })).toBe(false);
  expect(matchesConditions(overdue, { minutesLate: { '!=': '45' } })).toBe(false);
  expect(matchesConditions(job, { assigned: { '=': 'false' } })).toBe(false);
  expect(matchesConditions(job, { toStatus: { '!=': ['x'] } })).toBe(false);
  expect(matchesConditions(overdue, { minutesLate: { '>': '10' } })).toBe(false);
  expect(matchesConditions({ minutesLate: '45' }, { minutesLate: { '>': 10 } })).toBe(false);
});

test('order comparisons on numbers, instants and priority', () => {
  expect(matchesConditions(overdue, { minutesLate: { '>': 30, '<=': 45 } })).toBe(true);
  expect(matchesConditions(overdue, { minutesLate: { '>=': 46 } })).toBe(false);
  expect(matchesConditions(overdue, { minutesLate: { '<': 45 } })).toBe(false);
  expect(matchesConditions(overdue, { scheduledStart: { '<': '2026-11-21T10:00:00+01:00' } })).toBe(false);
  expect(matchesConditions(overdue, { scheduledStart: { '<=': '2026-11-21T10:00:00+01:00' } })).toBe(true);
  expect(matchesConditions(job, { priority: { '>=': 'high' } })).toBe(true);
  expect(matchesConditions(job, { priority: { '>': 'high' } })).toBe(false);
  expect(matchesConditions(overdue, { priority: { '>': 'high' } })).toBe(true);
  expect(matchesConditions(job, { priority: { '>': 'enormous' } })).toBe(false);
  // Plain text has no order.
  expect(matchesConditions(job, { jobNumber: { '>': 'J-1000' } })).toBe(false);
});

test('in and not_in take lists', () => {
  expect(matchesConditions(job, { priority: { in: ['high', 'urgent'] } })).toBe(true);
  expect(matchesConditions(job, { priority: { in: ['low'] } })).toBe(false);
  expect(matchesConditions(job, { priority: { not_in: ['low', 'medium'] } })).toBe(true);
  expect(matchesConditions(job, { priority: { not_in: ['high'] } })).toBe(false);
  expect(matchesConditions(job, { priority: { in: 'high' } })).toBe(false);
  expect(matchesConditions(job, { priority: { not_in: 'low' } })).toBe(false);
});

test('contains looks for text, ignoring case', () => {
  expect(matchesConditions(job, { title: { contains: 'KITCHEN' } })).toBe(true);
  expect(matchesConditions(job, { title: { contains: 'bathroom' } })).toBe(false);
  expect(matchesConditions(overdue, { minutesLate: { contains: '4' } })).toBe(false);
});

test('exists: a missing or null field exists false, and fails every other test', () => {
  expect(matchesConditions(job, { contractorId: { exists: false } })).toBe(true);
  expect(matchesConditions(job, { reason: { exists: false } })).toBe(true);
  expect(matchesConditions(job, { jobNumber: { exists: true } })).toBe(true);
  expect(matchesConditions(job, { jobNumber: { exists: false } })).toBe(false);
  expect(matchesConditions(job, { reason: { exists: true } })).toBe(false);
  expect(matchesConditions(job, { reason: { '!=': 'x' } })).toBe(false);
  expect(matchesConditions(job, { reason: { not_in: ['x'] } })).toBe(false);
});

test('all conditions must hold; none match everything', () => {
  expect(matchesConditions(job, {})).toBe(true);
  expect(matchesConditions(job, { priority: { '=': 'high' }, assigned: { '=': true } })).toBe(false);
  expect(matchesConditions(job, { priority: { '=': 'high' }, trade: { in: ['tile', 'flooring'] } })).toBe(true);
});

test('nonsense is no match, never a throw', () => {
  expect(matchesConditions(job, { priority: { '~': 'high' } })).toBe(false);
  expect(matchesConditions(job, null)).toBe(false);
  expect(matchesConditions(job, [])).toBe(false);
  expect(matchesConditions(null, { priority: { exists: false } })).toBe(true);
  expect(matchesConditions('text', { priority: { '=': 'high' } })).toBe(false);
  expect(matchesConditions(job, { priority: 'high' })).toBe(false);
  const hostile = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('boom');
      },
    },
  );
  expect(matchesConditions(job, hostile)).toBe(false);
  expect(matchesConditions({ ['__proto__']: 'x' }, { constructor: { exists: true } })).toBe(false);
});

test('valid conditions have no problems', () => {
  expect(conditionProblems('job.created', {})).toEqual([]);
  expect(
    conditionProblems('job.created', {
      priority: { in: ['high', 'urgent'], '>=': 'medium' },
      trade: { '=': 'tile' },
      title: { contains: 'leak' },
      contractorId: { exists: false },
      assigned: { '=': false },
    }),
  ).toEqual([]);
  expect(
    conditionProblems('job.overdue', { minutesLate: { '>': 60 }, scheduledStart: { '<': '2026-11-21T09:00Z' } }),
  ).toEqual([]);
});

test('problems name the field and say what is wrong in plain words', () => {
  expect(conditionProblems('job.created', { priority: { in: 'high' } })).toEqual([
    "priority: 'in' needs a list of values",
  ]);
  expect(conditionProblems('job.created', { colour: { '=': 'red' } })).toEqual([
    "unknown field 'colour' for job.created",
  ]);
  expect(conditionProblems('job.created', { priority: { '~': 'high' } })).toEqual([
    "priority: unknown operator '~' (use one of = != > >= < <= in not_in contains exists)",
  ]);
  expect(conditionProblems('job.created', { priority: { '=': 'super' } })).toEqual([
    "priority: '=' 'super' is not one of low, medium, high, urgent",
  ]);
  expect(conditionProblems('rating.added', { stars: { '>=': '4' } })).toEqual(["stars: '>=' needs a number, not '4'"]);
  expect(conditionProblems('job.created', { title: { '>': 'a' } })).toEqual([
    "title: '>' compares numbers, dates or ordered values; title is text",
  ]);
  expect(conditionProblems('rating.added', { stars: { contains: '4' } })).toEqual([
    "stars: 'contains' works on text; stars is a number",
  ]);
  expect(conditionProblems('job.created', { reason: { exists: 'yes' } })).toEqual([
    "reason: 'exists' needs true or false",
  ]);
  expect(conditionProblems('job.created', { reason: { '=': null } })).toEqual([
    "reason: '=' needs a value; use 'exists' to test for a missing one",
  ]);
  expect(conditionProblems('job.created', { reason: {} })).toEqual(['reason: give at least one operator']);
  expect(conditionProblems('job.created', { reason: 'x' })).toEqual([
    'reason: give operators and values, like { "=": … }',
  ]);
  expect(conditionProblems('job.created', { priority: { in: [] } })).toEqual(["priority: 'in' needs a list of values"]);
  expect(conditionProblems('job.overdue', { scheduledStart: { '<': 'tomorrow' } })).toEqual([
    "scheduledStart: '<' needs a date and time like 2026-11-21T09:00:00Z, not 'tomorrow'",
  ]);
  expect(conditionProblems('job.created', { assigned: { '=': 0 } })).toEqual([
    "assigned: '=' needs true or false, not 0",
  ]);
  expect(conditionProblems('job.nothing', {})).toEqual([expect.stringContaining("unknown event 'job.nothing'")]);
  expect(conditionProblems('job.created', [])).toEqual([expect.stringContaining('conditions must be an object')]);
});

test('a field belongs to its events only', () => {
  expect(conditionProblems('device.stale', { priority: { '=': 'high' } })).toEqual([
    "unknown field 'priority' for device.stale",
  ]);
  expect(conditionProblems('job.created', { constructor: { exists: true } })).toEqual([
    "unknown field 'constructor' for job.created",
  ]);
});
