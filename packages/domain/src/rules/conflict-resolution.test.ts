import { expect, test } from 'vitest';
import { decideConflictResolution } from './conflict-resolution';

test('an open conflict is settled as asked', () => {
  expect(decideConflictResolution({ status: 'open', resolution: null }, 'loser')).toEqual({
    ok: true,
    alreadyResolved: false,
  });
});

test('resolving again the same way is harmless; the other way is refused', () => {
  const resolved = { status: 'resolved', resolution: 'winner' };
  expect(decideConflictResolution(resolved, 'winner')).toEqual({ ok: true, alreadyResolved: true });
  expect(decideConflictResolution(resolved, 'loser')).toEqual({
    ok: false,
    code: 'validation_failed',
    message: 'Someone already resolved this conflict the other way.',
  });
});
