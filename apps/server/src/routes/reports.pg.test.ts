/**
 * `GET /api/reports/timesheet` (CONTRACTS.md "Reports"): time on site read
 * from a status history made by real pushes from a contractor's phone, on the
 * test clock, in the demo company's zone (America/Denver, UTC−7 in December).
 */
import { randomUUID } from 'node:crypto';
import type { TimesheetRow } from '@fieldsync/domain';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  createJobFixture,
  type Device,
  jobRow,
  openDevice,
  type PlannedMutation,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

const CONTRACTOR_EMAIL = 'night.shift@example.com';
const CONTRACTOR_PASSWORD = 'a long enough password';
const CONTRACTOR_NAME = 'Quinn, "Night" Zed';
const JOB_TITLE = 'Boiler, "urgent"';

describe.each(kinds)('the timesheet report on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  let contractorId: string;
  let jobId: string;
  let jobNumber: string;

  /** Moves the test clock to `iso` and signs both people in again (tokens live 15 minutes on that clock). */
  async function at(iso: string) {
    server.clock.advance(Date.parse(iso) - server.clock.now().getTime());
    office.token = (await server.login('dispatcher1@example.com')).accessToken;
    phone.token = (await server.login(CONTRACTOR_EMAIL, CONTRACTOR_PASSWORD)).accessToken;
  }

  const setStatus = (from: string, to: string, occurredAt: string): PlannedMutation => ({
    name: 'job.setStatus',
    args: { jobId, from, to },
    occurredAt,
  });

  const report = (query: string, token = office.token) =>
    server.call('GET', `/api/reports/timesheet?${query}`, { token });

  const rowOf = (date: string, working: number, waiting: number, onHold: number): TimesheetRow => ({
    date,
    contractorId,
    contractorName: CONTRACTOR_NAME,
    jobId,
    jobNumber,
    jobTitle: JOB_TITLE,
    workingMinutes: working,
    waitingMinutes: waiting,
    onHoldMinutes: onHold,
  });

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');

    // A contractor of their own, so their report holds nothing of the demo data.
    const userId = randomUUID();
    contractorId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'user.invite',
        args: {
          id: userId,
          email: CONTRACTOR_EMAIL,
          name: CONTRACTOR_NAME,
          role: 'contractor',
          contractor: { id: contractorId, trade: 'general' },
        },
      },
    ]);
    const link = await server.call('POST', `/api/users/${userId}/invite-link`, { token: office.token });
    const accepted = await server.call('POST', '/api/auth/accept-invite', {
      body: { token: link.json.token, password: CONTRACTOR_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    phone = {
      email: CONTRACTOR_EMAIL,
      userId,
      role: 'contractor',
      token: accepted.json.accessToken,
      clientId: randomUUID(),
      nextSeq: 1,
    };

    ({ jobId } = await createJobFixture(server, office, { title: JOB_TITLE }));
    jobNumber = String((await jobRow(server, jobId))?.job_number);
    const assignmentId = await assignJob(server, office, jobId, contractorId);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
    ]);

    // Mon Dec 7, 22:00 MST (Dec 8 05:00Z): started, online.
    await at('2026-12-08T05:00:00Z');
    await pushApplied(server, phone, [setStatus('scheduled', 'in_progress', '2026-12-08T05:00:00Z')]);
    // The night offline, sent Tuesday 09:00 MST (16:00Z): waiting 01:30–02:00, working 02:00–03:00, on hold from 03:00.
    await at('2026-12-08T16:00:00Z');
    await pushApplied(server, phone, [
      setStatus('in_progress', 'waiting_on_materials', '2026-12-08T08:30:00Z'),
      setStatus('waiting_on_materials', 'in_progress', '2026-12-08T09:00:00Z'),
      setStatus('in_progress', 'on_hold', '2026-12-08T10:00:00Z'),
    ]);
    // 11:00 MST (18:00Z), from a phone whose clock runs three hours fast: counted from when the server got it.
    await at('2026-12-08T18:00:00Z');
    await pushApplied(server, phone, [setStatus('on_hold', 'in_progress', '2026-12-08T21:00:00Z')]);
    // Still at it at 12:15 MST.
    await at('2026-12-08T19:15:00Z');
  });
  afterAll(() => server.close());

  // Mon: 05:00Z → 07:00Z (midnight MST) = 120 working.
  // Tue: working 07:00–08:30 (90) + 09:00–10:00 (60) + 18:00–19:15 (75) = 225; waiting 08:30–09:00 = 30;
  // on hold 10:00–18:00 = 480.
  const expectedRows = () => [rowOf('2026-12-07', 120, 0, 0), rowOf('2026-12-08', 225, 30, 480)];

  test('the office gets one row per day and job, split at the company’s midnight', async () => {
    const response = await report(`from=2026-12-07&to=2026-12-08&contractorId=${contractorId}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ rows: expectedRows() });

    const everyone = await report('from=2026-12-07&to=2026-12-08');
    expect(everyone.status).toBe(200);
    expect(everyone.json.rows).toEqual(expect.arrayContaining(expectedRows()));
  });

  test('CSV: the contract’s header, RFC 4180 quoting, a download named after the range', async () => {
    const response = await report(`from=2026-12-07&to=2026-12-08&contractorId=${contractorId}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="timesheet-2026-12-07-2026-12-08.csv"',
    );
    expect(response.json).toBe(
      'date,contractor,job_number,job_title,working_minutes,waiting_minutes,on_hold_minutes\r\n' +
        `2026-12-07,"Quinn, ""Night"" Zed",${jobNumber},"Boiler, ""urgent""",120,0,0\r\n` +
        `2026-12-08,"Quinn, ""Night"" Zed",${jobNumber},"Boiler, ""urgent""",225,30,480\r\n`,
    );
  });

  test('a contractor gets their own time, and is refused anyone else’s', async () => {
    const own = await report('from=2026-12-07&to=2026-12-08', phone.token);
    expect(own.status).toBe(200);
    expect(own.json).toEqual({ rows: expectedRows() });
    expect((await report(`from=2026-12-07&to=2026-12-08&contractorId=${contractorId}`, phone.token)).json).toEqual({
      rows: expectedRows(),
    });

    const someoneElse = await report(`from=2026-12-07&to=2026-12-08&contractorId=${randomUUID()}`, phone.token);
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.json.error).toEqual({ code: 'forbidden', message: 'You can only see your own timesheet.' });
  });

  test('a job still in progress keeps counting up to now', async () => {
    await at('2026-12-08T19:25:00Z');
    const response = await report(`from=2026-12-08&to=2026-12-08&contractorId=${contractorId}`);
    expect(response.json).toEqual({ rows: [rowOf('2026-12-08', 235, 30, 480)] });
    await at('2026-12-08T19:15:00Z');
  });

  test('bad ranges are 400 invalid_body in plain words', async () => {
    const cases: Array<[string, string]> = [
      ['to=2026-12-08', 'from is required, as YYYY-MM-DD.'],
      ['from=12/07/2026&to=2026-12-08', 'from must be a date as YYYY-MM-DD.'],
      ['from=2026-02-30&to=2026-03-02', 'from is not a real calendar date.'],
      ['from=2026-12-08&to=2026-12-07', 'from must not be after to.'],
      ['from=2026-01-01&to=2026-03-04', 'A timesheet covers at most 62 days; this asks for 63.'],
      ['from=2026-12-07&to=2026-12-08&contractorId=nobody', 'contractorId must be a contractor id.'],
      ['from=2026-12-07&to=2026-12-08&format=xml', 'format must be json or csv.'],
    ];
    for (const [query, message] of cases) {
      const response = await report(query);
      expect({ query, status: response.status, error: response.json.error }).toEqual({
        query,
        status: 400,
        error: { code: 'invalid_body', message },
      });
    }
    expect((await report('from=2026-01-01&to=2026-03-03')).status).toBe(200);
    expect((await server.call('GET', '/api/reports/timesheet?from=2026-12-07&to=2026-12-08')).status).toBe(401);
  });
});
