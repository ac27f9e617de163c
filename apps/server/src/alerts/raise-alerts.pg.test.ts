/**
 * Raising alerts (CONTRACTS.md "Alerts and notifications"): every change
 * event is matched against the company's rules in the transaction of the
 * change, with the flat fields the contract lists; a dashboard delivery is a
 * notification row for each recipient; conditions, the default rules and the
 * throttle decide what is sent. Rules are made through the push API, as the
 * office makes them.
 */
import { randomUUID } from 'node:crypto';
import { formatAlertTime, type TimeFormat } from '@fieldsync/domain';
import type { PushRequest } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { mutationHandlers } from '../sync/handlers';
import {
  contractorIdOf,
  type Device,
  freshSlot,
  numbered,
  openDevice,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

interface DeliveryRow {
  id: string;
  rule_id: string;
  event: string;
  entity_id: string;
  channel: string;
  recipient: string;
  status: string;
  next_attempt_at: unknown;
  sent_at: unknown;
  payload: { title: string; body: string; data: Record<string, unknown> };
}

interface NotificationRow {
  id: string;
  user_id: string;
  event: string;
  title: string;
  body: string;
  entity_type: string;
  entity_id: string;
  job_id: string | null;
}

/** What the alert tests of one company need: a server, its dispatcher's device, and look-ups. */
function alertKit(server: () => TestServer) {
  const db = () => server().database;
  return {
    /** Makes a rule through `alertRule.create`; answers its id. */
    async createRule(device: Device, rule: Record<string, unknown>) {
      const id = randomUUID();
      await pushApplied(server(), device, [
        {
          name: 'alertRule.create',
          args: {
            id,
            name: `Rule ${id.slice(0, 8)}`,
            conditions: {},
            channels: ['dashboard'],
            recipients: [`user:${device.userId}`],
            throttleMinutes: 0,
            ...rule,
          },
        },
      ]);
      return id;
    },
    deliveries: (ruleId: string, entityId?: string) =>
      db().query<DeliveryRow>(
        sql`select id, rule_id, event, entity_id, channel, recipient, status, next_attempt_at, sent_at, payload
            from alert_deliveries where rule_id = ${ruleId}
            ${entityId ? sql`and entity_id = ${entityId}` : sql``}
            order by version`,
      ),
    notifications: (userId: string, event: string, entityId: string) =>
      db().query<NotificationRow>(
        sql`select id, user_id, event, title, body, entity_type, entity_id, job_id from notifications
            where user_id = ${userId} and event = ${event} and entity_id = ${entityId} order by version`,
      ),
    async jobNumber(jobId: string) {
      const [row] = await db().query<{ job_number: string }>(sql`select job_number from jobs where id = ${jobId}`);
      return row?.job_number as string;
    },
    async contractorName(contractorId: string) {
      const [row] = await db().query<{ name: string }>(sql`select name from contractors where id = ${contractorId}`);
      return row?.name as string;
    },
    /**
     * Whether `table`'s row `id` was written by the transaction that recorded the device's last
     * mutation in the ledger (Postgres `xmin`; the ledger and alerts are written outside any savepoint).
     */
    async sameTransactionAsLastPush(table: string, id: string, device: Device) {
      const [row] = await db().query<{ same: boolean }>(
        sql`select (select xmin::text from ${sql.identifier(table)} where id = ${id}) =
                   (select xmin::text from mutations where client_id = ${device.clientId} and seq = ${device.nextSeq - 1})
              as same`,
      );
      return row?.same;
    },
  };
}

describe.each(kinds)('alerts raised by changes, on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  let contractorId: string;
  const kit = alertKit(() => server);
  let clock: { timeZone: string; timeFormat: TimeFormat };

  /** A customer and a job made by the office; answers the ids. */
  async function newJob(fields: Record<string, unknown> = {}) {
    const customerId = randomUUID();
    const jobId = randomUUID();
    const customerName = `Customer ${customerId.slice(0, 6)}`;
    await pushApplied(server, office, [
      { name: 'customer.create', args: { id: customerId, name: customerName } },
      {
        name: 'job.create',
        args: { id: jobId, title: 'Regrout shower', customerId, trade: 'tile', durationMinutes: 60, ...fields },
      },
    ]);
    return { jobId, customerId, customerName };
  }

  /** A new job assigned to the test's contractor and confirmed on their phone. */
  async function confirmedJob(fields: Record<string, unknown> = {}) {
    const job = await newJob(fields);
    const assignmentId = randomUUID();
    const slot = freshSlot();
    await pushApplied(server, office, [
      { name: 'assignment.create', args: { id: assignmentId, jobId: job.jobId, contractorId, ...slot } },
    ]);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
    ]);
    return { ...job, assignmentId, slot };
  }

  /** A confirmed job the contractor started and completed. */
  async function completedJob(fields: Record<string, unknown> = {}) {
    const job = await confirmedJob(fields);
    await pushApplied(server, phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'scheduled', to: 'in_progress' } },
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
    ]);
    return job;
  }

  beforeAll(async () => {
    // Tokens that outlive the clock moves of the throttle test.
    server = await createTestServer(kind, { accessTokenTtlSeconds: 7 * 24 * 3600 });
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, 'contractor2@example.com');
    contractorId = await contractorIdOf(server, 'contractor2@example.com');
    // The company's default rules are switched off: only this file's rules speak.
    const defaults = await server.database.query<{ id: string }>(
      sql`select id from alert_rules where org_id = ${server.orgA.orgId} and key is not null`,
    );
    expect(defaults.length).toBeGreaterThan(0);
    await pushApplied(
      server,
      office,
      defaults.map((rule) => ({
        name: 'alertRule.update',
        args: { id: rule.id, patch: { active: false }, base: { active: true } },
      })),
    );
    const [org] = await server.database.query<{ time_zone: string; time_format: TimeFormat }>(
      sql`select time_zone, time_format from organizations where id = ${server.orgA.orgId}`,
    );
    clock = { timeZone: org?.time_zone as string, timeFormat: org?.time_format as TimeFormat };
  }, 60_000);
  afterAll(() => server.close());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('each event, with its fields, in the transaction of its change', () => {
    const rules = {} as Record<string, string>;
    let flow: Awaited<ReturnType<typeof newJob>> & { jobNumber: string; assignmentId: string; contractorName: string };
    let slot: { start: string; end: string };

    beforeAll(async () => {
      const templates: Record<string, { title: string; body: string }> = {
        'job.created': {
          title: 'Created {{jobNumber}} {{priority}} {{trade}} for {{customerName}} via {{source}}',
          body: '{{title}} is {{status}} ({{fromStatus}} to {{toStatus}}), assigned: {{assigned}}',
        },
        'job.status_changed': {
          title: 'Job {{jobNumber}} {{fromStatus}} to {{toStatus}} via {{source}}',
          body: '{{contractorName}} on {{title}} for {{customerName}}: {{reason}}',
        },
        'assignment.created': {
          title: '{{contractorName}} booked on {{jobNumber}} at {{scheduledStartLocal}}',
          body: '{{status}} / job {{jobStatus}} / {{source}}',
        },
        'assignment.rescheduled': {
          title: '{{jobNumber}} moved from {{previousStart}} to {{scheduledStart}}',
          body: '{{contractorName}} now at {{scheduledStartLocal}}',
        },
        'assignment.status_changed': {
          title: '{{contractorName}}: {{fromStatus}} to {{toStatus}} on {{jobNumber}} via {{source}}',
          body: '{{reason}}',
        },
        'conflict.recorded': {
          title: 'Clash on {{jobNumber}} {{entity}}.{{field}}',
          body: '{{winnerValue}} kept over {{loserValue}}',
        },
        'rating.added': {
          title: '{{contractorName}} rated {{stars}} on {{jobNumber}}',
          body: '{{comment}}',
        },
      };
      for (const [event, template] of Object.entries(templates)) {
        rules[event] = await kit.createRule(office, { event, template });
      }
    });

    /** The one notification and one dashboard delivery `event` raised for `entityId`, to the dispatcher. */
    async function raisedOnce(event: string, entityId: string) {
      const notifications = await kit.notifications(office.userId, event, entityId);
      const deliveries = await kit.deliveries(rules[event] as string, entityId);
      expect(notifications).toHaveLength(1);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({
        event,
        channel: 'dashboard',
        recipient: `user:${office.userId}`,
        status: 'sent',
        next_attempt_at: null,
        sent_at: expect.anything(),
      });
      return { notification: notifications[0] as NotificationRow, delivery: deliveries[0] as DeliveryRow };
    }

    test('job.created', async () => {
      const job = await newJob({ title: 'Fix roof leak', priority: 'high', trade: 'paving' });
      const jobNumber = await kit.jobNumber(job.jobId);
      const { notification, delivery } = await raisedOnce('job.created', job.jobId);
      expect(notification).toMatchObject({
        title: `Created ${jobNumber} high paving for ${job.customerName} via office_app`,
        body: 'Fix roof leak is open (open to open), assigned: no',
        entity_type: 'jobs',
        entity_id: job.jobId,
        job_id: job.jobId,
      });
      expect(delivery.payload.data).toEqual({
        jobId: job.jobId,
        jobNumber,
        title: 'Fix roof leak',
        priority: 'high',
        trade: 'paving',
        status: 'open',
        fromStatus: 'open',
        toStatus: 'open',
        customerName: job.customerName,
        fromField: false,
        assigned: false,
        source: 'office_app',
      });
      // Written by the very transaction that created the job.
      expect(await kit.sameTransactionAsLastPush('notifications', notification.id, office)).toBe(true);
      expect(await kit.sameTransactionAsLastPush('alert_deliveries', delivery.id, office)).toBe(true);
      flow = { ...job, jobNumber, assignmentId: '', contractorName: await kit.contractorName(contractorId) };
    });

    test('assignment.created, and the job.status_changed of the job it schedules', async () => {
      const assignmentId = randomUUID();
      slot = freshSlot();
      await pushApplied(server, office, [
        { name: 'assignment.create', args: { id: assignmentId, jobId: flow.jobId, contractorId, ...slot } },
      ]);
      flow.assignmentId = assignmentId;
      const startLocal = formatAlertTime(slot.start, clock.timeZone, clock.timeFormat);
      const { notification, delivery } = await raisedOnce('assignment.created', assignmentId);
      expect(notification).toMatchObject({
        title: `${flow.contractorName} booked on ${flow.jobNumber} at ${startLocal}`,
        body: 'pending / job scheduled / office_app',
        entity_type: 'assignments',
        entity_id: assignmentId,
        job_id: flow.jobId,
      });
      expect(delivery.payload.data).toMatchObject({
        jobId: flow.jobId,
        jobNumber: flow.jobNumber,
        title: 'Fix roof leak',
        priority: 'high',
        customerName: flow.customerName,
        assignmentId,
        contractorId,
        contractorName: flow.contractorName,
        status: 'pending',
        jobStatus: 'scheduled',
        scheduledStart: slot.start,
        scheduledEnd: slot.end,
        scheduledStartLocal: startLocal,
        source: 'office_app',
      });
      expect(await kit.sameTransactionAsLastPush('notifications', notification.id, office)).toBe(true);

      // The system's open → scheduled move is a job.status_changed too, with the contractor now on the job.
      const { notification: moved, delivery: movedDelivery } = await raisedOnce('job.status_changed', flow.jobId);
      expect(moved.title).toBe(`Job ${flow.jobNumber} open to scheduled via office_app`);
      expect(movedDelivery.payload.data).toMatchObject({
        status: 'scheduled',
        fromStatus: 'open',
        toStatus: 'scheduled',
        contractorId,
        contractorName: flow.contractorName,
        assigned: true,
      });
    });

    test('assignment.status_changed from the contractor’s phone', async () => {
      await pushApplied(server, phone, [
        { name: 'assignment.setStatus', args: { id: flow.assignmentId, from: 'pending', to: 'confirmed' } },
      ]);
      const { notification, delivery } = await raisedOnce('assignment.status_changed', flow.assignmentId);
      expect(notification).toMatchObject({
        title: `${flow.contractorName}: pending to confirmed on ${flow.jobNumber} via mobile_app`,
        body: '—',
        entity_type: 'assignments',
        job_id: flow.jobId,
      });
      expect(delivery.payload.data).toMatchObject({
        assignmentId: flow.assignmentId,
        status: 'confirmed',
        fromStatus: 'pending',
        toStatus: 'confirmed',
        jobStatus: 'scheduled',
        source: 'mobile_app',
      });
      expect(delivery.payload.data).not.toHaveProperty('reason');
    });

    test('assignment.rescheduled', async () => {
      const next = freshSlot();
      await pushApplied(server, office, [
        { name: 'assignment.reschedule', args: { id: flow.assignmentId, ...next, base: slot } },
      ]);
      const { notification, delivery } = await raisedOnce('assignment.rescheduled', flow.assignmentId);
      expect(notification).toMatchObject({
        title: `${flow.jobNumber} moved from ${slot.start} to ${next.start}`,
        body: `${flow.contractorName} now at ${formatAlertTime(next.start, clock.timeZone, clock.timeFormat)}`,
      });
      expect(delivery.payload.data).toMatchObject({
        previousStart: slot.start,
        previousEnd: slot.end,
        scheduledStart: next.start,
        scheduledEnd: next.end,
        source: 'office_app',
      });
      slot = next;
    });

    test('job.status_changed from the phone, with the reason', async () => {
      await pushApplied(server, phone, [
        { name: 'job.setStatus', args: { jobId: flow.jobId, from: 'scheduled', to: 'in_progress' } },
        {
          name: 'job.setStatus',
          args: { jobId: flow.jobId, from: 'in_progress', to: 'waiting_on_materials', reason: 'No flashing' },
        },
      ]);
      const notifications = await kit.notifications(office.userId, 'job.status_changed', flow.jobId);
      expect(notifications.map((row) => row.title)).toEqual([
        `Job ${flow.jobNumber} open to scheduled via office_app`,
        `Job ${flow.jobNumber} scheduled to in_progress via mobile_app`,
        `Job ${flow.jobNumber} in_progress to waiting_on_materials via mobile_app`,
      ]);
      expect(notifications[2]?.body).toBe(
        `${flow.contractorName} on Fix roof leak for ${flow.customerName}: No flashing`,
      );
      const deliveries = await kit.deliveries(rules['job.status_changed'] as string, flow.jobId);
      expect(deliveries.at(-1)?.payload.data).toMatchObject({
        status: 'waiting_on_materials',
        fromStatus: 'in_progress',
        toStatus: 'waiting_on_materials',
        reason: 'No flashing',
        source: 'mobile_app',
      });
      // Starting the job started the contractor's assignment: an assignment.status_changed of its own.
      const moves = await kit.notifications(office.userId, 'assignment.status_changed', flow.assignmentId);
      expect(moves.map((row) => row.title)).toEqual([
        `${flow.contractorName}: pending to confirmed on ${flow.jobNumber} via mobile_app`,
        `${flow.contractorName}: confirmed to in_progress on ${flow.jobNumber} via mobile_app`,
      ]);
    });

    test('conflict.recorded', async () => {
      await pushApplied(server, office, [
        {
          name: 'job.update',
          args: { id: flow.jobId, patch: { title: 'Fix roof leak v2' }, base: { title: 'Fix roof leak' } },
          occurredAt: '2026-11-21T11:00:00Z',
        },
      ]);
      const otherDesk = { ...office, clientId: randomUUID(), nextSeq: 1 };
      const lost = await push(server, otherDesk, [
        {
          name: 'job.update',
          args: { id: flow.jobId, patch: { title: 'Fix roof leak v3' }, base: { title: 'Fix roof leak' } },
          occurredAt: '2026-11-21T10:00:00Z',
        },
      ]);
      const conflictId = lost.results[0]?.conflictId as string;
      expect(lost.results[0]?.outcome).toBe('conflict');
      const { notification, delivery } = await raisedOnce('conflict.recorded', conflictId);
      expect(notification).toMatchObject({
        title: `Clash on ${flow.jobNumber} jobs.title`,
        body: 'Fix roof leak v2 kept over Fix roof leak v3',
        entity_type: 'conflicts',
        entity_id: conflictId,
        job_id: flow.jobId,
      });
      expect(delivery.payload.data).toMatchObject({
        conflictId,
        entity: 'jobs',
        entityId: flow.jobId,
        field: 'title',
        winnerValue: 'Fix roof leak v2',
        loserValue: 'Fix roof leak v3',
        jobId: flow.jobId,
        jobNumber: flow.jobNumber,
        source: 'office_app',
      });
      expect(await kit.sameTransactionAsLastPush('notifications', notification.id, otherDesk)).toBe(true);
    });

    test('rating.added; a rejected rating raises nothing', async () => {
      const early = await push(server, office, [
        { name: 'rating.add', args: { id: randomUUID(), assignmentId: flow.assignmentId, stars: 5 } },
      ]);
      expect(early.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'validation_failed' } });
      expect(await kit.deliveries(rules['rating.added'] as string)).toEqual([]);

      await pushApplied(server, phone, [
        { name: 'job.setStatus', args: { jobId: flow.jobId, from: 'waiting_on_materials', to: 'in_progress' } },
        { name: 'job.setStatus', args: { jobId: flow.jobId, from: 'in_progress', to: 'completed' } },
      ]);
      const ratingId = randomUUID();
      await pushApplied(server, office, [
        {
          name: 'rating.add',
          args: { id: ratingId, assignmentId: flow.assignmentId, stars: 4, comment: 'Tidy & quick <b>' },
        },
      ]);
      const { notification, delivery } = await raisedOnce('rating.added', ratingId);
      expect(notification).toMatchObject({
        title: `${flow.contractorName} rated 4 on ${flow.jobNumber}`,
        // Notifications are plain text: nothing is escaped for HTML.
        body: 'Tidy & quick <b>',
        entity_type: 'ratings',
        entity_id: ratingId,
        job_id: flow.jobId,
      });
      expect(delivery.payload.data).toMatchObject({
        ratingId,
        assignmentId: flow.assignmentId,
        stars: 4,
        comment: 'Tidy & quick <b>',
        contractorId,
        contractorName: flow.contractorName,
        jobNumber: flow.jobNumber,
        source: 'office_app',
      });
      expect(await kit.sameTransactionAsLastPush('notifications', notification.id, office)).toBe(true);
    });

    test('a mutation refused by its handler, or failing on the server, raises nothing', async () => {
      const before = await kit.deliveries(rules['job.status_changed'] as string, flow.jobId);
      // Completed → waiting on materials is no move of the job state machine.
      const refused = await push(server, phone, [
        { name: 'job.setStatus', args: { jobId: flow.jobId, from: 'completed', to: 'waiting_on_materials' } },
      ]);
      expect(refused.results[0]?.outcome).toBe('rejected');
      expect(await kit.deliveries(rules['job.status_changed'] as string, flow.jobId)).toEqual(before);

      // A handler that raised its event and then failed: the mutation is undone alone, its alert with it.
      const createJob = mutationHandlers['job.create'];
      vi.spyOn(mutationHandlers, 'job.create').mockImplementation(async (ctx, args) => {
        const outcome = await createJob(ctx, args);
        if (args.title === 'Boom') throw new TypeError('a bug of ours');
        return outcome;
      });
      const failing = randomUUID();
      const fine = randomUUID();
      const result = await push(server, office, [
        {
          name: 'job.create',
          args: { id: failing, title: 'Boom', customerId: flow.customerId, trade: 'tile', durationMinutes: 30 },
        },
        {
          name: 'job.create',
          args: { id: fine, title: 'Fine', customerId: flow.customerId, trade: 'tile', durationMinutes: 30 },
        },
      ]);
      expect(result.results.map((row) => row.outcome)).toEqual(['rejected', 'applied']);
      expect(await kit.deliveries(rules['job.created'] as string, failing)).toEqual([]);
      expect(await kit.notifications(office.userId, 'job.created', failing)).toEqual([]);
      expect(await kit.deliveries(rules['job.created'] as string, fine)).toHaveLength(1);
    });

    test('a push rolled back as a whole raises nothing', async () => {
      vi.spyOn(mutationHandlers, 'note.add').mockImplementation(async () => {
        throw Object.assign(new Error('gone'), { code: 'CONNECTION_CLOSED' });
      });
      const jobId = randomUUID();
      const batch = numbered(office, [
        {
          name: 'job.create',
          args: { id: jobId, title: 'Lost', customerId: flow.customerId, trade: 'tile', durationMinutes: 30 },
        },
        { name: 'note.add', args: { id: randomUUID(), jobId: flow.jobId, body: 'connection lost' } },
      ]);
      // Straight to the service: through HTTP, the edge would also mark the database down.
      const user = { userId: office.userId, orgId: server.orgA.orgId, role: 'dispatcher' as const };
      await expect(
        server.deps.push.push(user, { clientId: office.clientId, mutations: batch as PushRequest['mutations'] }),
      ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      office.nextSeq -= batch.length;
      const [job] = await server.database.query(sql`select id from jobs where id = ${jobId}`);
      expect(job).toBeUndefined();
      expect(await kit.deliveries(rules['job.created'] as string, jobId)).toEqual([]);
      expect(await kit.notifications(office.userId, 'job.created', jobId)).toEqual([]);
    });
  });

  test('each operator, matching and not matching', async () => {
    const cases: Array<{ event: string; conditions: Record<string, unknown>; matches: string[] }> = [
      { event: 'job.created', conditions: { priority: { '=': 'high' } }, matches: ['roof'] },
      { event: 'job.created', conditions: { priority: { '!=': 'high' } }, matches: ['fence'] },
      { event: 'job.created', conditions: { priority: { '>': 'medium' } }, matches: ['roof'] },
      { event: 'job.created', conditions: { priority: { '>=': 'high' } }, matches: ['roof'] },
      { event: 'job.created', conditions: { priority: { '>=': 'urgent' } }, matches: [] },
      { event: 'job.created', conditions: { priority: { '<': 'high' } }, matches: ['fence'] },
      { event: 'job.created', conditions: { priority: { '<=': 'high' } }, matches: ['roof', 'fence'] },
      { event: 'job.created', conditions: { priority: { in: ['low', 'urgent'] } }, matches: ['fence'] },
      { event: 'job.created', conditions: { priority: { not_in: ['low', 'urgent'] } }, matches: ['roof'] },
      { event: 'job.created', conditions: { title: { contains: 'roof' } }, matches: ['roof'] },
      { event: 'job.created', conditions: { title: { contains: 'ROOF', '!=': 'x' } }, matches: ['roof'] },
      // All conditions must hold.
      { event: 'job.created', conditions: { title: { contains: 'roof' }, priority: { '=': 'low' } }, matches: [] },
      { event: 'job.created', conditions: { reason: { exists: false } }, matches: ['roof', 'fence'] },
      { event: 'job.created', conditions: { reason: { exists: true } }, matches: [] },
      { event: 'job.status_changed', conditions: { reason: { exists: true } }, matches: ['roof cancelled'] },
      { event: 'job.status_changed', conditions: { reason: { exists: false } }, matches: ['fence cancelled'] },
      { event: 'rating.added', conditions: { stars: { '>': 3 } }, matches: ['5 stars'] },
      { event: 'rating.added', conditions: { stars: { '<=': 2 } }, matches: ['2 stars'] },
      { event: 'rating.added', conditions: { stars: { in: [1, 2, 3] } }, matches: ['2 stars'] },
      { event: 'rating.added', conditions: { stars: { '=': 4 } }, matches: [] },
    ];
    const ruleIds = [];
    for (const { event, conditions } of cases) ruleIds.push(await kit.createRule(office, { event, conditions }));

    const roof = await newJob({ title: 'Fix ROOF leak', priority: 'high' });
    const fence = await newJob({ title: 'Paint fence', priority: 'low' });
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: roof.jobId, from: 'open', to: 'cancelled', reason: 'Sold the house' } },
      { name: 'job.setStatus', args: { jobId: fence.jobId, from: 'open', to: 'cancelled' } },
    ]);
    const five = await completedJob();
    const two = await completedJob();
    const fiveStars = randomUUID();
    const twoStars = randomUUID();
    await pushApplied(server, office, [
      { name: 'rating.add', args: { id: fiveStars, assignmentId: five.assignmentId, stars: 5 } },
      { name: 'rating.add', args: { id: twoStars, assignmentId: two.assignmentId, stars: 2 } },
    ]);
    const names = new Map([
      [`job.created:${roof.jobId}`, 'roof'],
      [`job.created:${fence.jobId}`, 'fence'],
      [`job.status_changed:${roof.jobId}`, 'roof cancelled'],
      [`job.status_changed:${fence.jobId}`, 'fence cancelled'],
      [`rating.added:${fiveStars}`, '5 stars'],
      [`rating.added:${twoStars}`, '2 stars'],
    ]);
    const matched = [];
    for (const ruleId of ruleIds) {
      const rows = await kit.deliveries(ruleId);
      matched.push(rows.flatMap((row) => names.get(`${row.event}:${row.entity_id}`) ?? []).sort());
    }
    expect(matched).toEqual(cases.map((rule) => [...rule.matches].sort()));
  });

  test('throttle: a second match on the same job within the window is recorded throttled, not sent', async () => {
    const ruleId = await kit.createRule(office, {
      event: 'job.status_changed',
      conditions: { toStatus: { in: ['in_progress', 'on_hold'] } },
      throttleMinutes: 30,
      template: { title: 'Throttled rule: {{toStatus}}', body: '' },
    });
    const toldOf = async (jobId: string) =>
      (await kit.notifications(office.userId, 'job.status_changed', jobId))
        .map((row) => row.title)
        .filter((title) => title.startsWith('Throttled rule:'));
    const x = await confirmedJob();
    const y = await confirmedJob();
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    server.clock.advance(5 * 60_000);
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain' } },
      { name: 'job.setStatus', args: { jobId: y.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    server.clock.advance(15 * 60_000);
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'on_hold', to: 'in_progress' } },
    ]);
    expect((await kit.deliveries(ruleId, x.jobId)).map((row) => row.status)).toEqual([
      'sent',
      'throttled',
      'throttled',
    ]);
    expect((await kit.deliveries(ruleId, y.jobId)).map((row) => row.status)).toEqual(['sent']);
    expect(await toldOf(x.jobId)).toEqual(['Throttled rule: in_progress']);
    expect(await toldOf(y.jobId)).toEqual(['Throttled rule: in_progress']);

    // 31 minutes after the last one sent (not after the throttled ones): sent again.
    server.clock.advance(11 * 60_000);
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain again' } },
    ]);
    expect((await kit.deliveries(ruleId, x.jobId)).map((row) => row.status)).toEqual([
      'sent',
      'throttled',
      'throttled',
      'sent',
    ]);
    expect(await toldOf(x.jobId)).toEqual(['Throttled rule: in_progress', 'Throttled rule: on_hold']);
  });

  test('throttle: two matches on the same job in one push send once', async () => {
    const ruleId = await kit.createRule(office, {
      event: 'job.status_changed',
      conditions: { toStatus: { in: ['in_progress', 'on_hold'] } },
      throttleMinutes: 30,
    });
    const x = await confirmedJob();
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'scheduled', to: 'in_progress' } },
      { name: 'job.setStatus', args: { jobId: x.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain' } },
    ]);
    expect((await kit.deliveries(ruleId, x.jobId)).map((row) => row.status)).toEqual(['sent', 'throttled']);
  });
});

describe.each(kinds)('the default alert rules, on %s', (kind) => {
  let server: TestServer;
  const kit = alertKit(() => server);

  beforeAll(async () => {
    server = await createTestServer(kind);
  }, 60_000);
  afterAll(() => server.close());

  test('a contractor waiting on materials tells every dispatcher and admin; a new assignment queues a push to the contractor', async () => {
    const office = await openDevice(server, 'dispatcher1@example.com');
    const phone = await openDevice(server, 'contractor5@example.com');
    const contractorId = await contractorIdOf(server, 'contractor5@example.com');
    const customerId = randomUUID();
    const jobId = randomUUID();
    const assignmentId = randomUUID();
    await pushApplied(server, office, [
      { name: 'customer.create', args: { id: customerId, name: 'Harriet Vane' } },
      {
        name: 'job.create',
        args: { id: jobId, title: 'Relay patio', customerId, trade: 'paving', priority: 'high', durationMinutes: 90 },
      },
      { name: 'assignment.create', args: { id: assignmentId, jobId, contractorId, ...freshSlot() } },
    ]);
    const [push] = await server.database.query<DeliveryRow & { key: string }>(
      sql`select d.channel, d.recipient, d.status, d.next_attempt_at, d.sent_at, r.key from alert_deliveries d
          join alert_rules r on r.org_id = d.org_id and r.id = d.rule_id
          where d.entity_id = ${assignmentId} and d.event = 'assignment.created'`,
    );
    expect(push).toMatchObject({
      key: 'new-assignment-push',
      channel: 'push',
      recipient: `user:${phone.userId}`,
      status: 'pending',
      next_attempt_at: expect.anything(),
      sent_at: null,
    });

    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'job.setStatus', args: { jobId, from: 'scheduled', to: 'in_progress' } },
      {
        name: 'job.setStatus',
        args: { jobId, from: 'in_progress', to: 'waiting_on_materials', reason: 'Pavers on back order' },
      },
    ]);
    const jobNumber = await kit.jobNumber(jobId);
    const contractorName = await kit.contractorName(contractorId);
    const office_ = await server.database.query<{ id: string }>(
      sql`select id from users where org_id = ${server.orgA.orgId} and role in ('admin', 'dispatcher') and is_active
          order by id`,
    );
    expect(office_.length).toBe(3);
    const told = await server.database.query<NotificationRow>(
      sql`select user_id, title, body, entity_type, entity_id, job_id from notifications
          where event = 'job.status_changed' and entity_id = ${jobId} order by user_id`,
    );
    expect(told).toEqual(
      office_.map((user) => ({
        user_id: user.id,
        title: `Job ${jobNumber} is waiting on materials`,
        body: `${contractorName} set Relay patio for Harriet Vane to waiting on materials. Reason: Pavers on back order`,
        entity_type: 'jobs',
        entity_id: jobId,
        job_id: jobId,
      })),
    );
  });

  test('an urgent job created with nobody assigned tells the office; a normal one does not', async () => {
    const office = await openDevice(server, 'dispatcher2@example.com');
    const customerId = randomUUID();
    const urgent = randomUUID();
    const normal = randomUUID();
    await pushApplied(server, office, [
      { name: 'customer.create', args: { id: customerId, name: 'Lord Peter' } },
      {
        name: 'job.create',
        args: {
          id: urgent,
          title: 'Burst pipe',
          customerId,
          trade: 'general',
          priority: 'urgent',
          durationMinutes: 60,
        },
      },
      {
        name: 'job.create',
        args: { id: normal, title: 'Squeaky door', customerId, trade: 'general', durationMinutes: 60 },
      },
    ]);
    const jobNumber = await kit.jobNumber(urgent);
    const toUrgent = await server.database.query<{ title: string }>(
      sql`select title from notifications where event = 'job.created' and entity_id = ${urgent}`,
    );
    expect(toUrgent.map((row) => row.title)).toEqual(Array(3).fill(`Urgent job ${jobNumber} has nobody assigned`));
    expect(await server.database.query(sql`select id from notifications where entity_id = ${normal}`)).toEqual([]);
  });
});
