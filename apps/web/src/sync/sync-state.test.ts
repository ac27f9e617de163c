import { expect, test } from 'vitest';
import type { RejectedChange, StoredSession } from './database';
import { createSyncStateStore, initialSyncState, patchFromStored, type StoredSyncState } from './sync-state';

const rejectedChange = (id: number): RejectedChange => ({
  id,
  seq: id,
  name: 'note.add',
  args: {},
  code: 'forbidden',
  message: 'No.',
  at: '2026-11-21T09:00:00Z',
});
const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  user: { id: 'u1', email: 'carl@example.com', name: 'Carl', role: 'contractor' },
  accessToken: 'a',
  refreshToken: 'r',
  ...overrides,
});
const stored = (overrides: Partial<StoredSyncState> = {}): StoredSyncState => ({
  pendingCount: 0,
  rejected: [],
  lastSyncedAt: undefined,
  session: undefined,
  ...overrides,
});

test('patch replaces the state object and tells every listener; unsubscribe stops that', () => {
  const store = createSyncStateStore(initialSyncState(true));
  const before = store.getState();
  let calls = 0;
  const unsubscribe = store.subscribe(() => calls++);
  store.patch({ syncing: true });
  expect(store.getState()).not.toBe(before);
  expect(store.getState()).toMatchObject({ syncing: true, online: true });
  expect(calls).toBe(1);
  unsubscribe();
  store.patch({ syncing: false });
  expect(calls).toBe(1);
});

test('stored state: rejected newest first, flags from the session, unchanged parts keep their identity', () => {
  const state = initialSyncState(true);
  const first = patchFromStored(
    state,
    stored({ rejected: [rejectedChange(1), rejectedChange(2)], session: session() }),
  );
  expect(first.rejected?.map((change) => change.id)).toEqual([2, 1]);
  expect(first).toMatchObject({ needsSignIn: false, accountDisabled: false, lastSyncedAt: null });
  const next = { ...state, ...first };
  const second = patchFromStored(
    next,
    stored({ rejected: [rejectedChange(2), rejectedChange(1)], session: session({ needsSignIn: true }) }),
  );
  expect(second.rejected).toBe(next.rejected);
  expect(second.session).toBe(next.session);
  expect(second.needsSignIn).toBe(true);
  expect(patchFromStored(next, stored()).session).toBeNull();
});
