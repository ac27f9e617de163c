import { afterEach, expect, test } from 'vitest';
import { type FieldsyncDatabase, openFieldsyncDatabase, readMeta } from './database';
import { AuthError, HttpError, PendingChangesError } from './errors';
import { AccountDisabled, createSession, type Session, SignInRequired } from './session';
import { CONTRACTOR, DISPATCHER, fakeLockManager, freshIndexedDb, newServer } from './testing/setup';

const dbs: FieldsyncDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function setUp(overrides: { locks?: ReturnType<typeof fakeLockManager> } = {}) {
  const server = newServer();
  const { dbName, ...deps } = freshIndexedDb();
  const db = openFieldsyncDatabase(dbName, deps);
  dbs.push(db);
  const events: string[] = [];
  let ids = 0;
  const session: Session = createSession({
    db,
    fetch: server.fetch,
    baseUrl: '',
    locks: overrides.locks ?? null,
    newId: () => `client-${++ids}`,
    onOffline: () => events.push('offline'),
    onSigningOut: () => events.push('signing out'),
  });
  return { server, db, session, events };
}

test('sign-in stores the tokens and a client id; a request carries the token', async () => {
  const { server, db, session } = setUp();
  const user = await session.signIn(CONTRACTOR.email, 'secret');
  expect(user).toMatchObject({ id: CONTRACTOR.id, role: 'contractor' });
  expect(await readMeta(db, 'clientId')).toBe('client-1');
  expect(await readMeta(db, 'ownerUserId')).toBe(CONTRACTOR.id);
  await expect(session.request('POST', '/api/sync/events/token')).resolves.toMatchObject({
    token: expect.stringMatching(/^events-access-/),
  });
  expect(server.refreshCalls).toBe(0);
});

test('wrong password and no connection are AuthErrors in plain words', async () => {
  const { server, session, events } = setUp();
  await expect(session.signIn(CONTRACTOR.email, 'wrong')).rejects.toMatchObject({
    code: 'invalid_credentials',
    message: 'Email or password is incorrect.',
  });
  server.offline = true;
  const offline = session.signIn(CONTRACTOR.email, 'secret');
  await expect(offline).rejects.toBeInstanceOf(AuthError);
  await expect(offline).rejects.toMatchObject({ code: 'network' });
  expect(events).toEqual(['offline']);
});

test('requests that all meet a 401 share one refresh, under the auth lock', async () => {
  const { server, session } = setUp({ locks: fakeLockManager() });
  await session.signIn(CONTRACTOR.email, 'secret');
  server.expireAccessTokens();
  await Promise.all([
    session.request('POST', '/api/sync/events/token'),
    session.request('POST', '/api/sync/events/token'),
    session.request('POST', '/api/sync/events/token'),
  ]);
  expect(server.refreshCalls).toBe(1);
});

test('a refused refresh stores needsSignIn and throws SignInRequired; later requests do not try again', async () => {
  const { server, db, session } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  server.expireAccessTokens();
  server.revokeRefreshTokens();
  await expect(session.request('GET', '/api/sync/pull')).rejects.toBeInstanceOf(SignInRequired);
  expect((await readMeta(db, 'session'))?.needsSignIn).toBe(true);
  await expect(session.request('GET', '/api/sync/pull')).rejects.toBeInstanceOf(SignInRequired);
  expect(server.refreshCalls).toBe(1);
});

test('a switched-off account is stored and every request throws AccountDisabled', async () => {
  const { server, db, session } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  server.disabledUsers.add(CONTRACTOR.id);
  await expect(session.request('GET', '/api/sync/pull')).rejects.toBeInstanceOf(AccountDisabled);
  expect((await readMeta(db, 'session'))?.accountDisabled).toBe(true);
  await expect(session.request('GET', '/api/sync/pull')).rejects.toBeInstanceOf(AccountDisabled);
});

test('other answers are HttpErrors as they are', async () => {
  const { session } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  const missing = session.request('GET', '/api/nowhere');
  await expect(missing).rejects.toBeInstanceOf(HttpError);
  await expect(missing).rejects.toMatchObject({ status: 404, code: 'not_found' });
});

test('sign-out with pending changes needs force; forced, it stops the stream first, then wipes', async () => {
  const { db, session, events } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  await db.outbox.add({ seq: 1, name: 'note.add', args: {}, occurredAt: '', attempts: 0, lastError: null });
  await expect(session.signOut()).rejects.toBeInstanceOf(PendingChangesError);
  await expect(session.signIn(DISPATCHER.email, 'secret')).rejects.toMatchObject({ count: 1 });
  expect(events).toEqual([]);
  await session.signOut({ force: true });
  expect(events).toEqual(['signing out']);
  expect(await db.outbox.count()).toBe(0);
  expect(await readMeta(db, 'session')).toBeUndefined();
  await expect(session.request('GET', '/api/sync/pull')).rejects.toBeInstanceOf(SignInRequired);
});
