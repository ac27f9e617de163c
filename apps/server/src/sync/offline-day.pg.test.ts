import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assignJob,
  contractorIdOf,
  countRows,
  createJobFixture,
  type Device,
  ledgerOf,
  openDevice,
  type PlannedMutation,
  pullAll,
  push,
  pushBatch,
  versionFingerprint,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)("a contractor's day offline on %s", (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  test('a day of changes pushed at once reads, in occurred order, exactly as it happened; replays change nothing', async () => {
    const email = 'contractor4@example.com';
    // Planned by the office the day before.
    const fixture = await createJobFixture(server, office, {
      title: 'Retile basement bathroom',
      occurredAt: '2026-11-20T16:00:00.000Z',
    });
    const contractorId = await contractorIdOf(server, email);
    const assignmentId = await assignJob(server, office, fixture.jobId, contractorId, '2026-11-20T16:30:00.000Z');
    const phone = await openDevice(server, email);
    // The phone synced in the morning, then went underground for the day.
    const morning = await pullAll(server, phone);
    expect(morning.copy.get('jobs')?.get(fixture.jobId)?.status).toBe('scheduled');

    const jobId = fixture.jobId;
    const materials = { thinset: randomUUID(), spacers: randomUUID(), grout: randomUUID() };
    const notes = { arrived: randomUUID(), leak: randomUUID(), done: randomUUID() };
    const at = (time: string) => `2026-11-21T${time}:00.000Z`;
    const status = (from: string, to: string, time: string, reason?: string): PlannedMutation => ({
      name: 'job.setStatus',
      args: reason ? { jobId, from, to, reason } : { jobId, from, to },
      occurredAt: at(time),
    });
    const day: PlannedMutation[] = [
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'pending', to: 'confirmed' },
        occurredAt: at('06:00'),
      },
      status('scheduled', 'in_progress', '06:05'),
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'confirmed', to: 'in_progress' },
        occurredAt: at('06:06'),
      },
      {
        name: 'note.add',
        args: { id: notes.arrived, jobId, body: 'On site, subfloor is damp.' },
        occurredAt: at('06:20'),
      },
      {
        name: 'material.add',
        args: { id: materials.thinset, jobId, itemName: 'Thinset', quantity: 3, unit: 'bag' },
        occurredAt: at('06:30'),
      },
      status('in_progress', 'waiting_on_materials', '07:00', 'Need thinset'),
      { name: 'material.setPurchased', args: { id: materials.thinset, purchased: true }, occurredAt: at('08:10') },
      {
        name: 'material.add',
        args: { id: materials.spacers, jobId, itemName: 'Tile spacers', quantity: 1, unit: 'bag' },
        occurredAt: at('08:12'),
      },
      { name: 'material.setPurchased', args: { id: materials.spacers, purchased: true }, occurredAt: at('08:14') },
      status('waiting_on_materials', 'in_progress', '08:30'),
      {
        name: 'note.add',
        args: { id: notes.leak, jobId, body: 'Found a slow leak under the sink; customer called a plumber.' },
        occurredAt: at('09:40'),
      },
      status('in_progress', 'on_hold', '10:00', 'Waiting for the plumber'),
      status('on_hold', 'in_progress', '11:15'),
      status('in_progress', 'waiting_on_materials', '11:50', 'Short on grout'),
      {
        name: 'material.add',
        args: { id: materials.grout, jobId, itemName: 'Grout, grey', quantity: 2, unit: 'bag' },
        occurredAt: at('12:10'),
      },
      { name: 'material.setPurchased', args: { id: materials.grout, purchased: true }, occurredAt: at('12:35') },
      {
        name: 'material.update',
        args: { id: materials.thinset, patch: { quantity: 4 }, base: { quantity: 3 } },
        occurredAt: at('12:36'),
      },
      status('waiting_on_materials', 'in_progress', '12:40'),
      {
        name: 'note.add',
        args: { id: notes.done, jobId, body: 'Grouted and sealed. Customer happy.' },
        occurredAt: at('14:20'),
      },
      status('in_progress', 'completed', '14:30'),
      {
        name: 'assignment.setStatus',
        args: { id: assignmentId, from: 'in_progress', to: 'completed' },
        occurredAt: at('14:31'),
      },
    ];
    const statusChanges = day.filter((mutation) => mutation.name === 'job.setStatus');
    expect(statusChanges).toHaveLength(8);

    const { batch, results, lastSeq } = await push(server, phone, day);
    expect(results.map((result) => [result.seq, result.outcome])).toEqual(
      batch.map((mutation) => [mutation.seq, 'applied']),
    );
    expect(lastSeq).toBe(day.length);

    const history = await server.database.query<Record<string, unknown>>(
      sql`select from_status, to_status, changed_by, reason, occurred_at, recorded_at, client_id, seq::int as seq
          from job_status_history where job_id = ${jobId} order by occurred_at, version`,
    );
    // Made by the office before the day, then the day itself, in the order it happened.
    expect(history.map((row) => [row.from_status, row.to_status])).toEqual([
      [null, 'open'],
      ['open', 'scheduled'],
      ['scheduled', 'in_progress'],
      ['in_progress', 'waiting_on_materials'],
      ['waiting_on_materials', 'in_progress'],
      ['in_progress', 'on_hold'],
      ['on_hold', 'in_progress'],
      ['in_progress', 'waiting_on_materials'],
      ['waiting_on_materials', 'in_progress'],
      ['in_progress', 'completed'],
    ]);
    const fromThePhone = history.slice(2);
    const pushedStatus = batch.filter((mutation) => mutation.name === 'job.setStatus');
    expect(fromThePhone.map((row) => new Date(String(row.occurred_at)).toISOString())).toEqual(
      pushedStatus.map((m) => m.occurredAt),
    );
    expect(fromThePhone.map((row) => row.seq)).toEqual(pushedStatus.map((m) => m.seq));
    expect(fromThePhone.map((row) => row.reason)).toEqual([
      null,
      'Need thinset',
      null,
      'Waiting for the plumber',
      null,
      'Short on grout',
      null,
      null,
    ]);
    for (const row of fromThePhone) {
      expect(row).toMatchObject({ changed_by: phone.userId, client_id: phone.clientId });
      const recorded = Date.parse(new Date(String(row.recorded_at)).toISOString());
      expect(recorded).toBeGreaterThanOrEqual(Date.parse(new Date(String(row.occurred_at)).toISOString()));
      expect(recorded).toBe(server.clock.now().getTime());
    }

    const [job] = await server.database.query<{ status: string }>(sql`select status from jobs where id = ${jobId}`);
    expect(job?.status).toBe('completed');
    const noteRows = await server.database.query<{ id: string; occurred_at: string; author_id: string }>(
      sql`select id, occurred_at, author_id from job_notes where job_id = ${jobId} and author_id = ${phone.userId} order by occurred_at`,
    );
    expect(noteRows.map((row) => [row.id, new Date(row.occurred_at).toISOString()])).toEqual([
      [notes.arrived, at('06:20')],
      [notes.leak, at('09:40')],
      [notes.done, at('14:20')],
    ]);
    const materialRows = await server.database.query<{
      id: string;
      quantity: number;
      purchased: boolean;
      purchased_at: string;
    }>(
      sql`select id, quantity::float8 as quantity, purchased, purchased_at from materials
          where job_id = ${jobId} and added_by = ${phone.userId} order by purchased_at`,
    );
    expect(
      materialRows.map((row) => [row.id, row.quantity, row.purchased, new Date(row.purchased_at).toISOString()]),
    ).toEqual([
      [materials.thinset, 4, true, at('08:10')],
      [materials.spacers, 1, true, at('08:14')],
      [materials.grout, 2, true, at('12:35')],
    ]);
    const sources = await server.database.query<{ source: string; n: number }>(
      sql`select source, count(*)::int as n from activity_log where job_id = ${jobId} and user_id = ${phone.userId} group by source`,
    );
    expect(sources).toEqual([{ source: 'mobile_app', n: day.length }]);

    // The responses were lost: the phone sends the day again, three times, whole and in parts.
    const counts = await countRows(server);
    const fingerprint = await versionFingerprint(server, server.orgA.orgId);
    for (const replay of [batch, batch.slice(5), batch.slice(0, 12)]) {
      const again = await pushBatch(server, phone, replay);
      expect(again.lastSeq).toBe(day.length);
      expect(again.results.map((result) => [result.seq, result.outcome])).toEqual(
        replay.map((mutation) => [mutation.seq, 'duplicate']),
      );
    }
    expect(await countRows(server)).toEqual(counts);
    expect(await versionFingerprint(server, server.orgA.orgId)).toEqual(fingerprint);
    expect((await ledgerOf(server, phone.clientId)).map((row) => [row.seq, row.outcome])).toEqual(
      batch.map((mutation) => [mutation.seq, 'applied']),
    );

    // The office and the phone both read the same timeline.
    for (const device of [phone, await openDevice(server, 'dispatcher2@example.com')]) {
      const { copy } = await pullAll(server, device);
      const timeline = [...(copy.get('jobStatusHistory')?.values() ?? [])]
        .filter((row) => row.jobId === jobId)
        .sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)))
        .map((row) => row.toStatus);
      expect(timeline).toEqual(history.map((row) => row.to_status));
      expect(copy.get('jobs')?.get(jobId)?.status).toBe('completed');
    }
  });

  test('device times later than the server clock are recorded as the server time, never in the future', async () => {
    const email = 'contractor5@example.com';
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, email));
    const phone = await openDevice(server, email);
    const { results } = await push(server, phone, [
      {
        name: 'job.setStatus',
        args: { jobId: fixture.jobId, from: 'scheduled', to: 'in_progress' },
        occurredAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
    expect(results[0]?.outcome).toBe('applied');
    const [row] = await server.database.query<{ occurred_at: string; recorded_at: string }>(
      sql`select occurred_at, recorded_at from job_status_history where job_id = ${fixture.jobId} and client_id = ${phone.clientId}`,
    );
    expect(new Date(String(row?.occurred_at)).toISOString()).toBe(server.clock.now().toISOString());
    expect(new Date(String(row?.recorded_at)).toISOString()).toBe(server.clock.now().toISOString());
  });
});
