import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES } from '../enums/assignment-status';
import { ROLES } from '../enums/role';
import {
  allowedAssignmentTransitions,
  assignmentTransitions,
  checkAssignmentTransition,
} from './assignment-transitions';

test('a contractor confirms, starts and completes their own assignment', () => {
  expect(checkAssignmentTransition({ from: 'pending', to: 'confirmed', role: 'contractor', isOwn: true }).ok).toBe(
    true,
  );
  expect(checkAssignmentTransition({ from: 'pending', to: 'declined', role: 'contractor', isOwn: true }).ok).toBe(true);
  expect(checkAssignmentTransition({ from: 'confirmed', to: 'in_progress', role: 'contractor', isOwn: true }).ok).toBe(
    true,
  );
  expect(checkAssignmentTransition({ from: 'in_progress', to: 'completed', role: 'contractor', isOwn: true }).ok).toBe(
    true,
  );
});

test('a contractor cannot touch someone else’s assignment nor cancel', () => {
  expect(
    checkAssignmentTransition({ from: 'pending', to: 'confirmed', role: 'contractor', isOwn: false }),
  ).toMatchObject({
    ok: false,
    code: 'forbidden',
  });
  expect(
    checkAssignmentTransition({ from: 'confirmed', to: 'cancelled', role: 'contractor', isOwn: true }),
  ).toMatchObject({
    ok: false,
    code: 'forbidden',
  });
});

test('cancel is allowed for the office from every live status but completed', () => {
  expect(allowedAssignmentTransitions('pending', 'dispatcher', false)).toEqual(['confirmed', 'declined', 'cancelled']);
  expect(allowedAssignmentTransitions('confirmed', 'dispatcher', false)).toEqual(['in_progress', 'cancelled']);
  expect(allowedAssignmentTransitions('in_progress', 'admin', false)).toEqual(['completed', 'cancelled']);
  for (const from of ['completed', 'cancelled', 'declined'] as const) {
    expect(allowedAssignmentTransitions(from, 'admin', false)).toEqual([]);
  }
  expect(checkAssignmentTransition({ from: 'completed', to: 'cancelled', role: 'dispatcher', isOwn: false })).toEqual({
    ok: false,
    code: 'invalid_transition',
    message: 'A completed assignment cannot be cancelled',
  });
});

test('property: checks agree with the allowed list and never allow staying put', () => {
  const status = fc.constantFrom(...ASSIGNMENT_STATUSES);
  fc.assert(
    fc.property(status, status, fc.constantFrom(...ROLES), fc.boolean(), (from, to, role, isOwn) => {
      const result = checkAssignmentTransition({ from, to, role, isOwn });
      expect(result.ok).toBe(allowedAssignmentTransitions(from, role, isOwn).includes(to));
      if (from === to) expect(result.ok).toBe(false);
      if (role === 'contractor' && !isOwn) expect(result.ok).toBe(false);
    }),
  );
});

test('the system makes every move of the graph, and only those', () => {
  for (const from of ASSIGNMENT_STATUSES) {
    for (const to of ASSIGNMENT_STATUSES) {
      expect(checkAssignmentTransition({ from, to, role: 'system', isOwn: false }).ok).toBe(
        assignmentTransitions[from].includes(to),
      );
    }
  }
});
