import { randomUUID } from 'node:crypto';
import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
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
  numbered,
  openDevice,
  push,
  pushApplied,
  pushBatch,
  versionFingerprint,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

const COUNTED_TABLES = ['jobs', 'job_status_history', 'materials', 'job_notes', 'activity_log', 'mutations'] as const;

describe.each(kinds)('push on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  const rawPush = (body: unknown, init: { token?: string; headers?: Record<string, string> } = {}) =>
    server.call('POST', '/api/sync/push', { token: init.token ?? office.token, body, headers: init.headers });

  test('a batch replayed three times is applied once: every replay is duplicate and no row changes', async () => {
    const fixture = await createJobFixture(server, office);
    const contractorEmail = 'contractor2@example.com';
    const assignmentId = await assignJob(server, office, fixture.jobId, await contractorIdOf(server, contractorEmail));
    const phone = await openDevice(server, contractorEmail);
    const materialId = randomUUID();
    const noteId = randomUUID();
    const { batch, results, lastSeq } = await push(server, phone, [
      { name: 'assignment.setStatus', args: { id: assignmentId, from: 'pending', to: 'confirmed' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' } },
      {
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName: 'Grout', quantity: 1.5, unit: 'bag' },
      },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      { name: 'note.add', args: { id: noteId, jobId: fixture.jobId, body: 'Started on the stairs.' } },
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'in_progress', to: 'on_hold', reason: 'Rain' } },
    ]);
    expect(results.map((result) => result.outcome)).toEqual(Array(6).fill('applied'));
    expect(lastSeq).toBe(6);

    const counts = await countRows(server, COUNTED_TABLES);
    const fingerprint = await versionFingerprint(server, server.orgA.orgId);
    const job = await jobRow(server, fixture.jobId);
    expect(job?.status).toBe('on_hold');

    for (let replay = 0; replay < 3; replay++) {
      const again = await pushBatch(server, phone, batch);
      expect(again.lastSeq).toBe(6);
      expect(again.results.map((result) => [result.seq, result.outcome])).toEqual(
        batch.map((mutation) => [mutation.seq, 'duplicate']),
      );
    }
    expect(await countRows(server, COUNTED_TABLES)).toEqual(counts);
    expect(await versionFingerprint(server, server.orgA.orgId)).toEqual(fingerprint);
    expect(await jobRow(server, fixture.jobId)).toEqual(job);
    const ledger = await ledgerOf(server, phone.clientId);
    expect(ledger.map((row) => [Number(row.seq), row.outcome])).toEqual(batch.map((m) => [m.seq, 'applied']));
  });

  test('mutations are applied in seq order, across pushes', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher2@example.com');
    const materialId = randomUUID();
    // Each step depends on the one before: applied in any other order, some would be refused.
    const first = await push(server, device, [
      {
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName: 'Tile', quantity: 10, unit: 'box' },
      },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      { name: 'material.update', args: { id: materialId, patch: { quantity: 12 }, base: { quantity: 10 } } },
    ]);
    const second = await push(server, device, [
      { name: 'material.setPurchased', args: { id: materialId, purchased: false } },
      { name: 'material.update', args: { id: materialId, patch: { quantity: 14 }, base: { quantity: 12 } } },
      { name: 'material.remove', args: { id: materialId } },
    ]);
    expect(first.results.map((r) => [r.seq, r.outcome])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);
    expect(second.results.map((r) => [r.seq, r.outcome])).toEqual([
      [4, 'applied'],
      [5, 'applied'],
      [6, 'applied'],
    ]);
    expect(second.lastSeq).toBe(6);

    const trail = await server.database.query<{ action: string }>(
      sql`select action from activity_log where entity_id = ${materialId} order by version`,
    );
    expect(trail.map((row) => row.action)).toEqual([
      'material.added',
      'material.purchased',
      'materials.updated',
      'material.unpurchased',
      'materials.updated',
      'material.removed',
    ]);
    const [material] = await server.database.query<{ quantity: string; purchased: boolean; deleted_at: unknown }>(
      sql`select quantity::text, purchased, deleted_at from materials where id = ${materialId}`,
    );
    expect(Number(material?.quantity)).toBe(14);
    expect(material?.purchased).toBe(false);
    expect(material?.deleted_at).not.toBeNull();
    const ledger = await ledgerOf(server, device.clientId);
    expect(ledger.map((row) => [Number(row.seq), row.name])).toEqual([
      [1, 'material.add'],
      [2, 'material.setPurchased'],
      [3, 'material.update'],
      [4, 'material.setPurchased'],
      [5, 'material.update'],
      [6, 'material.remove'],
    ]);
  });

  test('a seq gap rejects that mutation and the ones after it with seq_gap and says expectedSeq', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher1@example.com');
    const note = (body: string) => ({ name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body } });
    const planned = [note('one'), note('two'), note('three'), note('four'), note('five')];
    const batch = numbered(device, planned);
    const [m1, m2, m3, m4, m5] = batch as [
      (typeof batch)[0],
      (typeof batch)[0],
      (typeof batch)[0],
      (typeof batch)[0],
      (typeof batch)[0],
    ];

    expect((await pushBatch(server, device, [m1, m2])).lastSeq).toBe(2);
    const notesBefore = await countRows(server, ['job_notes', 'mutations']);

    const gap = await pushBatch(server, device, [m4, m5]);
    expect(gap.lastSeq).toBe(2);
    expect(gap.expectedSeq).toBe(3);
    expect(gap.results).toEqual([
      { seq: 4, outcome: 'rejected', error: { code: 'seq_gap', message: expect.any(String) } },
      { seq: 5, outcome: 'rejected', error: { code: 'seq_gap', message: expect.any(String) } },
    ]);
    expect(await countRows(server, ['job_notes', 'mutations'])).toEqual(notesBefore);

    // 3 is next, so it applies; 5 still skips 4.
    const partly = await pushBatch(server, device, [m3, m5]);
    expect(partly.results.map((r) => [r.seq, r.outcome, r.error?.code])).toEqual([
      [3, 'applied', undefined],
      [5, 'rejected', 'seq_gap'],
    ]);
    expect(partly.lastSeq).toBe(3);
    expect(partly.expectedSeq).toBe(4);

    const rest = await pushBatch(server, device, [m4, m5]);
    expect(rest.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(rest.expectedSeq).toBeUndefined();
    const bodies = await server.database.query<{ body: string }>(
      sql`select body from job_notes where job_id = ${fixture.jobId} order by version`,
    );
    expect(bodies.map((row) => row.body)).toEqual(['Gate code 1234', 'one', 'two', 'three', 'four', 'five']);
    expect((await ledgerOf(server, device.clientId)).map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5]);
  });

  test('a client id belongs to the user who first pushed with it: anyone else gets 403 client_id_taken', async () => {
    const fixture = await createJobFixture(server, office);
    const owner = await openDevice(server, 'dispatcher1@example.com');
    await pushApplied(server, owner, [
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'mine' } },
    ]);
    const before = await countRows(server);

    const intruderNote = randomUUID();
    for (const email of ['dispatcher2@example.com', 'contractor1@example.com', 'admin@example.com']) {
      const other = await openDevice(server, email);
      const response = await server.call('POST', '/api/sync/push', {
        token: other.token,
        body: {
          clientId: owner.clientId,
          mutations: [
            {
              seq: 2,
              name: 'note.add',
              occurredAt: '2026-11-21T10:00:00Z',
              args: { id: intruderNote, jobId: fixture.jobId, body: 'x' },
            },
          ],
        },
      });
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ error: { code: 'client_id_taken', message: expect.any(String) } });
      const pulled = await server.call('GET', `/api/sync/pull?clientId=${owner.clientId}`, { token: other.token });
      expect(pulled.status).toBe(403);
      expect(pulled.json.error.code).toBe('client_id_taken');
    }
    expect(await countRows(server)).toEqual(before);
    const [owned] = await server.database.query<{ user_id: string; last_seq: string }>(
      sql`select user_id, last_seq::text from sync_clients where id = ${owner.clientId}`,
    );
    expect(owned).toEqual({ user_id: owner.userId, last_seq: '1' });
  });

  test('every mutation in the catalogue applies with its side effects', async () => {
    const clock = server.clock;
    const contractorEmail = 'contractor3@example.com';
    const contractorId = await contractorIdOf(server, contractorEmail);
    const phone = await openDevice(server, contractorEmail);
    const desk = await openDevice(server, 'dispatcher2@example.com');
    const ids = {
      customer: randomUUID(),
      job: randomUUID(),
      newContractor: randomUUID(),
      assignment: randomUUID(),
      material: randomUUID(),
      spare: randomUUID(),
      note: randomUUID(),
      rating: randomUUID(),
    };
    const at = (time: string) => `2026-11-21T${time}:00.000Z`;

    /** Pushes one mutation and checks its outcome and its ledger row. */
    const apply = async (device: Device, name: string, args: unknown, time: string, outcome = 'applied') => {
      const response = await push(server, device, [{ name, args, occurredAt: at(time) }]);
      const [result] = response.results;
      expect(result?.outcome, `${name}: ${JSON.stringify(result)}`).toBe(outcome);
      const [ledger] = await server.database.query<Record<string, unknown>>(
        sql`select user_id, name, args, outcome, error, conflict_id, occurred_at, received_at from mutations
            where client_id = ${device.clientId} and seq = ${result?.seq}`,
      );
      expect(ledger).toMatchObject({ user_id: device.userId, name, outcome, error: null });
      expect(ledger?.args).toEqual(args);
      expect(new Date(String(ledger?.occurred_at)).toISOString()).toBe(at(time));
      expect(new Date(String(ledger?.received_at)).toISOString()).toBe(clock.now().toISOString());
      return result;
    };
    const versionOf = async (table: string, id: string) => {
      const [row] = await server.database.query<{ v: string }>(
        sql`select version::text as v from ${sql.identifier(table)} where id = ${id}`,
      );
      return Number(row?.v);
    };
    const activity = (entityId: string) =>
      server.database.query<{ action: string; source: string; user_id: string; job_id: string | null }>(
        sql`select action, source, user_id, job_id from activity_log where entity_id = ${entityId} order by version`,
      );
    const history = () =>
      server.database.query<Record<string, unknown>>(
        sql`select from_status, to_status, changed_by, occurred_at, recorded_at, client_id, seq::int as seq
            from job_status_history where job_id = ${ids.job} order by version`,
      );

    // customer.create / customer.update
    await apply(desk, 'customer.create', { id: ids.customer, name: 'Ada Byron', phone: '303-555-0100' }, '08:00');
    const customerV1 = await versionOf('customers', ids.customer);
    await apply(
      desk,
      'customer.update',
      { id: ids.customer, patch: { phone: '303-555-0199' }, base: { phone: '303-555-0100' } },
      '08:01',
    );
    const [customer] = await server.database.query<{ name: string; phone: string }>(
      sql`select name, phone from customers where id = ${ids.customer}`,
    );
    expect(customer).toEqual({ name: 'Ada Byron', phone: '303-555-0199' });
    expect(await versionOf('customers', ids.customer)).toBeGreaterThan(customerV1);
    expect((await activity(ids.customer)).map((row) => [row.action, row.source])).toEqual([
      ['customer.created', 'dispatcher_web'],
      ['customers.updated', 'dispatcher_web'],
    ]);

    // job.create: number and status from the server, first history row
    const created = await apply(
      desk,
      'job.create',
      { id: ids.job, title: 'Fix stairs', customerId: ids.customer, trade: 'general', durationMinutes: 90 },
      '08:02',
    );
    const job = await jobRow(server, ids.job);
    expect(job).toMatchObject({
      title: 'Fix stairs',
      status: 'open',
      customer_id: ids.customer,
      created_by: desk.userId,
    });
    expect(job?.job_number).toMatch(/^JOB-\d{8}-[A-Z0-9]{6}$/);
    expect(await history()).toEqual([
      {
        from_status: null,
        to_status: 'open',
        changed_by: desk.userId,
        occurred_at: expect.anything(),
        recorded_at: expect.anything(),
        client_id: desk.clientId,
        seq: created?.seq,
      },
    ]);

    // job.update bumps the version and touches only the patched field
    const jobV1 = await versionOf('jobs', ids.job);
    await apply(
      desk,
      'job.update',
      { id: ids.job, patch: { title: 'Fix stairs and rail' }, base: { title: 'Fix stairs' } },
      '08:03',
    );
    expect(await versionOf('jobs', ids.job)).toBeGreaterThan(jobV1);
    expect(await jobRow(server, ids.job)).toMatchObject({
      title: 'Fix stairs and rail',
      duration_minutes: 90,
      status: 'open',
    });

    // contractor.create / contractor.update / workingHours.set
    await apply(
      desk,
      'contractor.create',
      { id: ids.newContractor, name: 'Pat New', trade: 'tile', rating: 4.5 },
      '08:04',
    );
    await apply(
      desk,
      'contractor.update',
      { id: ids.newContractor, patch: { phone: '303-555-0111' }, base: { phone: null } },
      '08:05',
    );
    await apply(
      desk,
      'workingHours.set',
      {
        contractorId: ids.newContractor,
        days: [
          { dayOfWeek: 1, start: '08:00', end: '16:00' },
          { dayOfWeek: 3, start: '09:00', end: '13:30' },
        ],
      },
      '08:06',
    );
    const [newContractor] = await server.database.query<Record<string, unknown>>(
      sql`select name, trade, phone, status, rating::float8 as rating from contractors where id = ${ids.newContractor}`,
    );
    expect(newContractor).toEqual({
      name: 'Pat New',
      trade: 'tile',
      phone: '303-555-0111',
      status: 'active',
      rating: 4.5,
    });
    const hours = await server.database.query<Record<string, unknown>>(
      sql`select day_of_week, to_char(start_time, 'HH24:MI') as start, to_char(end_time, 'HH24:MI') as "end"
          from working_hours where contractor_id = ${ids.newContractor} and deleted_at is null order by day_of_week`,
    );
    expect(hours).toEqual([
      { day_of_week: 1, start: '08:00', end: '16:00' },
      { day_of_week: 3, start: '09:00', end: '13:30' },
    ]);

    // assignment.create schedules the open job (a status change with its own history row)
    const slot = freshSlot();
    const assigned = await apply(
      desk,
      'assignment.create',
      { id: ids.assignment, jobId: ids.job, contractorId, start: slot.start, end: slot.end },
      '08:07',
    );
    const [assignment] = await server.database.query<{ status: string; contractor_id: string }>(
      sql`select status, contractor_id from assignments where id = ${ids.assignment}`,
    );
    expect(assignment).toEqual({ status: 'pending', contractor_id: contractorId });
    expect((await jobRow(server, ids.job))?.status).toBe('scheduled');
    expect((await history()).at(-1)).toMatchObject({
      from_status: 'open',
      to_status: 'scheduled',
      client_id: desk.clientId,
      seq: assigned?.seq,
    });

    // The contractor's phone: assignment, status, materials, notes, all from the field.
    await apply(phone, 'assignment.setStatus', { id: ids.assignment, from: 'pending', to: 'confirmed' }, '08:30');
    clock.advance(60_000); // the server learns later than the device did
    const jobV2 = await versionOf('jobs', ids.job);
    const started = await apply(
      phone,
      'job.setStatus',
      { jobId: ids.job, from: 'scheduled', to: 'in_progress' },
      '09:00',
    );
    expect(await versionOf('jobs', ids.job)).toBeGreaterThan(jobV2);
    const startedRow = (await history()).at(-1);
    expect(startedRow).toMatchObject({
      from_status: 'scheduled',
      to_status: 'in_progress',
      changed_by: phone.userId,
      client_id: phone.clientId,
      seq: started?.seq,
    });
    expect(new Date(String(startedRow?.occurred_at)).toISOString()).toBe(at('09:00'));
    expect(new Date(String(startedRow?.recorded_at)).toISOString()).toBe(clock.now().toISOString());

    await apply(
      phone,
      'material.add',
      { id: ids.material, jobId: ids.job, itemName: 'Stair nosing', quantity: 3, unit: 'piece' },
      '09:10',
    );
    const materialV1 = await versionOf('materials', ids.material);
    await apply(phone, 'material.update', { id: ids.material, patch: { quantity: 4 }, base: { quantity: 3 } }, '09:11');
    expect(await versionOf('materials', ids.material)).toBeGreaterThan(materialV1);
    await apply(phone, 'material.setPurchased', { id: ids.material, purchased: true }, '09:40');
    const [material] = await server.database.query<Record<string, unknown>>(
      sql`select quantity::float8 as quantity, purchased, purchased_by, purchased_at, added_by from materials where id = ${ids.material}`,
    );
    expect(material).toMatchObject({
      quantity: 4,
      purchased: true,
      purchased_by: phone.userId,
      added_by: phone.userId,
    });
    expect(new Date(String(material?.purchased_at)).toISOString()).toBe(at('09:40'));

    await apply(
      phone,
      'material.add',
      { id: ids.spare, jobId: ids.job, itemName: 'Spare', quantity: 1, unit: 'each' },
      '09:45',
    );
    await apply(phone, 'material.remove', { id: ids.spare }, '09:46');
    const [spare] = await server.database.query<{ deleted_at: unknown }>(
      sql`select deleted_at from materials where id = ${ids.spare}`,
    );
    expect(spare?.deleted_at).not.toBeNull();

    await apply(phone, 'note.add', { id: ids.note, jobId: ids.job, body: 'Rail is loose at the top.' }, '10:00');
    const [note] = await server.database.query<Record<string, unknown>>(
      sql`select author_id, body, occurred_at from job_notes where id = ${ids.note}`,
    );
    expect(note).toMatchObject({ author_id: phone.userId, body: 'Rail is loose at the top.' });
    expect(new Date(String(note?.occurred_at)).toISOString()).toBe(at('10:00'));

    await apply(phone, 'assignment.setStatus', { id: ids.assignment, from: 'confirmed', to: 'in_progress' }, '10:05');
    await apply(phone, 'job.setStatus', { jobId: ids.job, from: 'in_progress', to: 'completed' }, '12:00');
    await apply(phone, 'assignment.setStatus', { id: ids.assignment, from: 'in_progress', to: 'completed' }, '12:01');
    expect((await jobRow(server, ids.job))?.status).toBe('completed');

    // rating.add: the contractor's rating becomes the average of their ratings
    await apply(
      desk,
      'rating.add',
      { id: ids.rating, assignmentId: ids.assignment, stars: 3, comment: 'Slow but tidy' },
      '13:00',
    );
    const [rating] = await server.database.query<{ stars: number; contractor_id: string }>(
      sql`select stars, contractor_id from ratings where id = ${ids.rating}`,
    );
    expect(rating).toEqual({ stars: 3, contractor_id: contractorId });
    const [average] = await server.database.query<{ rating: number }>(
      sql`select rating::float8 as rating from contractors where id = ${contractorId}`,
    );
    expect(average?.rating).toBe(3);

    // job.update from a second desk that saw an older title: a conflict, then conflict.resolve
    const otherDesk = await openDevice(server, 'dispatcher1@example.com');
    const conflicted = await apply(
      otherDesk,
      'job.update',
      { id: ids.job, patch: { title: 'Stairs only' }, base: { title: 'Fix stairs' } },
      '13:10',
      'conflict',
    );
    expect(conflicted?.conflictId).toEqual(expect.any(String));
    const [ledgerConflict] = await server.database.query<{ conflict_id: string }>(
      sql`select conflict_id from mutations where client_id = ${otherDesk.clientId} and seq = 1`,
    );
    expect(ledgerConflict?.conflict_id).toBe(conflicted?.conflictId);
    await apply(desk, 'conflict.resolve', { id: conflicted?.conflictId, keep: 'winner' }, '13:20');
    const [resolved] = await server.database.query<Record<string, unknown>>(
      sql`select status, resolution, resolved_by from conflicts where id = ${conflicted?.conflictId}`,
    );
    expect(resolved).toEqual({ status: 'resolved', resolution: 'winner', resolved_by: desk.userId });
    expect((await jobRow(server, ids.job))?.title).toBe('Stairs only');

    // Every status change is on the timeline, each with its device time and its mutation.
    expect((await history()).map((row) => [row.from_status, row.to_status])).toEqual([
      [null, 'open'],
      ['open', 'scheduled'],
      ['scheduled', 'in_progress'],
      ['in_progress', 'completed'],
    ]);
    // Activity: the phone's entries say mobile_app, the desk's dispatcher_web.
    const trail = await server.database.query<{ action: string; source: string; user_id: string }>(
      sql`select action, source, user_id from activity_log where job_id = ${ids.job} order by version`,
    );
    expect(trail.length).toBeGreaterThanOrEqual(14);
    for (const entry of trail) {
      expect(entry.source, entry.action).toBe(entry.user_id === phone.userId ? 'mobile_app' : 'dispatcher_web');
    }
    expect(trail.filter((entry) => entry.user_id === phone.userId).map((entry) => entry.action)).toEqual([
      'assignment.confirmed',
      'job.status_changed',
      // Starting the job started the assignment; the phone's own start then found it done.
      'assignment.in_progress',
      'material.added',
      'materials.updated',
      'material.purchased',
      'material.added',
      'material.removed',
      'note.added',
      'job.status_changed',
      'assignment.completed',
    ]);
    // One ledger row per mutation, each with its outcome.
    expect((await ledgerOf(server, phone.clientId)).map((row) => row.outcome)).toEqual(Array(11).fill('applied'));
    expect((await ledgerOf(server, desk.clientId)).map((row) => [row.name, row.outcome])).toEqual([
      ['customer.create', 'applied'],
      ['customer.update', 'applied'],
      ['job.create', 'applied'],
      ['job.update', 'applied'],
      ['contractor.create', 'applied'],
      ['contractor.update', 'applied'],
      ['workingHours.set', 'applied'],
      ['assignment.create', 'applied'],
      ['rating.add', 'applied'],
      ['conflict.resolve', 'applied'],
    ]);
  });

  test('a rejected mutation leaves only its ledger row and does not undo the others in the batch', async () => {
    const fixture = await createJobFixture(server, office);
    const other = await createJobFixture(server, office);
    const contractorId = await contractorIdOf(server, 'contractor4@example.com');
    const booked = await assignJob(server, office, fixture.jobId, contractorId);
    const [slot] = await server.database.query<{ start: string; end: string }>(
      sql`select scheduled_start as start, scheduled_end as "end" from assignments where id = ${booked}`,
    );
    const jobBefore = await jobRow(server, other.jobId);
    const device = await openDevice(server, 'dispatcher2@example.com');
    const keptNotes = [randomUUID(), randomUUID()];
    const tables = [...COUNTED_TABLES, 'customers', 'assignments', 'conflicts'] as const;
    const before = await countRows(server, tables);

    const { results } = await push(server, device, [
      { name: 'note.add', args: { id: keptNotes[0], jobId: other.jobId, body: 'kept one' } },
      {
        name: 'material.add',
        args: { id: randomUUID(), jobId: randomUUID(), itemName: 'Ghost', quantity: 1, unit: 'each' },
      },
      // Passes the args schema, breaks a database rule (lat without lng).
      {
        name: 'job.create',
        args: {
          id: randomUUID(),
          title: 'Half a place',
          customerId: null,
          trade: 'tile',
          durationMinutes: 60,
          lat: 39.7,
        },
      },
      {
        name: 'assignment.create',
        args: {
          id: randomUUID(),
          jobId: other.jobId,
          contractorId,
          start: new Date(Date.parse(String(slot?.start)) + 30 * 60_000).toISOString(),
          end: new Date(Date.parse(String(slot?.end)) + 30 * 60_000).toISOString(),
        },
      },
      { name: 'job.update', args: { id: other.jobId, patch: { lat: 10 }, base: { lat: null } } },
      { name: 'customer.update', args: { id: randomUUID(), patch: { name: 'Nobody' }, base: { name: 'Somebody' } } },
      { name: 'note.add', args: { id: keptNotes[1], jobId: other.jobId, body: 'kept two' } },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'not_found'],
      ['rejected', 'validation_failed'],
      ['rejected', 'double_booked'],
      ['rejected', 'validation_failed'],
      ['rejected', 'not_found'],
      ['applied', undefined],
    ]);
    for (const result of results.filter((r) => r.outcome === 'rejected')) {
      expect(result.error?.message.length).toBeGreaterThan(10);
    }

    const after = await countRows(server, tables);
    expect(after).toEqual({
      ...before,
      job_notes: before.job_notes + 2,
      activity_log: before.activity_log + 2,
      mutations: before.mutations + 7,
    });
    const trail = await server.database.query<{ entity_id: string }>(
      sql`select entity_id from activity_log where org_id = ${server.orgA.orgId} order by version desc limit 2`,
    );
    expect(trail.map((row) => row.entity_id).sort()).toEqual([...keptNotes].sort());
    expect(await jobRow(server, other.jobId)).toEqual(jobBefore);
    const ledger = await ledgerOf(server, device.clientId);
    expect(ledger.map((row) => [row.outcome, (row.error as { code?: string } | null)?.code ?? null])).toEqual(
      results.map((r) => [r.outcome, r.error?.code ?? null]),
    );
  });

  test('a malformed push gets 400 with a code and message, and nothing of it is applied', async () => {
    const fixture = await createJobFixture(server, office);
    const clientId = randomUUID();
    const goodNote = () => ({
      seq: 1,
      name: 'note.add',
      occurredAt: '2026-11-21T10:00:00Z',
      args: { id: randomUUID(), jobId: fixture.jobId, body: 'should never land' },
    });
    const before = await countRows(server);
    const cases: Array<[string, unknown, string]> = [
      ['bad JSON', `{"clientId": "${clientId}", "mutations": [`, 'invalid_body'],
      ['not an object', '[1, 2, 3]', 'invalid_body'],
      ['seq as a string', { clientId, mutations: [{ ...goodNote(), seq: '1' }] }, 'invalid_body'],
      ['client id not a uuid', { clientId: 'phone-1', mutations: [goodNote()] }, 'invalid_body'],
      ['mutations not a list', { clientId, mutations: goodNote() }, 'invalid_body'],
      ['occurredAt not a time', { clientId, mutations: [{ ...goodNote(), occurredAt: 'yesterday' }] }, 'invalid_body'],
      [
        'occurredAt in year 0000',
        { clientId, mutations: [{ ...goodNote(), occurredAt: '0000-01-01T00:00:00Z' }] },
        'invalid_body',
      ],
      [
        'args nested 10,000 levels deep',
        `{"clientId":"${clientId}","mutations":[{"seq":1,"name":"note.add","occurredAt":"2026-11-21T10:00:00Z","args":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`,
        'invalid_body',
      ],
      ['unknown envelope field', { clientId, mutations: [goodNote()], since: 4 }, 'invalid_body'],
      ['unknown field on a mutation', { clientId, mutations: [{ ...goodNote(), priority: 'high' }] }, 'invalid_body'],
      ['missing clientId', { mutations: [goodNote()] }, 'invalid_body'],
      [
        'over 500 mutations',
        {
          clientId,
          mutations: Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, index) => ({ ...goodNote(), seq: index + 1 })),
        },
        'too_many_mutations',
      ],
      [
        'over 1 MiB',
        {
          clientId,
          mutations: Array.from({ length: 120 }, (_, index) => ({
            ...goodNote(),
            seq: index + 1,
            args: { id: randomUUID(), jobId: fixture.jobId, body: 'x'.repeat(9_500) },
          })),
        },
        'body_too_large',
      ],
    ];
    for (const [label, body, code] of cases) {
      if (code === 'body_too_large') expect(JSON.stringify(body).length).toBeGreaterThan(MAX_PUSH_BYTES);
      const response = await rawPush(body);
      expect(response.status, label).toBe(400);
      expect(response.json, label).toEqual({ error: { code, message: expect.any(String) } });
      expect(response.json.error.message.length, label).toBeGreaterThan(5);
    }
    expect(await countRows(server)).toEqual(before);
    // A well-formed push with the same client id still starts at seq 1: nothing above was recorded.
    const ok = await rawPush({ clientId, mutations: [goodNote()] });
    expect(ok.status).toBe(200);
    expect(ok.json.results).toEqual([{ seq: 1, outcome: 'applied' }]);
  });

  test('text holding a NUL character rejects that mutation only, and the ledger still records it', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher1@example.com');
    const { results } = await push(server, device, [
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'tab\u0000stop' } },
      { name: 'job.tele\u0000port', args: { jobId: fixture.jobId, note: 'nul\u0000' } },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'clean' } },
    ]);
    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
      ['rejected', 'invalid_args'],
      ['rejected', 'unknown_mutation'],
      ['applied', null],
    ]);
    expect(results[0]?.error?.message).toContain('body: text may not contain the NUL character');
    const ledger = await ledgerOf(server, device.clientId);
    expect(ledger.map((row) => [row.name, row.outcome])).toEqual([
      ['note.add', 'rejected'],
      ['job.tele\ufffdport', 'rejected'],
      ['note.add', 'applied'],
    ]);
  });

  test('an unknown mutation name rejects that mutation only, with unknown_mutation', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher1@example.com');
    const { results, lastSeq } = await push(server, device, [
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'before' } },
      { name: 'job.teleport', args: { jobId: fixture.jobId, to: 'Mars' } },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'after' } },
    ]);
    expect(results).toEqual([
      { seq: 1, outcome: 'applied' },
      {
        seq: 2,
        outcome: 'rejected',
        error: { code: 'unknown_mutation', message: expect.stringContaining('job.teleport') },
      },
      { seq: 3, outcome: 'applied' },
    ]);
    expect(lastSeq).toBe(3);
    const ledger = await ledgerOf(server, device.clientId);
    expect(ledger.map((row) => [row.name, row.outcome, (row.error as { code?: string } | null)?.code ?? null])).toEqual(
      [
        ['note.add', 'applied', null],
        ['job.teleport', 'rejected', 'unknown_mutation'],
        ['note.add', 'applied', null],
      ],
    );
  });

  test('bad args reject that mutation only, with invalid_args', async () => {
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher1@example.com');
    const before = await countRows(server, ['materials', 'job_notes', 'jobs', 'job_status_history']);
    const jobBefore = await jobRow(server, fixture.jobId);
    const { results } = await push(server, device, [
      { name: 'job.setStatus', args: { jobId: fixture.jobId, from: 'open', to: 'done' } },
      {
        name: 'material.add',
        args: { id: randomUUID(), jobId: fixture.jobId, itemName: 'Sand', quantity: -2, unit: 'bag' },
      },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'hi', pinned: true } },
      { name: 'note.add', args: { id: 'not-an-id', jobId: fixture.jobId, body: 'hi' } },
      { name: 'job.update', args: { id: fixture.jobId, patch: { status: 'completed' }, base: { status: 'open' } } },
      { name: 'job.update', args: { id: fixture.jobId, patch: { title: 'No base' }, base: {} } },
      { name: 'material.setPurchased', args: null },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code])).toEqual(Array(7).fill(['rejected', 'invalid_args']));
    expect(results[0]?.error?.message).toContain('to');
    expect(await countRows(server, ['materials', 'job_notes', 'jobs', 'job_status_history'])).toEqual(before);
    expect(await jobRow(server, fixture.jobId)).toEqual(jobBefore);
    expect((await ledgerOf(server, device.clientId)).map((row) => row.outcome)).toEqual(Array(7).fill('rejected'));
  });

  test('a client on another protocol version gets 426 client_outdated and nothing is applied', async () => {
    const fixture = await createJobFixture(server, office);
    const clientId = randomUUID();
    const noteId = randomUUID();
    const body = {
      clientId,
      mutations: [
        {
          seq: 1,
          name: 'note.add',
          occurredAt: '2026-11-21T10:00:00Z',
          args: { id: noteId, jobId: fixture.jobId, body: 'v99' },
        },
      ],
    };
    const before = await countRows(server);
    const outdated = await rawPush(body, { headers: { [PROTOCOL_HEADER]: '99' } });
    expect(outdated.status).toBe(426);
    expect(outdated.json).toEqual({ error: { code: 'client_outdated', message: expect.any(String) } });
    const outdatedPull = await server.call('GET', `/api/sync/pull?clientId=${clientId}`, {
      token: office.token,
      headers: { [PROTOCOL_HEADER]: '99' },
    });
    expect(outdatedPull.status).toBe(426);
    expect(outdatedPull.json.error.code).toBe('client_outdated');
    expect(await countRows(server)).toEqual(before);

    // The same outbox, once the app has updated, goes through.
    const current = await rawPush(body, { headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
    expect(current.status).toBe(200);
    expect(current.json.results).toEqual([{ seq: 1, outcome: 'applied' }]);
  });

  test('a push or pull without a valid token gets 401 unauthorized and nothing is applied', async () => {
    const fixture = await createJobFixture(server, office);
    const body = {
      clientId: randomUUID(),
      mutations: [
        {
          seq: 1,
          name: 'note.add',
          occurredAt: '2026-11-21T10:00:00Z',
          args: { id: randomUUID(), jobId: fixture.jobId, body: 'anon' },
        },
      ],
    };
    const before = await countRows(server);
    const anonymous = await server.call('POST', '/api/sync/push', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const forged = await rawPush(body, { token: `${office.token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe('unauthorized');
    const anonymousPull = await server.call('GET', `/api/sync/pull?clientId=${body.clientId}`);
    expect(anonymousPull.status).toBe(401);
    expect(anonymousPull.json.error.code).toBe('unauthorized');
    expect(await countRows(server)).toEqual(before);
  });
});
