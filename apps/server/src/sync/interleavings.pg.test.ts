import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  numbered,
  openDevice,
  type PlannedMutation,
  pushBatch,
  type WireMutation,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

/** Fewer runs on Postgres: each push there is a network round trip. */
const RUNS = { pglite: 15, postgres: 10 } as const;

const CLIENTS = 3;

/** A batch as it reaches the server: which client, and which slice of its outbox. */
interface Delivery {
  client: number;
  from: number;
  count: number;
}

/**
 * Deliveries in waves: batches of one wave are sent at once (concurrently on
 * Postgres). `from` may lie behind what the server has (a retry after a lost
 * response) or ahead of it (a batch overtaking an earlier one).
 */
const wavesArbitrary = fc.array(
  fc.array(
    fc.record({
      client: fc.integer({ min: 0, max: CLIENTS - 1 }),
      from: fc.integer({ min: 0, max: 7 }),
      count: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  { minLength: 1, maxLength: 8 },
);

describe.each(kinds)('interleavings of pushes on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let contractorId: string;
  const contractorEmail = 'contractor3@example.com';

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
    contractorId = await contractorIdOf(server, contractorEmail);
  });
  afterAll(() => server.close());

  /**
   * A fresh job on the contractor's phone and three outboxes that touch it:
   * two office devices editing distinct fields and adding rows, the phone
   * adding notes and ticking its own materials on and off.
   */
  async function scenario() {
    const fixture = await createJobFixture(server, office, {
      title: 'Base title',
      occurredAt: '2026-11-21T06:00:00.000Z',
    });
    await assignJob(server, office, fixture.jobId, contractorId, '2026-11-21T06:01:00.000Z');
    const devices = [
      await openDevice(server, 'dispatcher1@example.com'),
      await openDevice(server, 'dispatcher2@example.com'),
      await openDevice(server, contractorEmail),
    ] as const;
    const jobId = fixture.jobId;
    const id = () => randomUUID();
    const m = { a: id(), b: id(), c: id(), d: id() };
    const n = { a: id(), b: id(), c: id(), d: id(), e: id() };
    const at = (minute: number) => new Date(Date.parse('2026-11-21T07:00:00.000Z') + minute * 60_000).toISOString();
    const plans: PlannedMutation[][] = [
      [
        {
          name: 'job.update',
          args: { id: jobId, patch: { title: 'Title 1' }, base: { title: 'Base title' } },
          occurredAt: at(1),
        },
        { name: 'note.add', args: { id: n.a, jobId, body: 'desk 1 says hi' }, occurredAt: at(2) },
        {
          name: 'material.add',
          args: { id: m.a, jobId, itemName: 'Desk 1 item', quantity: 1, unit: 'each' },
          occurredAt: at(3),
        },
        { name: 'material.setPurchased', args: { id: m.a, purchased: true }, occurredAt: at(4) },
        {
          name: 'job.update',
          args: { id: jobId, patch: { title: 'Title 2' }, base: { title: 'Title 1' } },
          occurredAt: at(5),
        },
        { name: 'material.setPurchased', args: { id: m.a, purchased: false }, occurredAt: at(6) },
      ],
      [
        {
          name: 'job.update',
          args: { id: jobId, patch: { description: 'Described' }, base: { description: null } },
          occurredAt: at(1),
        },
        {
          name: 'material.add',
          args: { id: m.b, jobId, itemName: 'Desk 2 item', quantity: 2.5, unit: 'kg' },
          occurredAt: at(2),
        },
        { name: 'material.setPurchased', args: { id: m.b, purchased: true }, occurredAt: at(3) },
        {
          name: 'job.update',
          args: {
            id: jobId,
            patch: { priority: 'high', durationMinutes: 180 },
            base: { priority: 'medium', durationMinutes: 120 },
          },
          occurredAt: at(4),
        },
        { name: 'note.add', args: { id: n.b, jobId, body: 'desk 2 was here' }, occurredAt: at(5) },
      ],
      [
        { name: 'note.add', args: { id: n.c, jobId, body: 'phone: arrived' }, occurredAt: at(1) },
        {
          name: 'material.add',
          args: { id: m.c, jobId, itemName: 'Phone item', quantity: 3, unit: 'box' },
          occurredAt: at(2),
        },
        { name: 'material.setPurchased', args: { id: m.c, purchased: true }, occurredAt: at(3) },
        { name: 'material.setPurchased', args: { id: m.c, purchased: false }, occurredAt: at(4) },
        {
          name: 'material.add',
          args: { id: m.d, jobId, itemName: 'Phone item 2', quantity: 1, unit: 'roll' },
          occurredAt: at(5),
        },
        { name: 'material.setPurchased', args: { id: m.c, purchased: true }, occurredAt: at(6) },
        { name: 'note.add', args: { id: n.d, jobId, body: 'phone: done' }, occurredAt: at(7) },
        { name: 'note.add', args: { id: n.e, jobId, body: 'phone: really done' }, occurredAt: at(8) },
      ],
    ];
    const outboxes = devices.map((device, index) => numbered(device, plans[index] as PlannedMutation[]));
    // Whatever the order, the end state is what each outbox says, applied in seq order.
    const expected = {
      job: { title: 'Title 2', description: 'Described', priority: 'high', durationMinutes: 180, status: 'scheduled' },
      materials: [
        {
          id: m.a,
          itemName: 'Desk 1 item',
          quantity: 1,
          purchased: false,
          purchasedBy: null,
          purchasedAt: null,
          addedBy: devices[0].userId,
        },
        {
          id: m.b,
          itemName: 'Desk 2 item',
          quantity: 2.5,
          purchased: true,
          purchasedBy: devices[1].userId,
          purchasedAt: at(3),
          addedBy: devices[1].userId,
        },
        {
          id: m.c,
          itemName: 'Phone item',
          quantity: 3,
          purchased: true,
          purchasedBy: devices[2].userId,
          purchasedAt: at(6),
          addedBy: devices[2].userId,
        },
        {
          id: m.d,
          itemName: 'Phone item 2',
          quantity: 1,
          purchased: false,
          purchasedBy: null,
          purchasedAt: null,
          addedBy: devices[2].userId,
        },
      ].sort((x, y) => x.id.localeCompare(y.id)),
      notes: [
        { id: n.a, body: 'desk 1 says hi', authorId: devices[0].userId, occurredAt: at(2) },
        { id: n.b, body: 'desk 2 was here', authorId: devices[1].userId, occurredAt: at(5) },
        { id: n.c, body: 'phone: arrived', authorId: devices[2].userId, occurredAt: at(1) },
        { id: n.d, body: 'phone: done', authorId: devices[2].userId, occurredAt: at(7) },
        { id: n.e, body: 'phone: really done', authorId: devices[2].userId, occurredAt: at(8) },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    };
    return { fixture, devices, outboxes, expected };
  }

  const iso = (value: unknown) => (value === null ? null : new Date(String(value)).toISOString());

  async function serverState(jobId: string, materialIds: string[]) {
    const [job] = await server.database.query<Record<string, unknown>>(
      sql`select title, description, priority, duration_minutes, status from jobs where id = ${jobId}`,
    );
    const materials = await server.database.query<Record<string, unknown>>(
      sql`select id, item_name, quantity::float8 as quantity, purchased, purchased_by, purchased_at, added_by
          from materials where job_id = ${jobId} and id in (${sql.join(
            materialIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
          and deleted_at is null order by id`,
    );
    const notes = await server.database.query<Record<string, unknown>>(
      sql`select id, body, author_id, occurred_at from job_notes where job_id = ${jobId} and body <> 'Gate code 1234' order by id`,
    );
    return {
      job: {
        title: job?.title,
        description: job?.description,
        priority: job?.priority,
        durationMinutes: job?.duration_minutes,
        status: job?.status,
      },
      materials: materials.map((row) => ({
        id: row.id,
        itemName: row.item_name,
        quantity: row.quantity,
        purchased: row.purchased,
        purchasedBy: row.purchased_by,
        purchasedAt: iso(row.purchased_at),
        addedBy: row.added_by,
      })),
      notes: notes.map((row) => ({
        id: row.id,
        body: row.body,
        authorId: row.author_id,
        occurredAt: iso(row.occurred_at),
      })),
    };
  }

  test('any order of arrival, with retries and overtaking batches, ends in the same state with one ledger row per mutation', async () => {
    await fc.assert(
      fc.asyncProperty(
        wavesArbitrary,
        fc.array(fc.integer({ min: 0, max: CLIENTS - 1 }), { minLength: CLIENTS, maxLength: CLIENTS }),
        async (waves, finishOrder) => {
          const { fixture, devices, outboxes, expected } = await scenario();
          const send = async (client: number, batch: WireMutation[]) => {
            const response = await pushBatch(server, devices[client] as Device, batch);
            for (const result of response.results) {
              // Nothing in these outboxes can be refused on its merits: only gaps and replays are expected.
              if (result.outcome === 'rejected') expect(result.error?.code).toBe('seq_gap');
              else expect(['applied', 'duplicate']).toContain(result.outcome);
            }
            return response;
          };
          for (const wave of waves) {
            await Promise.all(
              wave.map((delivery: Delivery) => {
                const outbox = outboxes[delivery.client] as WireMutation[];
                const batch = outbox.slice(delivery.from, delivery.from + delivery.count);
                return batch.length ? send(delivery.client, batch) : Promise.resolve();
              }),
            );
          }
          // Eventually every device gets through and pushes its whole outbox (a retry of everything).
          for (const client of [...finishOrder, 0, 1, 2]) {
            const response = await send(client, outboxes[client] as WireMutation[]);
            expect(response.lastSeq).toBe((outboxes[client] as WireMutation[]).length);
          }

          const state = await serverState(
            fixture.jobId,
            expected.materials.map((row) => row.id),
          );
          expect(state).toEqual(expected);
          for (const [index, device] of devices.entries()) {
            const ledger = await server.database.query<{ seq: number; n: number; outcome: string }>(
              sql`select seq::int as seq, count(*)::int as n, min(outcome) as outcome from mutations
                where client_id = ${device.clientId} group by seq order by seq`,
            );
            expect(ledger).toEqual(
              (outboxes[index] as WireMutation[]).map((m) => ({ seq: m.seq, n: 1, outcome: 'applied' })),
            );
          }
          const [conflictRows] = await server.database.query<{ n: number }>(
            sql`select count(*)::int as n from conflicts where entity_id = ${fixture.jobId}`,
          );
          expect(conflictRows?.n).toBe(0);
        },
      ),
      { numRuns: RUNS[kind] },
    );
  });
});
