import { expect, test } from 'vitest';
import { parseAlertRecipient, recipientProblems } from './recipients';

const USER = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

test('the four recipient forms parse', () => {
  expect(parseAlertRecipient('role:admin')).toEqual({ ok: true, recipient: { kind: 'role', role: 'admin' } });
  expect(parseAlertRecipient('role:dispatcher')).toEqual({ ok: true, recipient: { kind: 'role', role: 'dispatcher' } });
  expect(parseAlertRecipient('assigned_contractor')).toEqual({ ok: true, recipient: { kind: 'assigned_contractor' } });
  expect(parseAlertRecipient(`user:${USER}`)).toEqual({ ok: true, recipient: { kind: 'user', userId: USER } });
  expect(parseAlertRecipient(`user:${USER.toUpperCase()}`)).toEqual({
    ok: true,
    recipient: { kind: 'user', userId: USER },
  });
});

test('anything else is a problem in plain words', () => {
  expect(parseAlertRecipient('role:contractor')).toEqual({
    ok: false,
    problem: 'role:contractor is not a recipient; use assigned_contractor or user:<id>',
  });
  expect(parseAlertRecipient('user:bob')).toEqual({
    ok: false,
    problem: "'user:bob' does not hold a user id (user:<id>)",
  });
  expect(parseAlertRecipient('admins')).toEqual({
    ok: false,
    problem: "unknown recipient 'admins' (use role:admin, role:dispatcher, assigned_contractor or user:<id>)",
  });
  expect(parseAlertRecipient(' role:admin')).toMatchObject({ ok: false });
  expect(parseAlertRecipient(7)).toMatchObject({ ok: false });
});

test('a rule needs recipients, without repeats, that can receive its event', () => {
  expect(recipientProblems('job.created', ['role:admin', `user:${USER}`])).toEqual([]);
  expect(recipientProblems('job.created', [])).toEqual(['name at least one recipient']);
  expect(recipientProblems('job.created', 'role:admin')).toEqual(['recipients must be a list']);
  expect(recipientProblems('job.created', ['role:admin', 'role:admin'])).toEqual(['role:admin is listed twice']);
  expect(recipientProblems('job.created', [`user:${USER}`, `user:${USER.toUpperCase()}`])).toEqual([
    `user:${USER.toUpperCase()} is listed twice`,
  ]);
  expect(recipientProblems('assignment.created', ['assigned_contractor'])).toEqual([]);
  expect(recipientProblems('device.stale', ['assigned_contractor'])).toEqual([]);
});
