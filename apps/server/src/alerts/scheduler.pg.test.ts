/**
 * The time-based alerts (CONTRACTS.md "Alerts and notifications"):
 * `job.overdue` when a live assignment's start passed by the company's
 * `overdueMinutes` and its job has not started, and `device.stale` when a
 * contractor with work today has a phone that stopped syncing. Each is raised
 * once, however often and on however many instances the check runs. The
 * company's default rules tell the office; the test clock stands in for time.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Database, openDatabase } from '../db/database';
import {
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pullAll,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { type AlertScheduler, createAlertScheduler } from './scheduler';

const kinds = await databaseKindsUnderTest();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(kinds)('time-based alerts, on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let scheduler: AlertScheduler;

  const schedulerOn = (database: Database) =>
    createAlertScheduler(database.db, { now: server.clock.now, logger: server.deps.logger, intervalMs: MINUTE });

  /** Books `email`'s contractor `startsIn` from now for half an hour; answers the booking. */
  async function book(email: string, startsIn: number, jobId?: string) {
    const job = jobId ?? (await createJobFixture(server, office)).jobId;
    const contractorId = await contractorIdOf(server, email);
    const id = randomUUID();
    const start = new Date(server.clock.now().getTime() + startsIn).toISOString();
    const end = new Date(Date.parse(start) + 30 * MINUTE).toISOString();
    await pushApplied(server, office, [
      { name: 'assignment.create', args: { id, jobId: job, contractorId, start, end } },
    ]);
    return { jobId: job, assignmentId: id, contractorId, start, end };
  }

  /** A booking confirmed on the contractor's phone (which thereby syncs now). */
  async function confirmed(email: string, startsIn: number) {
    const booking = await book(email, startsIn);
    const phone = await openDevice(server, email);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: booking.assignmentId, from: 'pending', to: 'confirmed' } },
    ]);
    return { ...booking, phone };
  }

  /** The office notifications an event raised about `entityId`, for the dispatcher. */
  const told = (event: string, entityId: string) =>
    server.database.query<{ title: string; body: string; entity_type: string; job_id: string | null }>(
      sql`select title, body, entity_type, job_id from notifications
          where user_id = ${office.userId} and event = ${event} and entity_id = ${entityId} order by version`,
    );

  /** Delivery statuses of `event` about `entityId`: the default rules send to the admin and both dispatchers. */
  async function deliveryStatuses(event: string, entityId: string) {
    const rows = await server.database.query<{ status: string }>(
      sql`select status from alert_deliveries where event = ${event} and entity_id = ${entityId} order by status`,
    );
    return rows.map((row) => row.status);
  }

  const marks = (event: string, prefix: string) =>
    server.database.query<{ mark_key: string }>(
      sql`select mark_key from alert_marks where event = ${event} and mark_key like ${`${prefix}@%`} order by mark_key`,
    );

  async function jobNumber(jobId: string) {
    const [row] = await server.database.query<{ job_number: string }>(
      sql`select job_number from jobs where id = ${jobId}`,
    );
    return row?.job_number as string;
  }

  beforeAll(async () => {
    // Tokens that outlive the clock moves below.
    server = await createTestServer(kind, { accessTokenTtlSeconds: 30 * 24 * 3600 });
    office = await openDevice(server, 'dispatcher1@example.com');
    scheduler = schedulerOn(server.database);
  }, 60_000);
  afterAll(() => server.close());

  describe('job.overdue', () => {
    let first: Awaited<ReturnType<typeof confirmed>>;

    test('a confirmed booking missed by overdueMinutes, its job still scheduled, raises once', async () => {
      first = await confirmed('contractor2@example.com', HOUR);
      server.clock.advance(HOUR + 29 * MINUTE);
      await scheduler.runOnce();
      expect(await told('job.overdue', first.assignmentId)).toEqual([]);

      server.clock.advance(MINUTE);
      await scheduler.runOnce();
      const number = await jobNumber(first.jobId);
      const notifications = await told('job.overdue', first.assignmentId);
      expect(notifications).toEqual([
        {
          title: `Job ${number} has not started`,
          body: expect.stringContaining('is 30 minutes late'),
          entity_type: 'assignments',
          job_id: first.jobId,
        },
      ]);
      await scheduler.runOnce();
      server.clock.advance(5 * MINUTE);
      await scheduler.runOnce();
      expect(await told('job.overdue', first.assignmentId)).toHaveLength(1);
      // Raised once, not raised again and throttled.
      expect(await deliveryStatuses('job.overdue', first.assignmentId)).toEqual(['sent', 'sent', 'sent']);
      expect(await marks('job.overdue', first.assignmentId)).toEqual([
        { mark_key: `${first.assignmentId}@${first.start}` },
      ]);
    });

    test('two schedulers checking at the same moment raise it once in total', async () => {
      const booking = await confirmed('contractor11@example.com', HOUR);
      server.clock.advance(HOUR + 30 * MINUTE);
      // A second instance: its own connections to the same Postgres (PGlite has one connection).
      const other =
        kind === 'postgres' ? await openDatabase({ url: server.url as string, maxConnections: 4 }) : undefined;
      try {
        const second = schedulerOn(other ?? server.database);
        await Promise.all([scheduler.runOnce(), second.runOnce(), scheduler.runOnce(), second.runOnce()]);
      } finally {
        await other?.close();
      }
      expect(await told('job.overdue', booking.assignmentId)).toHaveLength(1);
      const deliveries = await server.database.query<{ recipient: string }>(
        sql`select recipient from alert_deliveries where event = 'job.overdue' and entity_id = ${booking.assignmentId}`,
      );
      // One per office person (an admin and two dispatchers), once.
      expect(deliveries).toHaveLength(3);
      expect(new Set(deliveries.map((row) => row.recipient)).size).toBe(3);
    });

    test('a job already started raises nothing', async () => {
      const booking = await confirmed('contractor5@example.com', HOUR);
      await pushApplied(server, booking.phone, [
        { name: 'job.setStatus', args: { jobId: booking.jobId, from: 'scheduled', to: 'in_progress' } },
      ]);
      server.clock.advance(2 * HOUR);
      await scheduler.runOnce();
      expect(await told('job.overdue', booking.assignmentId)).toEqual([]);
      expect(await marks('job.overdue', booking.assignmentId)).toEqual([]);
    });

    test('a booking moved later and missed again raises again', async () => {
      const start = new Date(server.clock.now().getTime() + HOUR).toISOString();
      const end = new Date(Date.parse(start) + 30 * MINUTE).toISOString();
      await pushApplied(server, office, [
        {
          name: 'assignment.reschedule',
          args: { id: first.assignmentId, start, end, base: { start: first.start, end: first.end } },
        },
      ]);
      server.clock.advance(HOUR + 10 * MINUTE);
      await scheduler.runOnce();
      expect(await told('job.overdue', first.assignmentId)).toHaveLength(1);
      server.clock.advance(20 * MINUTE);
      await scheduler.runOnce();
      await scheduler.runOnce();
      const notifications = await told('job.overdue', first.assignmentId);
      expect(notifications).toHaveLength(2);
      expect(notifications[1]?.body).toContain('is 30 minutes late');
      expect(await marks('job.overdue', first.assignmentId)).toEqual(
        [`${first.assignmentId}@${first.start}`, `${first.assignmentId}@${start}`]
          .sort()
          .map((key) => ({ mark_key: key })),
      );
    });
  });

  test('device.stale: once per local day for a contractor with work today whose phone went quiet', async () => {
    // Quiet: synced now, then not for staleDeviceHours (4). Recent: syncs again just before the check.
    // Never: no device at all. Each has work later today (America/Denver), quiet also tomorrow.
    const quiet = await confirmed('contractor6@example.com', 3 * HOUR);
    await book('contractor6@example.com', 27 * HOUR);
    const recent = await confirmed('contractor8@example.com', 3 * HOUR);
    const never = await book('contractor9@example.com', 3 * HOUR);
    const [local] = await server.database.query<{ day: string }>(
      sql`select (${server.clock.now().toISOString()}::timestamptz at time zone 'America/Denver')::date::text as day`,
    );

    server.clock.advance(4 * HOUR);
    await pullAll(server, recent.phone);
    await scheduler.runOnce();
    await scheduler.runOnce();
    const [name] = await server.database.query<{ name: string }>(
      sql`select name from contractors where id = ${quiet.contractorId}`,
    );
    expect(await told('device.stale', quiet.contractorId)).toEqual([
      {
        title: `${name?.name}'s phone has not synced`,
        body: expect.stringContaining('their phone last synced 4 hours ago'),
        entity_type: 'contractors',
        job_id: null,
      },
    ]);
    expect(await told('device.stale', recent.contractorId)).toEqual([]);
    expect(await told('device.stale', never.contractorId)).toEqual([]);
    expect(await deliveryStatuses('device.stale', quiet.contractorId)).toEqual(['sent', 'sent', 'sent']);
    expect(await marks('device.stale', quiet.contractorId)).toEqual([
      { mark_key: `${quiet.contractorId}@${local?.day}` },
    ]);

    // Later the same day: nothing new. The next day, still quiet and with work: once more.
    server.clock.advance(2 * HOUR);
    await scheduler.runOnce();
    expect(await told('device.stale', quiet.contractorId)).toHaveLength(1);
    server.clock.advance(22 * HOUR);
    await scheduler.runOnce();
    await scheduler.runOnce();
    expect(await told('device.stale', quiet.contractorId)).toHaveLength(2);
    expect(await deliveryStatuses('device.stale', quiet.contractorId)).toEqual(Array(6).fill('sent'));
    expect(await marks('device.stale', quiet.contractorId)).toHaveLength(2);
  });
});
