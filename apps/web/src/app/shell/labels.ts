/** People's words for statuses and queued changes, shared by both roles' screens. */
import type { AssignmentStatus, JobStatus } from '@fieldsync/domain';

export const JOB_STATUS_LABEL: Record<JobStatus, string> = {
  open: 'Open',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_materials: 'Waiting on materials',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const ASSIGNMENT_STATUS_LABEL: Record<AssignmentStatus, string> = {
  pending: 'Awaiting your answer',
  confirmed: 'Confirmed',
  declined: 'Declined',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && value in JOB_STATUS_LABEL;
}

/** What a queued or rejected change was meant to do, e.g. `Move job to "Completed"`. */
export function describeChange(name: string, args: unknown): string {
  const record = (args ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'job.setStatus':
      return isJobStatus(record.to) ? `Move job to “${JOB_STATUS_LABEL[record.to]}”` : 'Change job status';
    case 'assignment.setStatus':
      if (record.to === 'confirmed') return 'Confirm the job';
      if (record.to === 'declined') return 'Decline the job';
      return 'Change the assignment';
    case 'material.add':
      return typeof record.itemName === 'string' ? `Add material “${record.itemName}”` : 'Add material';
    case 'material.setPurchased':
      return record.purchased ? 'Tick material as bought' : 'Untick material';
    case 'material.update':
      return 'Change material';
    case 'material.remove':
      return 'Remove material';
    case 'note.add':
      return 'Add note';
    default:
      return 'Change';
  }
}
