import { randomUUID } from 'node:crypto';
import { DEFAULT_SCORING_SETTINGS, rankContractors } from '@fieldsync/domain';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

type Row = Record<string, unknown> & { id: string };

describe.each(kinds)('recommendations on %s', (kind) => {
  let server: TestServer;
  let dispatcherToken: string;
  let everything: Record<string, Row[]>;

  beforeAll(async () => {
    server = await createTestServer(kind);
    dispatcherToken = (await server.login('dispatcher1@example.com')).accessToken;
    everything = await pullAll(dispatcherToken);
  });
  afterAll(() => server.close());

  async function pullAll(token: string) {
    const clientId = randomUUID();
    const tables: Record<string, Row[]> = {};
    let cursor: string | undefined;
    for (;;) {
      const query = `clientId=${clientId}&limit=2000${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await server.call('GET', `/api/sync/pull?${query}`, { token });
      for (const [table, rows] of Object.entries(page.json.changes as Record<string, Row[]>)) {
        tables[table] = [...(tables[table] ?? []), ...rows];
      }
      cursor = page.json.cursor;
      if (!page.json.hasMore) return tables;
    }
  }

  const openFutureJob = () => {
    const job = everything.jobs?.find((row) => row.status === 'open' && String(row.desiredDate) > '2026-11-22');
    if (!job) throw new Error('demo data has no open future job');
    return job;
  };

  test('answers the documented shape, best first, with reasons for everyone left out', async () => {
    const job = openFutureJob();
    const response = await server.call('GET', `/api/jobs/${job.id}/recommendations?limit=10`, {
      token: dispatcherToken,
    });
    expect(response.status).toBe(200);
    const body = response.json;
    expect(body.jobId).toBe(job.id);
    expect(body.recommendations.length).toBeGreaterThan(0);
    for (const recommendation of body.recommendations) {
      expect(Object.keys(recommendation).sort()).toEqual(
        ['breakdown', 'contractorId', 'distanceMiles', 'explanation', 'name', 'score', 'slots'].sort(),
      );
      expect(Object.keys(recommendation.breakdown).sort()).toEqual(['availability', 'distance', 'rating', 'weights']);
      expect(recommendation.breakdown.weights).toEqual(DEFAULT_SCORING_SETTINGS.weights);
      expect(recommendation.slots.length).toBeGreaterThan(0);
      expect(recommendation.explanation).toMatch(/★/);
    }
    const scores = body.recommendations.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const contractors = everything.contractors ?? [];
    const recommendedIds = new Set(body.recommendations.map((r: { contractorId: string }) => r.contractorId));
    for (const id of recommendedIds) {
      const contractor = contractors.find((row) => row.id === id);
      expect([job.trade, 'multi']).toContain(contractor?.trade);
      expect(contractor?.status).toBe('active');
    }
    // Every contractor is either recommended or excluded with a reason.
    const excludedIds = body.excluded.map((row: { contractorId: string }) => row.contractorId);
    expect(recommendedIds.size + excludedIds.length).toBe(contractors.length);
    const onLeave = contractors.find((row) => row.status === 'on_leave');
    expect(
      body.excluded.find((row: { contractorId: string }) => row.contractorId === onLeave?.id)?.reason,
    ).toBeTruthy();
    expect(body.excluded.some((row: { reason: string }) => row.reason.startsWith('wrong trade'))).toBe(true);
  });

  test('the desktop ranking from the local copy gives the same order and scores', async () => {
    for (const job of (everything.jobs ?? []).filter((row) => row.status === 'open').slice(0, 5)) {
      const server_ = await server.call('GET', `/api/jobs/${job.id}/recommendations?limit=10`, {
        token: dispatcherToken,
      });
      const offline = rankContractors({
        job: {
          id: job.id,
          trade: String(job.trade),
          desiredDate: String(job.desiredDate),
          durationMinutes: Number(job.durationMinutes),
          lat: job.lat as number | null,
          lng: job.lng as number | null,
        },
        contractors: (everything.contractors ?? []).map((row) => ({
          id: row.id,
          name: String(row.name),
          trade: String(row.trade),
          status: row.status as 'active',
          rating: Number(row.rating),
          baseLat: row.baseLat as number | null,
          baseLng: row.baseLng as number | null,
        })),
        workingHours: (everything.workingHours ?? []).map((row) => ({
          contractorId: String(row.contractorId),
          dayOfWeek: Number(row.dayOfWeek),
          startTime: String(row.startTime),
          endTime: String(row.endTime),
        })),
        busy: (everything.assignments ?? [])
          .filter((row) => ['pending', 'confirmed', 'in_progress', 'completed'].includes(String(row.status)))
          .map((row) => ({
            contractorId: String(row.contractorId),
            start: String(row.scheduledStart),
            end: String(row.scheduledEnd),
          })),
        settings: DEFAULT_SCORING_SETTINGS,
        timeZone: 'America/Denver',
        limit: 10,
        now: server.clock.now().toISOString(),
      });
      const pick = (list: Array<{ contractorId: string; score: number }>) =>
        list.map((row) => `${row.contractorId}:${row.score}`);
      expect(pick(server_.json.recommendations)).toEqual(pick(offline.recommendations));
    }
  });

  test('contractors may not ask, and unknown jobs are a 404', async () => {
    const contractor = await server.login('contractor1@example.com');
    const job = openFutureJob();
    const forbidden = await server.call('GET', `/api/jobs/${job.id}/recommendations`, {
      token: contractor.accessToken,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('forbidden');
    const missing = await server.call('GET', `/api/jobs/${randomUUID()}/recommendations`, { token: dispatcherToken });
    expect(missing.status).toBe(404);
    const malformed = await server.call('GET', '/api/jobs/not-a-uuid/recommendations', { token: dispatcherToken });
    expect(malformed.status).toBe(404);
    const badLimit = await server.call('GET', `/api/jobs/${job.id}/recommendations?limit=0`, {
      token: dispatcherToken,
    });
    expect(badLimit.status).toBe(400);
  });

  test('rating completed work makes the contractor rating the average of their ratings', async () => {
    const completed = (everything.assignments ?? []).filter((row) => row.status === 'completed');
    const contractorId = completed[0]?.contractorId;
    const theirs = completed.filter((row) => row.contractorId === contractorId).slice(0, 2);
    expect(theirs.length).toBe(2);
    const clientId = randomUUID();
    const push = await server.call('POST', '/api/sync/push', {
      token: dispatcherToken,
      body: {
        clientId,
        mutations: theirs.map((assignment, index) => ({
          seq: index + 1,
          name: 'rating.add',
          occurredAt: server.clock.now().toISOString(),
          args: { id: randomUUID(), assignmentId: assignment.id, stars: index === 0 ? 5 : 2 },
        })),
      },
    });
    expect(push.json.results.map((r: { outcome: string }) => r.outcome)).toEqual(['applied', 'applied']);
    const after = await pullAll(dispatcherToken);
    expect(after.contractors?.find((row) => row.id === contractorId)?.rating).toBe(3.5);
    expect(after.ratings?.filter((row) => row.contractorId === contractorId)).toHaveLength(2);

    const pending = (everything.assignments ?? []).find((row) => row.status === 'confirmed');
    const early = await server.call('POST', '/api/sync/push', {
      token: dispatcherToken,
      body: {
        clientId,
        mutations: [
          {
            seq: 3,
            name: 'rating.add',
            occurredAt: server.clock.now().toISOString(),
            args: { id: randomUUID(), assignmentId: pending?.id, stars: 4 },
          },
        ],
      },
    });
    expect(early.json.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'validation_failed' } });
  });
});
