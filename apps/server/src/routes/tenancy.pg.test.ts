import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('two organisations on one deployment, %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
  });
  afterAll(() => server.close());

  test('every read endpoint answers only with the caller organisation rows', async () => {
    const otherDispatcher = await server.login('dispatcher1@other.example');
    const orgAJobs = await server.database.query<{ id: string }>(
      sql`select id from jobs where org_id = ${server.orgA.orgId}`,
    );
    const orgAIds = new Set(orgAJobs.map((row) => row.id));

    const pull = await server.call('GET', `/api/sync/pull?clientId=${randomUUID()}&limit=5000`, {
      token: otherDispatcher.accessToken,
    });
    expect(pull.status).toBe(200);
    const pulledIds = Object.values(pull.json.changes as Record<string, Array<{ id: string }>>).flatMap((rows) =>
      rows.map((row) => row.id),
    );
    expect(pulledIds.length).toBeGreaterThan(100);
    expect(pulledIds.filter((id) => orgAIds.has(id))).toEqual([]);
    const users = pull.json.changes.users as Array<{ email: string }>;
    expect(users.every((user) => user.email.endsWith('@other.example'))).toBe(true);

    const someOrgAJob = orgAJobs[0]?.id;
    const recommendations = await server.call('GET', `/api/jobs/${someOrgAJob}/recommendations`, {
      token: otherDispatcher.accessToken,
    });
    expect(recommendations.status).toBe(404);

    // A device of org A syncs; org B's dispatcher must not see it in device health.
    const orgADispatcher = await server.login('dispatcher1@example.com');
    const orgAClient = randomUUID();
    await server.call('GET', `/api/sync/pull?clientId=${orgAClient}&limit=1`, { token: orgADispatcher.accessToken });
    await server.call('POST', '/api/sync/push', {
      token: orgADispatcher.accessToken,
      body: { clientId: orgAClient, mutations: [] },
    });
    const health = await server.call('GET', '/api/sync/clients', { token: otherDispatcher.accessToken });
    expect(health.status).toBe(200);
    expect(health.json.clients.map((client: { clientId: string }) => client.clientId)).not.toContain(orgAClient);
    const ownHealth = await server.call('GET', '/api/sync/clients', { token: orgADispatcher.accessToken });
    expect(ownHealth.json.clients.map((client: { clientId: string }) => client.clientId)).toContain(orgAClient);
  });

  test('a client id of one organisation cannot be used from the other', async () => {
    const orgA = await server.login('contractor1@example.com');
    const orgB = await server.login('contractor1@other.example');
    const clientId = randomUUID();
    const claimed = await server.call('POST', '/api/sync/push', {
      token: orgA.accessToken,
      body: { clientId, mutations: [] },
    });
    expect(claimed.status).toBe(200);
    const stolenPush = await server.call('POST', '/api/sync/push', {
      token: orgB.accessToken,
      body: { clientId, mutations: [] },
    });
    expect(stolenPush.status).toBe(403);
    const stolenPull = await server.call('GET', `/api/sync/pull?clientId=${clientId}`, { token: orgB.accessToken });
    expect(stolenPull.status).toBe(403);
  });

  test('writes naming the other organisation ids change nothing there', async () => {
    const otherDispatcher = await server.login('dispatcher2@other.example');
    const [orgAJob] = await server.database.query<{ id: string; status: string; version: string }>(
      sql`select id, status, version from jobs where org_id = ${server.orgA.orgId} and status = 'scheduled' limit 1`,
    );
    const [orgAContractor] = await server.database.query<{ id: string }>(
      sql`select id from contractors where org_id = ${server.orgA.orgId} and status = 'active' limit 1`,
    );
    const [orgBCustomer] = await server.database.query<{ id: string }>(
      sql`select id from customers where org_id = ${server.orgB?.orgId} limit 1`,
    );
    const now = server.clock.now().toISOString();
    const response = await server.call('POST', '/api/sync/push', {
      token: otherDispatcher.accessToken,
      body: {
        clientId: randomUUID(),
        mutations: [
          {
            seq: 1,
            name: 'job.setStatus',
            occurredAt: now,
            args: { jobId: orgAJob?.id, from: 'scheduled', to: 'cancelled' },
          },
          { seq: 2, name: 'note.add', occurredAt: now, args: { id: randomUUID(), jobId: orgAJob?.id, body: 'x' } },
          {
            seq: 3,
            name: 'material.add',
            occurredAt: now,
            args: { id: randomUUID(), jobId: orgAJob?.id, itemName: 'x', quantity: 1, unit: 'each' },
          },
          {
            seq: 4,
            name: 'job.update',
            occurredAt: now,
            args: { id: orgAJob?.id, patch: { title: 'hijacked' }, base: { title: 'whatever' } },
          },
          {
            seq: 5,
            name: 'assignment.create',
            occurredAt: now,
            args: {
              id: randomUUID(),
              jobId: orgAJob?.id,
              contractorId: orgAContractor?.id,
              start: '2026-12-01T15:00:00Z',
              end: '2026-12-01T16:00:00Z',
            },
          },
          {
            seq: 6,
            name: 'job.create',
            occurredAt: now,
            // The id of an org A job, re-used for a new org B job: a different organisation's id space.
            args: { id: randomUUID(), title: 'Mine', trade: 'tile', durationMinutes: 60, customerId: orgBCustomer?.id },
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    const outcomes = response.json.results.map((r: { outcome: string }) => r.outcome);
    expect(outcomes.slice(0, 5)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(outcomes[5]).toBe('applied');
    const [after] = await server.database.query<{ status: string; version: string; title: string }>(
      sql`select status, version, title from jobs where org_id = ${server.orgA.orgId} and id = ${orgAJob?.id}`,
    );
    expect(after?.status).toBe('scheduled');
    expect(String(after?.version)).toBe(String(orgAJob?.version));
    const [notes] = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from job_notes where job_id = ${orgAJob?.id} and body = 'x'`,
    );
    expect(notes?.n).toBe(0);
  });
});
