/**
 * Estimates and job costing on the server (CONTRACTS.md, "Estimates and job
 * costing"): the server draws the number and computes the totals, a draft
 * alone is editable, the status moves and what accepting does to the job,
 * who may write estimates for which customer, the lapse of sent estimates
 * on the company's calendar, the alert events, the price list, and the
 * reason a job's differing actual cost needs.
 */
import { randomUUID } from 'node:crypto';
import { COST_REASON_REQUIRED_MESSAGE, ESTIMATE_NUMBER_PATTERN, estimateTotals } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAlertScheduler } from '../alerts/scheduler';
import { openDatabase } from '../db/database';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  type JobFixture,
  jobRow,
  type LocalCopy,
  openDevice,
  type PlannedMutation,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const CONTRACTOR = 'contractor4@example.com';
/** Far enough ahead that no sweep in these tests lapses it, unless a test means it to. */
const VALID_UNTIL = '2027-06-30';

interface Line {
  id: string;
  kind: 'labor' | 'material' | 'equipment' | 'other';
  description: string;
  quantity: number;
  unit: string;
  unitPriceCents: number;
}

const line = (quantity: number, unitPriceCents: number, description = 'Tiler'): Line => ({
  id: randomUUID(),
  kind: 'labor',
  description,
  quantity,
  unit: 'h',
  unitPriceCents,
});

function estimateArgs(customerId: string, lines: Line[], extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    customerId,
    title: 'Retile the bathroom',
    lines,
    taxRateBasisPoints: 825,
    validUntil: VALID_UNTIL,
    ...extra,
  };
}

function signatureArgs(jobId: string) {
  return {
    id: randomUUID(),
    jobId,
    kind: 'signature',
    fileName: 'signature.png',
    contentType: 'image/png',
    byteSize: 4_096,
    sha256: 'cd'.repeat(32),
    takenAt: '2026-11-21T14:50:00Z',
    signerName: 'Dana Smith',
  };
}

const setStatus = (id: string, from: string, to: string, extra: Record<string, unknown> = {}): PlannedMutation => ({
  name: 'estimate.setStatus',
  args: { id, from, to, ...extra },
});

describe.each(kinds)('estimates on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  /** A job the contractor holds, and so a customer they may price work for. */
  let held: JobFixture;
  /** A job (and customer) of the company the contractor has nothing to do with. */
  let notHeld: JobFixture;
  let largeEstimateRuleId: string;
  let expiredRuleId: string;
  /** The office's copy, pulled on from where it left off. */
  const officeCopy: LocalCopy = new Map();
  let officeCursor: string | undefined;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, CONTRACTOR);
    held = await createJobFixture(server, office, { title: 'Leaking shower' });
    await assignJob(server, office, held.jobId, await contractorIdOf(server, CONTRACTOR));
    notHeld = await createJobFixture(server, office, { title: 'Someone else’s job' });
    largeEstimateRuleId = randomUUID();
    expiredRuleId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'alertRule.create',
        args: {
          id: largeEstimateRuleId,
          name: 'Large estimates',
          event: 'estimate.created',
          conditions: { totalCents: { '>=': 1_000_000 } },
          channels: ['dashboard'],
          recipients: [`user:${office.userId}`],
          throttleMinutes: 0,
        },
      },
      {
        name: 'alertRule.create',
        args: {
          id: expiredRuleId,
          name: 'Estimates that lapsed',
          event: 'estimate.status_changed',
          conditions: { toStatus: { '=': 'expired' } },
          channels: ['dashboard'],
          recipients: [`user:${office.userId}`],
          throttleMinutes: 0,
        },
      },
    ]);
  }, 60_000);
  afterAll(() => server.close());

  async function officePull() {
    const { cursor } = await pullAll(server, office, { cursor: officeCursor, copy: officeCopy });
    officeCursor = cursor;
    return officeCopy;
  }

  async function estimateRow(id: string) {
    const [row] = await server.database.query<Record<string, unknown>>(
      sql`select number, customer_id, job_id, title, lines, tax_rate_basis_points, currency, status, notes,
                 valid_until::text as valid_until, rejected_reason, signature_attachment_id, created_by,
                 subtotal_cents::float8 as subtotal_cents, tax_cents::float8 as tax_cents,
                 total_cents::float8 as total_cents, sent_at, accepted_at
          from estimates where id = ${id}`,
    );
    return row;
  }

  const activityOf = (entityId: string) =>
    server.database.query<{ action: string; details: Record<string, unknown>; source: string; job_id: string | null }>(
      sql`select action, details, source, job_id from activity_log where entity_id = ${entityId} order by version`,
    );

  /** Creates a draft as the office; answers its args. */
  async function draft(customerId = held.customerId, lines = [line(2, 6500)], extra: Record<string, unknown> = {}) {
    const args = estimateArgs(customerId, lines, extra);
    await pushApplied(server, office, [{ name: 'estimate.create', args }]);
    return args;
  }

  async function sent(customerId = held.customerId, extra: Record<string, unknown> = {}) {
    const args = await draft(customerId, [line(2, 6500)], extra);
    await pushApplied(server, office, [setStatus(args.id, 'draft', 'sent')]);
    return args;
  }

  test('create: the server draws the number on the company’s day and computes the totals', async () => {
    // Quantities as typed, whose naive binary arithmetic rounds the wrong way.
    const lines = [line(1.005, 100, 'Grout'), line(2.675, 100, 'Spacers'), line(3.5, 6500), line(1, -2500, 'Discount')];
    const args = estimateArgs(held.customerId, lines, { jobId: held.jobId, notes: 'Colour to match' });
    // 05:00 UTC on the 21st is 22:00 on the 20th in Denver, the company's time zone.
    await pushApplied(server, office, [{ name: 'estimate.create', args, occurredAt: '2026-11-21T05:00:00.000Z' }]);

    const pulled = (await officePull()).get('estimates')?.get(args.id);
    const expected = estimateTotals(lines, 825);
    // 101 + 268 + 22750 − 2500 = 20619; tax 20619 × 8.25 % = 1701.07… → 1701.
    expect(expected).toMatchObject({ subtotalCents: 20619, taxCents: 1701, totalCents: 22320 });
    expect(pulled).toMatchObject({
      id: args.id,
      customerId: held.customerId,
      jobId: held.jobId,
      title: args.title,
      lines,
      taxRateBasisPoints: 825,
      subtotalCents: expected.subtotalCents,
      taxCents: expected.taxCents,
      totalCents: expected.totalCents,
      currency: 'USD',
      status: 'draft',
      validUntil: VALID_UNTIL,
      notes: 'Colour to match',
      sentAt: null,
      acceptedAt: null,
      createdBy: office.userId,
    });
    expect(pulled?.number).toMatch(ESTIMATE_NUMBER_PATTERN);
    expect(String(pulled?.number).slice(0, 13)).toBe('EST-20261120-');
    expect(await activityOf(args.id)).toEqual([
      {
        action: 'estimate.created',
        details: { number: pulled?.number, title: args.title, totalCents: 22320 },
        source: 'dispatcher_web',
        job_id: held.jobId,
      },
    ]);

    // The same create again (a reinstalled phone) is a duplicate; other content under the id is refused.
    const again = await push(server, { ...office, clientId: randomUUID(), nextSeq: 1 }, [
      { name: 'estimate.create', args },
      { name: 'estimate.create', args: { ...args, title: 'Something else' } },
    ]);
    expect(again.results.map((result) => result.outcome)).toEqual(['duplicate', 'rejected']);
    expect(again.results[1]?.error?.code).toBe('id_conflict');
  });

  test('property: any lines are stored as sent, with the totals estimateTotals gives', async () => {
    const arbitraryLine = fc.record({
      id: fc.uuid({ version: 4 }),
      kind: fc.constantFrom('labor', 'material', 'equipment', 'other'),
      description: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.-]{0,30}[A-Za-z0-9]$/),
      // Up to three decimals, as a person types them.
      quantity: fc.integer({ min: 1, max: 100_000_000 }).map((thousandths) => thousandths / 1000),
      unit: fc.constantFrom('h', 'sq ft', 'ea', 'bag'),
      unitPriceCents: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbitraryLine, { minLength: 1, maxLength: 8, selector: (l) => l.id }),
        fc.integer({ min: 0, max: 10_000 }),
        async (lines, taxRateBasisPoints) => {
          const args = estimateArgs(held.customerId, lines as Line[], { taxRateBasisPoints });
          await pushApplied(server, office, [{ name: 'estimate.create', args }]);
          const row = await estimateRow(args.id);
          const totals = estimateTotals(lines, taxRateBasisPoints);
          expect(row?.lines).toEqual(lines);
          expect(row).toMatchObject({
            subtotal_cents: totals.subtotalCents,
            tax_cents: totals.taxCents,
            total_cents: totals.totalCents,
          });
        },
      ),
      { numRuns: 50, endOnFailure: true },
    );
  }, 120_000);

  test('update: a draft takes the patch and new totals; a sent estimate is refused until back to draft', async () => {
    const args = await draft();
    const lines = [line(1.5, 9999), line(2, 100, 'Grout')];
    await pushApplied(server, office, [
      {
        name: 'estimate.update',
        args: {
          id: args.id,
          patch: { lines, taxRateBasisPoints: 0, notes: 'Two coats' },
          base: { lines: args.lines, taxRateBasisPoints: 825, notes: null },
        },
      },
    ]);
    expect(await estimateRow(args.id)).toMatchObject({
      lines,
      tax_rate_basis_points: 0,
      notes: 'Two coats',
      title: args.title,
      subtotal_cents: 15199,
      tax_cents: 0,
      total_cents: 15199,
    });

    await pushApplied(server, office, [setStatus(args.id, 'draft', 'sent')]);
    const refused = await push(server, office, [
      { name: 'estimate.update', args: { id: args.id, patch: { title: 'Cheaper' }, base: { title: args.title } } },
    ]);
    expect(refused.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_transition' } });
    expect((await estimateRow(args.id))?.title).toBe(args.title);

    // Back to draft to revise: the sending is undone, and the change goes through.
    await pushApplied(server, office, [
      setStatus(args.id, 'sent', 'draft'),
      { name: 'estimate.update', args: { id: args.id, patch: { title: 'Cheaper' }, base: { title: args.title } } },
    ]);
    expect(await estimateRow(args.id)).toMatchObject({ title: 'Cheaper', status: 'draft', sent_at: null });
  });

  test('update: a job of another customer is refused', async () => {
    const args = await draft();
    const refused = await push(server, office, [
      { name: 'estimate.update', args: { id: args.id, patch: { jobId: notHeld.jobId }, base: { jobId: null } } },
    ]);
    expect(refused.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'validation_failed' } });
  });

  test('status flow: sent and rejected with their times and reason; expiring is the system’s alone', async () => {
    const args = await draft();
    await pushApplied(server, office, [
      { ...setStatus(args.id, 'draft', 'sent'), occurredAt: '2026-11-21T14:00:00.000Z' },
    ]);
    expect(new Date((await estimateRow(args.id))?.sent_at as string).toISOString()).toBe('2026-11-21T14:00:00.000Z');

    const refused = await push(server, office, [
      setStatus(args.id, 'sent', 'expired'),
      setStatus(args.id, 'sent', 'rejected'),
      setStatus(args.id, 'sent', 'accepted'),
    ]);
    expect(refused.results.slice(0, 2).map((result) => result.error?.code)).toEqual(['forbidden', 'validation_failed']);
    expect(refused.results[2]?.outcome).toBe('applied');
    expect(await estimateRow(args.id)).toMatchObject({ status: 'accepted', accepted_at: expect.anything() });

    const other = await sent();
    await pushApplied(server, office, [
      setStatus(other.id, 'sent', 'rejected', { reason: 'Went with a cheaper quote' }),
    ]);
    expect(await estimateRow(other.id)).toMatchObject({
      status: 'rejected',
      rejected_reason: 'Went with a cheaper quote',
    });
    const final = await push(server, office, [setStatus(other.id, 'rejected', 'draft')]);
    expect(final.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_transition' } });
    expect((await activityOf(other.id)).map((row) => [row.action, row.details])).toEqual([
      ['estimate.created', expect.anything()],
      ['estimate.status_changed', { from: 'draft', to: 'sent' }],
      ['estimate.status_changed', { from: 'sent', to: 'rejected', reason: 'Went with a cheaper quote' }],
    ]);
  });

  test('accepting without a job creates the open job at the customer’s address, with the agreed cost', async () => {
    const customerId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'customer.create',
        args: { id: customerId, name: 'Dana Smith', address: '12 Elm St, Denver', lat: 39.74, lng: -104.99 },
      },
    ]);
    const args = await sent(customerId);
    await pushApplied(server, office, [
      { ...setStatus(args.id, 'sent', 'accepted'), occurredAt: '2026-11-21T14:30:00.000Z' },
    ]);
    const estimate = await estimateRow(args.id);
    expect(estimate).toMatchObject({ status: 'accepted', total_cents: 14073, job_id: expect.any(String) });
    expect(new Date(estimate?.accepted_at as string).toISOString()).toBe('2026-11-21T14:30:00.000Z');
    const jobId = estimate?.job_id as string;
    expect(await jobRow(server, jobId)).toMatchObject({
      status: 'open',
      title: args.title,
      customer_id: customerId,
      trade: 'general',
      duration_minutes: 60,
      address: '12 Elm St, Denver',
      lat: 39.74,
      lng: -104.99,
      created_by: office.userId,
      job_number: expect.stringMatching(/^JOB-20261121-[A-Z0-9]{6}$/),
    });
    expect(Number((await jobRow(server, jobId))?.agreed_cost_cents)).toBe(14073);
    const history = await server.database.query<{ from_status: string | null; to_status: string }>(
      sql`select from_status, to_status from job_status_history where job_id = ${jobId}`,
    );
    expect(history).toEqual([{ from_status: null, to_status: 'open' }]);
    expect((await activityOf(jobId)).map((row) => row.action)).toEqual(['job.created']);
    // The office pulls the new job and the linked estimate.
    const copy = await officePull();
    expect(copy.get('jobs')?.get(jobId)).toMatchObject({ agreedCostCents: 14073, status: 'open' });
    expect(copy.get('estimates')?.get(args.id)).toMatchObject({ status: 'accepted', jobId });

    // The same acceptance again (another device) changes nothing: no second job, no second event.
    const jobsBefore = await server.database.query(sql`select id from jobs where customer_id = ${customerId}`);
    await pushApplied(server, { ...office, clientId: randomUUID(), nextSeq: 1 }, [
      setStatus(args.id, 'sent', 'accepted'),
    ]);
    expect(await server.database.query(sql`select id from jobs where customer_id = ${customerId}`)).toEqual(jobsBefore);
    expect((await activityOf(args.id)).filter((row) => row.action === 'estimate.status_changed')).toHaveLength(2);
  });

  test('accepting with a job gives that job the agreed cost', async () => {
    const args = await sent(held.customerId, { jobId: held.jobId });
    await pushApplied(server, office, [setStatus(args.id, 'sent', 'accepted')]);
    expect((await estimateRow(args.id))?.job_id).toBe(held.jobId);
    expect(Number((await jobRow(server, held.jobId))?.agreed_cost_cents)).toBe(14073);
  });

  test('a signature must be one given on a job of the same customer', async () => {
    const args = await sent();
    const elsewhere = signatureArgs(notHeld.jobId);
    const refused = await push(server, office, [
      { name: 'attachment.add', args: elsewhere },
      setStatus(args.id, 'sent', 'accepted', { signatureAttachmentId: elsewhere.id }),
    ]);
    expect(refused.results[1]).toMatchObject({ outcome: 'rejected', error: { code: 'validation_failed' } });
    expect((await estimateRow(args.id))?.status).toBe('sent');
  });

  describe('a contractor', () => {
    test('writes estimates for the customer of a job they hold, and accepts one on site with a signature', async () => {
      const args = estimateArgs(held.customerId, [line(4, 7000)], { jobId: held.jobId });
      await pushApplied(server, phone, [{ name: 'estimate.create', args }]);
      expect(await estimateRow(args.id)).toMatchObject({ created_by: phone.userId, total_cents: 30310 });

      const signature = signatureArgs(held.jobId);
      // The signature is taken and the acceptance recorded in the same push.
      await pushApplied(server, phone, [
        setStatus(args.id, 'draft', 'sent'),
        { name: 'attachment.add', args: signature },
        setStatus(args.id, 'sent', 'accepted', { signatureAttachmentId: signature.id }),
      ]);
      expect(await estimateRow(args.id)).toMatchObject({
        status: 'accepted',
        signature_attachment_id: signature.id,
        job_id: held.jobId,
      });
      expect(Number((await jobRow(server, held.jobId))?.agreed_cost_cents)).toBe(30310);
      const [accepted] = (await activityOf(args.id)).filter((row) => row.details.to === 'accepted');
      expect(accepted?.source).toBe('mobile_app');
    });

    test('is refused for any other customer, or a job of theirs', async () => {
      const before = await server.database.query(sql`select id from estimates order by id`);
      const refused = await push(server, phone, [
        { name: 'estimate.create', args: estimateArgs(notHeld.customerId, [line(1, 100)]) },
        { name: 'estimate.create', args: estimateArgs(randomUUID(), [line(1, 100)]) },
        { name: 'estimate.create', args: estimateArgs(held.customerId, [line(1, 100)], { jobId: notHeld.jobId }) },
      ]);
      expect(refused.results.map((result) => result.error?.code)).toEqual(['forbidden', 'forbidden', 'forbidden']);
      expect(await server.database.query(sql`select id from estimates order by id`)).toEqual(before);

      const theirs = await draft(notHeld.customerId);
      const moved = await push(server, phone, [
        setStatus(theirs.id, 'draft', 'sent'),
        {
          name: 'estimate.update',
          args: { id: theirs.id, patch: { title: 'Mine now' }, base: { title: theirs.title } },
        },
      ]);
      expect(moved.results.map((result) => result.error?.code)).toEqual(['forbidden', 'forbidden']);
    });

    test('pulls the estimates of their customers only', async () => {
      const mine = await draft(held.customerId);
      const notMine = await draft(notHeld.customerId);
      const { copy } = await pullAll(server, { ...phone, clientId: randomUUID(), nextSeq: 1 });
      const pulled = copy.get('estimates') ?? new Map();
      expect(pulled.has(mine.id)).toBe(true);
      expect(pulled.has(notMine.id)).toBe(false);
      // Every estimate it holds is for the customer of a job it has a live assignment on.
      const served = await server.database.query<{ customer_id: string }>(
        sql`select distinct j.customer_id from assignments a join jobs j on j.org_id = a.org_id and j.id = a.job_id
            join contractors k on k.org_id = a.org_id and k.id = a.contractor_id
            where k.user_id = ${phone.userId} and a.deleted_at is null
              and a.status in ('pending', 'confirmed', 'in_progress', 'completed')`,
      );
      const servedIds = new Set(served.map((row) => row.customer_id));
      expect(servedIds.has(held.customerId)).toBe(true);
      expect([...pulled.values()].filter((row) => !servedIds.has(row.customerId as string))).toEqual([]);
    });

    test('may not touch the price list', async () => {
      const refused = await push(server, phone, [
        {
          name: 'priceListItem.create',
          args: { id: randomUUID(), name: 'Cheap hour', kind: 'labor', unit: 'h', unitPriceCents: 1 },
        },
      ]);
      expect(refused.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'forbidden' } });
    });
  });

  test('the price list: the office creates and changes items, and every phone pulls them', async () => {
    const id = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'priceListItem.create',
        args: { id, name: 'Tiler hour', kind: 'labor', unit: 'h', unitPriceCents: 6500 },
      },
      {
        name: 'priceListItem.update',
        args: { id, patch: { unitPriceCents: 7000, archived: true }, base: { unitPriceCents: 6500, archived: false } },
      },
    ]);
    const { copy } = await pullAll(server, { ...phone, clientId: randomUUID(), nextSeq: 1 });
    expect(copy.get('priceListItems')?.get(id)).toMatchObject({
      name: 'Tiler hour',
      kind: 'labor',
      unit: 'h',
      unitPriceCents: 7000,
      archived: true,
    });
    const missing = await push(server, office, [
      {
        name: 'priceListItem.update',
        args: { id: randomUUID(), patch: { name: 'Nothing' }, base: { name: 'Something' } },
      },
    ]);
    expect(missing.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'not_found' } });
  });

  test('a sent estimate expires once its last valid day has passed on the company’s calendar, exactly once', async () => {
    // Denver is UTC−7 in November: the 25th there ends at 07:00 UTC on the 26th.
    const args = await sent(held.customerId, { validUntil: '2026-11-25' });
    const schedulerAt = (iso: string, database = server.database) =>
      createAlertScheduler(database.db, {
        now: () => new Date(iso),
        logger: server.deps.logger,
        intervalMs: 60_000,
      });

    await schedulerAt('2026-11-26T06:59:00.000Z').runOnce();
    expect((await estimateRow(args.id))?.status).toBe('sent');

    // Two instances sweep at the same moment.
    const other =
      kind === 'postgres' ? await openDatabase({ url: server.url as string, maxConnections: 4 }) : undefined;
    try {
      const at = '2026-11-26T07:01:00.000Z';
      const first = schedulerAt(at);
      const second = schedulerAt(at, other ?? server.database);
      await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()]);
    } finally {
      await other?.close();
    }
    expect((await estimateRow(args.id))?.status).toBe('expired');
    const expiries = (await activityOf(args.id)).filter((row) => row.details.to === 'expired');
    expect(expiries).toEqual([
      {
        action: 'estimate.status_changed',
        details: { from: 'sent', to: 'expired', validUntil: '2026-11-25' },
        source: 'system',
        job_id: null,
      },
    ]);
    const told = await server.database.query<{ title: string }>(
      sql`select title from notifications where user_id = ${office.userId} and entity_id = ${args.id}
          and event = 'estimate.status_changed'`,
    );
    const number = (await estimateRow(args.id))?.number;
    expect(told).toEqual([{ title: `Estimate ${number} is expired` }]);
    const [delivery] = await server.database.query<{ payload: { data: Record<string, unknown> } }>(
      sql`select payload from alert_deliveries where rule_id = ${expiredRuleId} and entity_id = ${args.id}`,
    );
    expect(delivery?.payload.data).toMatchObject({ source: 'system', fromStatus: 'sent', toStatus: 'expired' });

    // A draft past its day, and a sent one still valid, stay as they are.
    const stillDraft = await draft(held.customerId, [line(1, 100)], { validUntil: '2026-11-25' });
    const stillValid = await sent(held.customerId, { validUntil: '2026-11-26' });
    await schedulerAt('2026-11-27T06:00:00.000Z').runOnce();
    expect((await estimateRow(stillDraft.id))?.status).toBe('draft');
    expect((await estimateRow(stillValid.id))?.status).toBe('sent');
  });

  test('an estimate.created rule on totalCents >= 1000000 fires for a large estimate and not a small one', async () => {
    const large = await draft(held.customerId, [line(100, 10_000)], { taxRateBasisPoints: 0 });
    const small = await draft(held.customerId, [line(1, 999_999)], { taxRateBasisPoints: 0 });
    const deliveries = (estimateId: string) =>
      server.database.query<{ title: string; payload: { data: Record<string, unknown> } }>(
        sql`select title, payload from alert_deliveries where rule_id = ${largeEstimateRuleId} and entity_id = ${estimateId}`,
      );
    const number = (await estimateRow(large.id))?.number;
    const [customer] = await server.database.query<{ name: string }>(
      sql`select name from customers where id = ${held.customerId}`,
    );
    expect(await deliveries(large.id)).toEqual([
      {
        title: `New estimate ${number}: $10,000.00`,
        payload: expect.objectContaining({
          data: expect.objectContaining({
            estimateId: large.id,
            number,
            customerName: customer?.name,
            totalCents: 1_000_000,
            total: '$10,000.00',
            status: 'draft',
            source: 'office_app',
          }),
        }),
      },
    ]);
    expect(await deliveries(small.id)).toEqual([]);
  });

  describe('job costing', () => {
    const costUpdate = (jobId: string, patch: Record<string, unknown>, base: Record<string, unknown>) => ({
      name: 'job.update',
      args: { id: jobId, patch, base },
    });

    test('an actual cost that differs from the agreed one is refused without a reason and saved with one', async () => {
      const { jobId } = await createJobFixture(server, office);
      await pushApplied(server, office, [costUpdate(jobId, { agreedCostCents: 10_000 }, { agreedCostCents: null })]);

      const refused = await push(server, office, [
        costUpdate(jobId, { actualCostCents: 12_000 }, { actualCostCents: null }),
      ]);
      expect(refused.results[0]).toMatchObject({
        outcome: 'rejected',
        error: { code: 'validation_failed', message: COST_REASON_REQUIRED_MESSAGE },
      });
      expect((await jobRow(server, jobId))?.actual_cost_cents).toBeNull();

      await pushApplied(server, office, [
        costUpdate(
          jobId,
          { actualCostCents: 12_000, costDifferenceReason: 'Rotten subfloor under the old tiles' },
          { actualCostCents: null, costDifferenceReason: null },
        ),
      ]);
      const job = await jobRow(server, jobId);
      expect(Number(job?.actual_cost_cents)).toBe(12_000);
      expect(job?.cost_difference_reason).toBe('Rotten subfloor under the old tiles');

      // The same cost as agreed needs no reason.
      const other = await createJobFixture(server, office);
      await pushApplied(server, office, [
        costUpdate(
          other.jobId,
          { agreedCostCents: 5_000, actualCostCents: 5_000 },
          { agreedCostCents: null, actualCostCents: null },
        ),
      ]);
    });
  });
});
