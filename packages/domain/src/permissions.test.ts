import { expect, test } from 'vitest';
import { ACTIONS, canRole } from './permissions';

test('admin can do everything, dispatcher all but manage users', () => {
  for (const action of ACTIONS) {
    expect(canRole('admin', action)).toBe(true);
    expect(canRole('dispatcher', action)).toBe(action !== 'users.manage' && action !== 'org.manage');
  }
});

test('a contractor only writes materials, notes, attachments, follow-ups and estimates', () => {
  const allowed = ACTIONS.filter((action) => canRole('contractor', action));
  expect(allowed).toEqual(['materials.write', 'notes.write', 'attachments.write', 'jobs.followUp', 'estimates.write']);
});
