import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { MutationRefusedError } from './errors';
import { CONTRACTOR, DISPATCHER, JOB_ID, makeClient, newServer } from './testing/setup';

// Optimistic appliers of alerts: `alertRule.create/update/remove`, `alertDelivery.retry`, `notification.markRead`.

const RULE_ID = '00000000-0000-4000-8000-0000000a1e01';
const NEW_RULE_ID = '00000000-0000-4000-8000-0000000a1e02';
const DELIVERY_ID = '00000000-0000-4000-8000-0000000de101';
const NOTIFICATION_ID = '00000000-0000-4000-8000-00000000f001';
const NOW = '2026-11-21T09:00:00.000Z';

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function ruleRow(fields: Record<string, unknown> = {}) {
  return {
    id: RULE_ID,
    name: 'Urgent jobs',
    event: 'job.created',
    conditions: { priority: { '=': 'urgent' } },
    channels: ['dashboard'],
    recipients: ['role:dispatcher'],
    throttleMinutes: 0,
    active: true,
    webhookUrl: null,
    template: null,
    key: null,
    ...fields,
  };
}

function deliveryRow(fields: Record<string, unknown> = {}) {
  return {
    id: DELIVERY_ID,
    ruleId: RULE_ID,
    event: 'job.created',
    entityId: JOB_ID,
    channel: 'webhook',
    recipient: 'https://hooks.example.com/in',
    status: 'failed',
    attempts: 8,
    lastError: 'The server answered 500.',
    nextAttemptAt: null,
    sentAt: null,
    title: 'New urgent job',
    jobId: JOB_ID,
    ...fields,
  };
}

function notificationRow(fields: Record<string, unknown> = {}) {
  return {
    id: NOTIFICATION_ID,
    userId: CONTRACTOR.id,
    event: 'assignment.created',
    title: 'New job: Fix the sink',
    body: 'You are booked.',
    entityType: 'assignments',
    entityId: '00000000-0000-4000-8000-00000000a5a1',
    jobId: JOB_ID,
    readAt: null,
    ...fields,
  };
}

async function signedIn(who = DISPATCHER, rows: (server: ReturnType<typeof newServer>) => void = () => {}) {
  const server = newServer();
  rows(server);
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(who.email, 'secret');
  await client.syncNow();
  return client;
}

test('creating a rule adds it on this device with the webhook URL but never the secret', async () => {
  const client = await signedIn();
  await client.mutate('alertRule.create', {
    id: NEW_RULE_ID,
    name: 'Urgent work to the hook',
    event: 'job.created',
    conditions: { priority: { in: ['high', 'urgent'] } },
    channels: ['dashboard', 'webhook'],
    recipients: ['role:dispatcher'],
    throttleMinutes: 15,
    webhook: { url: 'https://hooks.example.com/in', secret: 's3cret' },
  });
  const row = await client.db.alertRules.get(NEW_RULE_ID);
  expect(row).toMatchObject({
    name: 'Urgent work to the hook',
    active: true,
    webhookUrl: 'https://hooks.example.com/in',
    template: null,
    key: null,
    createdAt: NOW,
  });
  expect(JSON.stringify(row)).not.toContain('s3cret');
  expect(row?._pendingSeq).toBeGreaterThan(0);
});

test('a rule the shared checks refuse is not queued, with plain words per part', async () => {
  const client = await signedIn();
  const refusal = await client
    .mutate('alertRule.create', {
      id: NEW_RULE_ID,
      name: 'Bad',
      event: 'job.created',
      conditions: { colour: { '=': 'red' } },
      channels: ['dashboard'],
      recipients: ['role:dispatcher'],
      throttleMinutes: 0,
    })
    .catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(MutationRefusedError);
  expect((refusal as MutationRefusedError).code).toBe('invalid_args');
  expect((refusal as MutationRefusedError).message).toMatch(/unknown field 'colour'/);
  expect(await client.db.alertRules.get(NEW_RULE_ID)).toBeUndefined();
  expect(await client.db.outbox.count()).toBe(0);
});

test('switching a rule off changes only `active`, and the queued change carries what the device saw', async () => {
  const client = await signedIn(DISPATCHER, (server) => server.put('alertRules', ruleRow()));
  await client.mutate('alertRule.update', { id: RULE_ID, patch: { active: false } });
  expect(await client.db.alertRules.get(RULE_ID)).toMatchObject({ active: false, name: 'Urgent jobs' });
  const [entry] = await client.db.outbox.toArray();
  expect(entry?.args).toEqual({ id: RULE_ID, patch: { active: false }, base: { active: true } });
});

test('a webhook in the patch becomes the row URL; null clears it, and its base never holds a secret', async () => {
  const client = await signedIn(DISPATCHER, (server) =>
    server.put('alertRules', ruleRow({ channels: ['dashboard', 'webhook'], webhookUrl: 'https://old.example.com' })),
  );
  await client.mutate('alertRule.update', {
    id: RULE_ID,
    patch: { webhook: { url: 'https://new.example.com/hook', secret: 'n3w' } },
  });
  expect((await client.db.alertRules.get(RULE_ID))?.webhookUrl).toBe('https://new.example.com/hook');
  const [entry] = await client.db.outbox.toArray();
  const args = entry?.args as { base: unknown } | undefined;
  expect(args?.base).toEqual({ webhook: { url: 'https://old.example.com' } });

  await client.mutate('alertRule.update', { id: RULE_ID, patch: { channels: ['dashboard'], webhook: null } });
  expect(await client.db.alertRules.get(RULE_ID)).toMatchObject({ webhookUrl: null, channels: ['dashboard'] });
});

test('an update that leaves the rule broken is refused against the merged rule', async () => {
  const client = await signedIn(DISPATCHER, (server) => server.put('alertRules', ruleRow()));
  // Priority is a job field; on a stale-device event it does not exist.
  const refusal = await client
    .mutate('alertRule.update', { id: RULE_ID, patch: { event: 'device.stale' } })
    .catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(MutationRefusedError);
  expect((refusal as MutationRefusedError).issues.conditions).toMatch(/unknown field 'priority' for device\.stale/);
  expect((await client.db.alertRules.get(RULE_ID))?.event).toBe('job.created');

  const noUrl = await client
    .mutate('alertRule.update', { id: RULE_ID, patch: { channels: ['webhook'] } })
    .catch((error: unknown) => error);
  expect((noUrl as MutationRefusedError).issues.webhook).toMatch(/needs a URL/);
});

test('removing a rule takes it off this device', async () => {
  const client = await signedIn(DISPATCHER, (server) => server.put('alertRules', ruleRow()));
  await client.mutate('alertRule.remove', { id: RULE_ID });
  expect(await client.db.alertRules.get(RULE_ID)).toBeUndefined();
  expect(await client.db.outbox.count()).toBe(1);
});

test('retrying a failed delivery puts it back to pending; other deliveries are left alone', async () => {
  const sentId = '00000000-0000-4000-8000-0000000de102';
  const client = await signedIn(DISPATCHER, (server) => {
    server.put('alertRules', ruleRow());
    server.put('alertDeliveries', deliveryRow());
    server.put('alertDeliveries', deliveryRow({ id: sentId, status: 'sent', sentAt: NOW, lastError: null }));
  });
  await client.mutate('alertDelivery.retry', { id: DELIVERY_ID });
  expect((await client.db.alertDeliveries.get(DELIVERY_ID))?.status).toBe('pending');
  await client.mutate('alertDelivery.retry', { id: sentId });
  expect(await client.db.alertDeliveries.get(sentId)).toMatchObject({ status: 'sent', sentAt: NOW });
});

test('a contractor cannot retry deliveries: office only', async () => {
  const client = await signedIn(CONTRACTOR);
  const refusal = await client.mutate('alertDelivery.retry', { id: DELIVERY_ID }).catch((error: unknown) => error);
  expect((refusal as MutationRefusedError).code).toBe('forbidden');
});

test('marking a notification read stamps it once, with the time of the tap', async () => {
  const client = await signedIn(CONTRACTOR, (server) => server.put('notifications', notificationRow()));
  await client.mutate('notification.markRead', { id: NOTIFICATION_ID });
  expect((await client.db.notifications.get(NOTIFICATION_ID))?.readAt).toBe(NOW);

  const earlier = '2026-11-20T08:00:00.000Z';
  await client.db.notifications.update(NOTIFICATION_ID, { readAt: earlier });
  await client.mutate('notification.markRead', { id: NOTIFICATION_ID });
  expect((await client.db.notifications.get(NOTIFICATION_ID))?.readAt).toBe(earlier);
});
