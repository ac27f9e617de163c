/**
 * Timesheets: time on site from the job status history, per company day,
 * contractor and job, and the report's CSV. Pure: pass `now` in.
 */
export { csvField, toCsv } from './csv';
export { formatMinutes, formatStopwatch } from './durations';
export {
  effectiveOccurredMs,
  type JobAssignee,
  openStretch,
  type StatusStretch,
  statusStretches,
  TIMED_JOB_STATUSES,
  type TimedStatusChange,
  type TimeOnSiteCell,
  type TimeOnSiteInput,
  type TimeOnSiteKind,
  timeOnSite,
} from './time-on-site';
export { TIMESHEET_CSV_HEADER, timesheetCsv } from './timesheet-csv';
export {
  type TimesheetInput,
  type TimesheetRow,
  timesheetRows,
  toTimesheetRow,
  wholeMinutes,
} from './timesheet-rows';
