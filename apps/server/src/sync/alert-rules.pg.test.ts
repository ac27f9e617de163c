/**
 * The alert mutations (CONTRACTS.md "Alerts and notifications"): a rule the
 * engine could not run is refused whole with a plain message; updates merge
 * and are checked whole; switched-off and removed rules stop matching; a
 * failed delivery can be sent again; a notification is its recipient's to
 * mark read; the webhook secret never leaves the server; and the office's
 * configuration stays with the office.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@fieldsync/domain';
import type { PushRequest } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Mailer } from '../company/mailer';
import {
  type Device,
  numbered,
  openDevice,
  type PlannedMutation,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { createPushService } from './push-service';

const kinds = await databaseKindsUnderTest();

const SECRET = 'whsec-do-not-leak-7f3a9c';

/** A valid rule on job.created to the device's own dashboard; `changes` override any part. */
function ruleArgs(device: Device, changes: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    name: 'Test rule',
    event: 'job.created',
    conditions: {},
    channels: ['dashboard'],
    recipients: [`user:${device.userId}`],
    throttleMinutes: 0,
    ...changes,
  };
}

describe.each(kinds)('alert rules and notifications through the push API, on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let otherOffice: Device;
  let phone: Device;
  let customerId: string;

  async function ruleRow(id: string) {
    const [row] = await server.database.query<Record<string, unknown>>(
      sql`select name, event, conditions, channels, recipients, throttle_minutes, active, template, webhook_url,
                 webhook_secret, deleted_at
          from alert_rules where id = ${id}`,
    );
    return row;
  }

  /** Creates a job; answers its id. */
  async function createJob(title = 'Hang a door') {
    const id = randomUUID();
    await pushApplied(server, office, [
      { name: 'job.create', args: { id, title, customerId, trade: 'general', durationMinutes: 60 } },
    ]);
    return id;
  }

  const deliveriesOf = (ruleId: string) =>
    server.database.query<{ id: string; entity_id: string; status: string }>(
      sql`select id, entity_id, status from alert_deliveries where rule_id = ${ruleId} order by version`,
    );

  /** One mutation's result. */
  async function pushOne(device: Device, mutation: PlannedMutation) {
    const { results } = await push(server, device, [mutation]);
    return results[0];
  }

  beforeAll(async () => {
    // A mailer is configured: the e-mail channel is accepted (the other server setting is tested below).
    const mailer: Mailer = { send: async () => undefined };
    server = await createTestServer(kind, { mailer });
    office = await openDevice(server, 'dispatcher1@example.com');
    otherOffice = await openDevice(server, 'dispatcher2@example.com');
    phone = await openDevice(server, 'contractor3@example.com');
    customerId = randomUUID();
    await pushApplied(server, office, [{ name: 'customer.create', args: { id: customerId, name: 'Mary Smith' } }]);
  }, 60_000);
  afterAll(() => server.close());

  test('rules the engine could not run are invalid_args, each naming its problem in plain words', async () => {
    const cases: Array<{ changes: Record<string, unknown>; says: string }> = [
      { changes: { conditions: { priority: { '~=': 'high' } } }, says: "priority: unknown operator '~='" },
      { changes: { conditions: { colour: { '=': 'red' } } }, says: "unknown field 'colour' for job.created" },
      // A field of another event is unknown here.
      { changes: { conditions: { stars: { '>': 3 } } }, says: "unknown field 'stars' for job.created" },
      {
        changes: { event: 'rating.added', conditions: { stars: { '>': 'four' } } },
        says: "stars: '>' needs a number, not 'four'",
      },
      {
        changes: { conditions: { priority: { '=': 'asap' } } },
        says: "'asap' is not one of low, medium, high, urgent",
      },
      { changes: { conditions: { assigned: { '=': 'yes' } } }, says: "assigned: '=' needs true or false" },
      {
        changes: { conditions: { title: { '>': 'b' } } },
        says: "title: '>' compares numbers, dates or ordered values",
      },
      {
        changes: { template: { title: 'Job {{colour}}', body: '' } },
        says: 'template: title: unknown placeholder {{colour}} for job.created',
      },
      {
        changes: { channels: ['webhook'], webhook: { url: 'http://127.0.0.1:9000/hook', secret: SECRET } },
        says: 'webhook: the URL points at this server or a private network, which is not allowed',
      },
      {
        changes: { channels: ['webhook'], webhook: { url: 'http://localhost:9000/hook', secret: SECRET } },
        says: 'webhook: the URL points at this server or a private network, which is not allowed',
      },
      {
        changes: { channels: ['webhook'], webhook: { url: 'http://192.168.1.20/hook', secret: SECRET } },
        says: 'webhook: the URL points at this server or a private network, which is not allowed',
      },
      { changes: { recipients: ['role:owner'] }, says: 'recipients: ' },
    ];
    const refused = cases;
    const ids = refused.map(() => randomUUID());
    const { results } = await push(
      server,
      office,
      refused.map((item, index) => ({
        name: 'alertRule.create',
        args: ruleArgs(office, { ...item.changes, id: ids[index] }),
      })),
    );
    results.forEach((result, index) => {
      expect(result, JSON.stringify(refused[index]?.changes)).toMatchObject({
        outcome: 'rejected',
        error: { code: 'invalid_args', message: expect.stringContaining(refused[index]?.says as string) },
      });
    });
    for (const id of ids) expect(await ruleRow(id)).toBeUndefined();
    // E-mail with SMTP configured is accepted.
    expect(
      await pushOne(office, { name: 'alertRule.create', args: ruleArgs(office, { channels: ['email'] }) }),
    ).toMatchObject({
      outcome: 'applied',
    });
  });

  test('e-mail without SMTP is refused; private webhook targets only when the server allows them', async () => {
    const user = { userId: office.userId, orgId: server.orgA.orgId, role: 'dispatcher' as const };
    const device = { ...office, clientId: randomUUID(), nextSeq: 1 };
    const through = (settings: { emailConfigured: boolean; allowPrivateWebhooks: boolean }) => {
      const service = createPushService(
        server.database.db,
        server.clock.now,
        server.deps.logger,
        {},
        {
          ...settings,
          maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
        },
      );
      return async (args: Record<string, unknown>) => {
        const batch = numbered(device, [{ name: 'alertRule.create', args }]);
        const response = await service.push(user, {
          clientId: device.clientId,
          mutations: batch as PushRequest['mutations'],
        });
        return response.results[0];
      };
    };
    const strict = through({ emailConfigured: false, allowPrivateWebhooks: false });
    expect(await strict(ruleArgs(office, { channels: ['dashboard', 'email'] }))).toMatchObject({
      outcome: 'rejected',
      error: { code: 'invalid_args', message: 'channels: e-mail is not configured' },
    });
    const hook = { channels: ['webhook'], webhook: { url: 'http://127.0.0.1:9000/hook', secret: SECRET } };
    expect(await strict(ruleArgs(office, hook))).toMatchObject({
      outcome: 'rejected',
      error: { code: 'invalid_args' },
    });

    const lenient = through({ emailConfigured: false, allowPrivateWebhooks: true });
    const allowed = ruleArgs(office, hook);
    expect(await lenient(allowed)).toMatchObject({ outcome: 'applied' });
    expect(await ruleRow(allowed.id)).toMatchObject({
      webhook_url: 'http://127.0.0.1:9000/hook',
      webhook_secret: SECRET,
    });
    // Not a public address just because the letters differ.
    expect(
      await strict(ruleArgs(office, { ...hook, webhook: { url: 'http://[::ffff:127.0.0.1]/hook', secret: SECRET } })),
    ).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
  });

  test('the webhook secret never reaches a pull or the activity log', async () => {
    const created = ruleArgs(office, {
      channels: ['dashboard', 'webhook'],
      webhook: { url: 'https://hooks.example.com/fieldsync', secret: SECRET },
    });
    await pushApplied(server, office, [{ name: 'alertRule.create', args: created }]);
    const newSecret = `${SECRET}-rotated`;
    await pushApplied(server, office, [
      {
        name: 'alertRule.update',
        args: {
          id: created.id,
          patch: { webhook: { url: 'https://hooks.example.com/v2', secret: newSecret } },
          base: { webhook: null },
        },
      },
    ]);
    expect(await ruleRow(created.id)).toMatchObject({
      webhook_url: 'https://hooks.example.com/v2',
      webhook_secret: newSecret,
    });
    // A job makes a delivery of the rule, whose payload stays on the server too.
    await createJob();

    const { copy, pages } = await pullAll(server, { ...office, clientId: randomUUID(), nextSeq: 1 });
    const pulled = JSON.stringify(pages);
    expect(pulled).not.toContain(SECRET);
    const rule = copy.get('alertRules')?.get(created.id);
    expect(rule).toMatchObject({ webhookUrl: 'https://hooks.example.com/v2', channels: ['dashboard', 'webhook'] });
    expect(rule).not.toHaveProperty('webhookSecret');
    const deliveries = [...(copy.get('alertDeliveries')?.values() ?? [])].filter((row) => row.ruleId === created.id);
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) expect(delivery).not.toHaveProperty('payload');

    const activity = await server.database.query<{ details: unknown }>(
      sql`select details from activity_log where entity_id = ${created.id}`,
    );
    expect(activity.length).toBe(2);
    expect(JSON.stringify(activity)).not.toContain(SECRET);
  });

  test('the webhook secret is not kept in plain text in the mutation ledger', async () => {
    const created = ruleArgs(office, {
      channels: ['webhook'],
      webhook: { url: 'https://hooks.example.com/ledger', secret: SECRET },
    });
    await pushApplied(server, office, [{ name: 'alertRule.create', args: created }]);
    const [ledger] = await server.database.query<{ args: string }>(
      sql`select args::text as args from mutations where client_id = ${office.clientId} and args->>'id' = ${created.id}`,
    );
    expect(ledger?.args).toEqual(expect.any(String));
    expect(ledger?.args).not.toContain(SECRET);
  });

  test('update merges the patch and checks the whole rule; active: false stops matches', async () => {
    const rule = ruleArgs(office, {
      name: 'Urgent ones',
      conditions: { priority: { '=': 'urgent' } },
      throttleMinutes: 5,
    });
    await pushApplied(server, office, [{ name: 'alertRule.create', args: rule }]);
    await pushApplied(server, office, [
      {
        name: 'alertRule.update',
        args: { id: rule.id, patch: { name: 'Urgent jobs' }, base: { name: 'Urgent ones' } },
      },
    ]);
    expect(await ruleRow(rule.id)).toMatchObject({
      name: 'Urgent jobs',
      event: 'job.created',
      conditions: { priority: { '=': 'urgent' } },
      throttle_minutes: 5,
      active: true,
    });

    // device.stale has no priority: the kept condition makes the merged rule invalid.
    const moved = await pushOne(office, {
      name: 'alertRule.update',
      args: { id: rule.id, patch: { event: 'device.stale' }, base: { event: 'job.created' } },
    });
    expect(moved).toMatchObject({
      outcome: 'rejected',
      error: { code: 'invalid_args', message: expect.stringContaining("unknown field 'priority' for device.stale") },
    });
    // Changing both together is fine.
    await pushApplied(server, office, [
      {
        name: 'alertRule.update',
        args: {
          id: rule.id,
          patch: { event: 'job.status_changed', conditions: { toStatus: { '=': 'cancelled' } } },
          base: { event: 'job.created', conditions: { priority: { '=': 'urgent' } } },
        },
      },
    ]);
    expect(await ruleRow(rule.id)).toMatchObject({ name: 'Urgent jobs', event: 'job.status_changed' });
    // A template with a placeholder the event lacks is refused on update as on create.
    expect(
      await pushOne(office, {
        name: 'alertRule.update',
        args: { id: rule.id, patch: { template: { title: '{{stars}}', body: '' } }, base: { template: null } },
      }),
    ).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });

    const cancel = async () => {
      const jobId = await createJob();
      await pushApplied(server, office, [{ name: 'job.setStatus', args: { jobId, from: 'open', to: 'cancelled' } }]);
      return jobId;
    };
    const heard = await cancel();
    await pushApplied(server, office, [
      { name: 'alertRule.update', args: { id: rule.id, patch: { active: false }, base: { active: true } } },
    ]);
    const unheard = await cancel();
    await pushApplied(server, office, [
      { name: 'alertRule.update', args: { id: rule.id, patch: { active: true }, base: { active: false } } },
    ]);
    const heardAgain = await cancel();
    expect((await deliveriesOf(rule.id)).map((row) => row.entity_id)).toEqual([heard, heardAgain]);
    expect(unheard).not.toBe(heard);
  });

  test('remove stops matches and keeps the history; removing twice stands; a missing rule is not_found', async () => {
    const rule = ruleArgs(office);
    await pushApplied(server, office, [{ name: 'alertRule.create', args: rule }]);
    const before = await createJob();
    await pushApplied(server, office, [{ name: 'alertRule.remove', args: { id: rule.id } }]);
    await createJob();
    expect((await deliveriesOf(rule.id)).map((row) => row.entity_id)).toEqual([before]);
    expect(await ruleRow(rule.id)).toMatchObject({ active: false, deleted_at: expect.anything() });
    expect(await pushOne(office, { name: 'alertRule.remove', args: { id: rule.id } })).toMatchObject({
      outcome: 'applied',
    });
    expect(
      await pushOne(office, {
        name: 'alertRule.update',
        args: { id: rule.id, patch: { active: true }, base: { active: false } },
      }),
    ).toMatchObject({ outcome: 'rejected', error: { code: 'not_found' } });
    expect(await pushOne(office, { name: 'alertRule.remove', args: { id: randomUUID() } })).toMatchObject({
      outcome: 'rejected',
      error: { code: 'not_found' },
    });
  });

  test('retry turns a failed delivery pending again, and refuses a throttled one', async () => {
    const rule = ruleArgs(office, { channels: ['push'] });
    await pushApplied(server, office, [{ name: 'alertRule.create', args: rule }]);
    await createJob();
    await createJob();
    const [failed, held] = await deliveriesOf(rule.id);
    expect(failed?.status).toBe('pending');
    await server.database.query(
      sql`update alert_deliveries set status = 'failed', attempts = 8, next_attempt_at = null, last_error = 'HTTP 500'
          where id = ${failed?.id}`,
    );
    await server.database.query(sql`update alert_deliveries set status = 'throttled' where id = ${held?.id}`);

    await pushApplied(server, office, [{ name: 'alertDelivery.retry', args: { id: failed?.id } }]);
    const [row] = await server.database.query<{ status: string; attempts: number; next_attempt_at: unknown }>(
      sql`select status, attempts, next_attempt_at from alert_deliveries where id = ${failed?.id}`,
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(row?.next_attempt_at as string).toISOString()).toBe(server.clock.now().toISOString());
    // Retrying what is already pending changes nothing.
    expect(await pushOne(office, { name: 'alertDelivery.retry', args: { id: failed?.id } })).toMatchObject({
      outcome: 'applied',
    });

    expect(await pushOne(office, { name: 'alertDelivery.retry', args: { id: held?.id } })).toMatchObject({
      outcome: 'rejected',
      error: { code: 'invalid_args', message: 'A throttled alert was held back on purpose and is never sent.' },
    });
    expect(await pushOne(office, { name: 'alertDelivery.retry', args: { id: randomUUID() } })).toMatchObject({
      outcome: 'rejected',
      error: { code: 'not_found' },
    });
  });

  test('a notification is marked read by its owner only', async () => {
    const rule = ruleArgs(office);
    await pushApplied(server, office, [{ name: 'alertRule.create', args: rule }]);
    const jobId = await createJob();
    const [mine] = await server.database.query<{ id: string }>(
      sql`select id from notifications where user_id = ${office.userId} and entity_id = ${jobId}`,
    );
    const id = mine?.id as string;
    for (const someoneElse of [otherOffice, phone]) {
      expect(await pushOne(someoneElse, { name: 'notification.markRead', args: { id } })).toMatchObject({
        outcome: 'rejected',
        error: { code: 'not_found', message: 'This notification is not on the server.' },
      });
    }
    const readAt = '2026-11-21T14:30:00.000Z';
    await pushApplied(server, office, [{ name: 'notification.markRead', args: { id }, occurredAt: readAt }]);
    // Again, later: the first read stands.
    await pushApplied(server, office, [
      { name: 'notification.markRead', args: { id }, occurredAt: '2026-11-21T14:45:00.000Z' },
    ]);
    const [row] = await server.database.query<{ read_at: string }>(
      sql`select read_at from notifications where id = ${id}`,
    );
    expect(new Date(row?.read_at as string).toISOString()).toBe(readAt);
    const { copy } = await pullAll(server, { ...office, clientId: randomUUID(), nextSeq: 1 });
    expect(copy.get('notifications')?.get(id)).toMatchObject({ readAt });
  });

  test('contractors cannot touch rules or deliveries; pulls give each person their own notifications only', async () => {
    const rule = ruleArgs(office);
    await pushApplied(server, office, [{ name: 'alertRule.create', args: rule }]);
    await createJob();
    const [delivery] = await deliveriesOf(rule.id);
    const attempts: PlannedMutation[] = [
      { name: 'alertRule.create', args: ruleArgs(phone) },
      { name: 'alertRule.update', args: { id: rule.id, patch: { active: false }, base: { active: true } } },
      { name: 'alertRule.remove', args: { id: rule.id } },
      { name: 'alertDelivery.retry', args: { id: delivery?.id } },
    ];
    for (const attempt of attempts) {
      expect(await pushOne(phone, attempt), attempt.name).toMatchObject({
        outcome: 'rejected',
        error: { code: 'forbidden' },
      });
    }
    expect(await ruleRow(rule.id)).toMatchObject({ active: true, deleted_at: null });

    const ownersOf = (copy: Map<string, Map<string, Record<string, unknown>>>) => [
      ...new Set([...(copy.get('notifications')?.values() ?? [])].map((row) => row.userId)),
    ];
    const officeCopy = (await pullAll(server, { ...office, clientId: randomUUID(), nextSeq: 1 })).copy;
    expect(ownersOf(officeCopy)).toEqual([office.userId]);
    expect(officeCopy.get('alertRules')?.has(rule.id)).toBe(true);
    const otherCopy = (await pullAll(server, { ...otherOffice, clientId: randomUUID(), nextSeq: 1 })).copy;
    expect(ownersOf(otherCopy)).not.toContain(office.userId);
    expect(otherCopy.get('alertRules')?.has(rule.id)).toBe(true);

    // The contractor's phone: their own notifications, and no office configuration.
    const contractorRule = ruleArgs(office, { recipients: [`user:${phone.userId}`] });
    await pushApplied(server, office, [{ name: 'alertRule.create', args: contractorRule }]);
    await createJob();
    const phoneCopy = (await pullAll(server, { ...phone, clientId: randomUUID(), nextSeq: 1 })).copy;
    expect(ownersOf(phoneCopy)).toEqual([phone.userId]);
    expect(phoneCopy.get('alertRules')?.size ?? 0).toBe(0);
    expect(phoneCopy.get('alertDeliveries')?.size ?? 0).toBe(0);
  });
});
