import type { AssignmentStatus } from '../enums/assignment-status';
import type { Role } from '../enums/role';
import type { TransitionResult } from './transition-result';

/**
 * Who moves an assignment. `system` is the server (or the device, mirroring
 * it) applying the moves that follow from the job's own status change (see
 * `assignmentsAfterJobStatusChange`): the job move was the person's, checked
 * as theirs.
 */
export type AssignmentActor = Role | 'system';

/**
 * pending ─▶ confirmed | declined;  confirmed ─▶ in_progress ─▶ completed;
 * pending, confirmed, in_progress ─▶ cancelled (with a reason).
 * declined, completed and cancelled are final.
 */
export const assignmentTransitions: { readonly [S in AssignmentStatus]: readonly AssignmentStatus[] } = {
  pending: ['confirmed', 'declined', 'cancelled'],
  confirmed: ['in_progress', 'cancelled'],
  declined: [],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

const ASSIGNMENT_LABEL: { readonly [S in AssignmentStatus]: string } = {
  pending: 'A proposed assignment',
  confirmed: 'A confirmed assignment',
  declined: 'A declined assignment',
  in_progress: 'An assignment in progress',
  completed: 'A completed assignment',
  cancelled: 'A cancelled assignment',
};

const ASSIGNMENT_STATE_NAME: { readonly [S in AssignmentStatus]: string } = {
  pending: 'waiting for an answer',
  confirmed: 'confirmed',
  declined: 'declined',
  in_progress: 'in progress',
  completed: 'completed',
  cancelled: 'cancelled',
};

const ASSIGNMENT_VERB: { readonly [S in AssignmentStatus]: string } = {
  pending: 'proposed again',
  confirmed: 'confirmed',
  declined: 'declined',
  in_progress: 'started',
  completed: 'completed',
  cancelled: 'cancelled',
};

/**
 * Checks one assignment status change. Dispatchers, admins and the system may
 * make every move; a contractor may confirm, decline, start and complete only
 * their own assignments, and may not cancel (the office does that).
 */
export function checkAssignmentTransition(input: {
  from: AssignmentStatus;
  to: AssignmentStatus;
  role: AssignmentActor;
  isOwn: boolean;
}): TransitionResult {
  const { from, to, role, isOwn } = input;
  if (from === to) {
    return { ok: false, code: 'invalid_transition', message: `The assignment is already ${ASSIGNMENT_STATE_NAME[to]}` };
  }
  if (!assignmentTransitions[from].includes(to)) {
    return {
      ok: false,
      code: 'invalid_transition',
      message: `${ASSIGNMENT_LABEL[from]} cannot be ${ASSIGNMENT_VERB[to]}`,
    };
  }
  if (role === 'contractor') {
    if (!isOwn) return { ok: false, code: 'forbidden', message: 'This assignment belongs to another contractor' };
    if (to === 'cancelled')
      return { ok: false, code: 'forbidden', message: 'Only the office can cancel an assignment' };
  }
  return { ok: true };
}

/** The statuses `role` may move an assignment to from `from`. */
export function allowedAssignmentTransitions(
  from: AssignmentStatus,
  role: AssignmentActor,
  isOwn: boolean,
): AssignmentStatus[] {
  return assignmentTransitions[from].filter((to) => checkAssignmentTransition({ from, to, role, isOwn }).ok);
}
