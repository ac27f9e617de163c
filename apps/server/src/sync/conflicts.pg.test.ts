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
  jobRow,
  ledgerOf,
  openDevice,
  pull,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('conflict rules on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  const conflictsOf = (entityId: string) =>
    server.database.query<Record<string, unknown>>(
      sql`select entity, field, winner_value, loser_value, winner_by, loser_by, status, mutation_client_id, mutation_seq::int as mutation_seq
          from conflicts where entity_id = ${entityId} order by version`,
    );

  /** A job that is in progress on a contractor's phone; returns the job, the assignment and the phone. */
  async function jobInProgress(contractorEmail: string) {
    const fixture = await createJobFixture(server, office);
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, contractorEmail));
    const phone = await openDevice(server, contractorEmail);
    await pushApplied(server, phone, [
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'pending', to: 'confirmed' },
        occurredAt: '2026-11-21T08:30:00Z',
      },
      {
        name: 'job.setStatus',
        args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' },
        occurredAt: '2026-11-21T09:00:00Z',
      },
    ]);
    return { ...fixture, assignmentId, phone };
  }

  test('two devices editing different fields of a job both win', async () => {
    const fixture = await createJobFixture(server, office, { title: 'Patch drywall' });
    const laptop = await openDevice(server, 'dispatcher1@example.com');
    const desktop = await openDevice(server, 'dispatcher2@example.com');
    const a = await push(server, laptop, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Patch drywall, hall' }, base: { title: 'Patch drywall' } },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    const b = await push(server, desktop, [
      {
        name: 'job.update',
        args: {
          id: fixture.jobId,
          patch: { priority: 'urgent', durationMinutes: 240 },
          base: { priority: 'medium', durationMinutes: 120 },
        },
        occurredAt: '2026-11-21T09:00:00Z',
      },
    ]);
    expect(a.results).toEqual([{ seq: 1, outcome: 'applied' }]);
    expect(b.results).toEqual([{ seq: 1, outcome: 'applied' }]);
    expect(await jobRow(server, fixture.jobId)).toMatchObject({
      title: 'Patch drywall, hall',
      priority: 'urgent',
      duration_minutes: 240,
      trade: 'general',
    });
    expect(await conflictsOf(fixture.jobId)).toEqual([]);
  });

  test('a concurrent edit is judged by when that field changed, not when the row last changed', async () => {
    const fixture = await createJobFixture(server, office, { title: 'Tile shower' });
    const [early, offlineAllDay, late] = await Promise.all([
      openDevice(server, 'dispatcher1@example.com'),
      openDevice(server, 'dispatcher2@example.com'),
      openDevice(server, 'admin@example.com'),
    ]);
    // 08:00 someone renames the job; 15:00 someone else changes only its priority.
    await pushApplied(server, early, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Tile shower (08:00)' }, base: { title: 'Tile shower' } },
        occurredAt: '2026-11-21T08:00:00Z',
      },
    ]);
    await pushApplied(server, late, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { priority: 'high' }, base: { priority: 'medium' } },
        occurredAt: '2026-11-21T15:00:00Z',
      },
    ]);
    // A device offline since the morning renamed it at 11:00: later than the title's last change, so it wins.
    const result = await push(server, offlineAllDay, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Tile shower (11:00)' }, base: { title: 'Tile shower' } },
        occurredAt: '2026-11-21T11:00:00Z',
      },
    ]);
    expect(result.results[0]?.outcome).toBe('conflict');
    expect(await jobRow(server, fixture.jobId)).toMatchObject({ title: 'Tile shower (11:00)', priority: 'high' });
    expect(await conflictsOf(fixture.jobId)).toMatchObject([
      {
        field: 'title',
        winner_value: 'Tile shower (11:00)',
        loser_value: 'Tile shower (08:00)',
        winner_by: offlineAllDay.userId,
        loser_by: early.userId,
      },
    ]);
  });

  for (const order of ['earlier edit arrives first', 'later edit arrives first'] as const) {
    test(`two devices editing the same field: one conflicts row, the later edit wins, both converge (${order})`, async () => {
      const fixture = await createJobFixture(server, office, { title: 'Seal driveway' });
      const morning = await openDevice(server, 'dispatcher1@example.com');
      const noon = await openDevice(server, 'dispatcher2@example.com');
      const morningSync = await pullAll(server, morning);
      const noonSync = await pullAll(server, noon);
      expect(morningSync.copy.get('jobs')?.get(fixture.jobId)?.title).toBe('Seal driveway');

      const edit = (title: string, occurredAt: string) => ({
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title }, base: { title: 'Seal driveway' } },
        occurredAt,
      });
      const pushes = [
        () => push(server, morning, [edit('Seal driveway (morning)', '2026-11-21T09:00:00Z')]),
        () => push(server, noon, [edit('Seal driveway (noon)', '2026-11-21T12:00:00Z')]),
      ];
      if (order === 'later edit arrives first') pushes.reverse();
      const first = await pushes[0]?.();
      const second = await pushes[1]?.();
      expect(first?.results[0]?.outcome).toBe('applied');
      expect(second?.results[0]?.outcome).toBe('conflict');
      expect(second?.results[0]?.conflictId).toEqual(expect.any(String));

      const rows = await conflictsOf(fixture.jobId);
      expect(rows).toEqual([
        {
          entity: 'jobs',
          field: 'title',
          winner_value: 'Seal driveway (noon)',
          loser_value: 'Seal driveway (morning)',
          winner_by: noon.userId,
          loser_by: morning.userId,
          status: 'open',
          mutation_client_id: order === 'later edit arrives first' ? morning.clientId : noon.clientId,
          mutation_seq: 1,
        },
      ]);
      expect((await jobRow(server, fixture.jobId))?.title).toBe('Seal driveway (noon)');

      // Both devices pull and end up with the same job row and the same conflict.
      const morningAfter = await pullAll(server, morning, { cursor: morningSync.cursor, copy: morningSync.copy });
      const noonAfter = await pullAll(server, noon, { cursor: noonSync.cursor, copy: noonSync.copy });
      const morningJob = morningAfter.copy.get('jobs')?.get(fixture.jobId);
      const noonJob = noonAfter.copy.get('jobs')?.get(fixture.jobId);
      expect(morningJob?.title).toBe('Seal driveway (noon)');
      expect(noonJob).toEqual(morningJob);
      for (const sync of [morningAfter, noonAfter]) {
        expect(sync.pages.flatMap((page) => page.changes.jobs ?? []).map((row) => row.title)).toContain(
          'Seal driveway (noon)',
        );
        const conflict = sync.copy.get('conflicts')?.get(String(second?.results[0]?.conflictId));
        expect(conflict).toMatchObject({ entity: 'jobs', entityId: fixture.jobId, field: 'title', status: 'open' });
      }
    });
  }

  test('a status change from a stale status that is still legal applies as a conflict, with a conflicts row', async () => {
    const job = await jobInProgress('contractor5@example.com');
    await pushApplied(server, job.phone, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'on_hold', reason: 'Customer away' },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    // The office still saw the job waiting on materials, and starts it again.
    const desk = await openDevice(server, 'dispatcher2@example.com');
    const { results } = await push(server, desk, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'waiting_on_materials', to: 'in_progress' },
        occurredAt: '2026-11-21T10:30:00Z',
      },
    ]);
    expect(results).toEqual([{ seq: 1, outcome: 'conflict', conflictId: expect.any(String) }]);
    expect((await jobRow(server, job.jobId))?.status).toBe('in_progress');
    const [conflict] = await server.database.query<Record<string, unknown>>(
      sql`select entity, entity_id, field, winner_value, loser_value, winner_by, status, mutation_client_id, mutation_seq::int as seq
          from conflicts where id = ${results[0]?.conflictId}`,
    );
    expect(conflict).toEqual({
      entity: 'jobs',
      entity_id: job.jobId,
      field: 'status',
      winner_value: 'in_progress',
      loser_value: 'on_hold',
      winner_by: desk.userId,
      status: 'open',
      mutation_client_id: desk.clientId,
      seq: 1,
    });
    // The history says what really happened: on_hold → in_progress, not the stale from.
    const [last] = await server.database.query<Record<string, unknown>>(
      sql`select from_status, to_status, client_id from job_status_history where job_id = ${job.jobId} order by version desc limit 1`,
    );
    expect(last).toEqual({ from_status: 'on_hold', to_status: 'in_progress', client_id: desk.clientId });
    const [ledger] = await ledgerOf(server, desk.clientId);
    expect(ledger).toMatchObject({ outcome: 'conflict', conflict_id: results[0]?.conflictId });
  });

  test('an illegal status change is rejected with invalid_transition in plain words and recorded on the timeline', async () => {
    const job = await jobInProgress('contractor6@example.com');
    await pushApplied(server, office, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'cancelled', reason: 'Customer cancelled' },
        occurredAt: '2026-11-21T10:42:00Z',
      },
    ]);
    const historyBefore = await countRows(server, ['job_status_history', 'conflicts']);
    const jobBefore = await jobRow(server, job.jobId);

    // The phone was offline and completed the job it still saw in progress.
    const { results } = await push(server, job.phone, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'completed' },
        occurredAt: '2026-11-21T11:15:00Z',
      },
    ]);
    expect(results).toEqual([
      { seq: results[0]?.seq, outcome: 'rejected', error: { code: 'invalid_transition', message: expect.any(String) } },
    ]);
    const message = String(results[0]?.error?.message);
    expect(message).toMatch(/cancel/i);
    expect(message).toMatch(/complete/i);
    expect(message).not.toMatch(/in_progress|invalid_transition|[a-z]+_[a-z]+/);
    expect(await jobRow(server, job.jobId)).toEqual(jobBefore);
    expect(await countRows(server, ['job_status_history', 'conflicts'])).toEqual(historyBefore);

    const refused = await server.database.query<{
      action: string;
      source: string;
      user_id: string;
      details: Record<string, unknown>;
    }>(
      sql`select action, source, user_id, details from activity_log where job_id = ${job.jobId} and action = 'job.status_refused'`,
    );
    expect(refused).toEqual([
      {
        action: 'job.status_refused',
        source: 'mobile_app',
        user_id: job.phone.userId,
        details: { from: 'in_progress', to: 'completed', current: 'cancelled', reason: message },
      },
    ]);
    const ledger = await ledgerOf(server, job.phone.clientId);
    expect(ledger.at(-1)).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_transition', message } });
  });

  test('an assignment sent again is duplicate for the same booking however its times are written, id_conflict for another slot', async () => {
    const fixture = await createJobFixture(server, office);
    const contractorId = await contractorIdOf(server, 'contractor4@example.com');
    const device = await openDevice(server, 'dispatcher2@example.com');
    const id = randomUUID();
    const booking = {
      id,
      jobId: fixture.jobId,
      contractorId,
      start: '2031-05-05T08:00:00Z',
      end: '2031-05-05T10:00:00Z',
    };
    await pushApplied(server, device, [{ name: 'assignment.create', args: booking }]);

    const again = await push(server, device, [
      {
        name: 'assignment.create',
        args: { ...booking, start: '2031-05-05T09:00:00.000+01:00', end: '2031-05-05T10:00:00.000Z' },
      },
      { name: 'assignment.create', args: { ...booking, end: '2031-05-05T11:00:00Z' } },
    ]);
    expect(again.results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['duplicate', null],
      ['rejected', 'id_conflict'],
    ]);
    const [row] = await server.database.query<{ scheduled_end: unknown }>(
      sql`select scheduled_end from assignments where id = ${id}`,
    );
    expect(new Date(String(row?.scheduled_end)).toISOString()).toBe('2031-05-05T10:00:00.000Z');
  });

  test('creates are idempotent by id: same content is duplicate, different content is id_conflict', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher2@example.com');
    const noteId = randomUUID();
    const materialId = randomUUID();
    const customerId = randomUUID();
    const note = { id: noteId, jobId: fixture.jobId, body: 'Bring the long ladder.' };
    const material = { id: materialId, jobId: fixture.jobId, itemName: 'Ladder hooks', quantity: 2.5, unit: 'pair' };
    const customer = { id: customerId, name: 'Grace Hopper', email: 'grace@example.org' };
    await pushApplied(server, device, [
      { name: 'note.add', args: note },
      { name: 'material.add', args: material },
      { name: 'customer.create', args: customer },
    ]);
    const before = await countRows(server, ['job_notes', 'materials', 'customers', 'activity_log']);
    const snapshot = await server.database.query(
      sql`select id, version from job_notes where id = ${noteId} union all select id, version from materials where id = ${materialId}
          union all select id, version from customers where id = ${customerId}`,
    );

    // The same creates again, at new seqs (e.g. an outbox rebuilt after a reinstall).
    const same = await push(server, device, [
      { name: 'note.add', args: note },
      { name: 'material.add', args: material },
      { name: 'customer.create', args: customer },
      {
        name: 'job.create',
        args: {
          id: fixture.jobId,
          title: `Job ${fixture.jobId.slice(0, 8)}`,
          customerId: fixture.customerId,
          trade: 'general',
          durationMinutes: 120,
        },
      },
    ]);
    expect(same.results.map((r) => [r.seq, r.outcome])).toEqual([
      [4, 'duplicate'],
      [5, 'duplicate'],
      [6, 'duplicate'],
      [7, 'duplicate'],
    ]);
    const different = await push(server, device, [
      { name: 'note.add', args: { ...note, body: 'Bring the short ladder.' } },
      { name: 'material.add', args: { ...material, quantity: 3 } },
      { name: 'customer.create', args: { ...customer, name: 'Grace B. Hopper' } },
      {
        name: 'job.create',
        args: {
          id: fixture.jobId,
          title: 'Something else',
          customerId: fixture.customerId,
          trade: 'general',
          durationMinutes: 120,
        },
      },
    ]);
    expect(different.results.map((r) => [r.outcome, r.error?.code])).toEqual(
      Array(4).fill(['rejected', 'id_conflict']),
    );
    expect(await countRows(server, ['job_notes', 'materials', 'customers', 'activity_log'])).toEqual(before);
    expect(
      await server.database.query(
        sql`select id, version from job_notes where id = ${noteId} union all select id, version from materials where id = ${materialId}
            union all select id, version from customers where id = ${customerId}`,
      ),
    ).toEqual(snapshot);
    expect((await ledgerOf(server, device.clientId)).map((row) => row.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
  });

  test('an assignment overlapping a live assignment of the same contractor is rejected as double_booked', async () => {
    const contractorId = await contractorIdOf(server, 'contractor7@example.com');
    const first = await createJobFixture(server, office);
    const second = await createJobFixture(server, office);
    const slot = freshSlot();
    const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
    const firstAssignment = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'assignment.create',
        args: { id: firstAssignment, jobId: first.jobId, contractorId, start: slot.start, end: slot.end },
      },
    ]);
    const before = await countRows(server, ['assignments', 'job_status_history']);
    const overlapping = randomUUID();
    const { results } = await push(server, office, [
      {
        name: 'assignment.create',
        args: {
          id: overlapping,
          jobId: second.jobId,
          contractorId,
          start: plusMinutes(slot.start, 90),
          end: plusMinutes(slot.end, 90),
        },
      },
    ]);
    expect(results[0]).toMatchObject({
      outcome: 'rejected',
      error: { code: 'double_booked', message: expect.stringContaining('booked') },
    });
    expect(await countRows(server, ['assignments', 'job_status_history'])).toEqual(before);
    expect((await jobRow(server, second.jobId))?.status).toBe('open');

    // Back to back is fine (half-open ranges), and once the first is cancelled the overlap is free.
    const backToBack = randomUUID();
    const third = await createJobFixture(server, office);
    await pushApplied(server, office, [
      {
        name: 'assignment.create',
        args: { id: backToBack, jobId: third.jobId, contractorId, start: slot.end, end: plusMinutes(slot.end, 30) },
      },
      {
        name: 'assignment.setStatus',
        args: { id: backToBack, from: 'pending', to: 'cancelled', reason: 'Freeing the slot' },
      },
      {
        name: 'assignment.setStatus',
        args: { id: firstAssignment, from: 'pending', to: 'cancelled', reason: 'Moved' },
      },
      {
        name: 'assignment.create',
        args: {
          id: overlapping,
          jobId: second.jobId,
          contractorId,
          start: plusMinutes(slot.start, 90),
          end: plusMinutes(slot.end, 90),
        },
      },
    ]);
    expect((await jobRow(server, second.jobId))?.status).toBe('scheduled');
  });

  test('a contractor may not create jobs or customers, nor touch materials and notes of a job not theirs', async () => {
    const mine = await jobInProgress('contractor8@example.com');
    const notMine = await createJobFixture(server, office);
    await assignJob(server, office, notMine.jobId, await contractorIdOf(server, 'contractor9@example.com'));
    const phone = mine.phone;
    const before = await countRows(server);
    const { results } = await push(server, phone, [
      {
        name: 'job.create',
        args: { id: randomUUID(), title: 'Side gig', customerId: null, trade: 'tile', durationMinutes: 60 },
      },
      { name: 'customer.create', args: { id: randomUUID(), name: 'My cousin' } },
      {
        name: 'job.update',
        args: { id: mine.jobId, patch: { title: 'Renamed' }, base: { title: `Job ${mine.jobId.slice(0, 8)}` } },
      },
      {
        name: 'material.add',
        args: { id: randomUUID(), jobId: notMine.jobId, itemName: 'Nails', quantity: 1, unit: 'box' },
      },
      { name: 'material.setPurchased', args: { id: notMine.materialId, purchased: true } },
      { name: 'note.add', args: { id: randomUUID(), jobId: notMine.jobId, body: 'Peeking' } },
      { name: 'job.setStatus', args: { jobId: notMine.jobId, from: 'scheduled', to: 'in_progress' } },
      { name: 'job.setStatus', args: { jobId: mine.jobId, from: 'in_progress', to: 'cancelled' } },
      {
        name: 'assignment.create',
        args: { id: randomUUID(), jobId: notMine.jobId, contractorId: randomUUID(), ...freshSlot() },
      },
      { name: 'conflict.resolve', args: { id: randomUUID(), keep: 'loser' } },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code])).toEqual(Array(10).fill(['rejected', 'forbidden']));
    const after = await countRows(server);
    expect(after).toEqual({ ...before, mutations: before.mutations + 10, sync_clients: before.sync_clients });
    // Their own job is fine.
    const own = await push(server, phone, [
      {
        name: 'material.add',
        args: { id: randomUUID(), jobId: mine.jobId, itemName: 'Nails', quantity: 1, unit: 'box' },
      },
      { name: 'note.add', args: { id: randomUUID(), jobId: mine.jobId, body: 'On site' } },
    ]);
    expect(own.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
  });

  test('keeping the losing side of an assignment status conflict goes through the assignment rules', async () => {
    const fixture = await createJobFixture(server, office);
    const email = 'contractor1@example.com';
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
    ]);
    // The office still sees it confirmed when it cancels; the phone has started meanwhile.
    await pushApplied(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'confirmed', to: 'in_progress' } },
    ]);
    const cancel = await push(server, office, [
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'confirmed', to: 'cancelled', reason: 'Customer called off' },
      },
    ]);
    expect(cancel.results[0]?.outcome).toBe('conflict');

    // Bringing back "in progress" would revive a cancelled assignment: the state machine refuses.
    const resolve = await push(server, office, [
      { name: 'conflict.resolve', args: { id: cancel.results[0]?.conflictId, keep: 'loser' } },
    ]);
    expect(resolve.results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_transition' } });
    const [assignment] = await server.database.query<{ status: string }>(
      sql`select status from assignments where id = ${assignmentId}`,
    );
    expect(assignment?.status).toBe('cancelled');
  });

  test('conflict.resolve keeping the loser flips the value; a status conflict flips through the state machine', async () => {
    const fixture = await createJobFixture(server, office, { title: 'Regrout shower' });
    const early = await openDevice(server, 'dispatcher1@example.com');
    const late = await openDevice(server, 'dispatcher2@example.com');
    await pushApplied(server, late, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Regrout shower (white)' }, base: { title: 'Regrout shower' } },
        occurredAt: '2026-11-21T11:00:00Z',
      },
    ]);
    const lost = await push(server, early, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Regrout shower (grey)' }, base: { title: 'Regrout shower' } },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    const conflictId = lost.results[0]?.conflictId;
    expect(lost.results[0]?.outcome).toBe('conflict');
    expect((await jobRow(server, fixture.jobId))?.title).toBe('Regrout shower (white)');

    const jobVersion = Number((await jobRow(server, fixture.jobId))?.version);
    await pushApplied(server, office, [{ name: 'conflict.resolve', args: { id: conflictId, keep: 'loser' } }]);
    const flipped = await jobRow(server, fixture.jobId);
    expect(flipped?.title).toBe('Regrout shower (grey)');
    expect(Number(flipped?.version)).toBeGreaterThan(jobVersion);
    const [resolved] = await server.database.query<Record<string, unknown>>(
      sql`select status, resolution, resolved_by from conflicts where id = ${conflictId}`,
    );
    expect(resolved).toEqual({ status: 'resolved', resolution: 'loser', resolved_by: office.userId });
    // Resolving again the same way is harmless; the other way is refused.
    const again = await push(server, office, [
      { name: 'conflict.resolve', args: { id: conflictId, keep: 'loser' } },
      { name: 'conflict.resolve', args: { id: conflictId, keep: 'winner' } },
    ]);
    expect(again.results.map((r) => [r.outcome, r.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'validation_failed'],
    ]);
    expect((await jobRow(server, fixture.jobId))?.title).toBe('Regrout shower (grey)');

    // Status: the phone put the job on hold; the office, from a stale view, restarted it; keep the loser → on hold.
    const job = await jobInProgress('contractor11@example.com');
    await pushApplied(server, job.phone, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'in_progress', to: 'on_hold' },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    const stale = await push(server, late, [
      {
        name: 'job.setStatus',
        args: { jobId: job.jobId, from: 'waiting_on_materials', to: 'in_progress' },
        occurredAt: '2026-11-21T10:05:00Z',
      },
    ]);
    expect(stale.results[0]?.outcome).toBe('conflict');
    await pushApplied(server, office, [
      { name: 'conflict.resolve', args: { id: stale.results[0]?.conflictId, keep: 'loser' } },
    ]);
    expect((await jobRow(server, job.jobId))?.status).toBe('on_hold');
    const [last] = await server.database.query<Record<string, unknown>>(
      sql`select from_status, to_status, changed_by from job_status_history where job_id = ${job.jobId} order by version desc limit 1`,
    );
    expect(last).toEqual({ from_status: 'in_progress', to_status: 'on_hold', changed_by: office.userId });
  });

  test('a conflicting edit of a customer is pulled by a contractor whose job uses it', async () => {
    const contractorEmail = 'contractor12@example.com';
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, contractorEmail));
    const phone = await openDevice(server, contractorEmail);
    const initial = await pullAll(server, phone);
    const name = `Customer ${fixture.customerId.slice(0, 8)}`;
    expect(initial.copy.get('customers')?.get(fixture.customerId)?.name).toBe(name);
    const a = await openDevice(server, 'dispatcher1@example.com');
    const b = await openDevice(server, 'dispatcher2@example.com');
    await pushApplied(server, a, [
      {
        name: 'customer.update',
        args: { id: fixture.customerId, patch: { name: 'Ann Lee' }, base: { name } },
        occurredAt: '2026-11-21T13:00:00Z',
      },
    ]);
    const second = await push(server, b, [
      {
        name: 'customer.update',
        args: { id: fixture.customerId, patch: { name: 'Anne Lee' }, base: { name } },
        occurredAt: '2026-11-21T13:30:00Z',
      },
    ]);
    expect(second.results[0]?.outcome).toBe('conflict');
    const next = await pull(server, phone, { cursor: initial.cursor });
    expect(next.changes.customers?.find((row) => row.id === fixture.customerId)?.name).toBe('Anne Lee');
  });
});
