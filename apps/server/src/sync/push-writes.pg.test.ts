import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createJobFixture, type Device, openDevice, push } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

/**
 * A push without savepoints holds the phone's common changes (push-writes.ts):
 * a `material.add` is written directly beside them, without writing what is
 * held first. These pin down that the changes around it still see it.
 */
describe.each(kinds)('a material added beside held writes on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind);
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  test('a material added beside held changes can be ticked later in the push, even after a tick found none', async () => {
    const fixture = await createJobFixture(server, office);
    const materialId = randomUUID();
    const noteId = randomUUID();
    const { results } = await push(server, office, [
      // Held note; then a tick of a material not added yet: refused, and the push remembers it found none.
      { name: 'note.add', args: { id: noteId, jobId: fixture.jobId, body: 'Before the grout' } },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      // Written directly, with the note still held.
      {
        name: 'material.add',
        args: { id: materialId, jobId: fixture.jobId, itemName: 'Grout', quantity: 2, unit: 'bag' },
      },
      { name: 'material.setPurchased', args: { id: materialId, purchased: true } },
      { name: 'note.add', args: { id: randomUUID(), jobId: fixture.jobId, body: 'After the grout' } },
    ]);

    expect(results.map((result) => [result.outcome, result.error?.code ?? null])).toEqual([
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
});
