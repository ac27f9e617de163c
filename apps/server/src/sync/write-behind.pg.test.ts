import { randomUUID } from 'node:crypto';
import type { JobStatus } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf, type Tx } from '../db/database';
import {
  assignJob,
  contractorIdOf,
  countRows,
  createJobFixture,
  type Device,
  jobRow,
  ledgerOf,
  openDevice,
  push,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import type { JobMove } from './job-writes';
import { WriteBehind } from './write-behind';

const kinds = await databaseKindsUnderTest();

/**
 * Status moves, materials added and ticked, and notes are held within a push
 * and written together (write-behind.ts). These pin down where that could go wrong: a
 * change applied directly in between, and a held write that fails.
 */
describe.each(kinds)('held writes within a push on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  const historyOf = (jobId: string) =>
    server.database.query<{ from_status: string | null; to_status: string }>(
      sql`select from_status, to_status from job_status_history where job_id = ${jobId} order by occurred_at, version`,
    );

  test('a held status move starts from the status a change applied directly just before it left', async () => {
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(
      server,
      office,
      fixture.jobId,
      await contractorIdOf(server, 'contractor1@example.com'),
    );
    expect((await jobRow(server, fixture.jobId))?.status).toBe('scheduled');

    const { results } = await push(server, office, [
      // Held: the push has read the job as scheduled.
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'Call ahead' } },
      // Applied directly: with its only assignment cancelled, the job goes back to open.
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'cancelled', reason: 'Sick' } },
      // Held again: from open, not from the scheduled the push read first, it cannot start.
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
    ]);

    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['applied', null],
      ['applied', null],
      ['rejected', 'invalid_transition'],
    ]);
    expect((await jobRow(server, fixture.jobId))?.status).toBe('open');
    expect(await historyOf(fixture.jobId)).toEqual([
      { from_status: null, to_status: 'open' },
      { from_status: 'open', to_status: 'scheduled' },
      { from_status: 'scheduled', to_status: 'open' },
    ]);
  });

  test('a material removed directly between two held ticks refuses the second tick', async () => {
    const fixture = await createJobFixture(server, office);
    const { results } = await push(server, office, [
      { name: 'material.setPurchased', args: { id: fixture.materialId, purchased: true } },
      { name: 'material.remove', args: { id: fixture.materialId } },
      { name: 'material.setPurchased', args: { id: fixture.materialId, purchased: false } },
    ]);

    expect(results).toEqual([
      { seq: expect.any(Number), outcome: 'applied' },
      { seq: expect.any(Number), outcome: 'applied' },
      {
        seq: expect.any(Number),
        outcome: 'rejected',
        error: { code: 'not_found', message: expect.any(String) },
      },
    ]);
    const [material] = await server.database.query<{ purchased: boolean; deleted: boolean }>(
      sql`select purchased, deleted_at is not null as deleted from materials where id = ${fixture.materialId}`,
    );
    expect(material).toEqual({ purchased: true, deleted: true });
  });

  test('a held write that fails when written is charged to its own mutation; the rest of the push stands', async () => {
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor3@example.com'));
    const before = await countRows(server, ['job_notes', 'job_status_history', 'activity_log']);
    const keptNote = randomUUID();

    const { results } = await push(server, office, [
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
      // No such job: only the foreign key, checked when the held notes are written, can tell.
      { name: 'note.add', args: { id: randomUUID(), jobId: randomUUID(), body: 'Lost note' } },
      { name: 'note.add', args: { id: keptNote, jobId: fixture.jobId, body: 'Kept note' } },
      { name: 'material.setPurchased', args: { id: fixture.materialId, purchased: true } },
    ]);

    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['applied', null],
      ['rejected', 'not_found'],
      ['applied', null],
      ['applied', null],
    ]);
    expect((await ledgerOf(server, office.clientId)).slice(-4).map((row) => row.outcome)).toEqual([
      'applied',
      'rejected',
      'applied',
      'applied',
    ]);
    expect(await countRows(server, ['job_notes', 'job_status_history', 'activity_log'])).toEqual({
      job_notes: before.job_notes + 1,
      job_status_history: before.job_status_history + 1,
      activity_log: before.activity_log + 3,
    });
    const [note] = await server.database.query(sql`select body from job_notes where id = ${keptNote}`);
    expect(note).toEqual({ body: 'Kept note' });
    expect((await jobRow(server, fixture.jobId))?.status).toBe('in_progress');
  });

  test('held moves chain from each other in memory and reach the database only when flushed', async () => {
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor1@example.com'));
    const orgId = server.orgA.orgId;
    const clientId = randomUUID();
    const move = (from: JobStatus, to: JobStatus, minute: number): JobMove => ({
      orgId,
      jobId: fixture.jobId,
      from,
      to,
      changedBy: office.userId,
      reason: null,
      occurredAt: `2026-11-21T15:0${minute}:00.000Z`,
      recordedAt: '2026-11-21T12:00:00.000Z',
      clientId,
      seq: minute,
    });

    await server.database.db.transaction(async (tx) => {
      const held = new WriteBehind(tx, orgId, { jobs: [], materials: [] });
      expect(await held.job(fixture.jobId)).toMatchObject({ status: 'scheduled' });
      await held.moveJob(move('scheduled', 'in_progress', 1));
      await held.moveJob(move('in_progress', 'on_hold', 2));
      // An earlier device time than the latest move: the timeline keeps it after that move.
      await held.moveJob(move('on_hold', 'in_progress', 0));
      expect(await held.job(fixture.jobId)).toEqual({
        status: 'in_progress',
        latestStatusAt: '2026-11-21T15:02:00.000Z',
      });
      const [unwritten] = await tx.execute(sql`select status from jobs where id = ${fixture.jobId}`).then(rowsOf);
      expect(unwritten).toEqual({ status: 'scheduled' });

      await held.flush();
      const [written] = await tx.execute(sql`select status from jobs where id = ${fixture.jobId}`).then(rowsOf);
      expect(written).toEqual({ status: 'in_progress' });
      const moves = await tx
        .execute(
          sql`select from_status, to_status, occurred_at::text as at from job_status_history
              where job_id = ${fixture.jobId} and client_id = ${clientId} order by occurred_at, version`,
        )
        .then(rowsOf);
      expect(moves).toEqual([
        { from_status: 'scheduled', to_status: 'in_progress', at: '2026-11-21 15:01:00+00' },
        { from_status: 'in_progress', to_status: 'on_hold', at: '2026-11-21 15:02:00+00' },
        { from_status: 'on_hold', to_status: 'in_progress', at: '2026-11-21 15:02:00+00' },
      ]);
    });
  });

  test('a held material and its tick reach the database together when flushed; a taken id fails the flush', async () => {
    const fixture = await createJobFixture(server, office);
    const orgId = server.orgA.orgId;
    const materialId = randomUUID();
    const material = {
      orgId,
      id: materialId,
      jobId: fixture.jobId,
      itemName: 'Grout',
      quantity: 2,
      unit: 'bag',
      addedBy: office.userId,
      recordedAfterCancellation: false,
    };
    const purchase = { purchased: true, purchasedBy: office.userId, purchasedAt: '2026-11-21T15:00:00.000Z' };
    const materialRow = (tx: Tx) =>
      tx
        .execute(sql`select purchased, notes, quantity::text as quantity from materials where id = ${materialId}`)
        .then(rowsOf);

    await server.database.db.transaction(async (tx) => {
      const held = new WriteBehind(tx, orgId, { jobs: [], materials: [] });
      expect(await held.material(materialId)).toBeUndefined();
      expect(await held.addMaterial(material)).toEqual({ outcome: 'applied' });
      // Known to the push at once, so its tick is held against it.
      expect(await held.material(materialId)).toEqual({ jobId: fixture.jobId, itemName: 'Grout', purchased: false });
      await held.setPurchased(materialId, purchase);
      expect(await materialRow(tx)).toEqual([]);

      await held.flush();
      expect(await materialRow(tx)).toEqual([{ purchased: true, notes: null, quantity: '2.000' }]);
    });

    await expect(
      server.database.db.transaction(async (tx) => {
        const held = new WriteBehind(tx, orgId, { jobs: [], materials: [] });
        await held.addMaterial({ ...material, id: fixture.materialId });
        await held.flush();
      }),
    ).rejects.toThrow('A held material id was already taken.');
  });

  test('a held move the state machine refuses is refused in place; the moves around it stand', async () => {
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor5@example.com'));
    const { results } = await push(server, office, [
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
      // A job in progress does not go back to open: refused, with the reason on the job's timeline.
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'in_progress', to: 'open' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain' } },
    ]);

    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['applied', null],
      ['rejected', 'invalid_transition'],
      ['applied', null],
    ]);
    expect((await jobRow(server, fixture.jobId))?.status).toBe('on_hold');
    expect((await historyOf(fixture.jobId)).slice(-2)).toEqual([
      { from_status: 'scheduled', to_status: 'in_progress' },
      { from_status: 'in_progress', to_status: 'on_hold' },
    ]);
    const trail = await server.database.query<{ action: string }>(
      sql`select action from activity_log where job_id = ${fixture.jobId} and action like 'job.status%' order by version`,
    );
    expect(trail.map((row) => row.action).slice(-3)).toEqual([
      'job.status_changed',
      'job.status_refused',
      'job.status_changed',
    ]);
  });

  test('many held moves on one job write each move on the timeline and leave the last status', async () => {
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor2@example.com'));
    const phone = await openDevice(server, 'contractor2@example.com');
    const moves = [
      ['scheduled', 'in_progress'],
      ...Array.from({ length: 10 }, (_, index) =>
        index % 2 === 0 ? ['in_progress', 'on_hold'] : ['on_hold', 'in_progress'],
      ),
      ['in_progress', 'completed'],
    ] as const;
    const { results } = await push(
      server,
      phone,
      moves.map(([from, to], index) => ({
        name: 'job.setStatus',
        args: { jobId: fixture.jobId, from, to, ...(to === 'on_hold' ? { reason: `Pause ${index}` } : {}) },
        occurredAt: new Date(Date.parse('2026-11-21T09:00:00.000Z') + index * 60_000).toISOString(),
      })),
    );

    expect(results.every((result) => result.outcome === 'applied')).toBe(true);
    expect((await jobRow(server, fixture.jobId))?.status).toBe('completed');
    const history = await historyOf(fixture.jobId);
    expect(history.slice(-moves.length)).toEqual(moves.map(([from, to]) => ({ from_status: from, to_status: to })));
  });
});
