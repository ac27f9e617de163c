import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  contractorIdOf,
  createJobFixture,
  type Device,
  freshSlot,
  openDevice,
  pullAll,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

type Times = { start: string; end: string };

describe.each(kinds)('assignment.reschedule on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  const email = 'contractor3@example.com';
  let contractorId: string;

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    office = await openDevice(server, 'dispatcher1@example.com');
    contractorId = await contractorIdOf(server, email);
  });
  afterAll(() => server.close());

  /** A new job booked for the contractor in a fresh slot. */
  async function booking(): Promise<{ id: string; jobId: string; slot: Times }> {
    const { jobId } = await createJobFixture(server, office);
    const id = randomUUID();
    const slot = freshSlot();
    await pushApplied(server, office, [{ name: 'assignment.create', args: { id, jobId, contractorId, ...slot } }]);
    return { id, jobId, slot };
  }

  async function timesOf(id: string): Promise<Times> {
    const [row] = await server.database.query<{ start: string; end: string }>(
      sql`select to_json(scheduled_start) #>> '{}' as start, to_json(scheduled_end) #>> '{}' as end
          from assignments where id = ${id}`,
    );
    if (!row) throw new Error(`no assignment ${id}`);
    return { start: new Date(row.start).toISOString(), end: new Date(row.end).toISOString() };
  }

  /** Two hours starting `hours` after the slot's start. */
  const shifted = (slot: Times, hours: number): Times => ({
    start: new Date(Date.parse(slot.start) + hours * 3_600_000).toISOString(),
    end: new Date(Date.parse(slot.end) + hours * 3_600_000).toISOString(),
  });

  test('the office moves a booking; the contractor pulls the new times and the timeline says so', async () => {
    const { id, jobId, slot } = await booking();
    const phone = await openDevice(server, email);
    const before = await pullAll(server, phone);
    expect(before.copy.get('assignments')?.get(id)).toMatchObject({ scheduledStart: slot.start });

    const moved = shifted(slot, 1);
    await pushApplied(server, office, [{ name: 'assignment.reschedule', args: { id, ...moved, base: slot } }]);

    const after = await pullAll(server, phone, { cursor: before.cursor, copy: before.copy });
    expect(after.pages.flatMap((page) => page.changes.assignments ?? []).map((row) => row.id)).toContain(id);
    expect(after.copy.get('assignments')?.get(id)).toMatchObject({
      scheduledStart: moved.start,
      scheduledEnd: moved.end,
      status: 'pending',
    });
    const activity = await server.database.query<{ details: { from: Times; to: Times } }>(
      sql`select details from activity_log where entity_id = ${id} and action = 'assignment.rescheduled'`,
    );
    expect(activity).toHaveLength(1);
    expect(activity[0]?.details).toMatchObject({ from: slot, to: moved });
    const [job] = await server.database.query<{ job_id: string }>(
      sql`select job_id from activity_log where entity_id = ${id} and action = 'assignment.rescheduled'`,
    );
    expect(job?.job_id).toBe(jobId);
  });

  test('a move onto another booking of the contractor is refused double_booked and changes nothing', async () => {
    const first = await booking();
    const second = await booking();
    const { results } = await push(server, office, [
      {
        name: 'assignment.reschedule',
        args: { id: second.id, ...shifted(first.slot, 1), base: second.slot },
      },
    ]);
    expect(results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'double_booked' } });
    expect(results[0]?.error?.message).toMatch(/is already booked at that time/);
    expect(await timesOf(second.id)).toEqual(second.slot);
  });

  test('a contractor may not move even their own booking', async () => {
    const { id, slot } = await booking();
    const phone = await openDevice(server, email);
    const { results } = await push(server, phone, [
      { name: 'assignment.reschedule', args: { id, ...shifted(slot, 1), base: slot } },
    ]);
    expect(results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'forbidden' } });
    expect(await timesOf(id)).toEqual(slot);
  });

  test("another company's office cannot find the booking", async () => {
    const { id, slot } = await booking();
    const other = await openDevice(server, 'dispatcher1@other.example');
    const { results } = await push(server, other, [
      { name: 'assignment.reschedule', args: { id, ...shifted(slot, 1), base: slot } },
    ]);
    expect(results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'not_found' } });
    expect(await timesOf(id)).toEqual(slot);
  });

  test('a completed booking keeps its times', async () => {
    const { id, slot } = await booking();
    await pushApplied(server, office, [
      { name: 'assignment.setStatus', args: { id, from: 'pending', to: 'confirmed' } },
      { name: 'assignment.setStatus', args: { id, from: 'confirmed', to: 'in_progress' } },
      { name: 'assignment.setStatus', args: { id, from: 'in_progress', to: 'completed' } },
    ]);
    const { results } = await push(server, office, [
      { name: 'assignment.reschedule', args: { id, ...shifted(slot, 1), base: slot } },
    ]);
    expect(results[0]).toMatchObject({
      outcome: 'rejected',
      error: {
        code: 'invalid_transition',
        message: 'This assignment is completed; only a proposed, confirmed or started assignment can be moved.',
      },
    });
    expect(await timesOf(id)).toEqual(slot);
  });

  test('an end before the start is refused before anything is read', async () => {
    const { id, slot } = await booking();
    const { results } = await push(server, office, [
      { name: 'assignment.reschedule', args: { id, start: slot.end, end: slot.start, base: slot } },
    ]);
    expect(results[0]).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
  });

  test('moves made on stale times: the later one wins, the other is a conflict the office can flip', async () => {
    const { id, slot } = await booking();
    const other = await openDevice(server, 'dispatcher2@example.com');
    const byFirst = shifted(slot, 1);
    const bySecond = shifted(slot, -1);
    // The first dispatcher's move happened later on their device, though it arrives first.
    await pushApplied(server, office, [
      { name: 'assignment.reschedule', args: { id, ...byFirst, base: slot }, occurredAt: '2026-11-21T11:00:00Z' },
    ]);
    const earlier = await push(server, other, [
      { name: 'assignment.reschedule', args: { id, ...bySecond, base: slot }, occurredAt: '2026-11-21T10:00:00Z' },
    ]);
    expect(earlier.results[0]?.outcome).toBe('conflict');
    expect(await timesOf(id)).toEqual(byFirst);
    const conflictId = earlier.results[0]?.conflictId as string;
    const [conflict] = await server.database.query<Record<string, unknown>>(
      sql`select entity, field, winner_value, loser_value, status from conflicts where id = ${conflictId}`,
    );
    expect(conflict).toEqual({
      entity: 'assignments',
      field: 'schedule',
      winner_value: byFirst,
      loser_value: bySecond,
      status: 'open',
    });

    // A later move on stale times wins and keeps the replaced times as the conflict's loser.
    const latest = shifted(slot, 2);
    const later = await push(server, other, [
      { name: 'assignment.reschedule', args: { id, ...latest, base: slot }, occurredAt: '2026-11-21T12:00:00Z' },
    ]);
    expect(later.results[0]?.outcome).toBe('conflict');
    expect(await timesOf(id)).toEqual(latest);

    // Keeping the loser of the first conflict moves the booking back through the same rules.
    await pushApplied(server, office, [{ name: 'conflict.resolve', args: { id: conflictId, keep: 'loser' } }]);
    expect(await timesOf(id)).toEqual(bySecond);
  });
});
