import { randomUUID } from 'node:crypto';
import { recommendationResultSchema } from '@fieldsync/domain';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Device, jobRow, openDevice, pushApplied } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

// A house in Denver; both contractors live a few miles north of it.
const SITE = { lat: 39.7392, lng: -104.9903 };
const WEEKDAYS = [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, start: '08:00', end: '16:00' }));

describe.each(kinds)('required skills in recommendations on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  const hardwoodId = randomUUID();
  const laminateId = randomUUID();

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
    const contractor = (id: string, name: string, skills: string[], north: number) => ({
      name: 'contractor.create',
      args: { id, name, trade: 'flooring', skills, rating: 4, baseLat: SITE.lat + north, baseLng: SITE.lng },
    });
    await pushApplied(server, office, [
      contractor(hardwoodId, 'Hana Hardwood', ['Hardwood refinishing', 'stairs'], 0.05),
      contractor(laminateId, 'Lars Laminate', ['laminate', 'carpet', 'tile'], 0.04),
      { name: 'workingHours.set', args: { contractorId: hardwoodId, days: WEEKDAYS } },
      { name: 'workingHours.set', args: { contractorId: laminateId, days: WEEKDAYS } },
    ]);
  });
  afterAll(() => server.close());

  async function recommend(requiredSkills: string[] | undefined) {
    const jobId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'job.create',
        args: {
          id: jobId,
          title: 'Refinish the oak floor',
          customerId: null,
          trade: 'flooring',
          durationMinutes: 240,
          desiredDate: '2026-11-24',
          ...SITE,
          ...(requiredSkills ? { requiredSkills } : {}),
        },
      },
    ]);
    const response = await server.call('GET', `/api/jobs/${jobId}/recommendations?limit=50`, {
      token: office.token,
    });
    expect(response.status).toBe(200);
    return recommendationResultSchema.parse(response.json);
  }

  test('a hardwood job leaves out the laminate, carpet and tile contractor, naming the missing skill', async () => {
    const result = await recommend(['hardwood refinishing']);
    expect(result.excluded.find((row) => row.contractorId === laminateId)).toEqual({
      contractorId: laminateId,
      name: 'Lars Laminate',
      code: 'missing_skills',
      reason: 'missing skills (hardwood refinishing)',
      missingSkills: ['hardwood refinishing'],
    });
    expect(result.recommendations.map((row) => row.contractorId)).not.toContain(laminateId);
    const hana = result.recommendations.find((row) => row.contractorId === hardwoodId);
    expect(hana?.explanation).toMatch(/, has hardwood refinishing$/);
    // Every other exclusion carries its code too.
    for (const row of result.excluded) expect(row.code).toEqual(expect.any(String));
  });

  test('a job without required skills recommends both, and says nothing of skills', async () => {
    const result = await recommend(undefined);
    const ids = result.recommendations.map((row) => row.contractorId);
    expect(ids).toEqual(expect.arrayContaining([hardwoodId, laminateId]));
    expect(result.excluded.some((row) => row.code === 'missing_skills')).toBe(false);
    for (const row of result.recommendations) expect(row.explanation).not.toContain(', has ');
  });

  test('job.update sets the skills and the signature, and the next ranking follows them', async () => {
    const result = await recommend(undefined);
    const jobId = result.jobId;
    expect(await jobRow(server, jobId)).toMatchObject({ required_skills: [], requires_signature: false });
    await pushApplied(server, office, [
      {
        name: 'job.update',
        args: {
          id: jobId,
          patch: { requiredSkills: ['Stairs'], requiresSignature: true },
          base: { requiredSkills: [], requiresSignature: false },
        },
      },
    ]);
    expect(await jobRow(server, jobId)).toMatchObject({ required_skills: ['Stairs'], requires_signature: true });
    const after = await server.call('GET', `/api/jobs/${jobId}/recommendations?limit=50`, { token: office.token });
    const laminate = recommendationResultSchema
      .parse(after.json)
      .excluded.find((row) => row.contractorId === laminateId);
    expect(laminate).toMatchObject({ code: 'missing_skills', missingSkills: ['Stairs'] });
  });

  test('a job already late searches from today, and a booking on a day searched keeps that day free of slots', async () => {
    // The test clock says Sat 21 Nov 2026; the job wanted Tue 10 Nov, so the search runs from today on.
    // Hana is booked all of Mon 23 Nov (08:00–16:00 Denver), the first working day searched.
    const otherJobId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'job.create',
        args: { id: otherJobId, title: 'Sand the hall', customerId: null, trade: 'flooring', durationMinutes: 480 },
      },
      {
        name: 'assignment.create',
        args: {
          id: randomUUID(),
          jobId: otherJobId,
          contractorId: hardwoodId,
          start: '2026-11-23T15:00:00.000Z',
          end: '2026-11-23T23:00:00.000Z',
        },
      },
    ]);
    const lateJobId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'job.create',
        args: {
          id: lateJobId,
          title: 'Refinish the stairs',
          customerId: null,
          trade: 'flooring',
          durationMinutes: 240,
          desiredDate: '2026-11-10',
          ...SITE,
        },
      },
    ]);
    const response = await server.call('GET', `/api/jobs/${lateJobId}/recommendations?limit=50`, {
      token: office.token,
    });
    const result = recommendationResultSchema.parse(response.json);
    const hana = result.recommendations.find((row) => row.contractorId === hardwoodId);
    const lars = result.recommendations.find((row) => row.contractorId === laminateId);
    expect(lars?.slots[0]?.start).toBe('2026-11-23T15:00:00.000Z');
    expect(hana?.slots[0]?.start).toBe('2026-11-24T15:00:00.000Z');
  });
});
