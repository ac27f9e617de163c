import { randomUUID } from 'node:crypto';
import { SYNCED_TABLES, type SyncedTable } from '@fieldsync/domain';
import { pullResponseSchema } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  applyPage,
  assignJob,
  changedIds,
  contractorIdOf,
  createJobFixture,
  type Device,
  type JobFixture,
  type LocalCopy,
  openDevice,
  pull,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** table → id → version, for comparing two local copies. */
function versionsOf(copy: LocalCopy) {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [table, rows] of copy) {
    if (rows.size === 0) continue;
    result[table] = Object.fromEntries(
      [...rows].map(([id, row]) => [id, row.version]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  }
  return result;
}

describe.each(kinds)('pull on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  const ids = async (statement: ReturnType<typeof sql>) =>
    new Set((await server.database.query<{ id: string }>(statement)).map((row) => row.id));

  /** What a phone that has never synced gets, as a local copy. */
  const freshCopyOf = async (email: string) => (await pullAll(server, await openDevice(server, email))).copy;

  test('pages follow the cursor until hasMore is false and add up to exactly one full pull', async () => {
    const full = await pull(server, office, { limit: 5000 });
    expect(full.hasMore).toBe(false);
    const fullCopy: LocalCopy = new Map();
    applyPage(fullCopy, full);

    const paged = await pullAll(server, office, { limit: 97 });
    expect(paged.pages.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const [index, page] of paged.pages.entries()) {
      const rows = Object.entries(page.changes).flatMap(([table, list]) => list.map((row) => `${table}:${row.id}`));
      const removed = Object.entries(page.removed).flatMap(([table, list]) => list.map((id) => `${table}:${id}`));
      expect(rows.length + removed.length).toBeLessThanOrEqual(97);
      expect(page.hasMore).toBe(index < paged.pages.length - 1);
      for (const key of [...rows, ...removed]) {
        expect(seen.has(key), `${key} came twice`).toBe(false);
        seen.add(key);
      }
    }
    expect(versionsOf(paged.copy)).toEqual(versionsOf(fullCopy));
    expect(paged.copy).toEqual(fullCopy);
    // Nothing changed since: the last cursor gives an empty page.
    const after = await pull(server, office, { cursor: paged.cursor });
    expect(after).toMatchObject({ hasMore: false, changes: {}, removed: {}, cursor: paged.cursor });

    // The same for a contractor, a row or two at a time.
    const phone = await openDevice(server, 'contractor1@example.com');
    const phoneFull = await pull(server, phone, { limit: 5000 });
    const phoneFullCopy: LocalCopy = new Map();
    applyPage(phoneFullCopy, phoneFull);
    const phonePaged = await pullAll(server, phone, { limit: 2 });
    expect(phonePaged.pages.length).toBeGreaterThan(10);
    expect(phonePaged.copy).toEqual(phoneFullCopy);
  });

  test('rows are camelCase with ISO times and no tenant or secret columns; serverTime and lastSeq come along', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher2@example.com');
    expect((await pull(server, device, { limit: 1 })).lastSeq).toBe(0);
    await pushApplied(server, device, [
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'one' } },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'two' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'open', to: 'cancelled', reason: 'Duplicate' } },
    ]);
    const { pages } = await pullAll(server, device);
    for (const page of pages) {
      expect(page.lastSeq).toBe(3);
      expect(page.serverTime).toBe(server.clock.now().toISOString());
      expect(() => pullResponseSchema.parse(page)).not.toThrow();
      expect(Object.keys(page.changes).every((table) => (SYNCED_TABLES as readonly string[]).includes(table))).toBe(
        true,
      );
      for (const [table, rows] of Object.entries(page.changes)) {
        for (const row of rows) {
          for (const [field, value] of Object.entries(row)) {
            expect(field, `${table}.${field}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
            if (/(At|Start|End)$/.test(field) && value !== null) expect(value, `${table}.${field}`).toMatch(ISO_UTC);
          }
          expect(row).not.toHaveProperty('orgId');
          expect(row).not.toHaveProperty('passwordHash');
        }
      }
    }
    // Another device of the same user has pushed nothing.
    expect((await pull(server, await openDevice(server, 'dispatcher2@example.com'), { limit: 1 })).lastSeq).toBe(0);

    const jobs = pages.flatMap((page) => page.changes.jobs ?? []);
    const job = jobs.find((row) => row.id === fixture.jobId);
    expect(Object.keys(job ?? {})).toEqual(
      expect.arrayContaining([
        'id',
        'jobNumber',
        'title',
        'description',
        'customerId',
        'trade',
        'priority',
        'status',
        'desiredDate',
        'durationMinutes',
        'address',
        'lat',
        'lng',
        'specialRequirements',
        'createdBy',
        'version',
        'updatedAt',
        'deletedAt',
      ]),
    );
    expect(job).toMatchObject({
      status: 'cancelled',
      customerId: fixture.customerId,
      durationMinutes: 120,
      deletedAt: null,
    });
    expect(typeof job?.version).toBe('number');
    const history = pages
      .flatMap((page) => page.changes.jobStatusHistory ?? [])
      .filter((row) => row.jobId === fixture.jobId);
    expect(history.map((row) => [row.fromStatus, row.toStatus, row.seq])).toEqual(
      expect.arrayContaining([
        [null, 'open', expect.any(Number)],
        ['open', 'cancelled', 3],
      ]),
    );
    const cancelled = history.find((row) => row.toStatus === 'cancelled');
    expect(cancelled).toMatchObject({
      clientId: device.clientId,
      occurredAt: expect.stringMatching(ISO_UTC),
      recordedAt: expect.stringMatching(ISO_UTC),
    });
    const users = pages.flatMap((page) => page.changes.users ?? []);
    expect(users.length).toBeGreaterThan(10);
    for (const user of users) expect(Object.keys(user).some((key) => /password/i.test(key))).toBe(false);
  });

  test('a contractor sees only the jobs they hold, with what hangs off them; the office sees every job', async () => {
    const email = 'contractor1@example.com';
    const contractorId = await contractorIdOf(server, email);
    const phone = await openDevice(server, email);
    const { copy } = await pullAll(server, phone, { limit: 250 });

    const held =
      await ids(sql`select a.job_id as id from assignments a join jobs j on j.org_id = a.org_id and j.id = a.job_id
      where a.contractor_id = ${contractorId} and a.deleted_at is null and j.deleted_at is null
        and (a.status in ('pending', 'confirmed', 'in_progress', 'completed') or (a.status = 'cancelled' and j.status = 'cancelled'))`);
    const othersOnly = await ids(sql`select distinct job_id as id from assignments where org_id = ${server.orgA.orgId}
      and job_id not in (select job_id from assignments where contractor_id = ${contractorId})`);
    expect(held.size).toBeGreaterThan(3);
    expect(othersOnly.size).toBeGreaterThan(20);
    const pulledJobs = new Set(copy.get('jobs')?.keys());
    expect(pulledJobs).toEqual(held);
    for (const id of othersOnly) expect(pulledJobs.has(id)).toBe(false);

    const jobList = sql.join(
      [...held].map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    for (const [table, sqlTable] of [
      ['materials', 'materials'],
      ['jobNotes', 'job_notes'],
      ['jobStatusHistory', 'job_status_history'],
    ] as const) {
      const expected = await ids(
        sql`select id from ${sql.identifier(sqlTable)} where job_id in (${jobList}) and deleted_at is null`,
      );
      expect(new Set(copy.get(table)?.keys()), table).toEqual(expected);
    }
    expect(new Set(copy.get('customers')?.keys())).toEqual(
      await ids(sql`select distinct customer_id as id from jobs where id in (${jobList}) and customer_id is not null`),
    );
    // Estimates go by customer: those of the customers of the jobs held, whatever job they price.
    expect(new Set(copy.get('estimates')?.keys())).toEqual(
      await ids(sql`select id from estimates where deleted_at is null and customer_id in
        (select customer_id from jobs where id in (${jobList}))`),
    );
    for (const [table, rows] of copy) {
      if (table === 'estimates') continue;
      for (const row of rows.values()) {
        if ('jobId' in row && row.jobId !== null)
          expect(held.has(row.jobId as string), `${table} ${row.id}`).toBe(true);
      }
    }
    expect([...(copy.get('assignments')?.values() ?? [])].every((row) => row.contractorId === contractorId)).toBe(true);
    expect([...(copy.get('contractors')?.keys() ?? [])]).toEqual([contractorId]);
    const otherContractorUsers = await ids(
      sql`select id from users where role = 'contractor' and id <> ${phone.userId}`,
    );
    for (const id of copy.get('users')?.keys() ?? []) expect(otherContractorUsers.has(id)).toBe(false);

    const everything = (await pullAll(server, office)).copy;
    expect(new Set(everything.get('jobs')?.keys())).toEqual(
      await ids(sql`select id from jobs where org_id = ${server.orgA.orgId} and deleted_at is null`),
    );
    expect(everything.get('contractors')?.size).toBe(12);
  });

  /** The office prices work for a customer: a draft estimate of one line. */
  async function estimateFor(customerId: string): Promise<string> {
    const id = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'estimate.create',
        args: {
          id,
          customerId,
          title: 'Oak floor',
          lines: [
            { id: randomUUID(), kind: 'labor', description: 'Install', quantity: 2, unit: 'h', unitPriceCents: 6500 },
          ],
          taxRateBasisPoints: 0,
          validUntil: '2026-12-31',
        },
      },
    ]);
    return id;
  }

  test('an assignment cancelled by the office takes the job, its rows and its customer off the phone on the next pull', async () => {
    const email = 'contractor5@example.com';
    const contractorId = await contractorIdOf(server, email);
    const alone = await createJobFixture(server, office);
    const shared = await createJobFixture(server, office);
    const sibling = await createJobFixture(server, office, { customerId: shared.customerId });
    const assignments = {
      alone: await assignJob(server, office, alone.jobId, contractorId),
      shared: await assignJob(server, office, shared.jobId, contractorId),
      sibling: await assignJob(server, office, sibling.jobId, contractorId),
    };
    const priced = { alone: await estimateFor(alone.customerId), shared: await estimateFor(shared.customerId) };
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('estimates')?.has(priced.alone)).toBe(true);
    for (const job of [alone, shared, sibling]) {
      expect(before.copy.get('jobs')?.has(job.jobId)).toBe(true);
      expect(before.copy.get('materials')?.has(job.materialId)).toBe(true);
      expect(before.copy.get('jobNotes')?.has(job.noteId)).toBe(true);
      expect(before.copy.get('customers')?.has(job.customerId)).toBe(true);
    }

    await pushApplied(server, office, [
      {
        name: 'assignment.setStatus',
        args: { id: assignments.alone, from: 'pending', to: 'cancelled', reason: 'Customer moved it' },
      },
      {
        name: 'assignment.setStatus',
        args: { id: assignments.shared, from: 'pending', to: 'cancelled', reason: 'Given to someone else' },
      },
    ]);
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    const removed = (table: SyncedTable) => next.pages.flatMap((page) => page.removed[table] ?? []);
    expect(removed('jobs')).toEqual(expect.arrayContaining([alone.jobId, shared.jobId]));
    expect(removed('jobs')).not.toContain(sibling.jobId);
    expect(removed('materials')).toEqual(expect.arrayContaining([alone.materialId, shared.materialId]));
    expect(removed('jobNotes')).toEqual(expect.arrayContaining([alone.noteId, shared.noteId]));
    const history = await ids(sql`select id from job_status_history where job_id in (${alone.jobId}, ${shared.jobId})`);
    expect(removed('jobStatusHistory')).toEqual(expect.arrayContaining([...history]));
    expect(removed('assignments')).toEqual(expect.arrayContaining([assignments.alone, assignments.shared]));
    // The customer of the job that left goes; the one another live job still uses stays.
    expect(removed('customers')).toContain(alone.customerId);
    expect(removed('customers')).not.toContain(shared.customerId);
    // And with the customer, its estimates.
    expect(removed('estimates')).toContain(priced.alone);
    expect(removed('estimates')).not.toContain(priced.shared);
    const changedJobs = next.pages.flatMap((page) => changedIds(page, 'jobs'));
    expect(changedJobs).not.toContain(alone.jobId);
    expect(changedJobs).not.toContain(shared.jobId);

    // What the phone now holds is exactly what a fresh install would get.
    expect(versionsOf(next.copy)).toEqual(versionsOf(await freshCopyOf(email)));
    expect(next.copy.get('customers')?.has(shared.customerId)).toBe(true);
    expect(next.copy.get('jobs')?.has(sibling.jobId)).toBe(true);
  });

  test('a newly assigned job arrives whole on the next pull, though its rows are older than the cursor', async () => {
    const email = 'contractor6@example.com';
    const fixture = await createJobFixture(server, office);
    const extraNote = randomUUID();
    await pushApplied(server, office, [
      { name: 'note.add', args: { id: extraNote, jobId: fixture.jobId, body: 'Bring the wet saw.' } },
      { name: 'material.setPurchased', args: { id: fixture.materialId, purchased: true } },
    ]);
    const priced = await estimateFor(fixture.customerId);
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('jobs')?.has(fixture.jobId)).toBe(false);
    expect(before.copy.get('customers')?.has(fixture.customerId)).toBe(false);
    expect(before.copy.get('estimates')?.has(priced)).toBe(false);

    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    const changed = (table: SyncedTable) => next.pages.flatMap((page) => changedIds(page, table));
    expect(changed('jobs')).toContain(fixture.jobId);
    expect(changed('customers')).toContain(fixture.customerId);
    expect(changed('estimates')).toContain(priced);
    expect(changed('materials')).toContain(fixture.materialId);
    expect(changed('jobNotes')).toEqual(expect.arrayContaining([fixture.noteId, extraNote]));
    expect(changed('assignments')).toContain(assignmentId);
    const history = await ids(sql`select id from job_status_history where job_id = ${fixture.jobId}`);
    expect(history.size).toBe(2);
    expect(changed('jobStatusHistory')).toEqual(expect.arrayContaining([...history]));
    expect(next.copy.get('jobs')?.get(fixture.jobId)?.status).toBe('scheduled');
    expect(versionsOf(next.copy)).toEqual(versionsOf(await freshCopyOf(email)));
  });

  test('a job moved to another customer brings that customer to the phone, though its row is older than the cursor', async () => {
    const email = 'contractor6@example.com';
    const fixture = await createJobFixture(server, office);
    const otherCustomer = randomUUID();
    await pushApplied(server, office, [
      { name: 'customer.create', args: { id: otherCustomer, name: 'Ada Lovelace', address: '12 Analytical Row' } },
    ]);
    const priced = await estimateFor(otherCustomer);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('customers')?.has(otherCustomer)).toBe(false);

    const job = before.copy.get('jobs')?.get(fixture.jobId);
    await pushApplied(server, office, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { customerId: otherCustomer }, base: { customerId: job?.customerId } },
      },
    ]);
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    expect(next.copy.get('jobs')?.get(fixture.jobId)?.customerId).toBe(otherCustomer);
    expect(next.copy.get('customers')?.get(otherCustomer)).toMatchObject({ name: 'Ada Lovelace' });
    expect(next.copy.get('estimates')?.get(priced)).toMatchObject({ customerId: otherCustomer, totalCents: 13000 });
  });

  test('a job cancelled by the office stays on its contractor’s phone, with status cancelled', async () => {
    const email = 'contractor7@example.com';
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('jobs')?.get(fixture.jobId)?.status).toBe('scheduled');

    await pushApplied(server, office, [
      {
        name: 'job.setStatus',
        args: { jobId: fixture.jobId, from: 'scheduled', to: 'cancelled', reason: 'Customer sold the house' },
      },
    ]);
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    expect(next.pages.flatMap((page) => page.removed.jobs ?? [])).not.toContain(fixture.jobId);
    expect(next.copy.get('jobs')?.get(fixture.jobId)?.status).toBe('cancelled');
    expect(next.copy.get('assignments')?.get(assignmentId)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Job cancelled',
    });
    expect(next.copy.get('materials')?.has(fixture.materialId)).toBe(true);
    expect(next.copy.get('customers')?.has(fixture.customerId)).toBe(true);
    expect(
      [...(next.copy.get('jobStatusHistory')?.values() ?? [])]
        .filter((row) => row.jobId === fixture.jobId)
        .map((row) => row.toStatus),
    ).toEqual(expect.arrayContaining(['open', 'scheduled', 'cancelled']));
    expect(versionsOf(next.copy)).toEqual(versionsOf(await freshCopyOf(email)));
  });

  test('a material removed on the server reaches other devices as removed', async () => {
    const fixture = await createJobFixture(server, office);
    const other = await openDevice(server, 'dispatcher2@example.com');
    const before = await pullAll(server, other);
    expect(before.copy.get('materials')?.has(fixture.materialId)).toBe(true);
    await pushApplied(server, office, [{ name: 'material.remove', args: { id: fixture.materialId } }]);
    const next = await pullAll(server, other, { cursor: before.cursor, copy: before.copy });
    expect(next.pages.flatMap((page) => page.removed.materials ?? [])).toEqual([fixture.materialId]);
    expect(next.copy.get('materials')?.has(fixture.materialId)).toBe(false);
  });

  // PGlite is a single connection: requests run one after another, so there is no concurrent commit to race with.
  // Registered for Postgres only, so no run reports a skipped test.
  if (kind === 'postgres')
    test('incremental pulls racing 20 concurrent pushers end equal to a fresh full pull', async () => {
      const contractorEmail = 'contractor8@example.com';
      const contractorId = await contractorIdOf(server, contractorEmail);
      const fixtures: JobFixture[] = [];
      for (let index = 0; index < 4; index++) {
        const fixture = await createJobFixture(server, office);
        // Half the jobs are on a contractor's phone, who pulls along too.
        if (index % 2 === 0) await assignJob(server, office, fixture.jobId, contractorId);
        fixtures.push(fixture);
      }
      const emails = ['dispatcher1@example.com', 'dispatcher2@example.com', 'admin@example.com'];
      const pushers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => openDevice(server, emails[index % emails.length] as string)),
      );
      const pullers = [await openDevice(server, 'dispatcher2@example.com'), await openDevice(server, contractorEmail)];
      const starts = await Promise.all(pullers.map((device) => pullAll(server, device)));

      let pushing = true;
      const pulling = Promise.all(
        pullers.map(async (device, index) => {
          const start = starts[index] as (typeof starts)[number];
          let cursor = start.cursor;
          let pulls = 0;
          while (pushing) {
            const page = await pull(server, device, { cursor, limit: 25 });
            applyPage(start.copy, page);
            cursor = page.cursor;
            pulls++;
          }
          return { cursor, pulls, copy: start.copy };
        }),
      );
      const outcomes = await Promise.all(
        pushers.map(async (device, index) => {
          const seen: string[] = [];
          for (let round = 0; round < 5; round++) {
            const job = fixtures[(index + round) % fixtures.length] as (typeof fixtures)[number];
            const materialId = randomUUID();
            const { results } = await push(server, device, [
              { name: 'note.add', args: { id: randomUUID(), jobId: job.jobId, body: `note ${index}/${round}` } },
              {
                name: 'material.add',
                args: {
                  id: materialId,
                  jobId: job.jobId,
                  itemName: `Item ${index}/${round}`,
                  quantity: 1,
                  unit: 'each',
                },
              },
              {
                name: 'job.update',
                args: { id: job.jobId, patch: { description: `by ${index}/${round}` }, base: { description: null } },
              },
              { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
              { name: 'note.add', args: { id: randomUUID(), jobId: job.jobId, body: `later ${index}/${round}` } },
            ]);
            seen.push(...results.map((result) => result.outcome));
          }
          return seen;
        }),
      ).finally(() => {
        pushing = false;
      });
      const pulled = await pulling;
      expect(outcomes.flat().filter((outcome) => outcome !== 'applied' && outcome !== 'conflict')).toEqual([]);

      for (const [index, { cursor, pulls, copy }] of pulled.entries()) {
        const device = pullers[index] as Device;
        expect(pulls).toBeGreaterThan(5);
        await pullAll(server, device, { cursor, copy, limit: 25 });
        expect(versionsOf(copy), device.email).toEqual(versionsOf(await freshCopyOf(device.email)));
      }
      const onPhone = pulled[1]?.copy.get('jobNotes');
      expect([...(onPhone?.values() ?? [])].filter((row) => String(row.body).startsWith('note ')).length).toBe(50);
      const [added] = await server.database.query<{ n: number }>(
        sql`select count(*)::int as n from job_notes where body like 'note %' or body like 'later %'`,
      );
      expect(added?.n).toBe(200);
    });
});
