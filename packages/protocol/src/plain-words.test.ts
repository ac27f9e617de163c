import { expect, test } from 'vitest';
import { describeOutcome } from './plain-words';

test('plain sentences per code', () => {
  expect(describeOutcome({ code: 'invalid_transition', mutationName: 'job.setStatus' })).toBe(
    'The office changed this job, so it could not be moved to that status.',
  );
  expect(describeOutcome({ code: 'double_booked', mutationName: 'assignment.create' })).toBe(
    'That contractor is already booked at that time.',
  );
  expect(describeOutcome({ code: 'conflict', mutationName: 'material.update' })).toContain('this material');
  expect(describeOutcome({ code: 'something_new', mutationName: 'note.add' })).toBe(
    'The server could not save this note.',
  );
});

test('domain messages are added; technical ones are not', () => {
  expect(
    describeOutcome({
      code: 'invalid_transition',
      mutationName: 'job.setStatus',
      message: 'A cancelled job cannot be completed',
    }),
  ).toBe('The office changed this job, so it could not be moved to that status. A cancelled job cannot be completed.');
  expect(describeOutcome({ code: 'invalid_args', mutationName: 'job.update', message: 'patch.title: Too small' })).toBe(
    'Some details of this job were not accepted.',
  );
});

test('server trouble and a switched-off account in plain words', () => {
  expect(describeOutcome({ code: 'internal_error', mutationName: 'note.add', message: 'TypeError: x' })).toBe(
    'The server could not take this note. It is kept here: try again later or export it.',
  );
  expect(describeOutcome({ code: 'db_unavailable', mutationName: 'sync' })).toMatch(/kept and will be sent later/);
  expect(describeOutcome({ code: 'account_disabled', mutationName: 'sync' })).toMatch(
    /^Your account has been switched off by your company\./,
  );
});

test("an alert rule the server refuses says why, in the server's words", () => {
  expect(
    describeOutcome({
      code: 'invalid_args',
      mutationName: 'alertRule.create',
      message: 'channels: e-mail is not configured',
    }),
  ).toBe('Some details of this alert rule were not accepted. channels: e-mail is not configured.');
});
