/**
 * Whether a contractor may be booked on a job: the job still takes work, the
 * contractor is active, not already on the job and free then. The server
 * leaves the last two to its constraints and words their refusals with these
 * messages; the phone checks them against the rows it holds.
 */
import { type AssignmentStatus, isLiveAssignment } from '../enums/assignment-status';
import type { JobStatus } from '../enums/job-status';
import type { RuleCheck } from './rule-check';

/** A completed or cancelled job takes no new assignment. */
export function checkJobTakesAssignments(jobStatus: JobStatus): RuleCheck<'validation_failed'> {
  if (jobStatus === 'completed' || jobStatus === 'cancelled') {
    return { ok: false, code: 'validation_failed', message: `This job is ${jobStatus}; it cannot be assigned.` };
  }
  return { ok: true };
}

/** Only an active contractor takes jobs. */
export function checkContractorTakesJobs(contractor: { name: string; status: string }): RuleCheck<'validation_failed'> {
  if (contractor.status !== 'active') {
    return { ok: false, code: 'validation_failed', message: `${contractor.name} is not active and cannot take jobs.` };
  }
  return { ok: true };
}

/** "Sam has already been assigned to this job." */
export function alreadyAssignedMessage(contractorName: string): string {
  return `${contractorName} has already been assigned to this job.`;
}

/** "Sam is already booked at that time." */
export function doubleBookedMessage(contractorName: string): string {
  return `${contractorName} is already booked at that time.`;
}

/** An assignment of the contractor's, as the booking check needs it. */
export interface BookedAssignment {
  id: string;
  jobId: string;
  status: AssignmentStatus;
  scheduledStart: string;
  scheduledEnd: string;
}

/**
 * Checks a new booking against the contractor's other assignments: only live
 * ones count; one on the same job is a second assignment, one that overlaps
 * in time a double booking (touching ends do not overlap).
 */
export function checkBookingClash(
  booking: { id: string; jobId: string; contractorName: string; start: string; end: string },
  theirs: readonly BookedAssignment[],
): RuleCheck<'validation_failed' | 'double_booked'> {
  const start = Date.parse(booking.start);
  const end = Date.parse(booking.end);
  for (const other of theirs) {
    if (other.id === booking.id || !isLiveAssignment(other.status)) continue;
    if (other.jobId === booking.jobId) {
      return { ok: false, code: 'validation_failed', message: alreadyAssignedMessage(booking.contractorName) };
    }
    if (Date.parse(other.scheduledStart) < end && start < Date.parse(other.scheduledEnd)) {
      return { ok: false, code: 'double_booked', message: doubleBookedMessage(booking.contractorName) };
    }
  }
  return { ok: true };
}
