/**
 * Follow-up jobs from the field: a contractor may create a job only as a
 * follow-up of a job they hold, for its customer, open, with their note; the
 * office sees it flagged "from the field" (activity and the `job.created`
 * alert's `fromField`). The office creates jobs as before.
 */
import { randomUUID } from 'node:crypto';
import {
  FOLLOW_UP_NOT_HELD_MESSAGE,
  FOLLOW_UP_OTHER_CUSTOMER_MESSAGE,
  FOLLOW_UP_PARENT_MISSING_MESSAGE,
} from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  type JobFixture,
  jobRow,
  openDevice,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const CONTRACTOR = 'contractor4@example.com';

describe.each(kinds)('follow-up jobs from the field, on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  /** A job the contractor holds. */
  let held: JobFixture;
  /** A job of the same company they do not hold. */
  let notHeld: JobFixture;
  let fromFieldRuleId: string;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, CONTRACTOR);
    held = await createJobFixture(server, office, { title: 'Replace the boiler' });
    await assignJob(server, office, held.jobId, await contractorIdOf(server, CONTRACTOR));
    notHeld = await createJobFixture(server, office, { title: 'Someone else’s job' });
    // The office wants a word in its feed for every follow-up from the field, and only those.
    fromFieldRuleId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'alertRule.create',
        args: {
          id: fromFieldRuleId,
          name: 'Follow-ups from the field',
          event: 'job.created',
          conditions: { fromField: { '=': true } },
          channels: ['dashboard'],
          recipients: [`user:${office.userId}`],
          throttleMinutes: 0,
        },
      },
    ]);
  }, 60_000);
  afterAll(() => server.close());

  const followUp = (parentJobId: string | undefined, changes: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    title: 'Follow-up: Replace the boiler',
    description: 'The flue needs a new liner; customer agreed to a visit next week.',
    // No customer given (the wire's null): a follow-up takes its parent's.
    customerId: null,
    trade: 'general',
    durationMinutes: 60,
    ...(parentJobId ? { parentJobId } : {}),
    ...changes,
  });

  const activityOf = (entityId: string) =>
    server.database.query<{ action: string; details: Record<string, unknown>; user_id: string }>(
      sql`select action, details, user_id from activity_log where entity_id = ${entityId} order by version`,
    );
  const feedFor = (jobId: string) =>
    server.database.query<{ user_id: string; title: string }>(
      sql`select user_id, title from notifications where entity_id = ${jobId} and event = 'job.created'`,
    );

  test('a contractor creates a follow-up of a job they hold: open, same customer, flagged from the field', async () => {
    const args = followUp(held.jobId);
    await pushApplied(server, phone, [{ name: 'job.create', args }]);

    expect(await jobRow(server, args.id)).toMatchObject({
      status: 'open',
      customer_id: held.customerId,
      parent_job_id: held.jobId,
      description: args.description,
      created_by: phone.userId,
    });
    expect(await activityOf(args.id)).toEqual([
      {
        action: 'job.created',
        details: { parentJobId: held.jobId, fromField: true },
        user_id: phone.userId,
      },
    ]);
    expect((await activityOf(held.jobId)).filter((row) => row.action === 'job.follow_up_created')).toEqual([
      {
        action: 'job.follow_up_created',
        details: { followUpJobId: args.id, title: args.title, fromField: true },
        user_id: phone.userId,
      },
    ]);
    // The rule on `fromField = true` put it in the office's feed.
    expect(await feedFor(args.id)).toEqual([{ user_id: office.userId, title: expect.any(String) }]);
    const [delivery] = await server.database.query<{ payload: { data: Record<string, unknown> } }>(
      sql`select payload from alert_deliveries where rule_id = ${fromFieldRuleId} and entity_id = ${args.id}`,
    );
    expect(delivery?.payload.data).toMatchObject({
      parentJobId: held.jobId,
      fromField: true,
      source: 'mobile_app',
    });
  });

  test('naming the parent’s customer is fine; the follow-up is not on the contractor’s phone after a pull', async () => {
    const args = followUp(held.jobId, { customerId: held.customerId });
    await pushApplied(server, phone, [{ name: 'job.create', args }]);
    // Nobody is booked on it yet: it is the office's to plan, outside the contractor's scope.
    const { copy } = await pullAll(server, phone);
    expect(copy.get('jobs')?.has(held.jobId)).toBe(true);
    expect(copy.get('jobs')?.has(args.id)).toBe(false);
  });

  test('anything else a contractor tries is refused in plain words, and leaves nothing behind', async () => {
    const cases = [
      { args: followUp(notHeld.jobId), code: 'forbidden', message: FOLLOW_UP_NOT_HELD_MESSAGE },
      {
        args: followUp(undefined, { customerId: held.customerId }),
        code: 'forbidden',
        message: FOLLOW_UP_NOT_HELD_MESSAGE,
      },
      { args: followUp(randomUUID()), code: 'forbidden', message: FOLLOW_UP_NOT_HELD_MESSAGE },
      {
        args: followUp(held.jobId, { customerId: notHeld.customerId }),
        code: 'validation_failed',
        message: FOLLOW_UP_OTHER_CUSTOMER_MESSAGE,
      },
    ];
    const { results } = await push(
      server,
      phone,
      cases.map((item) => ({ name: 'job.create', args: item.args })),
    );
    expect(results.map((result) => [result.outcome, result.error?.code, result.error?.message])).toEqual(
      cases.map((item) => ['rejected', item.code, item.message]),
    );
    for (const item of cases) {
      expect(await jobRow(server, item.args.id)).toBeUndefined();
      expect(await activityOf(item.args.id)).toEqual([]);
    }
  });

  test('the office creates jobs as before, and follow-ups of jobs that exist; neither is from the field', async () => {
    const plain = { id: randomUUID(), title: 'Fit a shower', customerId: held.customerId, trade: 'general' };
    const ofParent = {
      id: randomUUID(),
      title: 'Second visit',
      customerId: null,
      trade: 'general',
      parentJobId: held.jobId,
    };
    await pushApplied(server, office, [
      { name: 'job.create', args: { ...plain, durationMinutes: 90 } },
      { name: 'job.create', args: { ...ofParent, durationMinutes: 30 } },
    ]);
    expect(await jobRow(server, plain.id)).toMatchObject({
      status: 'open',
      customer_id: held.customerId,
      parent_job_id: null,
      created_by: office.userId,
    });
    // Left out, the customer is the parent's.
    expect(await jobRow(server, ofParent.id)).toMatchObject({
      customer_id: held.customerId,
      parent_job_id: held.jobId,
    });
    expect(await activityOf(plain.id)).toEqual([{ action: 'job.created', details: {}, user_id: office.userId }]);
    expect(await activityOf(ofParent.id)).toEqual([
      { action: 'job.created', details: { parentJobId: held.jobId, fromField: false }, user_id: office.userId },
    ]);
    expect(await feedFor(plain.id)).toEqual([]);
    expect(await feedFor(ofParent.id)).toEqual([]);

    const missing = { id: randomUUID(), title: 'Of nothing', customerId: null, trade: 'general', durationMinutes: 30 };
    const { results } = await push(server, office, [
      { name: 'job.create', args: { ...missing, parentJobId: randomUUID() } },
    ]);
    expect(results[0]).toMatchObject({
      outcome: 'rejected',
      error: { code: 'validation_failed', message: FOLLOW_UP_PARENT_MISSING_MESSAGE },
    });
  });
});
