import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  countRows,
  createJobFixture,
  type Device,
  freshSlot,
  type JobFixture,
  openDevice,
  pullAll,
  push,
  pushApplied,
  SQL_TABLES,
  tenantColumnOf,
  versionFingerprint,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('tenancy on %s', (kind) => {
  let server: TestServer;
  let orgA: string;
  let orgB: string;
  let officeA: Device;
  let officeB: Device;
  /** Org A rows the tests aim at from org B. */
  let target: JobFixture & { assignmentId: string; contractorId: string; conflictId: string };

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    orgA = server.orgA.orgId;
    orgB = server.orgB?.orgId as string;
    officeA = await openDevice(server, 'dispatcher1@example.com');
    officeB = await openDevice(server, 'dispatcher1@other.example');

    // Org A: a job on a contractor's phone, and an open conflict on it.
    const fixture = await createJobFixture(server, officeA, { title: 'Org A job' });
    const contractorId = await contractorIdOf(server, 'contractor2@example.com');
    const assignmentId = await assignJob(server, officeA, fixture.jobId, contractorId);
    await pushApplied(server, officeA, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Org A job, v2' }, base: { title: 'Org A job' } },
        occurredAt: '2026-11-21T11:00:00Z',
      },
    ]);
    const lost = await push(server, await openDevice(server, 'dispatcher2@example.com'), [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Org A job, v3' }, base: { title: 'Org A job' } },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    const conflictId = lost.results[0]?.conflictId as string;
    expect(conflictId).toEqual(expect.any(String));
    target = { ...fixture, assignmentId, contractorId, conflictId };
  });
  afterAll(() => server.close());

  /** Every (table, id) of one organisation, as `table:id`. */
  async function rowKeysOf(orgId: string) {
    const keys = new Set<string>();
    for (const table of SQL_TABLES) {
      if (table === 'mutations' || table === 'sync_clients') continue;
      const rows = await server.database.query<{ id: string }>(
        sql`select id from ${sql.identifier(table)} where ${sql.identifier(tenantColumnOf(table))} = ${orgId}`,
      );
      for (const row of rows) keys.add(row.id);
    }
    return keys;
  }

  test('users of another organisation pull none of its rows, and the office there pulls all of its own', async () => {
    const inA = await rowKeysOf(orgA);
    expect(inA.size).toBeGreaterThan(1000);
    for (const email of [
      'dispatcher1@other.example',
      'admin@other.example',
      'contractor1@other.example',
      'contractor2@other.example',
    ]) {
      const { copy, pages } = await pullAll(server, await openDevice(server, email), { limit: 400 });
      const pulled = [...copy.values()].flatMap((rows) => [...rows.keys()]);
      const removed = pages.flatMap((page) => Object.values(page.removed).flat());
      expect(pulled.length, email).toBeGreaterThan(10);
      expect(
        [...pulled, ...removed].filter((id) => inA.has(id)),
        email,
      ).toEqual([]);
    }
    const { copy } = await pullAll(server, officeB);
    const jobsB = await server.database.query<{ id: string }>(sql`select id from jobs where org_id = ${orgB}`);
    expect(new Set(copy.get('jobs')?.keys())).toEqual(new Set(jobsB.map((row) => row.id)));
  });

  test('mutations naming another organisation’s rows are refused and change nothing there', async () => {
    const ownJob = await createJobFixture(server, officeB);
    const before = await versionFingerprint(server, orgA);
    const conflictBefore = await server.database.query(
      sql`select status, resolution from conflicts where id = ${target.conflictId}`,
    );
    const countsBefore = await countRows(server, ['jobs', 'materials', 'job_notes', 'assignments', 'conflicts']);
    const slot = freshSlot();

    const { results } = await push(server, officeB, [
      { name: 'job.setStatus', args: { jobId: target.jobId, from: 'scheduled', to: 'cancelled' } },
      {
        name: 'job.update',
        args: { id: target.jobId, patch: { title: 'Hijacked' }, base: { title: 'Org A job, v2' } },
      },
      {
        name: 'material.add',
        args: { id: randomUUID(), jobId: target.jobId, itemName: 'Bricks', quantity: 1, unit: 'pallet' },
      },
      { name: 'material.setPurchased', args: { id: target.materialId, purchased: true } },
      { name: 'material.update', args: { id: target.materialId, patch: { quantity: 99 }, base: { quantity: 2 } } },
      { name: 'material.remove', args: { id: target.materialId } },
      { name: 'note.add', args: { id: randomUUID(), jobId: target.jobId, body: 'Hello from B' } },
      { name: 'conflict.resolve', args: { id: target.conflictId, keep: 'loser' } },
      {
        name: 'assignment.create',
        args: { id: randomUUID(), jobId: target.jobId, contractorId: target.contractorId, ...slot },
      },
      {
        name: 'assignment.create',
        args: { id: randomUUID(), jobId: ownJob.jobId, contractorId: target.contractorId, ...freshSlot() },
      },
      {
        name: 'assignment.setStatus',
        args: { id: target.assignmentId, from: 'pending', to: 'cancelled', reason: 'B says so' },
      },
      {
        name: 'customer.update',
        args: {
          id: target.customerId,
          patch: { name: 'Taken' },
          base: { name: `Customer ${target.customerId.slice(0, 8)}` },
        },
      },
      {
        name: 'job.create',
        args: {
          id: randomUUID(),
          title: 'B job for an A customer',
          customerId: target.customerId,
          trade: 'tile',
          durationMinutes: 60,
        },
      },
      {
        name: 'contractor.update',
        args: { id: target.contractorId, patch: { status: 'inactive' }, base: { status: 'active' } },
      },
      { name: 'workingHours.set', args: { contractorId: target.contractorId, days: [] } },
    ]);
    for (const [index, result] of results.entries()) {
      expect(result.outcome, `mutation ${index + 1}`).toBe('rejected');
      expect(['not_found', 'forbidden', 'validation_failed'], `mutation ${index + 1}: ${result.error?.code}`).toContain(
        result.error?.code,
      );
    }
    expect(results).toHaveLength(15);

    // A contractor of org B, likewise.
    const phoneB = await openDevice(server, 'contractor2@other.example');
    const fromPhone = await push(server, phoneB, [
      { name: 'job.setStatus', args: { jobId: target.jobId, from: 'scheduled', to: 'in_progress' } },
      { name: 'assignment.setStatus', args: { id: target.assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'note.add', args: { id: randomUUID(), jobId: target.jobId, body: 'Wrong company' } },
    ]);
    expect(fromPhone.results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected']);

    expect(await versionFingerprint(server, orgA)).toEqual(before);
    expect(
      await server.database.query(sql`select status, resolution from conflicts where id = ${target.conflictId}`),
    ).toEqual(conflictBefore);
    expect(await countRows(server, ['jobs', 'materials', 'job_notes', 'assignments', 'conflicts'])).toEqual(
      countsBefore,
    );
  });

  test('a client id in use in one organisation is refused to a user of another', async () => {
    const device = await openDevice(server, 'dispatcher2@example.com');
    await pushApplied(server, device, [
      { name: 'note.add', args: { id: randomUUID(), jobId: target.jobId, body: 'A device' } },
    ]);
    const before = await countRows(server);
    const response = await server.call('POST', '/api/sync/push', {
      token: officeB.token,
      body: {
        clientId: device.clientId,
        mutations: [
          {
            seq: 2,
            name: 'note.add',
            occurredAt: '2026-11-21T12:00:00Z',
            args: { id: randomUUID(), jobId: target.jobId, body: 'B' },
          },
        ],
      },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('client_id_taken');
    const pulled = await server.call('GET', `/api/sync/pull?clientId=${device.clientId}`, { token: officeB.token });
    expect(pulled.status).toBe(403);
    expect(pulled.json.error.code).toBe('client_id_taken');
    expect(await countRows(server)).toEqual(before);
  });
});
