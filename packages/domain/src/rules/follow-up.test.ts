import { expect, test } from 'vitest';
import {
  decideJobCreate,
  FOLLOW_UP_NOT_HELD_MESSAGE,
  FOLLOW_UP_OTHER_CUSTOMER_MESSAGE,
  FOLLOW_UP_PARENT_MISSING_MESSAGE,
} from './follow-up';

const parent = { customerId: 'cust-1' };

test('the office creates any job as before, and a follow-up of a job that exists', () => {
  expect(
    decideJobCreate({ role: 'dispatcher', request: { customerId: 'c9' }, parent: undefined, parentHeld: false }),
  ).toEqual({ ok: true, customerId: 'c9', fromField: false });
  expect(decideJobCreate({ role: 'admin', request: {}, parent: undefined, parentHeld: false })).toEqual({
    ok: true,
    customerId: null,
    fromField: false,
  });
  expect(decideJobCreate({ role: 'dispatcher', request: { parentJobId: 'p' }, parent, parentHeld: false })).toEqual({
    ok: true,
    customerId: 'cust-1',
    fromField: false,
  });
  expect(
    decideJobCreate({ role: 'dispatcher', request: { parentJobId: 'gone' }, parent: undefined, parentHeld: false }),
  ).toEqual({ ok: false, code: 'validation_failed', message: FOLLOW_UP_PARENT_MISSING_MESSAGE });
});

test('a contractor creates a follow-up of a job they hold, for its customer, flagged from the field', () => {
  const allowed = { ok: true, customerId: 'cust-1', fromField: true };
  expect(decideJobCreate({ role: 'contractor', request: { parentJobId: 'p' }, parent, parentHeld: true })).toEqual(
    allowed,
  );
  expect(
    decideJobCreate({
      role: 'contractor',
      request: { parentJobId: 'p', customerId: 'cust-1' },
      parent,
      parentHeld: true,
    }),
  ).toEqual(allowed);
});

test('a contractor is refused anything else, in plain words', () => {
  const notHeld = { ok: false, code: 'forbidden', message: FOLLOW_UP_NOT_HELD_MESSAGE };
  // No parent at all: contractors do not create jobs of their own.
  expect(decideJobCreate({ role: 'contractor', request: {}, parent: undefined, parentHeld: false })).toEqual(notHeld);
  // A job they do not hold, or one that is not there.
  expect(decideJobCreate({ role: 'contractor', request: { parentJobId: 'p' }, parent, parentHeld: false })).toEqual(
    notHeld,
  );
  expect(
    decideJobCreate({ role: 'contractor', request: { parentJobId: 'p' }, parent: undefined, parentHeld: true }),
  ).toEqual(notHeld);
  // Another customer than the parent's.
  expect(
    decideJobCreate({
      role: 'contractor',
      request: { parentJobId: 'p', customerId: 'cust-2' },
      parent,
      parentHeld: true,
    }),
  ).toEqual({ ok: false, code: 'validation_failed', message: FOLLOW_UP_OTHER_CUSTOMER_MESSAGE });
});
