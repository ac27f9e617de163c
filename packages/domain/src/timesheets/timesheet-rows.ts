import type { LocalDate } from '../scheduling/local-time';
import { type TimeOnSiteCell, type TimeOnSiteInput, timeOnSite } from './time-on-site';

/**
 * One line of the timesheet report (`GET /api/reports/timesheet`): one
 * contractor's time on one job on one company day, in whole minutes.
 */
export interface TimesheetRow {
  date: LocalDate;
  contractorId: string;
  contractorName: string;
  jobId: string;
  jobNumber: string;
  jobTitle: string;
  workingMinutes: number;
  waitingMinutes: number;
  onHoldMinutes: number;
}

export interface TimesheetInput extends TimeOnSiteInput {
  contractors: ReadonlyArray<{ id: string; name: string }>;
  jobs: ReadonlyArray<{ id: string; jobNumber: string; title: string }>;
}

const MS_PER_MINUTE = 60_000;

/**
 * Whole minutes of a duration, half a minute and more rounding up. Each
 * cell is rounded on its own, so a day's total is the sum of what its rows
 * show.
 */
export function wholeMinutes(ms: number): number {
  return Math.round(ms / MS_PER_MINUTE);
}

function compareRows(a: TimesheetRow, b: TimesheetRow): number {
  return (
    a.date.localeCompare(b.date) ||
    a.contractorName.localeCompare(b.contractorName) ||
    a.contractorId.localeCompare(b.contractorId) ||
    a.jobNumber.localeCompare(b.jobNumber) ||
    a.jobId.localeCompare(b.jobId)
  );
}

/** A time-on-site cell as a timesheet row, named; unknown contractors and jobs get empty names. */
export function toTimesheetRow(
  cell: TimeOnSiteCell,
  contractor: { name: string } | undefined,
  job: { jobNumber: string; title: string } | undefined,
): TimesheetRow {
  return {
    date: cell.date,
    contractorId: cell.contractorId,
    contractorName: contractor?.name ?? '',
    jobId: cell.jobId,
    jobNumber: job?.jobNumber ?? '',
    jobTitle: job?.title ?? '',
    workingMinutes: wholeMinutes(cell.workingMs),
    waitingMinutes: wholeMinutes(cell.waitingMs),
    onHoldMinutes: wholeMinutes(cell.onHoldMs),
  };
}

/**
 * The timesheet: a row per company day, contractor and job with any time
 * on site (see `timeOnSite` for the rules), ordered by day, contractor name
 * and job number. Rows under half a minute in every column are left out.
 */
export function timesheetRows(input: TimesheetInput): TimesheetRow[] {
  const contractors = new Map(input.contractors.map((contractor) => [contractor.id, contractor]));
  const jobs = new Map(input.jobs.map((job) => [job.id, job]));
  return timeOnSite(input)
    .map((cell) => toTimesheetRow(cell, contractors.get(cell.contractorId), jobs.get(cell.jobId)))
    .filter((row) => row.workingMinutes + row.waitingMinutes + row.onHoldMinutes > 0)
    .sort(compareRows);
}
