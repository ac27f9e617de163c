/**
 * No input a client can send makes the push or auth endpoints answer 5xx:
 * odd text (lone surrogates, NUL, very long), huge numbers and arbitrary JSON
 * in every field of every mutation are rejected one mutation at a time, and
 * the well-formed mutations pushed with them still apply.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  MUTATION_NAMES,
  type MutationName,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PushRequest,
} from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  freshSlot,
  type JobFixture,
  ledgerOf,
  numbered,
  openDevice,
  type PlannedMutation,
  type PushResponse,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../testing/test-server';
import { mutationHandlers } from './handlers';

const kinds = await databaseKindsUnderTest();

const LONE_HIGH = 'x\ud83dy';
const LONE_LOW = '\udc00';
const WITH_NUL = 'a\u0000b';
const VERY_LONG = 'Ä'.repeat(10_000);
/** Values no field of any mutation may take: each makes its mutation `rejected` `invalid_args`. */
const BROKEN_TEXTS = [LONE_HIGH, LONE_LOW, WITH_NUL] as const;

/** Strings a bad client might send: any UTF-16 units (lone surrogates, NUL), any code points, long runs. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...BROKEN_TEXTS, VERY_LONG, '', ' ', '\u0000', 'x'.repeat(300), '\ud800'.repeat(3)),
  fc.string({ unit: 'binary', minLength: 2_000, maxLength: 12_000 }),
);
const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(99_999_999_999, -1, 0, 1e308, 2 ** 53, 0.0001, 1e-12, 9.999, 32_768, 2_147_483_648),
);
/** Any value a JSON body can carry, or a hostile leaf. */
const hostileValue = fc.oneof(
  hostileString,
  hostileNumber,
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(null, true, false, [], {}),
);

describe.each(kinds)('hostile input on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  /** Where every well-formed note goes: no template mutation touches this job. */
  let noteJob: JobFixture;
  /** The job, customer, material … the templates refer to; hostile mutations may change them. */
  let target: JobFixture;
  let contractorId: string;
  let assignmentId: string;
  /** A dispatcher invited for the user.* templates to rename and turn off. */
  let personId: string;
  /** Alert rules for the alertRule.* templates to edit and remove, a delivery to retry, the admin's notification. */
  let ruleId: string;
  let removableRuleId: string;
  let deliveryId: string;
  let notificationId: string;
  /** A signature on the target job, for attachment.remove. */
  let attachmentId: string;
  /** A draft estimate and a price-list item for the estimate.* and priceListItem.* templates. */
  let estimateId: string;
  let priceListItemId: string;
  let templates: Record<MutationName, Record<string, unknown>>;

  beforeAll(async () => {
    server = await createTestServer(kind);
    // The admin: every mutation of the catalogue, company administration included, reaches its handler.
    office = await openDevice(server, 'admin@example.com');
    noteJob = await createJobFixture(server, office);
    target = await createJobFixture(server, office);
    contractorId = await contractorIdOf(server, 'contractor2@example.com');
    assignmentId = await assignJob(server, office, target.jobId, contractorId);
    personId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'user.invite',
        args: { id: personId, email: 'pat.quinn@example.com', name: 'Pat Quinn', role: 'dispatcher' },
      },
    ]);
    ruleId = randomUUID();
    removableRuleId = randomUUID();
    const urgentJobId = randomUUID();
    await pushApplied(server, office, [
      { name: 'alertRule.create', args: { ...alertRuleArgs(), id: ruleId } },
      { name: 'alertRule.create', args: { ...alertRuleArgs(), id: removableRuleId } },
      // The default "urgent job with nobody assigned" rule tells the admin: a notification of theirs.
      {
        name: 'job.create',
        args: {
          id: urgentJobId,
          title: 'Burst pipe',
          customerId: target.customerId,
          trade: 'general',
          priority: 'urgent',
          durationMinutes: 60,
        },
      },
    ]);
    const [delivery] = await server.database.query<{ id: string }>(
      sql`select id from alert_deliveries where org_id = ${server.orgA.orgId} limit 1`,
    );
    const [notification] = await server.database.query<{ id: string }>(
      sql`select id from notifications where user_id = ${office.userId} and entity_id = ${urgentJobId}`,
    );
    deliveryId = delivery?.id as string;
    notificationId = notification?.id as string;
    expect([deliveryId, notificationId]).toEqual([expect.any(String), expect.any(String)]);
    attachmentId = randomUUID();
    await pushApplied(server, office, [
      { name: 'attachment.add', args: { ...validArgs()['attachment.add'], id: attachmentId } },
    ]);
    estimateId = randomUUID();
    priceListItemId = randomUUID();
    await pushApplied(server, office, [
      { name: 'estimate.create', args: { ...validArgs()['estimate.create'], id: estimateId } },
      { name: 'priceListItem.create', args: { ...validArgs()['priceListItem.create'], id: priceListItemId } },
    ]);
    templates = validArgs();
  }, 60_000);
  afterAll(() => server.close());
  // A fresh device per test: a test that fails mid-push leaves no seq gap for the next one.
  beforeEach(async () => {
    office = await openDevice(server, 'admin@example.com');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A rule using every part of the definition; it listens to ratings, which these tests rarely add. */
  function alertRuleArgs() {
    return {
      id: randomUUID(),
      name: 'Low ratings',
      event: 'rating.added',
      conditions: { stars: { '<=': 2 }, comment: { contains: 'late' }, trade: { in: ['tile', 'paving'] } },
      channels: ['dashboard', 'webhook'],
      recipients: ['role:dispatcher', 'assigned_contractor'],
      throttleMinutes: 30,
      active: true,
      webhook: { url: 'https://hooks.example.com/fieldsync', secret: 'whsec-1234' },
      template: { title: '{{contractorName}} got {{stars}} stars', body: 'Job {{jobNumber}}: {{comment}}' },
    };
  }

  /** Args each mutation accepts (ids made fresh where a create needs one). */
  function validArgs(): Record<MutationName, Record<string, unknown>> {
    const slot = freshSlot();
    return {
      'customer.create': { id: randomUUID(), name: 'Ada Lovelace', phone: '555-0100', notes: 'Side gate' },
      'customer.update': { id: target.customerId, patch: { name: 'Ada L.' }, base: { name: 'Ada Lovelace' } },
      'job.create': {
        id: randomUUID(),
        title: 'Regrout shower',
        description: 'Mould behind the tiles',
        customerId: target.customerId,
        trade: 'tile',
        durationMinutes: 120,
        specialRequirements: ['Pets'],
      },
      'job.update': { id: target.jobId, patch: { description: 'Bring spacers' }, base: { description: null } },
      'job.setStatus': { jobId: target.jobId, from: 'scheduled', to: 'on_hold', reason: 'Waiting for the owner' },
      'material.add': { id: randomUUID(), jobId: target.jobId, itemName: 'Grout', quantity: 2.5, unit: 'bag' },
      'material.update': { id: target.materialId, patch: { quantity: 3 }, base: { quantity: 2 } },
      'material.setPurchased': { id: target.materialId, purchased: true },
      'material.remove': { id: target.materialId },
      'note.add': { id: randomUUID(), jobId: target.jobId, body: 'Ring twice' },
      'assignment.create': { id: randomUUID(), jobId: target.jobId, contractorId, start: slot.start, end: slot.end },
      'assignment.setStatus': { id: assignmentId, from: 'pending', to: 'declined', reason: 'Busy that day' },
      'assignment.reschedule': { id: assignmentId, ...freshSlot(), base: slot },
      'contractor.create': { id: randomUUID(), name: 'Bo Builder', trade: 'tile', skills: ['grout'], phone: '555' },
      'contractor.update': { id: contractorId, patch: { phone: '555-0199' }, base: { phone: null } },
      'workingHours.set': { contractorId, days: [{ dayOfWeek: 1, start: '08:00', end: '16:00' }] },
      'conflict.resolve': { id: randomUUID(), keep: 'winner' },
      'rating.add': { id: randomUUID(), assignmentId, stars: 4, comment: 'Tidy work' },
      'user.invite': {
        id: randomUUID(),
        email: `casey.${randomUUID().slice(0, 8)}@example.com`,
        name: 'Casey Jones',
        role: 'contractor',
        contractor: {
          id: randomUUID(),
          trade: 'tile',
          skills: ['grout'],
          phone: '555-0101',
          baseLat: 39.7,
          baseLng: -105,
        },
      },
      'user.update': {
        id: personId,
        patch: { name: 'Pat Q.', role: 'admin' },
        base: { name: 'Pat Quinn', role: 'dispatcher' },
      },
      'user.setActive': { id: personId, active: false },
      'org.update': {
        patch: { overdueMinutes: 45, scoringWeights: { availability: 0.5, rating: 0.3, distance: 0.2 } },
        base: { overdueMinutes: 30, scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 } },
      },
      'alertRule.create': alertRuleArgs(),
      'alertRule.update': {
        id: ruleId,
        patch: { name: 'Very low ratings', conditions: { stars: { '=': 1 } }, throttleMinutes: 60 },
        base: { name: 'Low ratings', conditions: { stars: { '<=': 2 } }, throttleMinutes: 30 },
      },
      'alertRule.remove': { id: removableRuleId },
      'alertDelivery.retry': { id: deliveryId },
      'notification.markRead': { id: notificationId },
      // A signature: the one kind that takes every field.
      'attachment.add': {
        id: randomUUID(),
        jobId: target.jobId,
        kind: 'signature',
        fileName: 'signature.png',
        contentType: 'image/png',
        byteSize: 18_204,
        sha256: 'ab'.repeat(32),
        takenAt: '2026-11-21T14:30:00.000Z',
        caption: 'Signed at the front door',
        signerName: 'Ada Lovelace',
      },
      'attachment.remove': { id: attachmentId },
      'estimate.create': {
        id: randomUUID(),
        customerId: target.customerId,
        jobId: target.jobId,
        title: 'Regrout the shower',
        lines: [
          { id: randomUUID(), kind: 'labor', description: 'Tiler', quantity: 3.5, unit: 'h', unitPriceCents: 6500 },
          {
            id: randomUUID(),
            kind: 'material',
            description: 'Grout',
            quantity: 2.125,
            unit: 'bag',
            unitPriceCents: 1299,
          },
        ],
        taxRateBasisPoints: 825,
        validUntil: '2026-12-31',
        notes: 'Colour to match',
      },
      'estimate.update': {
        id: estimateId,
        patch: { title: 'Regrout and reseal', taxRateBasisPoints: 800, notes: null },
        base: { title: 'Regrout the shower', taxRateBasisPoints: 825, notes: 'Colour to match' },
      },
      'estimate.setStatus': { id: estimateId, from: 'draft', to: 'sent' },
      'priceListItem.create': { id: randomUUID(), name: 'Tiler hour', kind: 'labor', unit: 'h', unitPriceCents: 6500 },
      'priceListItem.update': {
        id: priceListItemId,
        patch: { name: 'Senior tiler hour', unitPriceCents: 7500, archived: false },
        base: { name: 'Tiler hour', unitPriceCents: 6500, archived: false },
      },
    };
  }

  /** The paths of every field of a template, nested ones (patch.name, days.0.start) included. */
  function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value !== 'object' || value === null) return [prefix];
    const inner = Object.entries(value).flatMap(([key, child]) => fieldPaths(child, [...prefix, key]));
    return prefix.length > 0 ? [prefix, ...inner] : inner;
  }

  function withValueAt(args: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
    const copy = structuredClone(args);
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[path.at(-1) as string] = value;
    return copy;
  }

  const goodNote = () => ({ name: 'note.add', args: { id: randomUUID(), jobId: noteJob.jobId, body: 'Still fine' } });

  /** Pushes `hostile` then a well-formed note; the push must answer 200 and the note must stand. */
  async function pushBehindHostile(hostile: PlannedMutation[], options: { serverFaults?: boolean } = {}) {
    const note = goodNote();
    const batch = numbered(office, [...hostile, note]);
    const response = await server.call('POST', '/api/sync/push', {
      token: office.token,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: { clientId: office.clientId, mutations: batch },
    });
    expect(response.status, JSON.stringify(response.json)?.slice(0, 500)).toBe(200);
    const { results, lastSeq } = response.json as PushResponse;
    expect(lastSeq).toBe(batch.at(-1)?.seq);
    expect(results).toHaveLength(batch.length);
    expect(results.at(-1)).toEqual({ seq: batch.at(-1)?.seq, outcome: 'applied' });
    // Content is never a server fault: a bad value is the client's, and says so.
    if (!options.serverFaults) {
      for (const result of results) expect(result.error?.code).not.toBe('internal_error');
    }
    const [row] = await server.database.query<{ body: string }>(
      sql`select body from job_notes where id = ${note.args.id}`,
    );
    expect(row?.body).toBe('Still fine');
    return results.slice(0, -1);
  }

  test('a 10,000-character customer name is rejected alone; the note after it applies', async () => {
    const [result] = await pushBehindHostile([
      // Random, so that no compression squeezes it into an index row.
      { name: 'customer.create', args: { id: randomUUID(), name: randomBytes(7_500).toString('base64') } },
    ]);
    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
    expect(result?.error?.message).toMatch(/^Invalid args for customer\.create: name: /);
  });

  test('a note body with a lone surrogate is rejected alone, and the ledger records it', async () => {
    const id = randomUUID();
    const [result] = await pushBehindHostile([
      { name: 'note.add', args: { id, jobId: noteJob.jobId, body: LONE_HIGH } },
    ]);
    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
    const ledger = await server.database.query<{ outcome: string; body: string }>(
      sql`select outcome, args->>'body' as body from mutations where client_id = ${office.clientId} and args->>'id' = ${id}`,
    );
    expect(ledger).toEqual([{ outcome: 'rejected', body: 'x\ufffdy' }]);
  });

  test('a mutation name with a lone surrogate or a NUL is unknown_mutation, and its ledger row is written', async () => {
    const results = await pushBehindHostile([
      { name: 'note.add\ud83d', args: { id: randomUUID() } },
      { name: 'note\u0000add', args: { body: WITH_NUL, [LONE_LOW]: 1 } },
      // Random, so that no compression squeezes the id into the ledger's index on args->>'id'.
      { name: 'x'.repeat(20_000), args: { id: randomBytes(15_000).toString('base64') } },
    ]);
    expect(results.map((result) => result.error?.code)).toEqual(Array(3).fill('unknown_mutation'));
    const ledger = await ledgerOf(server, office.clientId);
    const names = ledger.slice(-4, -1).map((row) => row.name.slice(0, 10));
    expect(names).toEqual(['note.add\ufffd', 'note\ufffdadd', 'x'.repeat(10)]);
    const [cut] = await server.database.query<{ id: string }>(
      sql`select args->>'id' as id from mutations where client_id = ${office.clientId} and seq = ${ledger.at(-2)?.seq}`,
    );
    expect(cut?.id).toHaveLength(201);
  });

  test('a mutation that fails on the server is rejected alone as internal_error, undone, and logged without content', async () => {
    const addNote = mutationHandlers['note.add'];
    // Fails after writing, the worst case: only the mutation's savepoint can undo the write.
    vi.spyOn(mutationHandlers, 'note.add').mockImplementation(async (ctx, args) => {
      const outcome = await addNote(ctx, args);
      if (args.body === 'secret boom') throw new TypeError('a bug of ours');
      return outcome;
    });
    const logged = vi.spyOn(server.deps.logger, 'error');
    const failing = { id: randomUUID(), jobId: noteJob.jobId, body: 'secret boom' };
    const [result] = await pushBehindHostile([{ name: 'note.add', args: failing }], { serverFaults: true });
    expect(result).toEqual({
      seq: expect.any(Number),
      outcome: 'rejected',
      error: { code: 'internal_error', message: 'The server could not save this change.' },
    });
    const [note] = await server.database.query(sql`select id from job_notes where id = ${failing.id}`);
    expect(note).toBeUndefined();
    const [ledger] = await server.database.query<{ outcome: string }>(
      sql`select outcome from mutations where client_id = ${office.clientId} and seq = ${result?.seq}`,
    );
    expect(ledger?.outcome).toBe('rejected');
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: expect.any(String), seq: result?.seq, mutation: 'note.add' }),
      expect.any(String),
    );
    expect(JSON.stringify(logged.mock.calls)).not.toContain('secret boom');
  });

  test('a deadlock still retries the whole push, and a lost connection still fails it whole', async () => {
    const addNote = mutationHandlers['note.add'];
    let deadlocks = 1;
    vi.spyOn(mutationHandlers, 'note.add').mockImplementation(async (ctx, args) => {
      if (args.body === 'deadlock once' && deadlocks-- > 0) {
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }
      if (args.body === 'connection lost') throw Object.assign(new Error('gone'), { code: 'CONNECTION_CLOSED' });
      return addNote(ctx, args);
    });
    const retried = { id: randomUUID(), jobId: noteJob.jobId, body: 'deadlock once' };
    const [result] = await pushBehindHostile([{ name: 'note.add', args: retried }]);
    expect(result?.outcome).toBe('applied');
    expect(deadlocks).toBe(-1);

    // Straight to the service: through HTTP, the edge would also mark the database down for the next tests.
    const lost = numbered(office, [
      { name: 'note.add', args: { id: randomUUID(), jobId: noteJob.jobId, body: 'connection lost' } },
    ]);
    const user = { userId: office.userId, orgId: server.orgA.orgId, role: 'admin' as const };
    await expect(
      server.deps.push.push(user, { clientId: office.clientId, mutations: lost as PushRequest['mutations'] }),
    ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    const ledger = await ledgerOf(server, office.clientId);
    expect(ledger.map((row) => row.seq)).not.toContain(lost[0]?.seq);
  });

  test('quantities and other numbers beyond what the columns hold are invalid_args', async () => {
    const results = await pushBehindHostile([
      { name: 'material.add', args: { ...templates['material.add'], id: randomUUID(), quantity: 99_999_999_999 } },
      { name: 'material.add', args: { ...templates['material.add'], id: randomUUID(), quantity: 0.0001 } },
      { name: 'material.update', args: { ...templates['material.update'], patch: { quantity: 1e12 } } },
      { name: 'rating.add', args: { ...templates['rating.add'], stars: 32_768 } },
      { name: 'job.create', args: { ...templates['job.create'], id: randomUUID(), durationMinutes: 2_147_483_648 } },
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
    }
  });

  test('alert rules the engine could not run are invalid_args with a short plain message, never a fault', async () => {
    const rule = alertRuleArgs();
    const bad: Array<Record<string, unknown>> = [
      { conditions: { title: { contains: { deeply: { nested: [1, { x: LONE_LOW.length }] } } } } },
      { conditions: Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`field${index}`, { '=': 1 }])) },
      { conditions: { constructor: { exists: true } } },
      { conditions: { stars: { in: Array.from({ length: 5_000 }, (_, index) => index) } } },
      { conditions: { stars: { '=': null } } },
      { conditions: { stars: { between: [1, 2] } } },
      { template: { title: '{{constructor}} {{__proto__}}', body: '{{' } },
      { template: { title: 'x'.repeat(5_000), body: '' } },
      { recipients: ['user:not-a-uuid', 'role:superuser', 'everyone'] },
      { recipients: Array.from({ length: 5_000 }, () => `user:${randomUUID()}`) },
      { webhook: { url: 'javascript:alert(1)', secret: 's' } },
      { webhook: { url: 'http://[::1]:8080/hook', secret: 's' } },
      { webhook: { url: 'https://hooks.example.com/x', secret: '' } },
      { channels: ['dashboard', 'dashboard'] },
      { channels: ['sms'] },
      { throttleMinutes: 1e12 },
      { event: 'job.exploded' },
    ];
    const results = await pushBehindHostile(
      bad.map((change) => ({ name: 'alertRule.create', args: { ...rule, id: randomUUID(), ...change } })),
    );
    results.forEach((result, index) => {
      const shown = JSON.stringify(bad[index]).slice(0, 200);
      expect(result, shown).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
      // Plain and short enough to show on a form, however much the client sent.
      expect(result.error?.message.length, `${shown}: ${result.error?.message.slice(0, 300)}`).toBeLessThan(1_000);
    });
    const [stored] = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from alert_rules where name = ${rule.name} and org_id = ${server.orgA.orgId}`,
    );
    // Only the two rules made before the tests.
    expect(Number(stored?.n)).toBeLessThanOrEqual(2);
  });

  test('a condition on a field named __proto__ is invalid_args, not dropped', async () => {
    const [result] = await pushBehindHostile([
      {
        name: 'alertRule.create',
        args: { ...alertRuleArgs(), id: randomUUID(), conditions: JSON.parse('{"__proto__": {"=": 1}}') },
      },
    ]);
    expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
  });

  test('every field of every mutation: broken text is invalid_args, anything else is no server fault', async () => {
    for (const name of MUTATION_NAMES) {
      const args = validArgs()[name];
      const paths = fieldPaths(args);
      const hostile = paths.flatMap((path) =>
        [...BROKEN_TEXTS, VERY_LONG, 99_999_999_999, { nested: [LONE_HIGH] }].map((value) => ({
          name,
          args: withValueAt(args, path, value),
          broken: typeof value === 'string' && BROKEN_TEXTS.includes(value as (typeof BROKEN_TEXTS)[number]),
        })),
      );
      const results = await pushBehindHostile(hostile.map(({ name, args }) => ({ name, args })));
      results.forEach((result, index) => {
        if (hostile[index]?.broken) {
          expect(result, `${name} ${JSON.stringify(hostile[index]?.args).slice(0, 200)}`).toMatchObject({
            outcome: 'rejected',
            error: { code: 'invalid_args' },
          });
        }
      });
    }
  }, 60_000);

  test('property: any value in any field of any mutation leaves the rest of the push applied', async () => {
    const hostileMutation = fc
      .record({
        name: fc.constantFrom(...MUTATION_NAMES),
        pick: fc.nat(),
        value: hostileValue,
      })
      .map(({ name, pick, value }) => {
        const args = validArgs()[name];
        const paths = fieldPaths(args);
        return { name, args: withValueAt(args, paths[pick % paths.length] as string[], value) };
      });
    await fc.assert(
      fc.asyncProperty(fc.array(hostileMutation, { minLength: 1, maxLength: 4 }), async (hostile) => {
        await pushBehindHostile(hostile);
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 60_000);

  test('property: arbitrary names and arbitrary args never fail the push', async () => {
    const anyMutation = fc.record({
      name: fc.oneof(
        fc.constantFrom(...MUTATION_NAMES),
        hostileString.filter((name) => name.length > 0),
      ),
      // Top-level undefined would drop `args` from the envelope: a 400 for the whole body, tested elsewhere.
      args: fc
        .oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }), fc.dictionary(hostileString, hostileValue))
        .map((args) => args ?? null),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(anyMutation, { minLength: 1, maxLength: 4 }), async (hostile) => {
        await pushBehindHostile(hostile);
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 60_000);

  test('auth: login, refresh and logout answer 4xx, never 5xx, whatever the body', async () => {
    const expectNoServerError = async (path: string, body: unknown) => {
      const response = await server.call('POST', path, { body: JSON.stringify(body) ?? 'null' });
      expect(response.status, `${path} ${JSON.stringify(response.json)?.slice(0, 300)}`).toBeLessThan(500);
      return response;
    };
    for (const text of [...BROKEN_TEXTS, VERY_LONG, 'x'.repeat(100_000)]) {
      for (const body of [
        { email: text, password: TEST_PASSWORD },
        { email: `dispatcher1${text}@example.com`, password: TEST_PASSWORD },
        { email: 'dispatcher1@example.com', password: text },
      ]) {
        const response = await expectNoServerError('/api/auth/login', body);
        expect(response.status).toBe(400);
        expect(response.json.error.code).toBe('invalid_body');
      }
      for (const path of ['/api/auth/refresh', '/api/auth/logout']) {
        const response = await expectNoServerError(path, { refreshToken: text });
        expect(response.status).toBe(400);
        expect(response.json.error.code).toBe('invalid_body');
      }
    }
    const anyBody = fc.oneof(
      fc.record({ email: hostileValue, password: hostileValue }),
      fc.record({ refreshToken: hostileValue }),
      fc.record({ refreshToken: hostileString.map((text) => `${randomUUID()}.${text}`) }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/auth/login', '/api/auth/refresh', '/api/auth/logout'),
        anyBody,
        (path, body) => expectNoServerError(path, body).then(() => undefined),
      ),
      { numRuns: 60, endOnFailure: true },
    );
  }, 60_000);
});
