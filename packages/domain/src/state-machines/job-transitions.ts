import type { JobStatus } from '../enums/job-status';
import type { Role } from '../enums/role';
import type { TransitionResult } from './transition-result';

/**
 * Who asks for a job status change. `system` is the server applying the
 * moves that follow from assignments (see `jobStatusAfterAssignmentChange`).
 */
export type JobActor = Role | 'system';

/**
 * Every move the job state machine has (PRODUCT.md "State machines"):
 *
 *   open ─▶ scheduled ─▶ in_progress ⇄ waiting_on_materials
 *                           ⇅
 *                        on_hold
 *   in_progress ─▶ completed;  any status but completed ─▶ cancelled
 *   completed ─▶ in_progress (office only: reopen)
 *
 * `open ⇄ scheduled` follow from assignments and are made by the system only.
 * `cancelled` is final.
 */
export const jobTransitions: { readonly [S in JobStatus]: readonly JobStatus[] } = {
  open: ['scheduled', 'cancelled'],
  scheduled: ['open', 'in_progress', 'cancelled'],
  in_progress: ['waiting_on_materials', 'on_hold', 'completed', 'cancelled'],
  waiting_on_materials: ['in_progress', 'cancelled'],
  on_hold: ['in_progress', 'cancelled'],
  completed: ['in_progress'],
  cancelled: [],
};

/** Moves that happen by creating or ending assignments, never by a status change request. */
function isAssignmentDriven(from: JobStatus, to: JobStatus): boolean {
  return (from === 'open' && to === 'scheduled') || (from === 'scheduled' && to === 'open');
}

const JOB_LABEL: { readonly [S in JobStatus]: string } = {
  open: 'An open job',
  scheduled: 'A scheduled job',
  in_progress: 'A job in progress',
  waiting_on_materials: 'A job waiting on materials',
  on_hold: 'A job on hold',
  completed: 'A completed job',
  cancelled: 'A cancelled job',
};

const JOB_VERB: { readonly [S in JobStatus]: string } = {
  open: 'moved back to open',
  scheduled: 'scheduled',
  in_progress: 'started',
  waiting_on_materials: 'marked as waiting on materials',
  on_hold: 'put on hold',
  completed: 'completed',
  cancelled: 'cancelled',
};

const JOB_STATE_NAME: { readonly [S in JobStatus]: string } = {
  open: 'open',
  scheduled: 'scheduled',
  in_progress: 'in progress',
  waiting_on_materials: 'waiting on materials',
  on_hold: 'on hold',
  completed: 'completed',
  cancelled: 'cancelled',
};

/**
 * Checks one job status change for a person (or the system).
 * - The same status again is invalid.
 * - `open → scheduled` and `scheduled → open` are for the system only: a job
 *   is scheduled by assigning a contractor and goes back to open when its
 *   last live assignment ends. Letting anyone set them by hand would leave a
 *   scheduled job with nobody on it.
 * - A contractor may not cancel, nor reopen a completed job. Whether the job
 *   is theirs is for the caller to check.
 */
export function checkJobTransition(input: { from: JobStatus; to: JobStatus; role: JobActor }): TransitionResult {
  const { from, to, role } = input;
  if (from === to) {
    return { ok: false, code: 'invalid_transition', message: `The job is already ${JOB_STATE_NAME[to]}` };
  }
  if (!jobTransitions[from].includes(to)) {
    return { ok: false, code: 'invalid_transition', message: `${JOB_LABEL[from]} cannot be ${JOB_VERB[to]}` };
  }
  if (role === 'system') return { ok: true };
  if (isAssignmentDriven(from, to)) {
    return {
      ok: false,
      code: 'invalid_transition',
      message:
        to === 'scheduled'
          ? 'A job becomes scheduled when a contractor is assigned to it'
          : 'A job goes back to open when its last assignment is cancelled or declined',
    };
  }
  if (role === 'contractor') {
    if (from === 'completed') {
      return { ok: false, code: 'forbidden', message: 'A completed job can only be reopened by the office' };
    }
    if (to === 'cancelled') {
      return { ok: false, code: 'forbidden', message: 'Only the office can cancel a job' };
    }
  }
  return { ok: true };
}

/** The statuses `role` may move a job to from `from`, in state-machine order. */
export function allowedJobTransitions(from: JobStatus, role: JobActor): JobStatus[] {
  return jobTransitions[from].filter((to) => checkJobTransition({ from, to, role }).ok);
}
