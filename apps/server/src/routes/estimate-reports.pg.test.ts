/**
 * `GET /api/reports/estimates` and `GET /api/reports/revenue` on a real
 * server, in the demo company's zone (America/Denver, UTC−7 in winter).
 * Estimates are inserted as the server stores them (totals from
 * `newEstimate`); the jobs are completed through pushes on the test clock,
 * and their costs are set in the database.
 */
import { randomUUID } from 'node:crypto';
import { newEstimate } from '@fieldsync/domain';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { estimates, jobs } from '../db/schema';
import { assignJob, createJobFixture, type Device, openDevice, pushApplied } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('the estimates and revenue reports on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  let otherOffice: Device;

  const get = (path: string, token = office.token) => server.call('GET', path, { token });

  async function contractorNamed(name: string) {
    const [row] = await server.database.query<{ id: string }>(
      sql`select id from contractors where org_id = ${server.orgA.orgId} and name = ${name}`,
    );
    if (!row) throw new Error(`no contractor ${name}`);
    return row.id;
  }

  /** An estimate of `orgId` stored with a status and when it was sent. */
  async function insertEstimate(orgId: string, customerId: string, status: string, sentAt: string | null) {
    const id = randomUUID();
    const row = newEstimate(
      {
        id,
        customerId,
        title: 'Deck',
        lines: [
          { id: randomUUID(), kind: 'labor', description: 'Work', quantity: 2, unit: 'hours', unitPriceCents: 5000 },
        ],
        taxRateBasisPoints: 0,
        validUntil: '2027-03-01',
      },
      { currency: 'USD', createdBy: office.userId },
    );
    await server.database.db.insert(estimates).values({
      ...row,
      orgId,
      number: `EST-20261121-${id.replaceAll('-', '').slice(0, 6).toUpperCase()}`,
      status,
      sentAt,
    });
  }

  /** Signs everyone in again after the clock moved (tokens live 15 minutes on it). */
  async function signInAgain() {
    office.token = (await server.login(office.email)).accessToken;
    phone.token = (await server.login(phone.email)).accessToken;
    otherOffice.token = (await server.login(otherOffice.email)).accessToken;
  }

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, 'contractor3@example.com');
    otherOffice = await openDevice(server, 'dispatcher1@other.example');
  });
  afterAll(() => server.close());

  describe('estimates', () => {
    beforeAll(async () => {
      const { customerId } = await createJobFixture(server, office);
      // Far from the demo company's own estimates, which are sent before the test clock's now.
      const orgId = server.orgA.orgId;
      // Nov 30, 22:00 in Denver: November there, December in UTC.
      await insertEstimate(orgId, customerId, 'accepted', '2030-12-01T05:00:00Z');
      await insertEstimate(orgId, customerId, 'rejected', '2030-11-02T16:00:00Z');
      await insertEstimate(orgId, customerId, 'sent', '2030-11-20T16:00:00Z');
      // Dec 1, 00:30 in Denver.
      await insertEstimate(orgId, customerId, 'expired', '2030-12-01T07:30:00Z');
      await insertEstimate(orgId, customerId, 'accepted', '2030-12-15T16:00:00Z');
      await insertEstimate(orgId, customerId, 'accepted', '2030-12-16T16:00:00Z');
      // Never sent; pulled back to draft; outside the range.
      await insertEstimate(orgId, customerId, 'draft', null);
      await insertEstimate(orgId, customerId, 'draft', '2030-12-10T16:00:00Z');
      await insertEstimate(orgId, customerId, 'accepted', '2030-10-31T16:00:00Z');
      // Another company's.
      const [otherCustomer] = await server.database.query<{ id: string }>(
        sql`select id from customers where org_id = ${server.orgB?.orgId} limit 1`,
      );
      await insertEstimate(
        server.orgB?.orgId as string,
        otherCustomer?.id as string,
        'accepted',
        '2030-12-15T16:00:00Z',
      );
    });

    test('counts estimates by the company month they were sent in, with the acceptance rate', async () => {
      const response = await get('/api/reports/estimates?from=2030-11&to=2031-01');
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        months: [
          { month: '2030-11', sent: 3, accepted: 1, rejected: 1, expired: 0, acceptanceRate: 0.5 },
          { month: '2030-12', sent: 3, accepted: 2, rejected: 0, expired: 1, acceptanceRate: 2 / 3 },
          { month: '2031-01', sent: 0, accepted: 0, rejected: 0, expired: 0, acceptanceRate: null },
        ],
      });
      const otherCompany = await get('/api/reports/estimates?from=2030-12&to=2030-12', otherOffice.token);
      expect(otherCompany.json).toEqual({
        months: [{ month: '2030-12', sent: 1, accepted: 1, rejected: 0, expired: 0, acceptanceRate: 1 }],
      });
    });

    test('is for the office only; bad ranges are 400 invalid_body in plain words', async () => {
      const contractor = await get('/api/reports/estimates?from=2026-11&to=2026-12', phone.token);
      expect(contractor.status).toBe(403);
      expect(contractor.json.error).toEqual({ code: 'forbidden', message: 'Only the office can see this report.' });
      expect((await server.call('GET', '/api/reports/estimates?from=2026-11&to=2026-12')).status).toBe(401);

      const cases: Array<[string, string]> = [
        ['to=2026-12', 'from is required, as YYYY-MM.'],
        ['from=2026-11', 'to is required, as YYYY-MM.'],
        ['from=2026-13&to=2026-12', 'from must be a month as YYYY-MM.'],
        ['from=2026-11-01&to=2026-12', 'from must be a month as YYYY-MM.'],
        ['from=2026-12&to=2026-11', 'from must not be after to.'],
        ['from=2024-01&to=2027-01', 'The estimates report covers at most 36 months; this asks for 37.'],
      ];
      for (const [query, message] of cases) {
        const response = await get(`/api/reports/estimates?${query}`);
        expect({ query, status: response.status, error: response.json.error }).toEqual({
          query,
          status: 400,
          error: { code: 'invalid_body', message },
        });
      }
      expect((await get('/api/reports/estimates?from=2024-02&to=2027-01')).status).toBe(200);
    });
  });

  describe('revenue', () => {
    let aisha: string;
    let james: string;
    let tom: string;

    /** A job with `crew` assigned, its costs set; returns its id. */
    async function jobFor(crew: string[], costs: { agreed: number | null; actual?: number | null }) {
      const { jobId } = await createJobFixture(server, office);
      for (const contractorId of crew) await assignJob(server, office, jobId, contractorId);
      await server.database.db
        .update(jobs)
        .set({ agreedCostCents: costs.agreed, actualCostCents: costs.actual ?? null })
        .where(and(eq(jobs.orgId, server.orgA.orgId), eq(jobs.id, jobId)));
      return jobId;
    }

    const setStatus = (jobId: string, from: string, to: string, occurredAt: string) => ({
      name: 'job.setStatus',
      args: { jobId, from, to },
      occurredAt,
    });

    beforeAll(async () => {
      aisha = await contractorNamed('Aisha Patel');
      james = await contractorNamed('James Carter');
      tom = await contractorNamed('Tom Nguyen');
      const crewJob = await jobFor([james, aisha], { agreed: 100_001 });
      const costlier = await jobFor([aisha], { agreed: 20_000, actual: 25_000 });
      const february = await jobFor([james], { agreed: 7_000 });
      const reopened = await jobFor([tom], { agreed: 9_000 });

      // Done on Feb 1, 02:00 in Denver; every completion below happened earlier on the phones' clocks.
      server.clock.advance(Date.parse('2027-02-01T09:00:00Z') - server.clock.now().getTime());
      await signInAgain();
      await pushApplied(server, office, [
        // Jan 31, 15:00 in Denver.
        setStatus(crewJob, 'scheduled', 'in_progress', '2027-01-31T20:00:00Z'),
        setStatus(crewJob, 'in_progress', 'completed', '2027-01-31T22:00:00Z'),
        // Jan 31, 23:30 in Denver: still January there.
        setStatus(costlier, 'scheduled', 'in_progress', '2027-02-01T05:00:00Z'),
        setStatus(costlier, 'in_progress', 'completed', '2027-02-01T06:30:00Z'),
        // Feb 1, 01:00 in Denver.
        setStatus(february, 'scheduled', 'in_progress', '2027-02-01T07:00:00Z'),
        setStatus(february, 'in_progress', 'completed', '2027-02-01T08:00:00Z'),
        // Completed in January, reopened and completed again on Feb 1: February's.
        setStatus(reopened, 'scheduled', 'in_progress', '2027-01-20T16:00:00Z'),
        setStatus(reopened, 'in_progress', 'completed', '2027-01-20T18:00:00Z'),
        setStatus(reopened, 'completed', 'in_progress', '2027-02-01T07:10:00Z'),
        setStatus(reopened, 'in_progress', 'completed', '2027-02-01T08:10:00Z'),
      ]);
    });

    test('splits what each job earned between the contractors who completed it', async () => {
      const january = await get('/api/reports/revenue?from=2027-01-01&to=2027-01-31');
      expect(january.status).toBe(200);
      expect(january.json).toEqual({
        currency: 'USD',
        contractors: [
          // 100,001 ÷ 2: the odd cent to the first by name; plus the job's actual cost, not its agreed one.
          { contractorId: aisha, name: 'Aisha Patel', jobs: 2, revenueCents: 50_001 + 25_000 },
          { contractorId: james, name: 'James Carter', jobs: 1, revenueCents: 50_000 },
        ],
        totalCents: 125_001,
      });

      const february = await get('/api/reports/revenue?from=2027-02-01&to=2027-02-28');
      expect(february.json).toEqual({
        currency: 'USD',
        contractors: [
          { contractorId: james, name: 'James Carter', jobs: 1, revenueCents: 7_000 },
          { contractorId: tom, name: 'Tom Nguyen', jobs: 1, revenueCents: 9_000 },
        ],
        totalCents: 16_000,
      });

      const otherCompany = await get('/api/reports/revenue?from=2027-01-01&to=2027-02-28', otherOffice.token);
      expect(otherCompany.json).toEqual({ currency: 'USD', contractors: [], totalCents: 0 });
    });

    test('is for the office only; bad ranges are 400 invalid_body in plain words', async () => {
      const contractor = await get('/api/reports/revenue?from=2027-01-01&to=2027-01-31', phone.token);
      expect(contractor.status).toBe(403);
      expect(contractor.json.error).toEqual({ code: 'forbidden', message: 'Only the office can see this report.' });
      expect((await server.call('GET', '/api/reports/revenue?from=2027-01-01&to=2027-01-31')).status).toBe(401);

      const cases: Array<[string, string]> = [
        ['to=2027-01-31', 'from is required, as YYYY-MM-DD.'],
        ['from=2027-01&to=2027-01-31', 'from must be a date as YYYY-MM-DD.'],
        ['from=2027-02-01&to=2027-02-30', 'to is not a real calendar date.'],
        ['from=2027-02-01&to=2027-01-31', 'from must not be after to.'],
        ['from=2024-01-01&to=2027-01-05', 'The revenue report covers at most 1100 days; this asks for 1101.'],
      ];
      for (const [query, message] of cases) {
        const response = await get(`/api/reports/revenue?${query}`);
        expect({ query, status: response.status, error: response.json.error }).toEqual({
          query,
          status: 400,
          error: { code: 'invalid_body', message },
        });
      }
      expect((await get('/api/reports/revenue?from=2026-01-01&to=2027-01-01')).status).toBe(200);
    });
  });
});
