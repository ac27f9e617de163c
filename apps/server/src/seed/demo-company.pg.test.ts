import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from '../testing/test-database';
import { DEMO_LOGINS, seedDemoCompany } from './demo-company';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('the demo company on %s', (kind) => {
  let testDb: TestDatabase;
  const now = new Date('2026-11-21T15:00:00Z');
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await seedDemoCompany(testDb.database.db, { passwordHash: 'x', now });
  });
  afterAll(() => testDb.drop());
  const query = <Row>(statement: ReturnType<typeof sql>) => testDb.database.query<Row>(statement);

  test('has the fixed logins: 1 admin, 2 dispatchers, 12 contractors with contractor rows and hours', async () => {
    const users = await query<{ email: string; role: string }>(sql`select email, role from users order by email`);
    expect(users.filter((user) => user.role === 'admin').map((user) => user.email)).toEqual([DEMO_LOGINS.admin]);
    expect(users.filter((user) => user.role === 'dispatcher').map((user) => user.email)).toEqual([
      ...DEMO_LOGINS.dispatchers,
    ]);
    expect(users.filter((user) => user.role === 'contractor')).toHaveLength(12);
    const [linked] = await query<{ n: number; trades: number; withHours: number }>(sql`
      select count(*)::int as n, count(distinct trade)::int as trades,
        count(*) filter (where exists (select 1 from working_hours w where w.contractor_id = c.id))::int as "withHours"
      from contractors c where user_id is not null and base_lat is not null`);
    expect(linked).toEqual({ n: 12, trades: 6, withHours: 12 });
  });

  test('has ~60 customers and ~200 jobs over the past and next two weeks, in every status', async () => {
    const [counts] = await query<{ customers: number; jobs: number; earliest: string; latest: string }>(sql`
      select (select count(*)::int from customers) as customers, (select count(*)::int from jobs) as jobs,
        (select min(desired_date)::text from jobs) as earliest, (select max(desired_date)::text from jobs) as latest`);
    expect(counts?.customers).toBe(60);
    expect(counts?.jobs).toBe(200);
    expect(counts?.earliest).toBe('2026-11-07');
    expect(counts?.latest).toBe('2026-12-05');
    const statuses = await query<{ status: string }>(sql`select distinct status from jobs order by status`);
    expect(statuses.map((row) => row.status)).toEqual([
      'cancelled',
      'completed',
      'in_progress',
      'on_hold',
      'open',
      'scheduled',
      'waiting_on_materials',
    ]);
  });

  test('every job history ends in the job status, and assigned statuses have an assignment', async () => {
    const mismatched = await query<{ id: string }>(sql`
      select j.id from jobs j
      where j.status <> (select h.to_status from job_status_history h where h.job_id = j.id order by h.occurred_at desc limit 1)`);
    expect(mismatched).toEqual([]);
    const unassigned = await query<{ id: string }>(sql`
      select j.id from jobs j where j.status not in ('open', 'cancelled')
        and not exists (select 1 from assignments a where a.job_id = j.id)`);
    expect(unassigned).toEqual([]);
    const [children] = await query<{ materials: number; notes: number }>(sql`
      select (select count(*)::int from materials) as materials, (select count(*)::int from job_notes) as notes`);
    expect(children?.materials).toBeGreaterThan(100);
    expect(children?.notes).toBeGreaterThan(50);
  });

  test('prices work: a price list, estimates in every status with totals that add up, accepted ones on their job', async () => {
    const [list] = await query<{ items: number }>(sql`select count(*)::int as items from price_list_items`);
    expect(list?.items).toBeGreaterThanOrEqual(10);
    const statuses = await query<{ status: string }>(sql`select distinct status from estimates order by status`);
    expect(statuses.map((row) => row.status)).toEqual(['accepted', 'draft', 'expired', 'rejected', 'sent']);
    const unlinked = await query<{ id: string }>(sql`
      select e.id from estimates e left join jobs j on j.id = e.job_id
      where e.status = 'accepted' and (j.id is null or j.agreed_cost_cents <> e.total_cents)`);
    expect(unlinked).toEqual([]);
    const [costs] = await query<{ costed: number; unexplained: number }>(sql`
      select count(*) filter (where actual_cost_cents is not null)::int as costed,
        count(*) filter (where actual_cost_cents <> agreed_cost_cents and cost_difference_reason is null)::int as unexplained
      from jobs where status = 'completed'`);
    expect(costs?.costed).toBeGreaterThan(10);
    expect(costs?.unexplained).toBe(0);
  });
});
