/**
 * "Nothing a person typed is lost": work a contractor recorded on the phone
 * before the office's cancellation or reassignment reached it is kept on the
 * job, marked, and only what truly cannot apply is refused
 * (packages/domain/src/rules/late-work.ts).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  ledgerOf,
  openDevice,
  type PlannedMutation,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const MINUTE = 60_000;
const NOT_YOURS = 'This job is no longer assigned to you.';

describe.each(kinds)('work recorded before the office took the job away, on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    // The clock moves hours on here; sessions must outlast it.
    server = await createTestServer(kind, { accessTokenTtlSeconds: 30 * 86_400 });
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  /** The test clock's now, shifted by `minutes`, as ISO. */
  const at = (minutes: number) => new Date(server.clock.now().getTime() + minutes * MINUTE).toISOString();

  /** A job in progress on a contractor's phone, which has pulled it. */
  async function jobInProgress(contractorEmail: string) {
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, contractorEmail));
    const phone = await openDevice(server, contractorEmail);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    const pulled = await pullAll(server, phone);
    return { ...fixture, assignmentId, phone, pulled };
  }

  /** On hold, a material and a note, done offline on the phone at `occurredAt`. */
  function offlineWork(jobId: string, occurredAt: string) {
    const materialId = randomUUID();
    const noteId = randomUUID();
    const planned: PlannedMutation[] = [
      { name: 'job.setStatus', args: { jobId, from: 'in_progress', to: 'on_hold' }, occurredAt },
      {
        name: 'material.add',
        args: { id: materialId, jobId, itemName: 'Copper elbow', quantity: 4, unit: 'each' },
        occurredAt,
      },
      { name: 'note.add', args: { id: noteId, jobId, body: 'Found a leak behind the tiles.' }, occurredAt },
    ];
    return { materialId, noteId, planned };
  }

  const rowsOf = (table: 'materials' | 'job_notes', id: string) =>
    server.database.query<Record<string, unknown>>(
      sql`select * from ${sql.identifier(table)} where id = ${id} and deleted_at is null`,
    );

  const activityOf = (entityId: string) =>
    server.database.query<{ action: string; user_id: string; source: string; details: Record<string, unknown> }>(
      sql`select action, user_id, source, details from activity_log where entity_id = ${entityId} order by version`,
    );

  test('a job cancelled while the phone was offline: the status move is refused, the material and note are kept, marked', async () => {
    const job = await jobInProgress('contractor1@example.com');
    const workedAt = at(20);
    server.clock.advance(60 * MINUTE);
    await pushApplied(server, office, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled', reason: 'Customer sold the house' },
        occurredAt: at(0),
      },
    ]);
    server.clock.advance(60 * MINUTE);

    const work = offlineWork(job.jobId, workedAt);
    const { results } = await push(server, job.phone, work.planned);
    expect(results.map((result) => result.outcome)).toEqual(['rejected', 'applied', 'applied']);
    expect(results[0]?.error).toMatchObject({ code: 'invalid_transition', message: expect.stringMatching(/cancel/i) });
    expect((await ledgerOf(server, job.phone.clientId)).slice(-3).map((row) => row.outcome)).toEqual([
      'rejected',
      'applied',
      'applied',
    ]);

    const [material] = await rowsOf('materials', work.materialId);
    expect(material).toMatchObject({
      job_id: job.jobId,
      added_by: job.phone.userId,
      recorded_after_cancellation: true,
    });
    const [note] = await rowsOf('job_notes', work.noteId);
    expect(note).toMatchObject({ job_id: job.jobId, author_id: job.phone.userId, recorded_after_cancellation: true });
    // What was there before is not marked.
    expect((await rowsOf('materials', job.materialId))[0]?.recorded_after_cancellation).toBe(false);
    expect((await rowsOf('job_notes', job.noteId))[0]?.recorded_after_cancellation).toBe(false);

    for (const [id, action] of [
      [work.materialId, 'material.added'],
      [work.noteId, 'note.added'],
    ] as const) {
      expect(await activityOf(id)).toEqual([
        {
          action,
          user_id: job.phone.userId,
          source: 'mobile_app',
          details: expect.objectContaining({
            recordedAfterCancellation: true,
            accessEndedBecause: 'job_cancelled',
            accessEndedAt: expect.any(String),
          }),
        },
      ]);
    }

    // The cancelled job stays on the phone, and both the phone and the office see the marked work.
    const phoneCopy = (await pullAll(server, job.phone, { cursor: job.pulled.cursor, copy: job.pulled.copy })).copy;
    const officeCopy = (await pullAll(server, await openDevice(server, 'dispatcher2@example.com'))).copy;
    for (const copy of [phoneCopy, officeCopy]) {
      expect(copy.get('jobs')?.get(job.jobId)?.status).toBe('cancelled');
      expect(copy.get('materials')?.get(work.materialId)).toMatchObject({
        addedBy: job.phone.userId,
        recordedAfterCancellation: true,
      });
      expect(copy.get('jobNotes')?.get(work.noteId)).toMatchObject({
        authorId: job.phone.userId,
        recordedAfterCancellation: true,
      });
      expect(copy.get('materials')?.get(job.materialId)?.recordedAfterCancellation).toBe(false);
    }
  });

  test('an assignment given to another contractor: the work done before is kept on the job for the office and the new contractor', async () => {
    const job = await jobInProgress('contractor2@example.com');
    const workedAt = at(20);
    server.clock.advance(60 * MINUTE);
    const newcomer = 'contractor3@example.com';
    await pushApplied(server, office, [
      {
        name: 'assignment.setStatus',
        // The contractor started the job, which started their assignment.
        args: { id: job.assignmentId, from: 'in_progress', to: 'cancelled', reason: 'Given to someone else' },
        occurredAt: at(0),
      },
    ]);
    await assignJob(server, office, job.jobId, await contractorIdOf(server, newcomer), at(0));
    server.clock.advance(60 * MINUTE);

    const work = offlineWork(job.jobId, workedAt);
    const { results } = await push(server, job.phone, work.planned);
    // The job is no longer theirs to move; what they did on it stands.
    expect(results).toMatchObject([
      { outcome: 'rejected', error: { code: 'forbidden', message: NOT_YOURS } },
      { outcome: 'applied' },
      { outcome: 'applied' },
    ]);
    expect((await rowsOf('materials', work.materialId))[0]).toMatchObject({ recorded_after_cancellation: true });
    expect((await rowsOf('job_notes', work.noteId))[0]).toMatchObject({ recorded_after_cancellation: true });
    expect((await activityOf(work.noteId))[0]?.details).toMatchObject({
      recordedAfterCancellation: true,
      accessEndedBecause: 'assignment_ended',
    });

    const officeCopy = (await pullAll(server, office)).copy;
    const newcomerCopy = (await pullAll(server, await openDevice(server, newcomer))).copy;
    for (const copy of [officeCopy, newcomerCopy]) {
      expect(copy.get('materials')?.get(work.materialId)?.recordedAfterCancellation).toBe(true);
      expect(copy.get('jobNotes')?.get(work.noteId)?.recordedAfterCancellation).toBe(true);
    }
    // The job has left the first contractor's phone, work and all.
    const next = await pullAll(server, job.phone, { cursor: job.pulled.cursor, copy: job.pulled.copy });
    expect(next.copy.get('jobs')?.has(job.jobId)).toBe(false);
    expect(next.copy.get('jobNotes')?.has(work.noteId)).toBe(false);
  });

  test('the line is when the server recorded the end: an office that cancelled offline does not undo the hours in between', async () => {
    const job = await jobInProgress('contractor7@example.com');
    const officeDecidedAt = at(10);
    const workedAt = at(30);
    server.clock.advance(60 * MINUTE);
    await pushApplied(server, office, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled' },
        occurredAt: officeDecidedAt,
      },
    ]);
    const noteId = randomUUID();
    const { results } = await push(server, job.phone, [
      { name: 'note.add', args: { id: noteId, jobId: job.jobId, body: 'Isolated the water.' }, occurredAt: workedAt },
    ]);
    expect(results).toMatchObject([{ outcome: 'applied' }]);
    expect((await rowsOf('job_notes', noteId))[0]).toMatchObject({ recorded_after_cancellation: true });
  });

  test('work done after the cancellation reached the server is refused; what was done before in the same push still stands', async () => {
    const job = await jobInProgress('contractor8@example.com');
    const before = at(20);
    server.clock.advance(60 * MINUTE);
    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled' }, occurredAt: at(0) },
    ]);
    const after = at(5);
    server.clock.advance(60 * MINUTE);
    const [lateNote, tooLateNote, tooLateMaterial] = [randomUUID(), randomUUID(), randomUUID()];
    const { results } = await push(server, job.phone, [
      {
        name: 'note.add',
        args: { id: tooLateNote, jobId: job.jobId, body: 'Waited for the office.' },
        occurredAt: after,
      },
      {
        name: 'material.add',
        args: { id: tooLateMaterial, jobId: job.jobId, itemName: 'Sealant', quantity: 1, unit: 'tube' },
        occurredAt: after,
      },
      { name: 'note.add', args: { id: lateNote, jobId: job.jobId, body: 'Shut off the mains.' }, occurredAt: before },
    ]);
    expect(results).toMatchObject([
      { outcome: 'rejected', error: { code: 'forbidden', message: NOT_YOURS } },
      { outcome: 'rejected', error: { code: 'forbidden', message: NOT_YOURS } },
      { outcome: 'applied' },
    ]);
    expect(await rowsOf('job_notes', tooLateNote)).toEqual([]);
    expect(await rowsOf('materials', tooLateMaterial)).toEqual([]);
    expect(await activityOf(tooLateNote)).toEqual([]);
    expect((await rowsOf('job_notes', lateNote))[0]).toMatchObject({ recorded_after_cancellation: true });
  });

  test('a contractor who never held the job may not add to it, whenever they say it happened', async () => {
    const fixture = await createJobFixture(server, office);
    const stranger = await openDevice(server, 'contractor4@example.com');
    const noteId = randomUUID();
    const { results } = await push(server, stranger, [
      {
        name: 'note.add',
        args: { id: noteId, jobId: fixture.jobId, body: 'Hello' },
        occurredAt: '2000-01-01T00:00:00Z',
      },
    ]);
    expect(results).toMatchObject([{ outcome: 'rejected', error: { code: 'forbidden' } }]);
    expect(await rowsOf('job_notes', noteId)).toEqual([]);
  });

  test('removing a material on someone else’s job is refused, even once it is already gone', async () => {
    const theirs = await jobInProgress('contractor5@example.com');
    const mine = await jobInProgress('contractor6@example.com');
    await pushApplied(server, office, [{ name: 'material.remove', args: { id: theirs.materialId } }]);

    const { results } = await push(server, mine.phone, [
      { name: 'material.remove', args: { id: theirs.materialId } },
      { name: 'material.remove', args: { id: mine.materialId } },
      { name: 'material.remove', args: { id: mine.materialId } },
    ]);
    expect(results).toMatchObject([
      { outcome: 'rejected', error: { code: 'forbidden', message: NOT_YOURS } },
      { outcome: 'applied' },
      { outcome: 'applied' },
    ]);
    // The office removing again is still harmless.
    await pushApplied(server, office, [{ name: 'material.remove', args: { id: theirs.materialId } }]);
    const removals = await server.database.query<{ n: number }>(
      sql`select count(*)::int as n from activity_log where entity_id = ${theirs.materialId} and action = 'material.removed'`,
    );
    expect(Number(removals[0]?.n)).toBe(1);
  });
});
