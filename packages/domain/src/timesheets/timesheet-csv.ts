import { toCsv } from './csv';
import type { TimesheetRow } from './timesheet-rows';

/** The header line of the timesheet CSV, fixed by the HTTP contract. */
export const TIMESHEET_CSV_HEADER = [
  'date',
  'contractor',
  'job_number',
  'job_title',
  'working_minutes',
  'waiting_minutes',
  'on_hold_minutes',
] as const;

/** The timesheet as CSV, the rows in the order given. The same bytes on the server and the desktop. */
export function timesheetCsv(rows: readonly TimesheetRow[]): string {
  return toCsv(
    TIMESHEET_CSV_HEADER,
    rows.map((row) => [
      row.date,
      row.contractorName,
      row.jobNumber,
      row.jobTitle,
      row.workingMinutes,
      row.waitingMinutes,
      row.onHoldMinutes,
    ]),
  );
}
