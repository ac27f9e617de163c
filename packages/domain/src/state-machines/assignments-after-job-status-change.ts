import type { AssignmentStatus } from '../enums/assignment-status';
import type { JobStatus } from '../enums/job-status';
import type { Role } from '../enums/role';
import { checkAssignmentTransition } from './assignment-transitions';

/** One assignment status move that follows from a job status change. */
export interface AssignmentFollowUp {
  assignmentId: string;
  contractorId: string;
  from: AssignmentStatus;
  to: AssignmentStatus;
}

/** An assignment of the job, as the follow-ups need it. */
export interface AssignmentOfJob {
  id: string;
  contractorId: string;
  status: AssignmentStatus;
}

/** The way an assignment goes forward; declined and cancelled lie off it and are never left. */
const FORWARD: readonly AssignmentStatus[] = ['pending', 'confirmed', 'in_progress', 'completed'];

/**
 * The assignment moves that follow from a job's status change
 * (CONTRACTS.md "Scheduling additions"), in the order to apply them:
 *
 * - To `in_progress` (other than the office reopening a completed job): the
 *   starting contractor's own assignment moves to `in_progress`, confirmed
 *   on the way when it was still pending (starting the work accepts it).
 *   When the office starts a job no contractor is starting it, so no
 *   assignment moves; completing the job later completes them.
 * - To `completed`: every live assignment not yet completed is completed,
 *   whoever completes the job — the work is done.
 * - Any other move: nothing. Cancelling ends assignments by its own rule
 *   (`endsWithJobCancellation`).
 *
 * An assignment that skips statuses moves one step at a time (pending →
 * confirmed → in_progress → completed), each step a move of the assignment
 * state machine made by the system, so every step can be applied and logged
 * like `assignment.setStatus` does. Declined, cancelled and already
 * completed assignments never move. Applying the answer and asking again
 * answers nothing: the follow-ups are idempotent.
 */
export function assignmentsAfterJobStatusChange(input: {
  from: JobStatus;
  to: JobStatus;
  actor: { role: Role; contractorId?: string | undefined };
  assignments: readonly AssignmentOfJob[];
}): AssignmentFollowUp[] {
  const { from, to, actor, assignments } = input;
  let target: AssignmentStatus;
  let moving: readonly AssignmentOfJob[];
  if (to === 'in_progress' && from !== 'completed') {
    if (actor.role !== 'contractor' || actor.contractorId === undefined) return [];
    target = 'in_progress';
    moving = assignments.filter((assignment) => assignment.contractorId === actor.contractorId);
  } else if (to === 'completed') {
    target = 'completed';
    moving = assignments;
  } else {
    return [];
  }
  return moving.flatMap((assignment) => stepsForward(assignment, target));
}

/** The single steps from the assignment's status to `target`; none when it is past it or off the way. */
function stepsForward(assignment: AssignmentOfJob, target: AssignmentStatus): AssignmentFollowUp[] {
  const start = FORWARD.indexOf(assignment.status);
  const end = FORWARD.indexOf(target);
  if (start < 0 || start >= end) return [];
  const steps: AssignmentFollowUp[] = [];
  for (let i = start; i < end; i++) {
    const step = {
      assignmentId: assignment.id,
      contractorId: assignment.contractorId,
      from: FORWARD[i] as AssignmentStatus,
      to: FORWARD[i + 1] as AssignmentStatus,
    };
    const check = checkAssignmentTransition({ from: step.from, to: step.to, role: 'system', isOwn: false });
    // FORWARD is a path of the state machine; a failure here means the two no longer agree.
    if (!check.ok) throw new Error(`Assignment follow-up ${step.from} → ${step.to}: ${check.message}`);
    steps.push(step);
  }
  return steps;
}
