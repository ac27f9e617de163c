import { afterEach, expect, test } from 'vitest';
import { type FieldsyncDatabase, openFieldsyncDatabase, readMeta } from './database';
import { AuthError, PendingChangesError } from './errors';
import { createSession, type Session } from './session';
import type { FakeSyncServer, FakeUser } from './testing/fake-sync-server';
import { CONTRACTOR, DISPATCHER, fakeLockManager, freshIndexedDb, newServer } from './testing/setup';
import type { FetchLike } from './transport';

// Sign-up, invites and password changes: the fake server's login stands in for the session
// these routes answer with, so only the routes themselves are added here.

const ADMIN: FakeUser = {
  id: '00000000-0000-4000-8000-00000000a001',
  orgId: '00000000-0000-4000-8000-0000000000b2',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'admin',
};

function json(status: number, body: unknown) {
  const text = JSON.stringify(body);
  return { status, ok: status >= 200 && status < 300, text: async () => text };
}
const failure = (status: number, code: string, message: string) => json(status, { error: { code, message } });

/** The account routes of the real server, as far as these tests need them, in front of the fake sync server. */
function withAccountRoutes(server: FakeSyncServer) {
  const invites = new Map<string, FakeUser>();
  const calls: string[] = [];
  const routes = { signupOpen: true, invites, calls, offline: false, signupStatus: 201 };

  async function loginAs(email: string, password: string, status: number) {
    const answer = await server.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return json(status, JSON.parse(await answer.text()));
  }

  const fetch: FetchLike = async (url, init) => {
    if (routes.offline) throw new TypeError('Failed to fetch');
    const path = new URL(url, 'http://fake').pathname;
    const body = init.body ? (JSON.parse(init.body) as Record<string, string>) : {};
    calls.push(`${init.method} ${path}`);
    if (path === '/api/config') return json(200, { signupOpen: routes.signupOpen });
    if (path === '/api/orgs') {
      if (!routes.signupOpen) return failure(403, 'signup_closed', 'Sign-up is closed.');
      if (server.users.has(String(body.email))) return failure(409, 'email_taken', 'That email is taken.');
      if (body.timeZone === 'Mars/Olympus') {
        return failure(
          400,
          'invalid_body',
          'timeZone must be an IANA time zone such as America/Denver or Europe/Berlin',
        );
      }
      server.addUser({ ...ADMIN, email: String(body.email), name: String(body.adminName) }, String(body.password));
      return loginAs(String(body.email), String(body.password), routes.signupStatus);
    }
    if (path === '/api/auth/accept-invite') {
      const user = invites.get(String(body.token));
      if (!user) return failure(400, 'invalid_invite', 'This invite link is not valid.');
      invites.delete(String(body.token));
      server.addUser(user, String(body.password));
      return loginAs(user.email, String(body.password), 200);
    }
    if (path === '/api/auth/password') {
      const token = init.headers.authorization?.replace(/^Bearer /, '') ?? '';
      const user = server.accessTokens.get(token);
      if (!user) return failure(401, 'unauthorized', 'Sign in.');
      const account = server.users.get(user.email);
      if (account?.password !== body.currentPassword) {
        return failure(401, 'invalid_credentials', 'The current password is wrong.');
      }
      for (const [refresh, owner] of server.refreshTokens)
        if (owner.id === user.id) server.refreshTokens.delete(refresh);
      server.addUser(user, String(body.newPassword));
      return loginAs(user.email, String(body.newPassword), 200);
    }
    return server.fetch(url, init);
  };
  return Object.assign(routes, { fetch });
}

const dbs: FieldsyncDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function setUp() {
  const server = newServer();
  const routes = withAccountRoutes(server);
  const { dbName, ...deps } = freshIndexedDb();
  const db = openFieldsyncDatabase(dbName, deps);
  dbs.push(db);
  const events: string[] = [];
  let ids = 0;
  const session: Session = createSession({
    db,
    fetch: routes.fetch,
    baseUrl: '',
    locks: fakeLockManager(),
    newId: () => `client-${++ids}`,
    onOffline: () => events.push('offline'),
    onSigningOut: () => events.push('signing out'),
  });
  return { server, routes, db, session, events };
}

const SIGNUP = {
  companyName: 'Ada Plumbing',
  timeZone: 'Europe/London',
  adminName: 'Ada',
  email: 'ada@example.com',
  password: 'correct horse battery',
};

test('sign-up stores the new admin session like a sign-in; requests carry its token', async () => {
  const { db, session } = setUp();
  const user = await session.signUp(SIGNUP);
  expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'admin' });
  expect(await readMeta(db, 'ownerUserId')).toBe(user.id);
  expect(await readMeta(db, 'clientId')).toBe('client-1');
  expect((await readMeta(db, 'session'))?.user.email).toBe('ada@example.com');
  await expect(session.request('POST', '/api/sync/events/token')).resolves.toMatchObject({
    token: expect.stringMatching(/^events-access-/),
  });
});

test('sign-up errors are AuthErrors with the server code and plain words', async () => {
  const { db, routes, session, events } = setUp();
  const taken = session.signUp({ ...SIGNUP, email: CONTRACTOR.email });
  await expect(taken).rejects.toBeInstanceOf(AuthError);
  await expect(taken).rejects.toMatchObject({
    code: 'email_taken',
    message: expect.stringContaining('already exists'),
  });

  await expect(session.signUp({ ...SIGNUP, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
    code: 'invalid_body',
    message: expect.stringContaining('IANA time zone'),
  });

  routes.signupOpen = false;
  await expect(session.signUp(SIGNUP)).rejects.toMatchObject({
    code: 'signup_closed',
    message: expect.stringContaining('turned off'),
  });

  routes.offline = true;
  await expect(session.signUp(SIGNUP)).rejects.toMatchObject({ code: 'network' });
  expect(events).toEqual(['offline']);
  expect(await readMeta(db, 'session')).toBeUndefined();
});

test('accepting an invite signs the invited person in; the link then works no more', async () => {
  const { db, routes, session } = setUp();
  const carla = { ...CONTRACTOR, id: '00000000-0000-4000-8000-00000000c002', email: 'carla@example.com' };
  routes.invites.set('invite-token-1', carla);
  const user = await session.acceptInvite('invite-token-1', 'a long new password');
  expect(user).toMatchObject({ id: carla.id, role: 'contractor' });
  expect(await readMeta(db, 'ownerUserId')).toBe(carla.id);

  await session.signOut();
  const again = session.acceptInvite('invite-token-1', 'a long new password');
  await expect(again).rejects.toMatchObject({
    code: 'invalid_invite',
    message: 'This link was already used, replaced by a newer one, or has expired. Ask your office for a new link.',
  });
  expect(await readMeta(db, 'session')).toBeUndefined();
});

test("an invite accepted over another person's unsent changes keeps them and stores no session", async () => {
  const { db, routes, session } = setUp();
  await session.signIn(DISPATCHER.email, 'secret');
  await db.outbox.add({ seq: 1, name: 'note.add', args: {}, occurredAt: '', attempts: 0, lastError: null });
  routes.invites.set('invite-token-2', { ...CONTRACTOR, email: 'cole@example.com', id: ADMIN.id });
  await expect(session.acceptInvite('invite-token-2', 'a long new password')).rejects.toBeInstanceOf(
    PendingChangesError,
  );
  expect(await db.outbox.count()).toBe(1);
  expect((await readMeta(db, 'session'))?.user.id).toBe(DISPATCHER.id);
  expect(routes.calls).toContain('POST /api/auth/logout');
});

test('changing the password replaces the stored session; the old refresh token is dead', async () => {
  const { db, server, session } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  await db.outbox.add({ seq: 1, name: 'note.add', args: {}, occurredAt: '', attempts: 0, lastError: null });
  const before = await readMeta(db, 'session');
  await session.changePassword('secret', 'a much better password');
  const after = await readMeta(db, 'session');
  expect(after?.user.id).toBe(CONTRACTOR.id);
  expect(after?.refreshToken).not.toBe(before?.refreshToken);
  expect(server.refreshTokens.has(before?.refreshToken ?? '')).toBe(false);
  // Same person: the queued change stays, and the fresh session keeps working after a refresh.
  expect(await db.outbox.count()).toBe(1);
  server.expireAccessTokens();
  await expect(session.request('POST', '/api/sync/events/token')).resolves.toBeTruthy();
  expect(server.refreshCalls).toBe(1);
  await expect(session.signIn(CONTRACTOR.email, 'a much better password')).resolves.toMatchObject({
    id: CONTRACTOR.id,
  });
});

test('a wrong current password is a field error, not the end of the session', async () => {
  const { db, server, session } = setUp();
  await session.signIn(CONTRACTOR.email, 'secret');
  const wrong = session.changePassword('not it', 'a much better password');
  await expect(wrong).rejects.toBeInstanceOf(AuthError);
  await expect(wrong).rejects.toMatchObject({
    code: 'invalid_credentials',
    message: 'Your current password is not right.',
  });
  const stored = await readMeta(db, 'session');
  expect(stored?.needsSignIn).toBeUndefined();
  expect(server.refreshCalls).toBe(0);
});

test('config says whether sign-up is open; offline it throws', async () => {
  const { routes, session } = setUp();
  await expect(session.fetchConfig()).resolves.toEqual({ signupOpen: true });
  routes.signupOpen = false;
  await expect(session.fetchConfig()).resolves.toEqual({ signupOpen: false });
  routes.offline = true;
  await expect(session.fetchConfig()).rejects.toMatchObject({ name: 'NetworkError' });
});
