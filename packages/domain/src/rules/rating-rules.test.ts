import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES } from '../enums/assignment-status';
import { checkRatable } from './rating-rules';

test('only completed work can be rated', () => {
  for (const assignmentStatus of ASSIGNMENT_STATUSES) {
    const check = checkRatable({ assignmentStatus, alreadyRated: false });
    expect(check.ok).toBe(assignmentStatus === 'completed');
    if (!check.ok) expect(check.message).toBe('Only completed work can be rated.');
  }
});

test('work is rated once', () => {
  expect(checkRatable({ assignmentStatus: 'completed', alreadyRated: true })).toEqual({
    ok: false,
    code: 'validation_failed',
    message: 'This work has already been rated.',
  });
});
