import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { importJWK, jwtVerify } from 'jose';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createSmtpMailer } from '../company/mailer';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { type BrowserPushKeys, browserPushKeys as browserKeys, decryptPushBody } from '../testing/web-push-keys';
import { clearAlerts, deliveryState, insertDelivery, insertRule, startReceiver } from './delivery-test-kit';
import { NO_PUSH_DEVICE, PUSH_TTL_SECONDS, type PushMessage } from './push-sender';

const kinds = await databaseKindsUnderTest();
const VAPID_SUBJECT = 'mailto:alerts@fieldsync.test';
const PUBLIC_URL = 'https://fieldsync.example.com';

/** An SMTP server on a free loopback port that keeps what it receives. */
async function startMailbox() {
  const received: Array<{ to: string[]; raw: string }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/\r\n[ \t]+/g, ' ')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
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

describe.each(kinds)('push and e-mail delivery on %s', (kind) => {
  let server: TestServer;
  let pushService: Awaited<ReturnType<typeof startReceiver>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let contractor: { token: string; userId: string; email: string };

  beforeAll(async () => {
    pushService = await startReceiver(() => ({ status: 201 }));
    mailbox = await startMailbox();
    server = await createTestServer(kind, {
      allowPrivateTargets: true,
      vapidSubject: VAPID_SUBJECT,
      publicUrl: PUBLIC_URL,
      mailer: createSmtpMailer(mailbox.url, 'Fieldsync <alerts@fieldsync.test>'),
    });
    const session = await server.login('contractor1@example.com');
    contractor = { token: session.accessToken, userId: session.user.id, email: session.user.email };
  });
  afterAll(async () => {
    await server.close();
    await pushService.close();
    await mailbox.close();
  });
  beforeEach(async () => {
    await clearAlerts(server.database.db);
    await server.database.query(sql`delete from push_subscriptions`);
    pushService.received.length = 0;
    pushService.answerWith(() => ({ status: 201 }));
    mailbox.received.length = 0;
  });

  async function subscribe(keys: BrowserPushKeys, path: string) {
    const endpoint = `${pushService.url}${path}`;
    const response = await server.call('POST', '/api/push/subscriptions', {
      token: contractor.token,
      body: keys.json(endpoint),
    });
    expect(response.status).toBe(201);
    return endpoint;
  }

  async function queuePush() {
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, { channels: ['push'] });
    return insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'push',
      recipient: `user:${contractor.userId}`,
      dueAt: server.clock.now(),
      payload: { title: 'New job: Fix the floor, 09:00', body: 'Job J-1 for Ada. Tap to open it.' },
    });
  }

  test('a push is VAPID-signed and encrypted for each device of the person', async () => {
    const phone = browserKeys();
    const laptop = browserKeys();
    await subscribe(phone, '/push/phone');
    await subscribe(laptop, '/push/laptop');
    const { id, jobId } = await queuePush();

    expect(await server.deps.alerts.worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(pushService.received.map((request) => request.path).sort()).toEqual(['/push/laptop', '/push/phone']);

    const publicKey = (await server.call('GET', '/api/push/vapid-public-key', { token: contractor.token })).json
      .publicKey as string;
    for (const request of pushService.received) {
      const keys = request.path === '/push/phone' ? phone : laptop;
      expect(request.headers['content-encoding']).toBe('aes128gcm');
      expect(request.headers.ttl).toBe(String(PUSH_TTL_SECONDS));
      const authorization = String(request.headers.authorization);
      const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
      expect(match).not.toBeNull();
      const [, jwt, k] = match as unknown as [string, string, string];
      expect(k).toBe(publicKey);
      // The token is signed with the private half of that key, for this push service's origin.
      const point = Buffer.from(publicKey, 'base64url');
      const key = await importJWK(
        {
          kty: 'EC',
          crv: 'P-256',
          x: point.subarray(1, 33).toString('base64url'),
          y: point.subarray(33, 65).toString('base64url'),
        },
        'ES256',
      );
      const { payload } = await jwtVerify(jwt, key, { audience: pushService.url });
      expect(payload.sub).toBe(VAPID_SUBJECT);

      const message = JSON.parse(decryptPushBody(request.raw, keys)) as PushMessage;
      expect(message).toEqual({
        title: 'New job: Fix the floor, 09:00',
        body: 'Job J-1 for Ada. Tap to open it.',
        jobId,
        url: `/#/jobs/${jobId}`,
      });
    }
    expect(await deliveryState(server.database.db, id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a device the push service says is gone (410) is forgotten', async () => {
    const phone = browserKeys();
    const endpoint = await subscribe(phone, '/push/expired');
    pushService.answerWith(() => ({ status: 410 }));
    const { id } = await queuePush();

    await server.deps.alerts.worker.runOnce();
    expect(pushService.received).toHaveLength(1);
    expect(
      await server.database.query(sql`select 1 from push_subscriptions where endpoint = ${endpoint}`),
    ).toHaveLength(0);
    expect(await deliveryState(server.database.db, id)).toMatchObject({ status: 'failed', lastError: NO_PUSH_DEVICE });
  });

  test('a person with no subscribed device: the delivery fails at once with a plain reason, no retries', async () => {
    const { id } = await queuePush();
    expect(await server.deps.alerts.worker.runOnce()).toMatchObject({ claimed: 1, retrying: 0, failed: 1 });
    expect(await deliveryState(server.database.db, id)).toMatchObject({ status: 'failed', lastError: NO_PUSH_DEVICE });
    expect(pushService.received).toHaveLength(0);
  });

  test('an e-mail goes to the person with the title as subject and a link to the job', async () => {
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, { channels: ['email'] });
    const { id, jobId } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'email',
      recipient: `user:${contractor.userId}`,
      dueAt: server.clock.now(),
      payload: { title: 'Job J-7 is overdue', body: 'Fix <the> floor & tiles' },
    });
    expect(await server.deps.alerts.worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(mailbox.received).toHaveLength(1);
    const [mail] = mailbox.received as [{ to: string[]; raw: string }];
    expect(mail.to).toEqual([contractor.email]);
    expect(mail.raw).toContain('Subject: Job J-7 is overdue');
    expect(mail.raw).toContain('Fix <the> floor & tiles');
    expect(mail.raw).toContain('Fix &#60;the&#62; floor &#38; tiles');
    expect(mail.raw).toContain(`${PUBLIC_URL}/#/jobs/${jobId}`);
    expect(await deliveryState(db, id)).toMatchObject({ status: 'sent' });
  });
});

describe.each(kinds)('push subscription routes, and no mail server, on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  let contractorToken: string;

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = (await server.login('admin@example.com')).accessToken;
    contractorToken = (await server.login('contractor1@example.com')).accessToken;
  });
  afterAll(() => server.close());

  const subscriptionsOf = (email: string) =>
    server.database.query<{ endpoint: string }>(
      sql`select s.endpoint from push_subscriptions s join users u on u.org_id = s.org_id and u.id = s.user_id
          where u.email = ${email} order by s.endpoint`,
    );

  test('every route needs a signed-in person', async () => {
    expect((await server.call('GET', '/api/push/vapid-public-key')).status).toBe(401);
    const body = browserKeys().json('https://push.example.com/a');
    expect((await server.call('POST', '/api/push/subscriptions', { body })).status).toBe(401);
    expect((await server.call('DELETE', '/api/push/subscriptions', { body: { endpoint: body.endpoint } })).status).toBe(
      401,
    );
  });

  test('the VAPID public key is a P-256 point browsers can subscribe with', async () => {
    const response = await server.call('GET', '/api/push/vapid-public-key', { token: contractorToken });
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['publicKey']);
    const point = Buffer.from(response.json.publicKey, 'base64url');
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
  });

  test('a subscription is saved once per endpoint and can be sent again', async () => {
    const keys = browserKeys();
    const body = keys.json('https://push.example.com/sub/one');
    expect((await server.call('POST', '/api/push/subscriptions', { token: contractorToken, body })).status).toBe(201);
    expect((await server.call('POST', '/api/push/subscriptions', { token: contractorToken, body })).status).toBe(201);
    expect(await subscriptionsOf('contractor1@example.com')).toEqual([{ endpoint: body.endpoint }]);
  });

  test('bad bodies are refused with invalid_body and a plain message', async () => {
    const good = browserKeys().json('https://push.example.com/sub/two');
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, endpoint: 'not a url' }, /endpoint/],
      [{ ...good, endpoint: 'ftp://push.example.com/x' }, /endpoint.*https:\/\/ or http:\/\//],
      [{ ...good, endpoint: 'https://127.0.0.1/x' }, /endpoint.*private network/],
      [{ ...good, endpoint: 'http://localhost:9999/x' }, /endpoint.*private network/],
      [{ ...good, keys: { ...good.keys, p256dh: 'AAAA' } }, /keys\.p256dh/],
      [{ ...good, keys: { ...good.keys, auth: 'not base64!' } }, /keys\.auth/],
      [{ endpoint: good.endpoint }, /keys/],
    ];
    for (const [body, message] of cases) {
      const response = await server.call('POST', '/api/push/subscriptions', { token: contractorToken, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.error.code).toBe('invalid_body');
      expect(response.json.error.message).toMatch(message);
    }
    const notJson = await server.call('POST', '/api/push/subscriptions', { token: contractorToken, body: '{' });
    expect(notJson.status).toBe(400);
    expect((await server.call('DELETE', '/api/push/subscriptions', { token: contractorToken, body: {} })).status).toBe(
      400,
    );
  });

  test('a person removes only their own subscription', async () => {
    const mine = browserKeys().json('https://push.example.com/sub/mine');
    const theirs = browserKeys().json('https://push.example.com/sub/theirs');
    await server.call('POST', '/api/push/subscriptions', { token: contractorToken, body: mine });
    await server.call('POST', '/api/push/subscriptions', { token: admin, body: theirs });

    const other = await server.call('DELETE', '/api/push/subscriptions', {
      token: contractorToken,
      body: { endpoint: theirs.endpoint },
    });
    expect(other.status).toBe(204);
    expect(await subscriptionsOf('admin@example.com')).toEqual([{ endpoint: theirs.endpoint }]);

    const own = await server.call('DELETE', '/api/push/subscriptions', {
      token: contractorToken,
      body: { endpoint: mine.endpoint },
    });
    expect(own.status).toBe(204);
    expect((await subscriptionsOf('contractor1@example.com')).map((row) => row.endpoint)).not.toContain(mine.endpoint);
    expect(await subscriptionsOf('admin@example.com')).toEqual([{ endpoint: theirs.endpoint }]);
  });

  test('without a mail server an e-mail delivery fails with "e-mail is not configured"', async () => {
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, { channels: ['email'] });
    const [user] = await server.database.query<{ id: string }>(
      sql`select id from users where email = 'admin@example.com'`,
    );
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'email',
      recipient: `user:${user?.id}`,
      dueAt: server.clock.now(),
    });
    await server.deps.alerts.worker.runOnce();
    expect(await deliveryState(db, id)).toMatchObject({ status: 'pending', lastError: 'e-mail is not configured' });
  });
});
