import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from '../testing/test-database';
import { migrate } from './migrate';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('data model on %s', (kind) => {
  let testDb: TestDatabase;
  const org = randomUUID();
  const otherOrg = randomUUID();
  const user = randomUUID();
  const contractor = randomUUID();
  const customer = randomUUID();
  const job = randomUUID();

  const run = (statement: ReturnType<typeof sql>) => testDb.database.query(statement);
  /** Postgres error code of a statement that must fail. */
  const failureCode = async (statement: ReturnType<typeof sql>) => {
    try {
      await testDb.database.db.transaction(async (tx) => {
        await tx.execute(statement);
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return cause?.code ?? (error as { code?: string }).code ?? 'unknown';
    }
    return 'succeeded';
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await run(sql`insert into organizations (id, name) values (${org}, 'A'), (${otherOrg}, 'B')`);
    await run(
      sql`insert into users (org_id, id, email, password_hash, name, role) values (${org}, ${user}, 'Pat@Example.com', 'x', 'Pat', 'contractor')`,
    );
    await run(
      sql`insert into contractors (org_id, id, user_id, name, trade) values (${org}, ${contractor}, ${user}, 'Pat', 'tile')`,
    );
    await run(sql`insert into customers (org_id, id, name) values (${org}, ${customer}, 'Cust')`);
    await run(
      sql`insert into jobs (org_id, id, job_number, title, trade, customer_id) values (${org}, ${job}, 'JOB-20261121-ABC123', 'Tile', 'tile', ${customer})`,
    );
  });
  afterAll(() => testDb.drop());

  test('migrations are safe to run twice', async () => {
    await migrate(testDb.database);
    const [row] = await run(sql`select count(*)::int as n from organizations`);
    expect(row).toEqual({ n: 2 });
  });

  test('every synced table has version, updated_at and deleted_at, and org_id leads its primary key', async () => {
    const synced = [
      'users',
      'contractors',
      'working_hours',
      'customers',
      'jobs',
      'assignments',
      'materials',
      'job_notes',
      'job_status_history',
      'activity_log',
      'conflicts',
      'ratings',
      'notifications',
      'alert_rules',
      'alert_deliveries',
    ];
    for (const table of synced) {
      const columns = await run(
        sql`select column_name from information_schema.columns where table_name = ${table} and column_name in ('version', 'updated_at', 'deleted_at', 'org_id')`,
      );
      expect(columns.map((c) => c.column_name).sort(), table).toEqual([
        'deleted_at',
        'org_id',
        'updated_at',
        'version',
      ]);
      const [pk] = await run(sql`
        select a.attname as first_column from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = ${table}::regclass and i.indisprimary`);
      expect(pk?.first_column, table).toBe('org_id');
    }
  });

  test('an update takes a new version from the one change sequence', async () => {
    const [before] = await run(sql`select version from jobs where id = ${job}`);
    await run(sql`update jobs set title = 'Tile floor' where org_id = ${org} and id = ${job}`);
    const [after] = await run(sql`select version from jobs where id = ${job}`);
    expect(Number(after?.version)).toBeGreaterThan(Number(before?.version));
  });

  test('emails are unique case-insensitively', async () => {
    expect(
      await failureCode(
        sql`insert into users (org_id, id, email, password_hash, name, role) values (${otherOrg}, ${randomUUID()}, 'pat@example.COM', 'x', 'P2', 'admin')`,
      ),
    ).toBe('23505');
  });

  test('roles, trades, statuses and priorities only take known values', async () => {
    expect(
      await failureCode(
        sql`insert into users (org_id, id, email, password_hash, name, role) values (${org}, ${randomUUID()}, 'r@x.io', 'x', 'R', 'owner')`,
      ),
    ).toBe('23514');
    expect(await failureCode(sql`update jobs set status = 'done' where id = ${job}`)).toBe('23514');
    expect(await failureCode(sql`update jobs set priority = 'asap' where id = ${job}`)).toBe('23514');
    expect(await failureCode(sql`update contractors set trade = 'roofing' where id = ${contractor}`)).toBe('23514');
    expect(await failureCode(sql`update contractors set status = 'retired' where id = ${contractor}`)).toBe('23514');
  });

  test('contractor rating stays within 0–5', async () => {
    expect(await failureCode(sql`update contractors set rating = 5.5 where id = ${contractor}`)).toBe('23514');
    expect(await failureCode(sql`update contractors set rating = -1 where id = ${contractor}`)).toBe('23514');
    expect(await failureCode(sql`update contractors set rating = 5 where id = ${contractor}`)).toBe('succeeded');
  });

  test('latitude and longitude stay in range and come together', async () => {
    expect(await failureCode(sql`update customers set lat = 91, lng = 0 where id = ${customer}`)).toBe('23514');
    expect(await failureCode(sql`update customers set lat = 0, lng = 181 where id = ${customer}`)).toBe('23514');
    expect(await failureCode(sql`update customers set lat = 10, lng = null where id = ${customer}`)).toBe('23514');
    expect(await failureCode(sql`update jobs set lat = -91, lng = 0 where id = ${job}`)).toBe('23514');
  });

  test('job duration is 30–480 minutes and job numbers are unique and well-formed', async () => {
    expect(await failureCode(sql`update jobs set duration_minutes = 15 where id = ${job}`)).toBe('23514');
    expect(await failureCode(sql`update jobs set duration_minutes = 481 where id = ${job}`)).toBe('23514');
    expect(await failureCode(sql`update jobs set job_number = 'J-1' where id = ${job}`)).toBe('23514');
    expect(
      await failureCode(
        sql`insert into jobs (org_id, id, job_number, title, trade) values (${org}, ${randomUUID()}, 'JOB-20261121-ABC123', 'Dup', 'tile')`,
      ),
    ).toBe('23505');
  });

  test('material quantity is positive and purchased goes with purchased_by and purchased_at', async () => {
    const insertMaterial = (quantity: number, purchased: boolean, by: string | null, at: string | null) =>
      failureCode(sql`insert into materials (org_id, id, job_id, item_name, quantity, purchased, purchased_by, purchased_at)
        values (${org}, ${randomUUID()}, ${job}, 'Grout', ${quantity}, ${purchased}, ${by}, ${at})`);
    expect(await insertMaterial(0, false, null, null)).toBe('23514');
    expect(await insertMaterial(2, true, null, null)).toBe('23514');
    expect(await insertMaterial(2, false, user, '2026-11-21T10:00:00Z')).toBe('23514');
    expect(await insertMaterial(2, true, user, '2026-11-21T10:00:00Z')).toBe('succeeded');
  });

  test('working hours end after start, last at most 16 hours, one row per day', async () => {
    const insertHours = (day: number, start: string, end: string) =>
      failureCode(sql`insert into working_hours (org_id, id, contractor_id, day_of_week, start_time, end_time)
        values (${org}, ${randomUUID()}, ${contractor}, ${day}, ${start}, ${end})`);
    expect(await insertHours(1, '10:00', '09:00')).toBe('23514');
    expect(await insertHours(1, '05:00', '21:30')).toBe('23514');
    expect(await insertHours(7, '08:00', '16:00')).toBe('23514');
    expect(await insertHours(1, '08:00', '16:00')).toBe('succeeded');
    expect(await insertHours(1, '09:00', '17:00')).toBe('23505');
  });

  test('a contractor is assigned to a job once', async () => {
    const insertAssignment = (start: string, end: string) =>
      failureCode(sql`insert into assignments (org_id, id, job_id, contractor_id, status, scheduled_start, scheduled_end)
        values (${org}, ${randomUUID()}, ${job}, ${contractor}, 'pending', ${start}, ${end})`);
    expect(await insertAssignment('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z')).toBe('succeeded');
    expect(await insertAssignment('2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z')).toBe('23505');
  });

  test("a contractor's live assignments never overlap; cancelled ones and touching ones may", async () => {
    const makeJob = async () => {
      const id = randomUUID();
      const number = `JOB-20261121-${id
        .slice(0, 6)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '0')}`;
      await run(
        sql`insert into jobs (org_id, id, job_number, title, trade) values (${org}, ${id}, ${number}, 'J', 'tile')`,
      );
      return id;
    };
    const assign = async (status: string, start: string, end: string) =>
      failureCode(sql`insert into assignments (org_id, id, job_id, contractor_id, status, scheduled_start, scheduled_end)
        values (${org}, ${randomUUID()}, ${await makeJob()}, ${contractor}, ${status}, ${start}, ${end})`);
    expect(await assign('confirmed', '2026-12-10T09:00:00Z', '2026-12-10T11:00:00Z')).toBe('succeeded');
    expect(await assign('pending', '2026-12-10T10:00:00Z', '2026-12-10T12:00:00Z')).toBe('23P01');
    expect(await assign('cancelled', '2026-12-10T10:00:00Z', '2026-12-10T12:00:00Z')).toBe('succeeded');
    expect(await assign('pending', '2026-12-10T11:00:00Z', '2026-12-10T12:00:00Z')).toBe('succeeded');
    expect(await assign('pending', '2026-12-10T08:00:00Z', '2026-12-10T08:00:00Z')).toBe('23514');
  });

  test('foreign keys keep rows inside their organisation and cascade deliberately', async () => {
    // A job of org A cannot point at a customer id from org B.
    const foreignCustomer = randomUUID();
    await run(sql`insert into customers (org_id, id, name) values (${otherOrg}, ${foreignCustomer}, 'B cust')`);
    expect(
      await failureCode(
        sql`insert into jobs (org_id, id, job_number, title, trade, customer_id) values (${org}, ${randomUUID()}, 'JOB-20261121-ZZZ999', 'X', 'tile', ${foreignCustomer})`,
      ),
    ).toBe('23503');
    // Customers with jobs cannot be hard-deleted; deleting a job takes its materials with it.
    // foreign_key_violation on Postgres 15, restrict_violation on PGlite's Postgres 18.
    expect(['23503', '23001']).toContain(await failureCode(sql`delete from customers where id = ${customer}`));
    const doomedJob = randomUUID();
    await run(
      sql`insert into jobs (org_id, id, job_number, title, trade) values (${org}, ${doomedJob}, 'JOB-20261121-DOOMED', 'X', 'tile')`,
    );
    await run(
      sql`insert into materials (org_id, id, job_id, item_name, quantity) values (${org}, ${randomUUID()}, ${doomedJob}, 'Nails', 1)`,
    );
    await run(sql`delete from jobs where org_id = ${org} and id = ${doomedJob}`);
    const [left] = await run(sql`select count(*)::int as n from materials where job_id = ${doomedJob}`);
    expect(left).toEqual({ n: 0 });
  });

  test('the ledger holds one outcome per (client, seq) and ratings are 1–5, one per assignment', async () => {
    const clientId = randomUUID();
    await run(sql`insert into sync_clients (org_id, id, user_id) values (${org}, ${clientId}, ${user})`);
    const ledger = (outcome: string) =>
      failureCode(sql`insert into mutations (org_id, client_id, seq, user_id, name, args, outcome, occurred_at)
        values (${org}, ${clientId}, 1, ${user}, 'note.add', '{}'::jsonb, ${outcome}, now())`);
    expect(await ledger('ignored')).toBe('23514');
    expect(await ledger('applied')).toBe('succeeded');
    expect(await ledger('applied')).toBe('23505');

    const [assignment] = await run(
      sql`select id from assignments where org_id = ${org} and status = 'confirmed' limit 1`,
    );
    const rate = (stars: number) =>
      failureCode(sql`insert into ratings (org_id, id, assignment_id, contractor_id, stars)
        values (${org}, ${randomUUID()}, ${assignment?.id as string}, ${contractor}, ${stars})`);
    expect(await rate(6)).toBe('23514');
    expect(await rate(0)).toBe('23514');
    expect(await rate(5)).toBe('succeeded');
    expect(await rate(4)).toBe('23505');
  });
});
