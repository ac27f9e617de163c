import { randomUUID } from 'node:crypto';
import { SYNCED_TABLES, type SyncedTable } from '@fieldsync/domain';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, pullResponseSchema } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../db/database';
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
  type PlannedMutation,
  type PullResponse,
  pull,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { FIRST_SYNC_ORDER } from './pull-service';

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

/**
 * Where a first-sync cursor stands (the server's own format, read here because this is its test), or
 * undefined for a version cursor. Throws on an `f1.` cursor that does not name a table of
 * FIRST_SYNC_ORDER: the loops below take undefined to mean the first sync is over.
 */
function firstSyncPositionOf(cursor: string) {
  if (!cursor.startsWith('f1.')) return undefined;
  const match = /^f1\.(\d+)\.([A-Za-z]+)\.(\d+)$/.exec(cursor);
  const table = match?.[2] as SyncedTable | undefined;
  if (!match || !table || !FIRST_SYNC_ORDER.includes(table)) throw new Error(`not a first-sync cursor: ${cursor}`);
  return { upTo: Number(match[1]), table, after: Number(match[3]) };
}

/** A table's turn in a first sync. */
const turnOf = (table: SyncedTable) => FIRST_SYNC_ORDER.indexOf(table);

/** Rows a page sends of a table (changed or removed), or of every table. */
function rowCountOf(page: PullResponse, table?: SyncedTable) {
  const count = (lists: Partial<Record<string, readonly unknown[]>>) =>
    Object.entries(lists).reduce((sum, [name, list]) => sum + (table && name !== table ? 0 : (list?.length ?? 0)), 0);
  return count(page.changes) + count(page.removed);
}

/** Tables a page sends rows of (changed or removed), in first-sync order. */
function tablesIn(page: PullResponse): SyncedTable[] {
  const present = new Set([
    ...Object.entries(page.changes).flatMap(([table, rows]) => (rows.length ? [table] : [])),
    ...Object.entries(page.removed).flatMap(([table, ids]) => (ids.length ? [table] : [])),
  ]);
  return FIRST_SYNC_ORDER.filter((table) => present.has(table));
}

const JOBS_TURN = turnOf('jobs');
const MATERIALS_TURN = turnOf('materials');

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

  /** Four new jobs with a material and a note each; the first and third assigned to the contractor. */
  async function jobsHalfAssignedTo(contractorId: string): Promise<JobFixture[]> {
    const fixtures: JobFixture[] = [];
    for (let index = 0; index < 4; index++) {
      const fixture = await createJobFixture(server, office);
      if (index % 2 === 0) await assignJob(server, office, fixture.jobId, contractorId);
      fixtures.push(fixture);
    }
    return fixtures;
  }

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
      // Half the jobs are on a contractor's phone, who pulls along too.
      const fixtures = await jobsHalfAssignedTo(contractorId);
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

  test('a first sync sends the tables in turn, in FIRST_SYNC_ORDER: jobs pages before any customer or status history, no table twice', async () => {
    // Every synced table has its turn, and the ones a board needs come first.
    expect([...FIRST_SYNC_ORDER].sort()).toEqual([...SYNCED_TABLES].sort());
    expect(FIRST_SYNC_ORDER.slice(0, 6)).toEqual([
      'organizations',
      'users',
      'contractors',
      'jobs',
      'customers',
      'assignments',
    ]);

    for (const [email, limit] of [
      ['dispatcher1@example.com', 25],
      ['contractor1@example.com', 3],
    ] as const) {
      const device = await openDevice(server, email);
      const whole = await pull(server, device, { limit: 5000 });
      expect(whole.hasMore).toBe(false);
      const { pages } = await pullAll(server, device, { limit });
      // The first sync runs up to the first page that answers a version cursor. Nothing is pushed
      // meanwhile, so that page carries first-sync rows only.
      const last = pages.findIndex((page) => !page.cursor.startsWith('f1.'));
      expect(last, email).toBeGreaterThan(3);
      const upTo = firstSyncPositionOf((pages[0] as PullResponse).cursor)?.upTo as number;
      expect(upTo).toBeGreaterThan(0);

      const sequence: SyncedTable[] = [];
      const firstPageOf = new Map<SyncedTable, number>();
      let previous = { table: FIRST_SYNC_ORDER[0] as SyncedTable, after: 0 };
      for (const [index, page] of pages.slice(0, last + 1).entries()) {
        const keys = Object.keys(page.changes) as SyncedTable[];
        expect(keys, `page ${index}`).toEqual(FIRST_SYNC_ORDER.filter((table) => keys.includes(table)));
        for (const table of tablesIn(page)) {
          if (sequence.at(-1) === table) continue;
          expect(sequence, `${email}: ${table} again on page ${index}`).not.toContain(table);
          sequence.push(table);
          firstPageOf.set(table, index);
        }
        for (const rows of Object.values(page.changes)) {
          for (const row of rows as Array<{ version: number }>) expect(row.version).toBeLessThanOrEqual(upTo);
        }
        const position = firstSyncPositionOf(page.cursor);
        if (index < last) {
          if (!position) throw new Error(`page ${index} of ${email} ended the first sync early: ${page.cursor}`);
          expect(position.upTo, page.cursor).toBe(upTo);
          // The cursor names a table of FIRST_SYNC_ORDER, never one before the last cursor's, and within
          // one table it moves on; what this page sent stands at or before it.
          expect(turnOf(position.table), page.cursor).toBeGreaterThanOrEqual(turnOf(previous.table));
          if (position.table === previous.table) expect(position.after, page.cursor).toBeGreaterThan(previous.after);
          for (const table of tablesIn(page))
            expect(turnOf(table), page.cursor).toBeLessThanOrEqual(turnOf(position.table));
          for (const row of (page.changes[position.table] ?? []) as Array<{ version: number }>) {
            expect(row.version, page.cursor).toBeLessThanOrEqual(position.after);
          }
          previous = position;
        } else {
          expect(page.cursor).toMatch(/^v1\.\d+$/);
          expect(Number(page.cursor.slice(3))).toBeGreaterThanOrEqual(upTo);
        }
      }
      // The tables of one big pull, each once, in FIRST_SYNC_ORDER.
      expect(sequence, email).toEqual(tablesIn(whole));
      expect(sequence).toEqual(expect.arrayContaining(['jobs', 'customers', 'jobStatusHistory']));
      const pageOf = (table: SyncedTable) => firstPageOf.get(table) as number;
      expect(pageOf('jobs'), email).toBeLessThan(pageOf('customers'));
      expect(pageOf('jobs'), email).toBeLessThan(pageOf('jobStatusHistory'));
    }
  });

  /** Pulls first-sync pages from no cursor until `stop` holds for the position the cursor names. */
  async function firstSyncUntil(
    device: Device,
    limit: number,
    stop: (position: NonNullable<ReturnType<typeof firstSyncPositionOf>>) => boolean,
  ) {
    const copy: LocalCopy = new Map();
    let cursor: string | undefined;
    for (;;) {
      const page = await pull(server, device, { cursor, limit });
      applyPage(copy, page);
      cursor = page.cursor;
      const position = firstSyncPositionOf(cursor);
      if (!position) throw new Error(`the first sync ended before the stop (cursor ${cursor})`);
      if (stop(position)) return { copy, cursor, position };
    }
  }

  test('first syncs with pushes between their pages (to rows sent and not yet sent, new rows, removals) end equal to a fresh full pull', async () => {
    const marker = `first-sync-${randomUUID().slice(0, 8)}`;
    const contractorEmail = 'contractor9@example.com';
    const contractorId = await contractorIdOf(server, contractorEmail);
    const fixtures = await jobsHalfAssignedTo(contractorId);
    // Their materials are removed part-way: one before the office's first sync reaches materials, one after.
    const removedEarly = await createJobFixture(server, office);
    const removedLate = await createJobFixture(server, office);
    for (const fixture of [removedEarly, removedLate]) await assignJob(server, office, fixture.jobId, contractorId);

    const writer = await openDevice(server, 'dispatcher1@example.com');
    const pullers = [
      { device: await openDevice(server, 'dispatcher2@example.com'), limit: 25 },
      // A contractor holds far fewer rows: smaller pages, so pushes fall between several of them.
      { device: await openDevice(server, contractorEmail), limit: 4 },
    ].map((puller) => ({
      ...puller,
      copy: new Map() as LocalCopy,
      cursor: undefined as string | undefined,
      inFirstSync: true,
      pages: 0,
    }));
    const [officePuller, phonePuller] = pullers as [(typeof pullers)[number], (typeof pullers)[number]];

    const descriptions = new Map<string, string | null>(fixtures.map((fixture) => [fixture.jobId, null]));
    const purchased = new Map<string, boolean>(fixtures.map((fixture) => [fixture.materialId, false]));
    const addedMaterials: string[] = [];
    const removedMaterials: string[] = [];
    const createdJobs: string[] = [];
    const officeStage = { jobsNotSent: 0, jobsSentMaterialsNot: 0, materialsSent: 0 };
    let round = 0;
    while (pullers.some((puller) => puller.inFirstSync)) {
      for (const puller of pullers.filter((candidate) => candidate.inFirstSync)) {
        const page = await pull(server, puller.device, { cursor: puller.cursor, limit: puller.limit });
        applyPage(puller.copy, page);
        const position = firstSyncPositionOf(page.cursor);
        // What changed since the first sync began waits for its end, whichever table it is in.
        if (position) {
          for (const rows of Object.values(page.changes)) {
            for (const row of rows as Array<{ version: number }>)
              expect(row.version).toBeLessThanOrEqual(position.upTo);
          }
        }
        puller.cursor = page.cursor;
        puller.inFirstSync = position !== undefined;
        puller.pages++;
      }
      const officeAt = officePuller.cursor ? firstSyncPositionOf(officePuller.cursor) : undefined;
      if (officeAt) {
        if (turnOf(officeAt.table) <= JOBS_TURN) officeStage.jobsNotSent++;
        else if (turnOf(officeAt.table) <= MATERIALS_TURN) officeStage.jobsSentMaterialsNot++;
        else officeStage.materialsSent++;
      }

      const job = fixtures[round % fixtures.length] as JobFixture;
      const materialId = randomUUID();
      const description = `${marker} ${round}`;
      const planned: PlannedMutation[] = [
        { name: 'note.add', args: { id: randomUUID(), jobId: job.jobId, body: `${marker} note ${round}` } },
        {
          name: 'material.add',
          args: { id: materialId, jobId: job.jobId, itemName: `${marker} item ${round}`, quantity: 1, unit: 'each' },
        },
        {
          name: 'job.update',
          args: { id: job.jobId, patch: { description }, base: { description: descriptions.get(job.jobId) } },
        },
        { name: 'material.setPurchased', args: { id: job.materialId, purchased: !purchased.get(job.materialId) } },
      ];
      descriptions.set(job.jobId, description);
      purchased.set(job.materialId, !purchased.get(job.materialId));
      if (round === 0) {
        planned.push({ name: 'material.remove', args: { id: removedEarly.materialId } });
        removedMaterials.push(removedEarly.materialId);
      }
      if (officeAt && turnOf(officeAt.table) > MATERIALS_TURN && !removedMaterials.includes(removedLate.materialId)) {
        planned.push({ name: 'material.remove', args: { id: removedLate.materialId } });
        removedMaterials.push(removedLate.materialId);
      }
      const previous = addedMaterials.at(-1);
      if (round % 3 === 2 && previous) {
        planned.push({ name: 'material.remove', args: { id: previous } });
        removedMaterials.push(previous);
      }
      if (round % 4 === 1) {
        const customerId = randomUUID();
        const jobId = randomUUID();
        planned.push(
          { name: 'customer.create', args: { id: customerId, name: `${marker} customer ${round}` } },
          {
            name: 'job.create',
            args: { id: jobId, title: `${marker} job ${round}`, customerId, trade: 'general', durationMinutes: 60 },
          },
        );
        createdJobs.push(jobId);
      }
      await pushApplied(server, writer, planned);
      addedMaterials.push(materialId);
      round++;
    }

    // The pushes fell between first-sync pages before the jobs were sent, between jobs and materials, and after.
    expect(officeStage.jobsNotSent).toBeGreaterThan(0);
    expect(officeStage.jobsSentMaterialsNot).toBeGreaterThan(0);
    expect(officeStage.materialsSent).toBeGreaterThan(0);
    expect(phonePuller.pages).toBeGreaterThan(3);
    expect(removedMaterials).toContain(removedLate.materialId);

    for (const puller of pullers) {
      await pullAll(server, puller.device, { cursor: puller.cursor, copy: puller.copy, limit: puller.limit });
      expect(versionsOf(puller.copy), puller.device.email).toEqual(versionsOf(await freshCopyOf(puller.device.email)));
      for (const id of removedMaterials) expect(puller.copy.get('materials')?.has(id)).toBe(false);
    }
    const notesIn = (copy: LocalCopy) =>
      [...(copy.get('jobNotes')?.values() ?? [])].filter((row) => String(row.body).startsWith(marker)).length;
    expect(notesIn(officePuller.copy)).toBe(round);
    // The contractor holds fixtures 0 and 2: every other round's note.
    expect(notesIn(phonePuller.copy)).toBe(Math.ceil(round / 2));
    for (const id of createdJobs) expect(officePuller.copy.get('jobs')?.has(id)).toBe(true);
    for (const fixture of fixtures) {
      expect(officePuller.copy.get('jobs')?.get(fixture.jobId)?.description).toBe(descriptions.get(fixture.jobId));
      expect(officePuller.copy.get('materials')?.get(fixture.materialId)?.purchased).toBe(
        purchased.get(fixture.materialId),
      );
    }
  });

  // The rest is pulled in small pages, or in one: then the page that ends the first sync also carries the
  // assignments that changed meanwhile, and must move the jobs on and off the phone itself.
  test.each([
    ['before its jobs are sent, the rest in small pages', 'contractor4@example.com', 'first page', 2],
    ['before its jobs are sent, the rest in one page', 'contractor4@example.com', 'first page', 1000],
    ['after its jobs, before what hangs off them, the rest in small pages', 'contractor11@example.com', 'jobs sent', 2],
    ['after its jobs, before what hangs off them, the rest in one page', 'contractor11@example.com', 'jobs sent', 1000],
  ] as const)(
    'a job assigned and one unassigned mid first sync (%s) end on the phone as a fresh pull has them',
    async (_, email, stopAt, restLimit) => {
      const contractorId = await contractorIdOf(server, email);
      const staying = await createJobFixture(server, office);
      const leaving = await createJobFixture(server, office);
      const arriving = await createJobFixture(server, office);
      await assignJob(server, office, staying.jobId, contractorId);
      const leavingAssignment = await assignJob(server, office, leaving.jobId, contractorId);
      const phone = await openDevice(server, email);

      const start = await firstSyncUntil(
        phone,
        2,
        (position) => stopAt === 'first page' || turnOf(position.table) > JOBS_TURN,
      );
      expect(turnOf(start.position.table)).toBeLessThan(MATERIALS_TURN);
      // Where the first sync stands: no job yet, or the jobs held then (not the one about to arrive).
      const heldThen = start.copy.get('jobs');
      if (turnOf(start.position.table) <= JOBS_TURN) expect(heldThen?.size ?? 0).toBe(0);
      else {
        expect(heldThen?.has(leaving.jobId)).toBe(true);
        expect(heldThen?.has(arriving.jobId)).toBe(false);
      }

      const arrivingAssignment = await assignJob(server, office, arriving.jobId, contractorId);
      await pushApplied(server, office, [
        {
          name: 'assignment.setStatus',
          args: { id: leavingAssignment, from: 'pending', to: 'cancelled', reason: 'Given to someone else' },
        },
      ]);
      const end = await pullAll(server, phone, { cursor: start.cursor, copy: start.copy, limit: restLimit });
      expect(versionsOf(end.copy)).toEqual(versionsOf(await freshCopyOf(email)));

      const has = (table: SyncedTable, id: string) => end.copy.get(table)?.has(id) ?? false;
      for (const fixture of [staying, arriving]) {
        expect(has('jobs', fixture.jobId)).toBe(true);
        expect(has('customers', fixture.customerId)).toBe(true);
        expect(has('materials', fixture.materialId)).toBe(true);
        expect(has('jobNotes', fixture.noteId)).toBe(true);
      }
      expect(has('assignments', arrivingAssignment)).toBe(true);
      expect(end.copy.get('jobs')?.get(arriving.jobId)?.status).toBe('scheduled');
      expect(has('jobs', leaving.jobId)).toBe(false);
      expect(has('customers', leaving.customerId)).toBe(false);
      expect(has('materials', leaving.materialId)).toBe(false);
      expect(has('jobNotes', leaving.noteId)).toBe(false);
      expect(has('assignments', leavingAssignment)).toBe(false);
      const history = [...(end.copy.get('jobStatusHistory')?.values() ?? [])];
      expect(history.some((row) => row.jobId === leaving.jobId)).toBe(false);
      expect(history.some((row) => row.jobId === arriving.jobId)).toBe(true);
    },
  );

  /** The highest version a pull may hand out now (what a pull without a cursor takes as its upTo). */
  const safeVersion = async () => {
    const [row] = await server.database.query<{ version: string }>(
      sql`select fieldsync_safe_version()::text as version`,
    );
    return Number(row?.version);
  };

  /** The newest version the database has handed out to anyone (no cursor it gave is above it). */
  const newestVersion = async () => {
    const [row] = await server.database.query<{ version: string }>(
      sql`select last_value::text as version from change_version_seq`,
    );
    return Number(row?.version);
  };

  // Postgres only: the writer's open transaction would hold PGlite's one connection.
  if (kind === 'postgres')
    test('a cursor handed out while a writer was registering is taken back, though the safe version has dipped below it', async () => {
      const device = await openDevice(server, 'dispatcher1@example.com');
      await pullAll(server, device, { limit: 5000 });
      await server.database.db.transaction(async (writer) => {
        // A writer registers in two steps: its version first, then the lock that keeps pulls below it.
        const [taken] = rowsOf(
          await writer.execute(sql`select nextval('change_version_seq')::text as version`),
        ) as Array<{ version: string }>;
        const version = Number(taken?.version);
        const fresh = await openDevice(server, 'dispatcher1@example.com');
        const handedOut = await pull(server, fresh, { limit: 5000 });
        expect(handedOut).toMatchObject({ hasMore: false, cursor: `v1.${version}` });
        await writer.execute(sql`select pg_advisory_xact_lock_shared(0, ${version}::integer)`);
        expect(await safeVersion()).toBe(version - 1);

        const next = await pull(server, fresh, { cursor: handedOut.cursor });
        expect(next).toMatchObject({ hasMore: false, cursor: handedOut.cursor, changes: {}, removed: {} });
      });
    });

  test('a cursor the server never handed out, or one above the newest version, answers 400 invalid_body on the cursor', async () => {
    const device = await openDevice(server, 'dispatcher1@example.com');
    const answer = (cursor?: string) => {
      const query = new URLSearchParams({ clientId: device.clientId, limit: '5' });
      if (cursor !== undefined) query.set('cursor', cursor);
      return server.call('GET', `/api/sync/pull?${query}`, {
        token: device.token,
        headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      });
    };
    const first = await answer();
    expect(first.status).toBe(200);
    const handedOut = (first.json as PullResponse).cursor;
    expect(firstSyncPositionOf(handedOut)?.table).toBe('users');
    // Nothing is written during this test: the versions stand still.
    const safe = await safeVersion();
    const newest = await newestVersion();
    expect(newest).toBe(safe);
    expect(safe).toBeGreaterThan(11);
    for (const cursor of [
      'garbage',
      'v1.',
      'v1.-3',
      'v2.5',
      'f1.1.2',
      'f1.10.jobs',
      // The table by its index, as cursors once named it.
      'f1.10.3.0',
      'f1.10.nosuchtable.0',
      'f1.10.Jobs.0',
      'f1.10.job_notes.0',
      'f1.10.constructor.0',
      // After above upTo.
      'f1.10.jobs.11',
      'f1.10.jobs.-1',
      // Above the newest version: from a database restored to an earlier point, say.
      `v1.${newest + 1}`,
      `v1.${Number.MAX_SAFE_INTEGER}`,
      'v1.99999999999999999999',
      `f1.${newest + 1}.jobs.0`,
      `f1.${Number.MAX_SAFE_INTEGER}.jobs.0`,
      'f1.99999999999999999999.jobs.0',
    ]) {
      const response = await answer(cursor);
      expect(response.status, cursor).toBe(400);
      expect(response.json?.error?.code, cursor).toBe('invalid_body');
      expect(response.json?.error?.details, cursor).toEqual({ field: 'cursor' });
    }
    // The cursors it hands out are taken back, and so is any at or below the newest version.
    for (const cursor of [handedOut, `v1.${safe}`, `f1.${safe}.jobs.${safe}`, 'f1.10.estimates.10', 'v1.0']) {
      expect((await answer(cursor)).status, cursor).toBe(200);
    }
  });

  test('a page whose limit ends exactly at the end of a table hands on the next table from its first row', async () => {
    const device = await openDevice(server, 'dispatcher1@example.com');
    const upTo = await safeVersion();
    const whole = await pull(server, device, { limit: 5000 });
    expect(whole).toMatchObject({ hasMore: false, cursor: `v1.${upTo}` });
    const wholeCopy: LocalCopy = new Map();
    applyPage(wholeCopy, whole);

    // Every row of the tables before jobs, soft-deleted ones too (they come as removed).
    const leading = FIRST_SYNC_ORDER.slice(0, JOBS_TURN);
    expect(leading).toEqual(['organizations', 'users', 'contractors']);
    const [counted] = await server.database.query<{ n: number }>(
      sql`select (select count(*) from organizations where id = ${server.orgA.orgId} and version <= ${upTo})
        + (select count(*) from users where org_id = ${server.orgA.orgId} and version <= ${upTo})
        + (select count(*) from contractors where org_id = ${server.orgA.orgId} and version <= ${upTo}) as n`,
    );
    const limit = Number(counted?.n);
    expect(leading.reduce((sum, table) => sum + rowCountOf(whole, table), 0)).toBe(limit);
    expect(rowCountOf(whole, 'jobs')).toBeGreaterThan(0);

    const first = await pull(server, device, { limit });
    expect(tablesIn(first)).toEqual(leading);
    expect(rowCountOf(first)).toBe(limit);
    expect(first).toMatchObject({ hasMore: true, cursor: `f1.${upTo}.jobs.0` });

    // The next page starts with the lowest versions of jobs, and nothing before them.
    const second = await pull(server, device, { cursor: first.cursor, limit });
    expect(tablesIn(second)[0]).toBe('jobs');
    const lowestJobs = await ids(sql`select id from jobs where org_id = ${server.orgA.orgId} and version <= ${upTo}
      order by version limit ${limit}`);
    expect(new Set([...changedIds(second, 'jobs'), ...(second.removed.jobs ?? [])])).toEqual(lowestJobs);

    const copy: LocalCopy = new Map();
    applyPage(copy, first);
    applyPage(copy, second);
    const rest = await pullAll(server, device, { cursor: second.cursor, limit, copy });
    expect(rest.cursor).toBe(`v1.${upTo}`);
    expect(versionsOf(copy)).toEqual(versionsOf(wholeCopy));
    expect(copy).toEqual(wholeCopy);
  });

  test('a first sync whose last table fills the page exactly ends with a version cursor, and the next pull finds nothing new', async () => {
    // The last table of the order must have rows for the office: else the page ends before it, in a table with none.
    expect(FIRST_SYNC_ORDER.at(-1)).toBe('estimates');
    const fixture = await createJobFixture(server, office);
    await estimateFor(fixture.customerId);
    const device = await openDevice(server, 'dispatcher2@example.com');
    const upTo = await safeVersion();
    const whole = await pull(server, device, { limit: 5000 });
    expect(whole).toMatchObject({ hasMore: false, cursor: `v1.${upTo}` });
    const wholeCopy: LocalCopy = new Map();
    applyPage(wholeCopy, whole);
    const total = rowCountOf(whole);
    expect(total).toBeGreaterThan(100);

    // In one page; and in two, the second starting part-way through a table.
    const third = Math.floor(total / 3);
    for (const limits of [[total], [third, total - third]]) {
      const copy: LocalCopy = new Map();
      let cursor: string | undefined;
      let lastPage: PullResponse | undefined;
      for (const [index, limit] of limits.entries()) {
        lastPage = await pull(server, device, { cursor, limit });
        applyPage(copy, lastPage);
        expect(rowCountOf(lastPage), `${limits}`).toBe(limit);
        expect(lastPage.hasMore, `${limits}`).toBe(true);
        cursor = lastPage.cursor;
        if (index < limits.length - 1) expect(firstSyncPositionOf(cursor)?.upTo, `${limits}`).toBe(upTo);
      }
      expect(tablesIn(lastPage as PullResponse).at(-1)).toBe('estimates');
      // Full, so the server cannot tell whether more follows: the version cursor says where to look.
      expect(cursor, `${limits}`).toBe(`v1.${upTo}`);
      expect(copy).toEqual(wholeCopy);
      const after = await pull(server, device, { cursor, limit: 1 });
      expect(after, `${limits}`).toMatchObject({ hasMore: false, changes: {}, removed: {}, cursor });
    }
  });

  test('last_pulled_version stays 0 while a first sync is part-way and reaches its upTo once it is over', async () => {
    const device = await openDevice(server, 'dispatcher2@example.com');
    // Pulling is bookkept for a client the server knows: one that has pushed.
    const fixture = await createJobFixture(server, office);
    await pushApplied(server, device, [
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'Client registered' } },
    ]);
    const lastPulledVersion = async () => {
      const [row] = await server.database.query<{ version: string }>(
        sql`select last_pulled_version::text as version from sync_clients where id = ${device.clientId}`,
      );
      return Number(row?.version);
    };
    expect(await lastPulledVersion()).toBe(0);

    let page = await pull(server, device, { limit: 25 });
    const upTo = firstSyncPositionOf(page.cursor)?.upTo as number;
    expect(upTo).toBeGreaterThan(0);
    let pages = 1;
    while (page.cursor.startsWith('f1.')) {
      expect(await lastPulledVersion(), `after page ${pages}`).toBe(0);
      page = await pull(server, device, { cursor: page.cursor, limit: 25 });
      pages++;
    }
    expect(pages).toBeGreaterThan(3);
    const delivered = await lastPulledVersion();
    expect(delivered).toBeGreaterThanOrEqual(upTo);
    expect(delivered).toBe(Number(page.cursor.slice(3)));
  });
});
