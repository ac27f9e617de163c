import {
  type AssignmentStatus,
  checkBookingClash,
  checkContractorTakesJobs,
  checkJobTakesAssignments,
  type JobStatus,
  minutesOfDay,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from '@fieldsync/domain';

/**
 * What the schedule says before a job is put somewhere: a refusal (the
 * device or the server would refuse it) or warnings the dispatcher may
 * accept (outside the contractor's working hours, already past). The same
 * words on a drop target, in the Move dialog and in the Pick-a-time form.
 */
export type PlacementCheck = { kind: 'refused'; message: string } | { kind: 'ok'; warnings: string[] };

/** An assignment of the target contractor, as the check needs it. */
export type PlacedAssignment = {
  id: string;
  jobId: string;
  status: AssignmentStatus;
  scheduledStart: string;
  scheduledEnd: string;
};

/** Arguments of {@link checkPlacement}. */
export type PlacementInput = {
  /** The assignment being made or moved; a move keeps its id so it does not clash with itself. */
  booking: { id: string; jobId: string; start: string; end: string };
  jobStatus: JobStatus;
  /** The job's trade; a contractor of another trade (not `multi`) is a warning. */
  jobTrade: string;
  contractor: { name: string; status: string; trade: string };
  /** Every assignment of the contractor on this device, whatever its status. */
  theirs: readonly PlacedAssignment[];
  /** The contractor's working-hours rows. */
  workingHours: ReadonlyArray<{ dayOfWeek: number; startTime: string; endTime: string }>;
  timeZone: string;
  nowMs: number;
  /** Words for times in warnings (`9:00 AM`), on the company's clock. */
  formatWallTime: (time: string) => string;
};

/**
 * Checks a placement with the domain's own booking rules, then the things
 * a dispatcher may knowingly override.
 *
 * Refused: a job that takes no more work, an inactive contractor, a
 * contractor already on the job, a double booking (the domain's
 * {@link checkBookingClash} words), and a contractor whose earlier
 * assignment on this job was cancelled or declined — the server keeps one
 * assignment per contractor and job, so a second one would be refused
 * there after the device had accepted it.
 */
export function checkPlacement(input: PlacementInput): PlacementCheck {
  const { booking, contractor } = input;
  for (const check of [checkJobTakesAssignments(input.jobStatus), checkContractorTakesJobs(contractor)]) {
    if (!check.ok) return { kind: 'refused', message: check.message };
  }
  const clash = checkBookingClash({ ...booking, contractorName: contractor.name }, input.theirs);
  if (!clash.ok) return { kind: 'refused', message: clash.message };
  const earlier = input.theirs.find((a) => a.jobId === booking.jobId && a.id !== booking.id);
  if (earlier) {
    return {
      kind: 'refused',
      message: `${contractor.name} was on this job before (${earlier.status}); each contractor can be booked on a job once. Pick someone else.`,
    };
  }

  const warnings: string[] = [];
  if (contractor.trade !== input.jobTrade && contractor.trade !== MULTI_TRADE) {
    warnings.push(`${contractor.name} works in ${words(contractor.trade)}; this is a ${words(input.jobTrade)} job.`);
  }
  const hours = outsideWorkingHours(input);
  if (hours) warnings.push(hours);
  if (Date.parse(booking.start) < input.nowMs) warnings.push('That time has already passed.');
  return { kind: 'ok', warnings };
}

/** Plain words when the booking is not inside the contractor's working hours that day; `null` when it is. */
function outsideWorkingHours(input: PlacementInput): string | null {
  const { booking, contractor, timeZone } = input;
  const start = utcToLocalDateTime(booking.start, timeZone);
  const end = utcToLocalDateTime(booking.end, timeZone);
  const window = input.workingHours.find((row) => row.dayOfWeek === weekdayOfLocalDate(start.date));
  if (!window) return `${contractor.name} does not work that day.`;
  const from = minutesOfDay(window.startTime);
  const to = minutesOfDay(window.endTime);
  // An end at midnight or later the next day reads as past the end of the window.
  const endMinutes = end.date === start.date ? minutesOfDay(end.time) : 24 * 60 + minutesOfDay(end.time);
  if (minutesOfDay(start.time) < from || endMinutes > to) {
    return `Outside ${contractor.name}'s working hours (${input.formatWallTime(window.startTime)}–${input.formatWallTime(window.endTime)}).`;
  }
  return null;
}

const MULTI_TRADE = 'multi';

function words(code: string): string {
  return code.replaceAll('_', ' ');
}

/** The sentence a move to another contractor is confirmed with. */
export function moveToOtherMessage(fromName: string, toName: string): string {
  return `${fromName}'s visit will be cancelled and a new one proposed to ${toName}.`;
}

/** The cancellation reason a move to another contractor records. */
export function movedToReason(toName: string): string {
  return `Moved to ${toName}`;
}
