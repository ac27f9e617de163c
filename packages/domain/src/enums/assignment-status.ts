import { z } from 'zod';

/** Where an assignment (one contractor on one job) is in its life. */
export const ASSIGNMENT_STATUSES = [
  'pending',
  'confirmed',
  'declined',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
export const assignmentStatusSchema = z.enum(ASSIGNMENT_STATUSES);

/**
 * Assignments that occupy the contractor's time (no overlap allowed) and keep
 * the job on the contractor's phone. `completed` counts: the time was used and
 * the contractor still needs to see the job they did.
 */
export const LIVE_ASSIGNMENT_STATUSES = ['pending', 'confirmed', 'in_progress', 'completed'] as const;
export type LiveAssignmentStatus = (typeof LIVE_ASSIGNMENT_STATUSES)[number];

/** True when an assignment in this status blocks the contractor's calendar. */
export function isLiveAssignment(status: AssignmentStatus): status is LiveAssignmentStatus {
  return (LIVE_ASSIGNMENT_STATUSES as readonly AssignmentStatus[]).includes(status);
}
