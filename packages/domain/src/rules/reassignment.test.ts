import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES, type AssignmentStatus } from '../enums/assignment-status';
import { needsReassignment, reassignmentMessage } from './reassignment';

const userId = '0b7d6a4e-1f0a-4c1e-9d38-5d2f0c1e7a01';
const active = { status: 'active' as const, userId };
const signedIn = { id: userId, active: true };
const deactivated = { id: userId, active: false };
const WORK_AHEAD: AssignmentStatus[] = ['pending', 'confirmed', 'in_progress'];

test('work ahead held by a contractor whose account was deactivated needs reassignment', () => {
  for (const status of WORK_AHEAD) {
    expect(needsReassignment({ status }, active, deactivated)).toBe('access_removed');
  }
});

test('work ahead held by an inactive contractor needs reassignment, with or without an account', () => {
  expect(needsReassignment({ status: 'confirmed' }, { status: 'inactive', userId }, signedIn)).toBe(
    'contractor_inactive',
  );
  expect(needsReassignment({ status: 'pending' }, { status: 'inactive', userId: null }, undefined)).toBe(
    'contractor_inactive',
  );
});

test('a deactivated account outranks the inactive status: it says why', () => {
  expect(needsReassignment({ status: 'confirmed' }, { status: 'inactive', userId }, deactivated)).toBe(
    'access_removed',
  );
});

test('finished or ended assignments never need reassignment', () => {
  const ended = ASSIGNMENT_STATUSES.filter((status) => !WORK_AHEAD.includes(status));
  expect(ended).toEqual(['declined', 'completed', 'cancelled']);
  for (const status of ended) {
    expect(needsReassignment({ status }, { status: 'inactive', userId }, deactivated)).toBeNull();
  }
});

test('an able contractor, one on leave, or one not known here is not flagged', () => {
  expect(needsReassignment({ status: 'confirmed' }, active, signedIn)).toBeNull();
  expect(needsReassignment({ status: 'confirmed' }, active, undefined)).toBeNull();
  expect(needsReassignment({ status: 'confirmed' }, { status: 'on_leave', userId }, signedIn)).toBeNull();
  expect(needsReassignment({ status: 'confirmed' }, undefined, deactivated)).toBeNull();
});

test("another person's deactivated account does not flag this contractor", () => {
  const someoneElse = { id: '0b7d6a4e-1f0a-4c1e-9d38-5d2f0c1e7a02', active: false };
  expect(needsReassignment({ status: 'confirmed' }, active, someoneElse)).toBeNull();
});

test('the flag reads in plain words and names the contractor', () => {
  expect(reassignmentMessage('access_removed', 'Ana Ruiz')).toBe("Needs reassignment — Ana Ruiz's access was removed");
  expect(reassignmentMessage('contractor_inactive', 'Ana Ruiz')).toBe(
    'Needs reassignment — Ana Ruiz is no longer active',
  );
});
