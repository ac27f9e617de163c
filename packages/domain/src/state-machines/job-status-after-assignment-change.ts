import type { JobStatus } from '../enums/job-status';

/**
 * The job status change that follows from a job's assignments changing, or
 * null for none: an open job with a live assignment becomes scheduled; a
 * scheduled job left with no live assignment goes back to open. Apply the
 * result like any other status change (history row, activity log).
 */
export function jobStatusAfterAssignmentChange(input: {
  jobStatus: JobStatus;
  liveAssignmentsAfter: number;
}): JobStatus | null {
  const { jobStatus, liveAssignmentsAfter } = input;
  if (jobStatus === 'open' && liveAssignmentsAfter > 0) return 'scheduled';
  if (jobStatus === 'scheduled' && liveAssignmentsAfter === 0) return 'open';
  return null;
}
