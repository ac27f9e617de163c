import { expect, test } from 'vitest';
import { followUpState } from './follow-up-memo';

const followUp = { id: 'f1' };

test('a follow-up is waiting while its change is pending, refused when the server said no, else sent', () => {
  expect(followUpState(followUp, new Set(['f1']), [])).toEqual({ kind: 'waiting' });
  expect(
    followUpState(followUp, new Set(), [
      { name: 'job.create', args: { id: 'other' }, message: 'Not this one.' },
      { name: 'note.add', args: { id: 'f1' }, message: 'Not a job.' },
      {
        name: 'job.create',
        args: { id: 'f1' },
        message: 'Contractors can only create a follow-up of a job they are working on.',
      },
    ]),
  ).toEqual({ kind: 'refused', message: 'Contractors can only create a follow-up of a job they are working on.' });
  expect(followUpState(followUp, new Set(), [{ name: 'job.create', args: null, message: 'x' }])).toEqual({
    kind: 'sent',
  });
});
