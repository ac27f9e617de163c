/**
 * A job's life adds up (CONTRACTS.md "Scheduling additions"): starting a job
 * starts the starting contractor's assignment, completing it completes the
 * live ones, and the completed work can then be rated, which moves the
 * contractor's rating to the average of their ratings.
 */
import { randomUUID } from 'node:crypto';
import { averageRating } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  changedIds,
  contractorIdOf,
  countRows,
  createJobFixture,
  type Device,
  jobRow,
  openDevice,
  pull,
  pullAll,
  push,
  pushApplied,
  pushBatch,
  versionFingerprint,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('assignments follow the job through its day, on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  async function assignmentStatus(id: string) {
    const [row] = await server.database.query<{ status: string; cancellation_reason: string | null }>(
      sql`select status, cancellation_reason from assignments where id = ${id}`,
    );
    return row;
  }

  const assignmentTrail = (id: string) =>
    server.database.query<{ action: string; user_id: string; details: Record<string, unknown> }>(
      sql`select action, user_id, details from activity_log where entity_type = 'assignment' and entity_id = ${id}
          order by version`,
    );

  async function contractorRating(contractorId: string) {
    const [row] = await server.database.query<{ rating: string }>(
      sql`select rating::text as rating from contractors where id = ${contractorId}`,
    );
    return Number(row?.rating);
  }

  async function starsOf(contractorId: string) {
    const rows = await server.database.query<{ stars: number }>(
      sql`select stars from ratings where contractor_id = ${contractorId} and deleted_at is null`,
    );
    return rows.map((row) => Number(row.stars));
  }

  /** A job assigned to `email`'s contractor, confirmed on their phone; the job is scheduled. */
  async function confirmedJob(email: string) {
    const fixture = await createJobFixture(server, office);
    const contractorId = await contractorIdOf(server, email);
    const assignmentId = await assignJob(server, office, fixture.jobId, contractorId);
    const phone = await openDevice(server, email);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
    ]);
    return { ...fixture, contractorId, assignmentId, phone };
  }

  test('starting the job starts the contractor’s assignment, completing it completes it, and the office can rate it', async () => {
    const job = await confirmedJob('contractor1@example.com');
    const { cursor } = await pullAll(server, job.phone);

    await pushApplied(server, job.phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    expect(await assignmentStatus(job.assignmentId)).toMatchObject({ status: 'in_progress' });
    expect((await assignmentTrail(job.assignmentId)).at(-1)).toEqual({
      action: 'assignment.in_progress',
      user_id: job.phone.userId,
      details: {
        from: 'confirmed',
        to: 'in_progress',
        reason: null,
        contractorId: job.contractorId,
        automatic: true,
      },
    });

    const refused = await push(server, office, [
      { name: 'rating.add', args: { id: randomUUID(), assignmentId: job.assignmentId, stars: 4 } },
    ]);
    expect(refused.results[0]).toMatchObject({
      outcome: 'rejected',
      error: { code: 'validation_failed', message: 'Only completed work can be rated.' },
    });

    await pushApplied(server, job.phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
    ]);
    expect(await assignmentStatus(job.assignmentId)).toMatchObject({ status: 'completed' });
    expect((await assignmentTrail(job.assignmentId)).map((row) => row.action)).toEqual([
      'assignment.created',
      'assignment.confirmed',
      'assignment.in_progress',
      'assignment.completed',
    ]);

    // The phone's next pull brings the completed assignment with the completed job.
    const page = await pull(server, job.phone, { cursor });
    expect(changedIds(page, 'assignments')).toContain(job.assignmentId);
    expect(page.changes.assignments?.find((row) => row.id === job.assignmentId)).toMatchObject({
      status: 'completed',
    });
    expect(page.changes.jobs?.find((row) => row.id === job.jobId)).toMatchObject({ status: 'completed' });

    const before = await contractorRating(job.contractorId);
    const stars = before > 3 ? 1 : 5;
    const expected = averageRating([...(await starsOf(job.contractorId)), stars]);
    expect(expected).not.toBe(before);
    const ratingId = randomUUID();
    await pushApplied(server, office, [
      { name: 'rating.add', args: { id: ratingId, assignmentId: job.assignmentId, stars, comment: 'Tidy work' } },
    ]);
    expect(await contractorRating(job.contractorId)).toBe(expected);

    const officePull = await pullAll(server, office);
    expect(officePull.copy.get('ratings')?.get(ratingId)).toMatchObject({ assignmentId: job.assignmentId, stars });
    expect(officePull.copy.get('contractors')?.get(job.contractorId)).toMatchObject({ rating: expected });
  });

  test('the office completing a job completes every live assignment; declined and cancelled ones stay as they were', async () => {
    const started = await confirmedJob('contractor2@example.com');
    const { jobId } = started;
    const confirmed = await assignJob(server, office, jobId, await contractorIdOf(server, 'contractor3@example.com'));
    const pending = await assignJob(server, office, jobId, await contractorIdOf(server, 'contractor4@example.com'));
    const declined = await assignJob(server, office, jobId, await contractorIdOf(server, 'contractor5@example.com'));
    const cancelled = await assignJob(server, office, jobId, await contractorIdOf(server, 'contractor6@example.com'));
    await pushApplied(server, office, [
      { name: 'assignment.setStatus', args: { id: confirmed, from: 'pending', to: 'confirmed' } },
      { name: 'assignment.setStatus', args: { id: declined, from: 'pending', to: 'declined', reason: 'Away' } },
      { name: 'assignment.setStatus', args: { id: cancelled, from: 'pending', to: 'cancelled', reason: 'Not needed' } },
    ]);
    await pushApplied(server, started.phone, [
      { name: 'job.setStatus', args: { jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    // Only the starting contractor's assignment started.
    expect(await assignmentStatus(started.assignmentId)).toMatchObject({ status: 'in_progress' });
    expect(await assignmentStatus(confirmed)).toMatchObject({ status: 'confirmed' });

    await pushApplied(server, office, [
      { name: 'job.setStatus', args: { jobId, from: 'in_progress', to: 'completed' } },
    ]);

    expect((await jobRow(server, jobId))?.status).toBe('completed');
    for (const id of [started.assignmentId, confirmed, pending]) {
      expect(await assignmentStatus(id)).toEqual({ status: 'completed', cancellation_reason: null });
    }
    expect(await assignmentStatus(declined)).toEqual({ status: 'declined', cancellation_reason: 'Away' });
    expect(await assignmentStatus(cancelled)).toEqual({ status: 'cancelled', cancellation_reason: 'Not needed' });
    // The pending one went the state machine's way, one logged step at a time, by the office's hand.
    const pendingTrail = await assignmentTrail(pending);
    expect(pendingTrail.slice(1).map((row) => [row.action, row.user_id, row.details.automatic])).toEqual([
      ['assignment.confirmed', office.userId, true],
      ['assignment.in_progress', office.userId, true],
      ['assignment.completed', office.userId, true],
    ]);
    expect((await assignmentTrail(declined)).map((row) => row.action)).toEqual([
      'assignment.created',
      'assignment.declined',
    ]);
  });

  test('a second contractor starting a job already started starts their own assignment', async () => {
    const first = await confirmedJob('contractor3@example.com');
    const secondId = await assignJob(
      server,
      office,
      first.jobId,
      await contractorIdOf(server, 'contractor4@example.com'),
    );
    const second = await openDevice(server, 'contractor4@example.com');
    await pushApplied(server, second, [
      { name: 'assignment.setStatus', args: { id: secondId, from: 'pending', to: 'confirmed' } },
    ]);
    await pushApplied(server, first.phone, [
      { name: 'job.setStatus', args: { jobId: first.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    const history = await countRows(server, ['job_status_history']);

    // Sent from a phone that still saw the job scheduled: the job is already where it wanted it.
    await pushApplied(server, second, [
      { name: 'job.setStatus', args: { jobId: first.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    expect(await assignmentStatus(secondId)).toMatchObject({ status: 'in_progress' });
    expect(await assignmentStatus(first.assignmentId)).toMatchObject({ status: 'in_progress' });
    expect(await countRows(server, ['job_status_history'])).toEqual(history);
  });

  test('the day in two pushes, with held job moves; replaying both changes nothing', async () => {
    const fixture = await createJobFixture(server, office);
    const contractorId = await contractorIdOf(server, 'contractor5@example.com');
    const assignmentId = await assignJob(server, office, fixture.jobId, contractorId);
    const phone = await openDevice(server, 'contractor5@example.com');

    const day = await push(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'on_hold', to: 'in_progress' } },
    ]);
    expect(day.results.map((result) => result.outcome)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await assignmentStatus(assignmentId)).toMatchObject({ status: 'in_progress' });

    // The job's move is held until the rating, a direct change, writes it: the rating must see the completion.
    const ratingId = randomUUID();
    const wrapUp = await push(server, office, [
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'in_progress', to: 'completed' } },
      { name: 'rating.add', args: { id: ratingId, assignmentId, stars: 5 } },
    ]);
    expect(wrapUp.results.map((result) => result.outcome)).toEqual(['applied', 'applied']);
    expect(await assignmentStatus(assignmentId)).toMatchObject({ status: 'completed' });
    expect((await jobRow(server, fixture.jobId))?.status).toBe('completed');

    const fingerprint = await versionFingerprint(server, server.orgA.orgId);
    const counts = await countRows(server);
    for (const [device, batch] of [
      [phone, day.batch],
      [office, wrapUp.batch],
    ] as const) {
      const replay = await pushBatch(server, device, batch);
      expect(replay.results.every((result) => result.outcome === 'duplicate')).toBe(true);
    }
    expect(await versionFingerprint(server, server.orgA.orgId)).toEqual(fingerprint);
    expect(await countRows(server)).toEqual(counts);
  });

  test('when a held write fails and the push is replayed change by change, the follow-ups are written once', async () => {
    const job = await confirmedJob('contractor6@example.com');
    const pending = await assignJob(server, office, job.jobId, await contractorIdOf(server, 'contractor7@example.com'));
    await pushApplied(server, job.phone, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);
    const { results } = await push(server, office, [
      { name: 'job.setStatus', args: { jobId: job.jobId, from: 'in_progress', to: 'completed' } },
      // No such job: only the foreign key, checked when the held notes are written, can tell.
      { name: 'note.add', args: { id: randomUUID(), jobId: randomUUID(), body: 'Lost note' } },
    ]);
    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['applied', null],
      ['rejected', 'not_found'],
    ]);
    expect(await assignmentStatus(job.assignmentId)).toMatchObject({ status: 'completed' });
    expect((await assignmentTrail(job.assignmentId)).map((row) => row.action)).toEqual([
      'assignment.created',
      'assignment.confirmed',
      'assignment.in_progress',
      'assignment.completed',
    ]);
    expect(await assignmentStatus(pending)).toMatchObject({ status: 'completed' });
    expect((await assignmentTrail(pending)).map((row) => row.action)).toEqual([
      'assignment.created',
      'assignment.confirmed',
      'assignment.in_progress',
      'assignment.completed',
    ]);
  });
});
