/**
 * Cancelling a job ends its contractors' assignments that have not yet ended
 * or been done. They end with a reason that keeps the job on those
 * contractors' phones, shown as cancelled.
 */
import type { AssignmentStatus } from '../enums/assignment-status';

/** Cancellation reason on assignments ended because their job was cancelled. */
export const JOB_CANCELLED_REASON = 'Job cancelled';

/** The assignment statuses a job's cancellation ends: completed work stays completed. */
export const STATUSES_ENDED_BY_JOB_CANCELLATION = [
  'pending',
  'confirmed',
  'in_progress',
] as const satisfies readonly AssignmentStatus[];

/** True when cancelling the job ends an assignment in this status. */
export function endsWithJobCancellation(status: AssignmentStatus): boolean {
  return (STATUSES_ENDED_BY_JOB_CANCELLATION as readonly AssignmentStatus[]).includes(status);
}
