import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Database, openDatabase, registerChangeWriter } from '../db/database';
import { createJobFixture, openDevice, pushApplied } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import {
  clearAlerts,
  deliveryState,
  insertDelivery,
  insertRule,
  type ReceivedRequest,
  startReceiver,
} from './delivery-test-kit';
import { createDeliveryWorker, RULE_REMOVED } from './delivery-worker';
import { createWebhookSender } from './webhook-sender';

const kinds = await databaseKindsUnderTest();
const RETRY_BASE_MS = 1_000;
const MAX_ATTEMPTS = 3;
const SEND_TIMEOUT_MS = 300;
const SECRET = 'a shared webhook secret';

/** What a receiver does to check a webhook: recompute the HMAC over the raw body it got. */
function signatureOf(request: ReceivedRequest, secret: string) {
  const timestamp = String(request.headers['x-fieldsync-timestamp']);
  return `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.${request.raw.toString('utf8')}`)
    .digest('hex')}`;
}

describe.each(kinds)('webhook delivery on %s', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const worker = () => server.deps.alerts.worker;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await createTestServer(kind, {
      allowPrivateTargets: true,
      alertRetryBaseMs: RETRY_BASE_MS,
      alertMaxAttempts: MAX_ATTEMPTS,
      alertSendTimeoutMs: SEND_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await clearAlerts(server.database.db);
    receiver.received.length = 0;
    receiver.answerWith(() => ({ status: 200 }));
  });

  test('a rule made through the app posts a signed event when a job is created', async () => {
    const dispatcher = await openDevice(server, 'dispatcher1@example.com');
    const ruleId = randomUUID();
    await pushApplied(server, dispatcher, [
      {
        name: 'alertRule.create',
        args: {
          id: ruleId,
          name: 'New jobs to the ERP',
          event: 'job.created',
          conditions: {},
          channels: ['webhook'],
          // A rule names someone even when it only posts a webhook.
          recipients: ['role:admin'],
          throttleMinutes: 0,
          webhook: { url: `${receiver.url}/hooks/fieldsync`, secret: SECRET },
        },
      },
    ]);
    const job = await createJobFixture(server, dispatcher, { title: 'Sand the hall floor' });

    expect(await worker().runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received as [ReceivedRequest];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/fieldsync');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-fieldsync-event']).toBe('job.created');
    expect(request.headers['x-fieldsync-timestamp']).toBe(String(Math.floor(server.clock.now().getTime() / 1000)));
    expect(request.headers['x-fieldsync-signature']).toBe(signatureOf(request, SECRET));
    expect(request.headers['x-fieldsync-signature']).not.toBe(signatureOf(request, 'another secret'));

    const body = JSON.parse(request.raw.toString('utf8'));
    expect(Object.keys(body).sort()).toEqual(['data', 'event', 'id', 'occurredAt', 'orgId', 'rule']);
    expect(body).toMatchObject({
      id: request.headers['x-fieldsync-delivery'],
      event: 'job.created',
      orgId: server.orgA.orgId,
      rule: { id: ruleId, name: 'New jobs to the ERP' },
      data: { jobId: job.jobId, title: 'Sand the hall floor' },
    });
    expect(JSON.stringify(body)).not.toContain(SECRET);

    const state = await deliveryState(server.database.db, body.id);
    expect(state).toMatchObject({ status: 'sent', attempts: 1, lastError: null, nextAttemptAt: null });
    expect(state.sentAt).toBe(server.clock.now().getTime());
    // Sent once: another round finds nothing.
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
  });

  test('a started worker sends what a push queues, and stops cleanly', async () => {
    const dispatcher = await openDevice(server, 'dispatcher1@example.com');
    await pushApplied(server, dispatcher, [
      {
        name: 'alertRule.create',
        args: {
          id: randomUUID(),
          name: 'Live',
          event: 'job.created',
          conditions: {},
          channels: ['webhook'],
          recipients: ['role:admin'],
          throttleMinutes: 0,
          webhook: { url: receiver.url, secret: SECRET },
        },
      },
    ]);
    worker().start();
    try {
      await createJobFixture(server, dispatcher);
      const deadline = Date.now() + 5_000;
      while (receiver.received.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await worker().stop();
    }
    const id = String(receiver.received[0]?.headers['x-fieldsync-delivery']);
    const deadline = Date.now() + 5_000;
    while ((await deliveryState(server.database.db, id)).status === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await deliveryState(server.database.db, id)).toMatchObject({ status: 'sent' });
  });

  test('a failing receiver is retried with the same delivery id, each wait twice the last, then failed', async () => {
    receiver.answerWith(() => ({ status: 500 }));
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: `${receiver.url}/hook`,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: `${receiver.url}/hook`,
      dueAt: server.clock.now(),
    });

    expect(await worker().runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    let state = await deliveryState(db, id);
    expect(state).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(state.nextAttemptAt).toBe(server.clock.now().getTime() + RETRY_BASE_MS);

    // Not due a moment early.
    server.clock.advance(RETRY_BASE_MS - 1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    server.clock.advance(1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    state = await deliveryState(db, id);
    expect(state).toMatchObject({ status: 'pending', attempts: 2 });
    expect(state.nextAttemptAt).toBe(server.clock.now().getTime() + 2 * RETRY_BASE_MS);

    server.clock.advance(2 * RETRY_BASE_MS - 1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    server.clock.advance(1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    state = await deliveryState(db, id);
    expect(state).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
    });

    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(receiver.received.map((request) => request.headers['x-fieldsync-delivery']))).toEqual(new Set([id]));
    // Each attempt is signed afresh with its own timestamp.
    for (const request of receiver.received) {
      expect(request.headers['x-fieldsync-signature']).toBe(signatureOf(request, SECRET));
    }
    server.clock.advance(60 * 60_000);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
  });

  test('a receiver that does not answer in time is a failure to retry', async () => {
    receiver.answerWith(() => ({ status: 200, delayMs: SEND_TIMEOUT_MS * 10 }));
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: receiver.url,
      dueAt: server.clock.now(),
    });
    const started = performance.now();
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(performance.now() - started).toBeLessThan(SEND_TIMEOUT_MS * 5);
    expect(receiver.received).toHaveLength(1);
    expect(await deliveryState(db, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: `No answer within ${SEND_TIMEOUT_MS} ms.`,
    });
  });

  test('a redirect is not followed', async () => {
    receiver.answerWith((request) =>
      request.path === '/moved' ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 },
    );
    const db = server.database.db;
    const url = `${receiver.url}/moved`;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: url,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: url,
      dueAt: server.clock.now(),
    });
    await worker().runOnce();
    expect(receiver.received.map((request) => request.path)).toEqual(['/moved']);
    expect(await deliveryState(db, id)).toMatchObject({
      status: 'pending',
      lastError: 'HTTP 302 (redirects are not followed).',
    });
  });

  test('a delivery whose rule was removed fails without being sent', async () => {
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: receiver.url,
      dueAt: server.clock.now(),
    });
    await db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      await tx.execute(sql`update alert_rules set deleted_at = now() where id = ${ruleId}`);
    });
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(receiver.received).toHaveLength(0);
    expect(await deliveryState(db, id)).toMatchObject({ status: 'failed', lastError: RULE_REMOVED });
  });

  test('a claim holds its row for the lease; a claim never recorded (its instance died) is taken again after it', async () => {
    const LEASE_MS = 60_000;
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: receiver.url,
      dueAt: server.clock.now(),
    });
    // An instance that claims and then hangs in its send forever, as one that died mid-send looks to the others.
    const hung = createDeliveryWorker(db, {
      now: server.clock.now,
      logger: pino({ level: 'silent' }),
      retryBaseMs: RETRY_BASE_MS,
      maxAttempts: MAX_ATTEMPTS,
      leaseMs: LEASE_MS,
      senders: {
        webhook: { send: () => new Promise<void>(() => {}) },
        push: { send: () => Promise.resolve() },
        email: { send: () => Promise.resolve() },
      },
    });
    void hung.runOnce();
    const deadline = Date.now() + 5_000;
    while ((await deliveryState(db, id)).attempts === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await deliveryState(db, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: server.clock.now().getTime() + LEASE_MS,
    });

    server.clock.advance(LEASE_MS - 1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    server.clock.advance(1);
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliveryState(db, id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(receiver.received.map((request) => request.headers['x-fieldsync-delivery'])).toEqual([id]);
  });

  test('recording an outcome tells the office that the delivery changed', async () => {
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: receiver.url,
      dueAt: server.clock.now(),
    });
    const notices: string[] = [];
    const unlisten = await server.database.listen('fieldsync_changes', (payload) => notices.push(payload));
    try {
      await worker().runOnce();
      const deadline = Date.now() + 5_000;
      while (notices.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(notices.map((payload) => JSON.parse(payload))).toContainEqual({ orgId: server.orgA.orgId, userIds: [] });
    } finally {
      await unlisten();
    }
  });
});

describe.each(kinds)('webhook targets on the private network on %s', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await createTestServer(kind, { alertSendTimeoutMs: SEND_TIMEOUT_MS });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  test('without WEBHOOK_ALLOW_PRIVATE a loopback target is refused and nothing is sent', async () => {
    const db = server.database.db;
    // Written directly: the push API already refuses such a rule, but one saved earlier (or with the flag) may exist.
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    const { id } = await insertDelivery(db, server.orgA.orgId, {
      ruleId,
      channel: 'webhook',
      recipient: receiver.url,
      dueAt: server.clock.now(),
    });
    expect(await server.deps.alerts.worker.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(receiver.received).toHaveLength(0);
    const state = await deliveryState(db, id);
    expect(state.lastError).toMatch(/private network/);
  });

  test('a public-looking name that resolves to a private address is refused at connect time', async () => {
    const port = new URL(receiver.url).port;
    const sender = createWebhookSender({
      now: () => new Date(),
      allowPrivate: false,
      timeoutMs: SEND_TIMEOUT_MS,
      // hooks.example.com "resolves" to loopback, as a rebinding name would.
      lookup: ((_host: string, _options: unknown, callback: (...args: unknown[]) => void) =>
        callback(null, [{ address: '127.0.0.1', family: 4 }])) as never,
    });
    const send = sender.send(
      {
        orgId: randomUUID(),
        id: randomUUID(),
        ruleId: randomUUID(),
        event: 'job.created',
        channel: 'webhook',
        recipient: 'x',
        attempts: 1,
        payload: {
          title: 't',
          body: 'b',
          occurredAt: new Date().toISOString(),
          rule: { id: 'r', name: 'n' },
          data: {},
        },
      },
      { rule: { id: 'r', name: 'n', webhookUrl: `http://hooks.example.com:${port}/hook`, webhookSecret: SECRET } },
    );
    await expect(send).rejects.toThrow(/private network/);
    expect(receiver.received).toHaveLength(0);
  });
});

// Several server instances on one database: Postgres only (PGlite is one embedded connection).
describe.runIf(kinds.includes('postgres'))('two workers on one Postgres database', () => {
  const DELIVERIES = 60;
  let server: TestServer;
  let second: Database | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    // A short random pause per request, so the two workers' rounds overlap.
    receiver = await startReceiver(() => ({ status: 200, delayMs: Math.floor(Math.random() * 20) }));
    server = await createTestServer('postgres', { allowPrivateTargets: true });
  });
  afterAll(async () => {
    await second?.close();
    await server.close();
    await receiver.close();
  });

  test('each delivery reaches the receiver exactly once and every row ends sent', async () => {
    // A second instance: its own connection pool on the same database.
    second = await openDatabase({ url: server.url as string, maxConnections: 5 });
    const db = server.database.db;
    const ruleId = await insertRule(db, server.orgA.orgId, {
      channels: ['webhook'],
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
    });
    const ids: string[] = [];
    for (let index = 0; index < DELIVERIES; index++) {
      ids.push(
        (
          await insertDelivery(db, server.orgA.orgId, {
            ruleId,
            channel: 'webhook',
            recipient: receiver.url,
            dueAt: server.clock.now(),
          })
        ).id,
      );
    }
    const logger = pino({ level: 'silent' });
    const options = {
      now: server.clock.now,
      logger,
      retryBaseMs: RETRY_BASE_MS,
      maxAttempts: MAX_ATTEMPTS,
      batchSize: 7,
      senders: {
        webhook: createWebhookSender({ now: server.clock.now, allowPrivate: true }),
        push: { send: () => Promise.reject(new Error('not used')) },
        email: { send: () => Promise.reject(new Error('not used')) },
      },
    };
    const workers = [createDeliveryWorker(db, options), createDeliveryWorker(second.db, options)];
    const claimedBy = [0, 0];
    await Promise.all(
      workers.map(async (worker, index) => {
        for (;;) {
          const round = await worker.runOnce();
          claimedBy[index] = (claimedBy[index] ?? 0) + round.claimed;
          if (round.claimed === 0) return;
        }
      }),
    );

    const seen = receiver.received.map((request) => String(request.headers['x-fieldsync-delivery']));
    expect(seen).toHaveLength(DELIVERIES);
    expect(new Set(seen)).toEqual(new Set(ids));
    // Both really took part.
    expect(claimedBy.every((count) => count > 0)).toBe(true);
    const rows = await server.database.query<{ status: string; attempts: number; n: number }>(
      sql`select status, attempts, count(*)::int as n from alert_deliveries group by status, attempts`,
    );
    expect(rows).toEqual([{ status: 'sent', attempts: 1, n: DELIVERIES }]);
  });
});
