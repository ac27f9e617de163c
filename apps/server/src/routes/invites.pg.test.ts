import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inviteLinkResponseSchema, loginResponseSchema } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../app';
import { LAST_SEEN_RESOLUTION_MS } from '../auth/auth-service';
import { createInviteLinks, INVITE_TTL_MS } from '../company/invite-links';
import { createSmtpMailer } from '../company/mailer';
import { registerChangeWriter } from '../db/database';
import { users } from '../db/schema';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const PUBLIC_URL = 'https://fieldsync.example.com';
const FAILURES_PER_WINDOW = 4;
const NEW_PASSWORD = 'a brand new password';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/** An SMTP server on a free loopback port that keeps what it receives. */
async function startMailbox() {
  const received: ReceivedMail[] = [];
  const waiting: Array<(mail: ReceivedMail) => void> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = { to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: decodeMail(chunks) };
        received.push(mail);
        waiting.shift()?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The message with folded headers unfolded and quoted-printable undone: enough to find a subject and a link. */
function decodeMail(chunks: Buffer[]): string {
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r\n[ \t]+/g, ' ')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

describe.each(kinds)('invite and reset links on %s', (kind) => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let admin: string;
  let dispatcher: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await createTestServer(kind, {
      loginMaxFailures: FAILURES_PER_WINDOW,
      publicUrl: PUBLIC_URL,
      mailer: createSmtpMailer(mailbox.url, 'Fieldsync <no-reply@fieldsync.test>'),
    });
  });
  afterAll(async () => {
    await server.close();
    await mailbox.close();
  });
  // Failed links count against the address (always `unknown` here): each test starts a fresh window.
  beforeEach(async () => {
    server.clock.advance(16 * 60_000);
    admin = (await server.login('admin@example.com')).accessToken;
    dispatcher = (await server.login('dispatcher1@example.com')).accessToken;
  });

  /** A person invited by the office and not yet accepted, as `user.invite` leaves them. */
  async function invitedUser(role: 'admin' | 'dispatcher' | 'contractor', orgId = server.orgA.orgId) {
    const id = randomUUID();
    const email = `invited.${id.slice(0, 8)}@example.com`;
    await server.database.db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      await tx.insert(users).values({
        orgId,
        id,
        email,
        name: `Invited ${role}`,
        role,
        passwordHash: null,
        invitedAt: server.clock.now().toISOString(),
      });
    });
    return { id, email };
  }

  async function userIdOf(email: string) {
    const [row] = await server.database.query<{ id: string }>(sql`select id from users where email = ${email}`);
    if (!row) throw new Error(`no user ${email}`);
    return row.id;
  }

  const issue = (token: string, userId: string) => server.call('POST', `/api/users/${userId}/invite-link`, { token });
  const accept = (token: string, password = NEW_PASSWORD) =>
    server.call('POST', '/api/auth/accept-invite', { body: { token, password } });

  test('an invite link works once: it sets the password, signs in and counts as seen', async () => {
    const person = await invitedUser('dispatcher');
    const response = await issue(admin, person.id);
    expect(response.status).toBe(200);
    const link = inviteLinkResponseSchema.parse(response.json);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBe(`${PUBLIC_URL}/#/invite/${link.token}`);
    expect(Date.parse(link.expiresAt)).toBe(server.clock.now().getTime() + INVITE_TTL_MS);
    expect(link.emailed).toBe(true);

    // Only the token's hash is kept.
    const stored = await server.database.query<Record<string, unknown>>(
      sql`select * from invite_tokens where user_id = ${person.id}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(link.token);

    // Before accepting, the open invite cannot sign in, not even with an empty-looking password.
    const early = await server.call('POST', '/api/auth/login', { body: { email: person.email, password: 'anything' } });
    expect(early.status).toBe(401);

    const accepted = await accept(link.token);
    expect(accepted.status).toBe(200);
    const session = loginResponseSchema.parse(accepted.json);
    expect(session.user).toMatchObject({ id: person.id, email: person.email, role: 'dispatcher' });
    const [row] = await server.database.query<{ last_seen_at: string | null; password_hash: string | null }>(
      sql`select last_seen_at, password_hash from users where id = ${person.id}`,
    );
    expect(row?.last_seen_at).not.toBeNull();
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);

    const again = await accept(link.token, 'yet another password');
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe('invalid_invite');
    expect(again.json.error.message).toMatch(/no longer works/);
    expect((await server.login(person.email, NEW_PASSWORD)).user.id).toBe(person.id);
  });

  test('the invite e-mail reaches the person with the link', async () => {
    const person = await invitedUser('contractor');
    const before = mailbox.received.length;
    const link = inviteLinkResponseSchema.parse((await issue(dispatcher, person.id)).json);
    expect(link.emailed).toBe(true);
    // The answer came after the SMTP server accepted the message: it is in the mailbox now.
    const mail = mailbox.received[before];
    expect(mail?.to).toEqual([person.email]);
    expect(mail?.raw).toContain("Subject: You're invited to Mile High Floors & Paving on Fieldsync");
    expect(mail?.raw).toContain(link.url);
    expect(mail?.raw).toContain('From: Fieldsync <no-reply@fieldsync.test>');
  });

  test('a mail server that cannot be reached does not fail the link', async () => {
    const closed = await startMailbox();
    await closed.close();
    const invites = createInviteLinks(server.database.db, {
      auth: server.deps.auth,
      now: server.deps.now,
      logger: server.deps.logger,
      mailer: createSmtpMailer(closed.url, 'Fieldsync <no-reply@fieldsync.test>'),
    });
    const app = createApp({ ...server.deps, invites });
    const person = await invitedUser('contractor');
    const response = await app.request(`http://fieldsync.internal:8080/api/users/${person.id}/invite-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    const link = inviteLinkResponseSchema.parse(await response.json());
    expect(link.emailed).toBe(false);
    // Without PUBLIC_URL the link is built on the request's origin.
    expect(link.url).toBe(`http://fieldsync.internal:8080/#/invite/${link.token}`);
    expect((await accept(link.token)).status).toBe(200);
  });

  test('a link expires after 7 days', async () => {
    const person = await invitedUser('contractor');
    const link = inviteLinkResponseSchema.parse((await issue(admin, person.id)).json);
    server.clock.advance(INVITE_TTL_MS + 60_000);
    const late = await accept(link.token);
    expect(late.status).toBe(400);
    expect(late.json.error.code).toBe('invalid_invite');
  });

  test('asking again replaces the previous link', async () => {
    const person = await invitedUser('contractor');
    const first = inviteLinkResponseSchema.parse((await issue(admin, person.id)).json);
    const second = inviteLinkResponseSchema.parse((await issue(dispatcher, person.id)).json);
    expect(second.token).not.toBe(first.token);
    expect((await accept(first.token)).json.error.code).toBe('invalid_invite');
    expect((await accept(second.token)).status).toBe(200);
  });

  test('two accepts of one link at once: exactly one wins', async () => {
    const person = await invitedUser('contractor');
    const link = inviteLinkResponseSchema.parse((await issue(admin, person.id)).json);
    const answers = await Promise.all([accept(link.token, 'first password!'), accept(link.token, 'second password')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    const winner = answers.find((answer) => answer.status === 200);
    const password = winner === answers[0] ? 'first password!' : 'second password';
    expect((await server.login(person.email, password)).user.id).toBe(person.id);
  });

  test('who may ask: admin for anyone, dispatcher for contractors, contractor for nobody', async () => {
    const invitedDispatcher = await invitedUser('dispatcher');
    const invitedContractor = await invitedUser('contractor');
    expect((await issue(dispatcher, invitedContractor.id)).status).toBe(200);
    const refused = await issue(dispatcher, invitedDispatcher.id);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect((await issue(admin, invitedDispatcher.id)).status).toBe(200);
    const contractor = (await server.login('contractor1@example.com')).accessToken;
    expect((await issue(contractor, invitedContractor.id)).json.error.code).toBe('forbidden');
    expect((await server.call('POST', `/api/users/${invitedContractor.id}/invite-link`)).status).toBe(401);
  });

  test("another company's person, an unknown id or a malformed id is 404", async () => {
    const other = await server.call('POST', '/api/orgs', {
      body: {
        companyName: 'Other Co',
        timeZone: 'UTC',
        adminName: 'Olga',
        email: `olga.${randomUUID().slice(0, 8)}@other.example`,
        password: 'long enough password',
      },
    });
    expect(other.status).toBe(201);
    const stranger = await invitedUser('contractor', other.json.user.orgId);
    for (const id of [other.json.user.id, stranger.id, randomUUID(), 'not-an-id']) {
      const response = await issue(admin, id);
      expect(response.status, id).toBe(404);
      expect(response.json.error.code).toBe('not_found');
    }
  });

  test('a deactivated person gets no link (409) and cannot use one issued before', async () => {
    const person = await invitedUser('contractor');
    const link = inviteLinkResponseSchema.parse((await issue(admin, person.id)).json);
    await server.database.db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      await tx.execute(sql`update users set is_active = false where id = ${person.id}`);
    });
    const refused = await issue(admin, person.id);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('validation_failed');
    expect((await accept(link.token)).json.error.code).toBe('invalid_invite');
    // The refusal did not spend the link: reactivated, the person can still accept it.
    await server.database.db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      await tx.execute(sql`update users set is_active = true where id = ${person.id}`);
    });
    expect((await accept(link.token)).status).toBe(200);
  });

  test('a reset link for an active person sets a new password and ends their sessions', async () => {
    const email = 'contractor3@example.com';
    const old = await server.login(email);
    const before = mailbox.received.length;
    const link = inviteLinkResponseSchema.parse((await issue(admin, await userIdOf(email))).json);
    expect(mailbox.received[before]?.raw).toContain('Subject: Reset your Fieldsync password');

    const accepted = await accept(link.token);
    expect(accepted.status).toBe(200);
    const refreshed = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: old.refreshToken } });
    expect(refreshed.status).toBe(401);
    const oldPassword = await server.call('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
    expect(oldPassword.status).toBe(401);
    expect((await server.login(email, NEW_PASSWORD)).user.email).toBe(email);
    // The session the link opened is alive.
    const fresh = await server.call('POST', '/api/auth/refresh', {
      body: { refreshToken: accepted.json.refreshToken },
    });
    expect(fresh.status).toBe(200);
  });

  test('links that do not work are limited per address', async () => {
    for (let attempt = 0; attempt < FAILURES_PER_WINDOW; attempt++) {
      const response = await accept(`made-up-token-${attempt}`);
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('invalid_invite');
    }
    const person = await invitedUser('contractor');
    const link = inviteLinkResponseSchema.parse((await issue(admin, person.id)).json);
    const limited = await accept(link.token);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    server.clock.advance(16 * 60_000);
    expect((await accept(link.token)).status).toBe(200);
  });

  test('accept-invite with a short password or no token is 400 invalid_body', async () => {
    const short = await accept('some-token', 'short');
    expect(short.status).toBe(400);
    expect(short.json.error.code).toBe('invalid_body');
    const missing = await server.call('POST', '/api/auth/accept-invite', { body: { password: NEW_PASSWORD } });
    expect(missing.json.error.code).toBe('invalid_body');
  });
});

describe.each(kinds)('changing one’s password and last seen on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { loginMaxFailures: 3 });
  });
  afterAll(() => server.close());
  beforeEach(() => server.clock.advance(16 * 60_000));

  const change = (token: string | undefined, body: unknown) =>
    server.call('POST', '/api/auth/password', { token, body });

  test('the right current password: a fresh session, every older one ended, the new password signs in', async () => {
    const email = 'dispatcher2@example.com';
    const other = await server.login(email);
    const mine = await server.login(email);
    const response = await change(mine.accessToken, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(200);
    const session = loginResponseSchema.parse(response.json);
    expect(session.user.email).toBe(email);
    for (const old of [other, mine]) {
      const refreshed = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: old.refreshToken } });
      expect(refreshed.status).toBe(401);
    }
    expect(
      (await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(200);
    expect((await server.call('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } })).status).toBe(
      401,
    );
    expect((await server.login(email, NEW_PASSWORD)).user.email).toBe(email);
  });

  test('a wrong current password is 400 invalid_credentials (not 401) and counts like a failed sign-in', async () => {
    const email = 'contractor4@example.com';
    const session = await server.login(email);
    for (let attempt = 0; attempt < 3; attempt++) {
      const wrong = await change(session.accessToken, {
        currentPassword: `wrong-${attempt}`,
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.code).toBe('invalid_credentials');
    }
    const limited = await change(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(limited.status).toBe(429);
    // Nothing changed: the session still refreshes and the old password still holds.
    expect(
      (await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(200);
    server.clock.advance(16 * 60_000);
    expect((await server.login(email)).user.email).toBe(email);
  });

  test('signed out or with a short new password it is refused', async () => {
    expect((await change(undefined, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(401);
    const session = await server.login('contractor6@example.com');
    const short = await change(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.json.error.code).toBe('invalid_body');
  });

  test('a refresh moves lastSeenAt only when it is over an hour old', async () => {
    const email = 'contractor7@example.com';
    const seen = async () => {
      const [row] = await server.database.query<{ at: number; version: string }>(
        sql`select (extract(epoch from last_seen_at) * 1000)::float8 as at, version::text as version
            from users where email = ${email}`,
      );
      return { at: Number(row?.at), version: row?.version };
    };
    let session = await server.login(email);
    const atLogin = await seen();
    expect(atLogin.at).toBe(server.clock.now().getTime());

    server.clock.advance(10 * 60_000);
    session = (await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).json;
    expect(await seen()).toEqual(atLogin);

    server.clock.advance(LAST_SEEN_RESOLUTION_MS);
    const refreshed = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    const later = await seen();
    expect(later.at).toBe(server.clock.now().getTime());
    expect(BigInt(later.version ?? 0)).toBeGreaterThan(BigInt(atLogin.version ?? 0));
  });
});
