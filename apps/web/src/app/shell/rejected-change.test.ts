import { expect, test } from 'vitest';
import type { RejectedChange } from '../../sync';
import { activityDetailsText } from '../dispatcher/format';
import { changeAsText, explainRejected } from './rejected-change';

const JOB = '00000000-0000-4000-8000-000000000b01';
const note: RejectedChange = {
  id: 1,
  seq: 7,
  name: 'note.add',
  args: { id: JOB, jobId: JOB, body: 'Left the grout in the garage.' },
  code: 'forbidden',
  message: 'You are not allowed to change this note. This job is no longer assigned to you.',
  at: '2026-11-21T09:00:00.000Z',
};

test('a note refused because the office cancelled the job says so, with the office’s reason', () => {
  expect(explainRejected(note, { jobStatus: 'cancelled', cancellationReason: 'Customer moved' })).toBe(
    'The office cancelled this job before this note reached it. The office’s reason: “Customer moved”.',
  );
  expect(explainRejected(note, { jobStatus: 'in_progress', assignmentEnded: true })).toBe(
    'The office took this job off your list before this note reached it.',
  );
  // A job still theirs: the recorded message stands.
  expect(explainRejected(note, { jobStatus: 'in_progress', assignmentEnded: false })).toBe(note.message);
});

test('the copied text holds everything the person typed', () => {
  const hold: RejectedChange = {
    ...note,
    name: 'job.setStatus',
    args: { jobId: JOB, from: 'in_progress', to: 'on_hold', reason: 'Room not cleared' },
    code: 'invalid_transition',
    message: 'The office changed this job, so it could not be moved to that status.',
  };
  const text = changeAsText(hold, { jobTitle: 'Backsplash · JOB-1', jobStatus: 'cancelled' });
  expect(text).toContain('Change: Move job to “On hold”');
  expect(text).toContain('Status: In progress → On hold');
  expect(text).toContain('Reason: Room not cleared');
  expect(text).toContain('Job: Backsplash · JOB-1');
});

test('activity details never show `{}`, ids or empty values', () => {
  expect(activityDetailsText({ changes: {}, jobId: JOB, recordedAfterCancellation: true, list: [] })).toBe(
    'Recorded after cancellation: yes',
  );
  expect(activityDetailsText({ patch: { title: 'New' } })).toBe('Patch: Title: New');
  expect(activityDetailsText({})).toBe('');
});

test('activity details read in order: from before to, start before end, whatever order the database kept', () => {
  expect(activityDetailsText({ to: 'on_hold', reason: 'Gate locked', from: 'in_progress' })).toBe(
    'From: in progress · To: on hold · Reason: Gate locked',
  );
  expect(activityDetailsText({ end: 'b', start: 'a' })).toBe('Start: a · End: b');
});
