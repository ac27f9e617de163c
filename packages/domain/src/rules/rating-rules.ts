/** Ratings: only completed work is rated, and only once. */
import type { AssignmentStatus } from '../enums/assignment-status';
import type { RuleCheck } from './rule-check';

/** Whether an assignment may be rated now; `alreadyRated` when another rating of it exists. */
export function checkRatable(input: {
  assignmentStatus: AssignmentStatus;
  alreadyRated: boolean;
}): RuleCheck<'validation_failed'> {
  if (input.assignmentStatus !== 'completed') {
    return { ok: false, code: 'validation_failed', message: 'Only completed work can be rated.' };
  }
  if (input.alreadyRated) {
    return { ok: false, code: 'validation_failed', message: 'This work has already been rated.' };
  }
  return { ok: true };
}
