import type { Assignment } from '../entities/assignment';
import type { Contractor } from '../entities/contractor';
import type { User } from '../entities/user';
import type { AssignmentStatus } from '../enums/assignment-status';

/** Assignments whose work is still to do; a completed one needs nobody any more. */
const WORK_AHEAD: readonly AssignmentStatus[] = ['pending', 'confirmed', 'in_progress'];

/**
 * Why a booked job has to go to someone else: the office marked the
 * contractor inactive, or an admin deactivated the account they sign in
 * with, so nobody will show up for it.
 */
export type ReassignmentReason = 'contractor_inactive' | 'access_removed';

/**
 * Whether a live assignment (pending, confirmed or in progress) is held by a
 * contractor who can no longer work it, and why; null when it is fine.
 *
 * `user` is the contractor's linked account, when there is one and it is
 * known here. A contractor or account not known (yet) is not flagged: the
 * office must not be told to reassign work on a guess. On leave is not
 * flagged either: that contractor comes back.
 */
export function needsReassignment(
  assignment: Pick<Assignment, 'status'>,
  contractor: Pick<Contractor, 'status' | 'userId'> | undefined,
  user: Pick<User, 'id' | 'active'> | undefined,
): ReassignmentReason | null {
  if (!WORK_AHEAD.includes(assignment.status) || !contractor) return null;
  // Deactivation is the stronger news: it says why the contractor went inactive too.
  if (user && user.id === contractor.userId && !user.active) return 'access_removed';
  if (contractor.status === 'inactive') return 'contractor_inactive';
  return null;
}

/** The flag in plain words: "Needs reassignment — Ana Ruiz's access was removed". */
export function reassignmentMessage(reason: ReassignmentReason, contractorName: string): string {
  return reason === 'access_removed'
    ? `Needs reassignment — ${contractorName}'s access was removed`
    : `Needs reassignment — ${contractorName} is no longer active`;
}
