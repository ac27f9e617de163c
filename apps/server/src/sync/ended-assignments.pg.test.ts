import { pullResponseSchema } from '@fieldsync/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  type LocalCopy,
  openDevice,
  type PullResponse,
  pullAll,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

/** Each table's ids, sorted, for comparing what two phones hold. */
function idsOf(copy: LocalCopy) {
  return Object.fromEntries(
    [...copy].filter(([, rows]) => rows.size > 0).map(([table, rows]) => [table, [...rows.keys()].sort()]),
  );
}

/** The page that took `jobId` off the phone. */
function pageRemoving(pages: PullResponse[], jobId: string): PullResponse {
  const page = pages.find((candidate) => candidate.removed.jobs?.includes(jobId));
  if (!page) throw new Error(`no page removed job ${jobId}`);
  return page;
}

describe.each(kinds)('a contractor’s ended assignment in their pull on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  test('an assignment the office cancelled reaches the phone with its reason, in the page that removes the job', async () => {
    const email = 'contractor3@example.com';
    const fixture = await createJobFixture(server, office, { title: 'Sand and seal the oak floor' });
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('jobs')?.has(fixture.jobId)).toBe(true);

    await pushApplied(server, office, [
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'pending', to: 'cancelled', reason: 'The customer moved the date' },
      },
    ]);
    // One row a page: the ended row must still come in the same page as the removal.
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy, limit: 1 });
    const page = pageRemoving(next.pages, fixture.jobId);
    expect(() => pullResponseSchema.parse(page)).not.toThrow();
    expect(page.changes.assignments).toEqual([
      expect.objectContaining({
        id: assignmentId,
        jobId: fixture.jobId,
        status: 'cancelled',
        cancellationReason: 'The customer moved the date',
      }),
    ]);
    expect(page.removed.assignments).toContain(assignmentId);
    expect(page.changes.jobs ?? []).not.toContainEqual(expect.objectContaining({ id: fixture.jobId }));

    // Changes first, then removals: the phone ends up with exactly what a fresh install gets.
    expect(next.copy.get('jobs')?.has(fixture.jobId)).toBe(false);
    expect(next.copy.get('assignments')?.has(assignmentId)).toBe(false);
    const fresh = await pullAll(server, await openDevice(server, email));
    expect(idsOf(next.copy)).toEqual(idsOf(fresh.copy));
    // A fresh install hears nothing of the ended assignment.
    expect(fresh.pages.flatMap((candidate) => candidate.changes.assignments ?? []).map((row) => row.id)).not.toContain(
      assignmentId,
    );
  });

  test('an assignment the contractor declined comes back as declined, so the phone can tell it apart', async () => {
    const email = 'contractor4@example.com';
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);

    await pushApplied(server, phone, [
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'pending', to: 'declined', reason: 'My van is in the garage' },
      },
    ]);
    const next = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    const page = pageRemoving(next.pages, fixture.jobId);
    expect(page.changes.assignments).toEqual([
      expect.objectContaining({ id: assignmentId, status: 'declined', cancellationReason: 'My van is in the garage' }),
    ]);
    expect(page.removed.assignments).toContain(assignmentId);
    expect(next.copy.get('assignments')?.has(assignmentId)).toBe(false);
  });

  test('the office’s pull is unchanged: the cancelled assignment is an ordinary change, removed nowhere', async () => {
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(
      server,
      office,
      fixture.jobId,
      await contractorIdOf(server, 'contractor3@example.com'),
    );
    const desk = await openDevice(server, 'dispatcher2@example.com');
    const before = await pullAll(server, desk);
    await pushApplied(server, office, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'cancelled', reason: 'Rain' } },
    ]);
    const next = await pullAll(server, desk, { cursor: before.cursor, copy: before.copy });
    expect(next.pages.flatMap((page) => page.removed.assignments ?? [])).not.toContain(assignmentId);
    expect(next.copy.get('assignments')?.get(assignmentId)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Rain',
    });
    expect(next.copy.get('jobs')?.get(fixture.jobId)).toMatchObject({ status: 'open' });
  });
});
