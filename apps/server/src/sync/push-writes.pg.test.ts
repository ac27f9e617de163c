import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf, type Tx } from '../db/database';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  ledgerOf,
  openDevice,
  push,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { heldPushWrites } from './push-writes';

const kinds = await databaseKindsUnderTest();

/**
 * A push without savepoints holds the phone's common changes (push-writes.ts),
 * `material.add` among them: the new row is written only when the push
 * flushes. These pin down that the changes around it still see it, and that
 * an id already taken or a job out of reach is charged to the add alone.
 */
describe.each(kinds)('a material added among held writes on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  const outcomes = (results: Array<{ outcome: string; error?: { code: string } }>) =>
    results.map((result) => [result.outcome, result.error?.code ?? null]);
  const materialOf = (id: string) =>
    server.database.query<{ item_name: string; purchased: boolean; purchased_by: string | null }>(
      sql`select item_name, purchased, purchased_by from materials where id = ${id}`,
    );
  const actionsOn = async (entityId: string) =>
    (
      await server.database.query<{ action: string }>(
        sql`select action from activity_log where entity_id = ${entityId} order by version`,
      )
    ).map((row) => row.action);

  test('material.add goes through the held writes, written only when a change that cannot be held comes next', async () => {
    const fixture = await createJobFixture(server, office);
    const orgId = server.orgA.orgId;
    const materialId = randomUUID();
    const occurredAt = '2026-11-21T14:59:00.000Z';
    const add = {
      seq: 1,
      name: 'material.add',
      occurredAt,
      args: { id: materialId, jobId: fixture.jobId, itemName: 'Grout', quantity: 2, unit: 'bag' },
    };
    const update = {
      seq: 2,
      name: 'material.update',
      occurredAt,
      args: { id: materialId, patch: { quantity: 3 }, base: { quantity: 2 } },
    };
    const stored = (tx: Tx) => tx.execute(sql`select item_name from materials where id = ${materialId}`).then(rowsOf);

    await server.database.db.transaction(async (tx) => {
      const writes = heldPushWrites(tx, orgId, { jobs: [], materials: [] });
      const forAdd = await writes.forMutation(add, tx);
      expect(forAdd.held).toBe(true);
      expect(
        await forAdd.addMaterial({
          orgId,
          id: materialId,
          jobId: fixture.jobId,
          itemName: 'Grout',
          quantity: 2,
          unit: 'bag',
          addedBy: office.userId,
          recordedAfterCancellation: false,
        }),
      ).toEqual({ outcome: 'applied' });
      // Held: known to the push, not yet in the database.
      expect(await forAdd.material(materialId)).toEqual({ jobId: fixture.jobId, itemName: 'Grout', purchased: false });
      expect(await stored(tx)).toEqual([]);

      // An update cannot be held: what is held is written first, so the update finds the row.
      const forUpdate = await writes.forMutation(update, tx);
      expect(forUpdate.held).toBe(false);
      expect(await stored(tx)).toEqual([{ item_name: 'Grout' }]);
      await writes.finish();
    });
  });

  test.each([
    ['the same content again is a duplicate', 'Grout', ['duplicate', null]],
    ['other content is an id conflict', 'Tile spacers', ['rejected', 'id_conflict']],
  ])(
    'a contractor adds a material twice under one id in one push: %s; one row, one activity line',
    async (_case, secondItem, secondOutcome) => {
      const fixture = await createJobFixture(server, office);
      await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor3@example.com'));
      const phone = await openDevice(server, 'contractor3@example.com');
      const materialId = randomUUID();
      const add = (itemName: string) => ({
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName, quantity: 2, unit: 'bag' },
      });

      // Both held into one insert, whose count check sends the push to its replay with savepoints.
      const { results } = await push(server, phone, [add('Grout'), add(secondItem)]);

      expect(outcomes(results)).toEqual([['applied', null], secondOutcome]);
      expect((await ledgerOf(server, phone.clientId)).map((row) => row.outcome)).toEqual(['applied', secondOutcome[0]]);
      expect(await materialOf(materialId)).toEqual([{ item_name: 'Grout', purchased: false, purchased_by: null }]);
      expect(await actionsOn(materialId)).toEqual(['material.added']);
    },
  );

  test('a contractor adds a material, ticks it and writes a note in one push: all of it stands', async () => {
    const fixture = await createJobFixture(server, office);
    await assignJob(server, office, fixture.jobId, await contractorIdOf(server, 'contractor1@example.com'));
    const phone = await openDevice(server, 'contractor1@example.com');
    const materialId = randomUUID();
    const noteId = randomUUID();

    const { results } = await push(server, phone, [
      {
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName: 'Grout', quantity: 2.5, unit: 'bag', notes: 'Grey' },
      },
      // Held against the material added just before, not yet in the database.
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      { name: 'note.add', args: { id: noteId, jobId: fixture.jobId, body: 'Grout bought' } },
    ]);

    expect(outcomes(results)).toEqual([
      ['applied', null],
      ['applied', null],
      ['applied', null],
    ]);
    const [material] = await server.database.query(
      sql`select job_id, item_name, quantity::text as quantity, unit, notes, added_by, purchased, purchased_by,
            purchased_at is not null as has_purchased_at, recorded_after_cancellation
          from materials where id = ${materialId}`,
    );
    expect(material).toEqual({
      job_id: fixture.jobId,
      item_name: 'Grout',
      quantity: '2.500',
      unit: 'bag',
      notes: 'Grey',
      added_by: phone.userId,
      purchased: true,
      purchased_by: phone.userId,
      has_purchased_at: true,
      recorded_after_cancellation: false,
    });
    expect(await actionsOn(materialId)).toEqual(['material.added', 'material.purchased']);
    expect(await actionsOn(noteId)).toEqual(['note.added']);
  });

  test('a tick after a held add finds the new material, even when a tick before the add found none', async () => {
    const fixture = await createJobFixture(server, office);
    const materialId = randomUUID();
    const noteId = randomUUID();
    const { results } = await push(server, office, [
      // Held note; then a tick of a material not added yet: refused, and the push remembers it found none.
      { name: 'note.add', args: { id: noteId, jobId: fixture.jobId, body: 'Before the grout' } },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      // Held too: what the push knows of the material is now the added one.
      {
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName: 'Grout', quantity: 2, unit: 'bag' },
      },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'After the grout' } },
    ]);

    expect(outcomes(results)).toEqual([
      ['applied', null],
      ['rejected', 'not_found'],
      ['applied', null],
      ['applied', null],
      ['applied', null],
    ]);
    const [material] = await server.database.query<{ purchased: boolean }>(
      sql`select purchased from materials where id = ${materialId}`,
    );
    expect(material).toEqual({ purchased: true });
    const notes = await server.database.query<{ body: string }>(
      sql`select body from job_notes where job_id = ${fixture.jobId} order by occurred_at, body`,
    );
    expect(notes.map((note) => note.body)).toEqual(expect.arrayContaining(['Before the grout', 'After the grout']));
  });

  test('a held add under an id already taken is a duplicate with the same content, else id_conflict; the rest stands', async () => {
    // The fixture added Screws, 2 box, without notes, under `fixture.materialId`.
    const fixture = await createJobFixture(server, office);
    const device = await openDevice(server, 'dispatcher1@example.com');
    const newMaterial = randomUUID();
    const firstNote = randomUUID();
    const lastNote = randomUUID();

    const { results } = await push(server, device, [
      { name: 'note.add', args: { id: firstNote, jobId: fixture.jobId, body: 'Before' } },
      {
        name: 'material.add',
        args: { id: fixture.materialId, jobId: fixture.jobId, itemName: 'Screws', quantity: 2, unit: 'box' },
      },
      {
        name: 'material.add',
        args: { id: fixture.materialId, jobId: fixture.jobId, itemName: 'Nails', quantity: 2, unit: 'box' },
      },
      // The taken id still names the stored material: its tick applies to that row.
      { name: 'material.setPurchased', args: { id: fixture.materialId, purchased: true } },
      {
        name: 'material.add',
        args: { id: newMaterial, jobId: fixture.jobId, itemName: 'Tape', quantity: 1, unit: 'roll' },
      },
      { name: 'material.setPurchased', args: { id: newMaterial, purchased: true } },
      { name: 'note.add', args: { id: lastNote, jobId: fixture.jobId, body: 'After' } },
    ]);

    expect(outcomes(results)).toEqual([
      ['applied', null],
      ['duplicate', null],
      ['rejected', 'id_conflict'],
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['applied', null],
    ]);
    expect((await ledgerOf(server, device.clientId)).map((row) => row.outcome)).toEqual([
      'applied',
      'duplicate',
      'rejected',
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    expect(await materialOf(fixture.materialId)).toEqual([
      { item_name: 'Screws', purchased: true, purchased_by: device.userId },
    ]);
    expect(await materialOf(newMaterial)).toEqual([
      { item_name: 'Tape', purchased: true, purchased_by: device.userId },
    ]);
    // The fixture's own add, then this push's tick: neither the duplicate nor the refused add left a line.
    expect(await actionsOn(fixture.materialId)).toEqual(['material.added', 'material.purchased']);
    expect(await actionsOn(newMaterial)).toEqual(['material.added', 'material.purchased']);
    const notes = await server.database.query<{ id: string }>(
      sql`select id from job_notes where id in (${firstNote}, ${lastNote})`,
    );
    expect(notes).toHaveLength(2);
  });

  test('a material added on a job the contractor cannot reach is refused and writes nothing', async () => {
    const theirs = await createJobFixture(server, office);
    const mine = await createJobFixture(server, office);
    await assignJob(server, office, mine.jobId, await contractorIdOf(server, 'contractor2@example.com'));
    const phone = await openDevice(server, 'contractor2@example.com');
    const stranger = randomUUID();
    const kept = randomUUID();

    const { results } = await push(server, phone, [
      {
        name: 'material.add',
        args: { id: stranger, jobId: theirs.jobId, itemName: 'Grout', quantity: 1, unit: 'bag' },
      },
      // The refused add left nothing for a tick to find.
      { name: 'material.setPurchased', args: { id: stranger, purchased: true } },
      { name: 'material.add', args: { id: kept, jobId: mine.jobId, itemName: 'Grout', quantity: 1, unit: 'bag' } },
    ]);

    expect(outcomes(results)).toEqual([
      ['rejected', 'forbidden'],
      ['rejected', 'not_found'],
      ['applied', null],
    ]);
    expect(await materialOf(stranger)).toEqual([]);
    expect(await actionsOn(stranger)).toEqual([]);
    expect(await materialOf(kept)).toEqual([{ item_name: 'Grout', purchased: false, purchased_by: null }]);
    expect(await actionsOn(kept)).toEqual(['material.added']);
  });
});
