import type { Job } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { compareByDay, dayGroup } from './board-order';

const TODAY = '2026-11-21';
type Dated = Pick<Job, 'desiredDate' | 'status' | 'priority'> & { name: string };
const job = (name: string, desiredDate: string | null, status: Job['status'], priority: Job['priority'] = 'medium') =>
  ({ name, desiredDate, status, priority }) satisfies Dated;

test('work booked or started on an earlier day and not completed is overdue; the rest of the past is not', () => {
  expect(dayGroup(job('a', '2026-11-20', 'scheduled'), TODAY)).toBe('overdue');
  expect(dayGroup(job('b', '2026-11-19', 'in_progress'), TODAY)).toBe('overdue');
  expect(dayGroup(job('c', '2026-11-20', 'completed'), TODAY)).toBe('past');
  expect(dayGroup(job('d', '2026-11-20', 'cancelled'), TODAY)).toBe('past');
  expect(dayGroup(job('e', TODAY, 'completed'), TODAY)).toBe('today');
  expect(dayGroup(job('f', '2026-11-22', 'open'), TODAY)).toBe('ahead');
  expect(dayGroup(job('g', null, 'open'), TODAY)).toBe('undated');
});

test('the board opens on today: overdue above it, the days ahead nearest first, finished past work at the bottom', () => {
  const jobs = [
    job('far future', '2027-01-10', 'scheduled'),
    job('done last week', '2026-11-14', 'completed'),
    job('tomorrow', '2026-11-22', 'scheduled'),
    job('today, low', TODAY, 'scheduled', 'low'),
    job('undated', null, 'open'),
    job('done yesterday', '2026-11-20', 'completed'),
    job('overdue from Tuesday', '2026-11-17', 'scheduled'),
    job('today, urgent', TODAY, 'in_progress', 'urgent'),
    job('overdue from yesterday', '2026-11-20', 'in_progress'),
  ];
  const order = [...jobs].sort((a, b) => compareByDay(a, b, TODAY)).map((row) => row.name);
  expect(order).toEqual([
    'overdue from Tuesday',
    'overdue from yesterday',
    'today, urgent',
    'today, low',
    'tomorrow',
    'far future',
    'undated',
    'done yesterday',
    'done last week',
  ]);
});
