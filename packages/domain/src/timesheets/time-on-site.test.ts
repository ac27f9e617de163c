import { describe, expect, test } from 'vitest';
import type { AssignmentStatus } from '../enums/assignment-status';
import type { JobStatus } from '../enums/job-status';
import { openStretch, type TimedStatusChange, timeOnSite } from './time-on-site';
import { type TimesheetRow, timesheetRows, wholeMinutes } from './timesheet-rows';

/**
 * A hand-computed week in New York around the end of daylight saving time
 * (Sunday 2026-11-01, 02:00 EDT → 01:00 EST). Until then the clock is
 * UTC−4, after it UTC−5, so that Sunday has 25 hours. Every expected number
 * below is worked out in the comments from the UTC instants.
 */
const ZONE = 'America/New_York';
const ANA = 'ana';
const BEN = 'ben';
const CLEO = 'cleo';

const contractors = [
  { id: ANA, name: 'Ana Ortiz' },
  { id: BEN, name: 'Ben Okafor' },
  { id: CLEO, name: 'Cleo Park' },
];
const jobs = [
  { id: 'A', jobNumber: 'JOB-20261030-AAAAAA', title: 'Night boiler swap' },
  { id: 'B', jobNumber: 'JOB-20261031-BBBBBB', title: 'Burst pipe, DST night' },
  { id: 'C', jobNumber: 'JOB-20261102-CCCCCC', title: 'Kitchen refit (offline day)' },
  { id: 'D', jobNumber: 'JOB-20261102-DDDDDD', title: 'Fast phone clock' },
  { id: 'E', jobNumber: 'JOB-20261103-EEEEEE', title: 'Still going' },
  { id: 'F', jobNumber: 'JOB-20261029-FFFFFF', title: 'Started before the week' },
];
const assignments: Array<{ jobId: string; contractorId: string; status: AssignmentStatus }> = [
  { jobId: 'A', contractorId: ANA, status: 'completed' },
  { jobId: 'B', contractorId: BEN, status: 'completed' },
  // A crew of two: both get the time; Cleo was taken off the job and gets none.
  { jobId: 'C', contractorId: ANA, status: 'completed' },
  { jobId: 'C', contractorId: BEN, status: 'completed' },
  { jobId: 'C', contractorId: CLEO, status: 'cancelled' },
  { jobId: 'D', contractorId: BEN, status: 'completed' },
  { jobId: 'E', contractorId: ANA, status: 'in_progress' },
  { jobId: 'F', contractorId: ANA, status: 'completed' },
];

let seq = 0;
function change(jobId: string, toStatus: JobStatus, occurredAt: string, recordedAt = occurredAt): TimedStatusChange {
  seq += 1;
  return { id: `h${seq}`, jobId, toStatus, occurredAt, recordedAt, seq };
}

const NOW = '2026-11-03T15:10:00Z';

const history: TimedStatusChange[] = [
  // A — crosses midnight. In progress Fri 22:00 EDT (02:00Z) until Sat 01:30 EDT (05:30Z), waiting 45 min,
  // in progress again 02:15–03:00 EDT. Fri: 02:00Z→04:00Z (midnight EDT) = 120. Sat: 90 + 45 = 135 working, 45 waiting.
  change('A', 'scheduled', '2026-10-30T15:00:00Z'),
  change('A', 'in_progress', '2026-10-31T02:00:00Z'),
  change('A', 'waiting_on_materials', '2026-10-31T05:30:00Z'),
  change('A', 'in_progress', '2026-10-31T06:15:00Z'),
  change('A', 'completed', '2026-10-31T07:00:00Z'),
  // B — the DST night. In progress Sat 23:00 EDT (Sun 03:00Z) until Sun 03:00 EST (08:00Z): the wall clock
  // says 4 hours, the night had 5. Sat: 03:00Z→04:00Z = 60. Sun: 04:00Z→08:00Z = 240.
  // On hold 08:00Z→15:00Z = 420, in progress 15:00Z→17:00Z = 120. Sun: 360 working, 420 on hold.
  change('B', 'in_progress', '2026-11-01T03:00:00Z'),
  change('B', 'on_hold', '2026-11-01T08:00:00Z'),
  change('B', 'in_progress', '2026-11-01T15:00:00Z'),
  change('B', 'completed', '2026-11-01T17:00:00Z'),
  // C — Monday worked offline after the start, replayed Tuesday 09:00 EST (14:00Z), listed out of order.
  // 13:00Z→17:00Z = 240 working, waiting 17:00Z→18:00Z = 60, in progress 18:00Z→21:30Z = 210. Mon: 450 / 60.
  change('C', 'completed', '2026-11-02T21:30:00Z', '2026-11-03T14:00:00Z'),
  change('C', 'in_progress', '2026-11-02T18:00:00Z', '2026-11-03T14:00:00Z'),
  change('C', 'in_progress', '2026-11-02T13:00:00Z'),
  change('C', 'waiting_on_materials', '2026-11-02T17:00:00Z', '2026-11-03T14:00:00Z'),
  // D — the phone's clock ran 3 hours fast when it started the job: it said 21:00Z, the server got it at
  // 18:00Z, so it counts from 18:00Z. In progress 18:00Z→19:30Z = 90, on hold 19:30Z→20:00Z = 30,
  // in progress 20:00Z→20:45Z = 45. Mon: 135 working, 30 on hold. (Unclamped it would still be running.)
  change('D', 'in_progress', '2026-11-02T21:00:00Z', '2026-11-02T18:00:00Z'),
  change('D', 'on_hold', '2026-11-02T19:30:00Z'),
  change('D', 'in_progress', '2026-11-02T20:00:00Z'),
  change('D', 'completed', '2026-11-02T20:45:00Z'),
  // E — in progress since Tue 07:00 EST (12:00Z) and still going at NOW (15:10Z): 190.
  change('E', 'in_progress', '2026-11-03T12:00:00Z'),
  // F — started Thu 23:00 EDT (Fri 03:00Z), done Fri 01:00 EDT (05:00Z): only Friday's 60 is in the week.
  change('F', 'in_progress', '2026-10-30T03:00:00Z'),
  change('F', 'completed', '2026-10-30T05:00:00Z'),
];

const row = (
  date: string,
  contractorId: string,
  jobId: string,
  workingMinutes: number,
  waitingMinutes = 0,
  onHoldMinutes = 0,
): TimesheetRow => {
  const contractor = contractors.find((c) => c.id === contractorId);
  const job = jobs.find((j) => j.id === jobId);
  return {
    date,
    contractorId,
    contractorName: contractor?.name ?? '',
    jobId,
    jobNumber: job?.jobNumber ?? '',
    jobTitle: job?.title ?? '',
    workingMinutes,
    waitingMinutes,
    onHoldMinutes,
  };
};

describe('timesheetRows over a hand-computed week', () => {
  const input = {
    history,
    assignments,
    contractors,
    jobs,
    timeZone: ZONE,
    from: '2026-10-30',
    to: '2026-11-03',
    now: NOW,
  };

  test('splits at midnight and across the DST change, replays the offline day on its day, clamps the fast clock', () => {
    expect(timesheetRows(input)).toEqual([
      row('2026-10-30', ANA, 'F', 60),
      row('2026-10-30', ANA, 'A', 120),
      row('2026-10-31', ANA, 'A', 135, 45),
      row('2026-10-31', BEN, 'B', 60),
      row('2026-11-01', BEN, 'B', 360, 0, 420),
      row('2026-11-02', ANA, 'C', 450, 60),
      row('2026-11-02', BEN, 'C', 450, 60),
      row('2026-11-02', BEN, 'D', 135, 0, 30),
      row('2026-11-03', ANA, 'E', 190),
    ]);
  });

  test('the same answer whatever order the history arrives in', () => {
    expect(timesheetRows({ ...input, history: [...history].reverse() })).toEqual(timesheetRows(input));
  });

  test('before the offline day is replayed, the job still counts as in progress up to now', () => {
    const beforeReplay = history.filter((entry) => Date.parse(entry.recordedAt) <= Date.parse('2026-11-02T20:00:00Z'));
    const rows = timesheetRows({ ...input, history: beforeReplay, now: '2026-11-02T20:00:00Z' });
    // 13:00Z → 20:00Z.
    expect(rows.filter((r) => r.jobId === 'C')).toEqual([
      row('2026-11-02', ANA, 'C', 420),
      row('2026-11-02', BEN, 'C', 420),
    ]);
  });

  test('a narrower range cuts stretches at its edges', () => {
    expect(timesheetRows({ ...input, from: '2026-11-01', to: '2026-11-01' })).toEqual([
      row('2026-11-01', BEN, 'B', 360, 0, 420),
    ]);
  });

  test('a job nobody is (still) assigned to counts for no one', () => {
    const rows = timesheetRows({ ...input, assignments: assignments.filter((a) => a.jobId !== 'E') });
    expect(rows.some((r) => r.jobId === 'E')).toBe(false);
  });
});

describe('days that are not 24 hours long', () => {
  const onlyJob = [{ jobId: 'X', contractorId: ANA, status: 'completed' as const }];

  test('Berlin, end of summer time (2026-10-25): 25 hours between the two midnights', () => {
    const cells = timeOnSite({
      // 22:00 CEST on the 24th (20:00Z) to 02:00 CET on the 26th (01:00Z).
      history: [change('X', 'in_progress', '2026-10-24T20:00:00Z'), change('X', 'completed', '2026-10-26T01:00:00Z')],
      assignments: onlyJob,
      timeZone: 'Europe/Berlin',
      from: '2026-10-24',
      to: '2026-10-26',
      now: '2026-10-27T00:00:00Z',
    });
    expect(cells.map((cell) => [cell.date, wholeMinutes(cell.workingMs)])).toEqual([
      ['2026-10-24', 120],
      ['2026-10-25', 25 * 60],
      ['2026-10-26', 120],
    ]);
  });

  test('New York, start of daylight saving time (2026-03-08): 23 hours', () => {
    const cells = timeOnSite({
      history: [change('X', 'in_progress', '2026-03-07T12:00:00Z'), change('X', 'completed', '2026-03-09T12:00:00Z')],
      assignments: onlyJob,
      timeZone: ZONE,
      from: '2026-03-08',
      to: '2026-03-08',
      now: '2026-03-10T00:00:00Z',
    });
    expect(cells.map((cell) => [cell.date, wholeMinutes(cell.workingMs)])).toEqual([['2026-03-08', 23 * 60]]);
  });
});

describe('openStretch', () => {
  test('names the job’s running status and since when, clamped like the rest', () => {
    expect(openStretch(history, 'E')).toEqual({
      status: 'in_progress',
      kind: 'working',
      sinceMs: Date.parse('2026-11-03T12:00:00Z'),
    });
    expect(openStretch(history, 'B')).toBeNull();
    expect(
      openStretch([change('Y', 'in_progress', '2026-11-03T18:00:00Z', '2026-11-03T15:00:00Z')], 'Y')?.sinceMs,
    ).toBe(Date.parse('2026-11-03T15:00:00Z'));
  });
});

test('whole minutes round half up, each cell on its own', () => {
  expect([29_999, 30_000, 89_999, 90_000].map(wholeMinutes)).toEqual([0, 1, 1, 2]);
});
