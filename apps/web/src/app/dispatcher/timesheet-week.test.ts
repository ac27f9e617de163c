import type { TimesheetRow } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { timesheetWeek, weekDays, weekStartOf } from './timesheet-week';

const row = (
  date: string,
  contractorId: string,
  name: string,
  jobId: string,
  working: number,
  waiting = 0,
  onHold = 0,
) =>
  ({
    date,
    contractorId,
    contractorName: name,
    jobId,
    jobNumber: `JOB-${jobId}`,
    jobTitle: jobId,
    workingMinutes: working,
    waitingMinutes: waiting,
    onHoldMinutes: onHold,
  }) satisfies TimesheetRow;

test('weeks run Monday to Sunday', () => {
  expect(weekStartOf('2026-12-02')).toBe('2026-11-30'); // a Wednesday
  expect(weekStartOf('2026-11-30')).toBe('2026-11-30'); // the Monday itself
  expect(weekStartOf('2026-12-06')).toBe('2026-11-30'); // the Sunday
  expect(weekDays('2026-11-30')).toEqual([
    '2026-11-30',
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
    '2026-12-06',
  ]);
});

test('the grid adds every row once, both ways, and leaves out days outside the week', () => {
  const week = timesheetWeek('2026-11-30', [
    row('2026-11-30', 'b', 'Ben', 'j1', 120, 15),
    row('2026-11-30', 'b', 'Ben', 'j2', 60, 0, 30),
    row('2026-12-01', 'a', 'Ana', 'j1', 45),
    row('2026-12-07', 'a', 'Ana', 'j3', 999),
  ]);
  expect(week.contractors.map((c) => c.contractorName)).toEqual(['Ana', 'Ben']);
  expect(week.contractors[1]?.days[0]).toEqual({ working: 180, waiting: 15, onHold: 30 });
  expect(week.contractors[1]?.total).toEqual({ working: 180, waiting: 15, onHold: 30 });
  expect(week.contractors[0]?.total).toEqual({ working: 45, waiting: 0, onHold: 0 });
  expect(week.dayTotals.slice(0, 2)).toEqual([
    { working: 180, waiting: 15, onHold: 30 },
    { working: 45, waiting: 0, onHold: 0 },
  ]);
  expect(week.total).toEqual({ working: 225, waiting: 15, onHold: 30 });
});
