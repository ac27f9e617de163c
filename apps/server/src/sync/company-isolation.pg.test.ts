/**
 * Two companies signed up side by side on one server: the admin of one,
 * holding every id of the other, can neither change nor read anything of it
 * — through any mutation of the catalogue or any endpoint.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type LoginResponse, MUTATION_NAMES, type MutationName } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  assignJob,
  createJobFixture,
  type Device,
  freshSlot,
  type JobFixture,
  pull,
  pullAll,
  push,
  pushApplied,
  SQL_TABLES,
  versionFingerprint,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

/** Refusals other than `not_found`/`forbidden`, each saying nothing about company A. */
const REFUSALS: Partial<Record<MutationName, string[]>> = {
  // A create naming a row the company does not have is a mistake in the form ("That customer does not exist.").
  'job.create': ['validation_failed'],
  'assignment.create': ['validation_failed'],
  // Emails are unique across companies (sign-in finds the account by email alone).
  'user.invite': ['email_taken'],
  // Like job.create: an estimate for a customer the company does not have.
  'estimate.create': ['validation_failed'],
};

describe.each(kinds)('company isolation on %s', (kind) => {
  let server: TestServer;
  let adminA: Device;
  let adminB: Device;
  let orgA: string;
  let orgB: string;
  /** Company A's rows, aimed at from company B. */
  let a: JobFixture & {
    assignmentId: string;
    contractorId: string;
    contractorUserId: string;
    contractorEmail: string;
    dispatcherId: string;
    conflictId: string;
    alertRuleId: string;
    alertDeliveryId: string;
    notificationId: string;
    attachmentId: string;
    estimateId: string;
    priceListItemId: string;
  };
  let ownJobB: JobFixture;

  /** Signs a company up through `POST /api/orgs`; answers its admin's device. */
  async function signUp(companyName: string, email: string): Promise<Device> {
    const response = await server.call('POST', '/api/orgs', {
      body: {
        companyName,
        timeZone: 'America/Denver',
        adminName: `${companyName} Admin`,
        email,
        password: TEST_PASSWORD,
      },
    });
    expect(response.status, JSON.stringify(response.json)).toBe(201);
    const session = response.json as LoginResponse;
    return {
      email,
      userId: session.user.id,
      role: session.user.role,
      token: session.accessToken,
      clientId: randomUUID(),
      nextSeq: 1,
    };
  }

  /** Every (synced table, id) of one company, the company row included. */
  async function rowIdsOf(orgId: string) {
    const ids = new Set<string>([orgId]);
    for (const table of SQL_TABLES) {
      if (table === 'mutations') continue;
      const rows = await server.database.query<{ id: string }>(
        sql`select id from ${sql.identifier(table)} where ${sql.identifier(table === 'organizations' ? 'id' : 'org_id')} = ${orgId}`,
      );
      for (const row of rows) ids.add(row.id);
    }
    return ids;
  }

  async function companyRow(orgId: string) {
    const [row] = await server.database.query(sql`select * from organizations where id = ${orgId}`);
    return row;
  }

  /** A small PDF on a job: its row by push, its bytes by tus upload. Answers the attachment id. */
  async function uploadDocument(device: Device, jobId: string) {
    const id = randomUUID();
    const bytes = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await pushApplied(server, device, [
      {
        name: 'attachment.add',
        args: {
          id,
          jobId,
          kind: 'document',
          fileName: 'quote.pdf',
          contentType: 'application/pdf',
          byteSize: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          takenAt: '2026-11-21T09:00:00.000Z',
        },
      },
    ]);
    const tusHeaders = { authorization: `Bearer ${device.token}`, 'tus-resumable': '1.0.0' };
    const created = await server.app.request('/api/uploads', {
      method: 'POST',
      headers: {
        ...tusHeaders,
        'upload-length': String(bytes.byteLength),
        'upload-metadata': `attachmentId ${Buffer.from(id).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const sent = await server.app.request(created.headers.get('location') as string, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
    });
    expect(sent.status).toBe(204);
    return id;
  }

  beforeAll(async () => {
    server = await createTestServer(kind);
    adminA = await signUp('Alpha Tiling', `alpha.${randomUUID().slice(0, 8)}@alpha.example`);
    adminB = await signUp('Beta Paving', `beta.${randomUUID().slice(0, 8)}@beta.example`);
    orgA = (
      await server.database.query<{ org_id: string }>(sql`select org_id from users where id = ${adminA.userId}`)
    )[0]?.org_id as string;
    orgB = (
      await server.database.query<{ org_id: string }>(sql`select org_id from users where id = ${adminB.userId}`)
    )[0]?.org_id as string;
    expect(orgA).not.toBe(orgB);

    // Company A: a contractor and a dispatcher invited, a job with its material and note, assigned, and a conflict.
    const contractorUserId = randomUUID();
    const contractorId = randomUUID();
    const contractorEmail = `casey.${randomUUID().slice(0, 8)}@alpha.example`;
    const dispatcherId = randomUUID();
    await pushApplied(server, adminA, [
      {
        name: 'user.invite',
        args: {
          id: contractorUserId,
          email: contractorEmail,
          name: 'Casey',
          role: 'contractor',
          contractor: { id: contractorId, trade: 'tile' },
        },
      },
      {
        name: 'user.invite',
        args: {
          id: dispatcherId,
          email: `dee.${randomUUID().slice(0, 8)}@alpha.example`,
          name: 'Dee',
          role: 'dispatcher',
        },
      },
      {
        name: 'workingHours.set',
        args: { contractorId, days: [{ dayOfWeek: 1, start: '08:00', end: '16:00' }] },
      },
    ]);
    const fixture = await createJobFixture(server, adminA, { title: 'Alpha job' });
    const assignmentId = await assignJob(server, adminA, fixture.jobId, contractorId);
    await pushApplied(server, adminA, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Alpha job v2' }, base: { title: 'Alpha job' } },
        occurredAt: '2026-11-21T11:00:00Z',
      },
    ]);
    const otherDeviceA = { ...adminA, clientId: randomUUID(), nextSeq: 1 };
    const lost = await push(server, otherDeviceA, [
      {
        name: 'job.update',
        args: { id: fixture.jobId, patch: { title: 'Alpha job v3' }, base: { title: 'Alpha job' } },
        occurredAt: '2026-11-21T10:00:00Z',
      },
    ]);
    const conflictId = lost.results[0]?.conflictId as string;
    expect(conflictId).toEqual(expect.any(String));
    const attachmentId = await uploadDocument(adminA, fixture.jobId);
    // The company's default rules told A's office of the conflict: a rule, a delivery and A's admin's notification.
    const [rule] = await server.database.query<{ id: string }>(
      sql`select id from alert_rules where org_id = ${orgA} and key = 'conflict-recorded'`,
    );
    const [delivery] = await server.database.query<{ id: string }>(
      sql`select id from alert_deliveries where org_id = ${orgA} and rule_id = ${rule?.id}`,
    );
    const [notification] = await server.database.query<{ id: string }>(
      sql`select id from notifications where org_id = ${orgA} and user_id = ${adminA.userId}`,
    );
    expect([rule, delivery, notification]).toEqual(Array(3).fill({ id: expect.any(String) }));
    a = {
      ...fixture,
      assignmentId,
      contractorId,
      contractorUserId,
      contractorEmail,
      dispatcherId,
      conflictId,
      alertRuleId: rule?.id as string,
      alertDeliveryId: delivery?.id as string,
      notificationId: notification?.id as string,
      attachmentId,
      estimateId: randomUUID(),
      priceListItemId: randomUUID(),
    };
    await pushApplied(server, adminA, [
      {
        name: 'estimate.create',
        args: {
          id: a.estimateId,
          customerId: fixture.customerId,
          jobId: fixture.jobId,
          title: 'Alpha estimate',
          lines: [
            { id: randomUUID(), kind: 'labor', description: 'Tiling', quantity: 3, unit: 'h', unitPriceCents: 6500 },
          ],
          taxRateBasisPoints: 825,
          validUntil: '2026-12-31',
        },
      },
      {
        name: 'priceListItem.create',
        args: { id: a.priceListItemId, name: 'Tiler hour', kind: 'labor', unit: 'h', unitPriceCents: 6500 },
      },
    ]);
    ownJobB = await createJobFixture(server, adminB, { title: 'Beta job' });
  }, 120_000);
  afterAll(() => server.close());

  test('every mutation of the catalogue, aimed with company A’s ids, is refused and changes nothing of A', async () => {
    /** B's attempt at each mutation; `own`: there is nothing of A to aim at, so B may only touch B. */
    const attempts: Record<MutationName, { args: unknown; own?: true }> = {
      // A create names no existing row: ids are per company, so B's row with A's id is B's own.
      'customer.create': { args: { id: a.customerId, name: 'Copy of an A customer' }, own: true },
      'customer.update': {
        args: {
          id: a.customerId,
          patch: { name: 'Taken' },
          base: { name: `Customer ${a.customerId.slice(0, 8)}` },
        },
      },
      'job.create': {
        args: {
          id: randomUUID(),
          title: 'On an A customer',
          customerId: a.customerId,
          trade: 'tile',
          durationMinutes: 60,
        },
      },
      'job.update': { args: { id: a.jobId, patch: { title: 'Hijacked' }, base: { title: 'Alpha job v2' } } },
      'job.setStatus': { args: { jobId: a.jobId, from: 'scheduled', to: 'cancelled', reason: 'B says so' } },
      'material.add': {
        args: { id: randomUUID(), jobId: a.jobId, itemName: 'Bricks', quantity: 1, unit: 'pallet' },
      },
      'material.update': { args: { id: a.materialId, patch: { quantity: 99 }, base: { quantity: 2 } } },
      'material.setPurchased': { args: { id: a.materialId, purchased: true } },
      'material.remove': { args: { id: a.materialId } },
      'note.add': { args: { id: randomUUID(), jobId: a.jobId, body: 'Hello from B' } },
      'assignment.create': {
        args: { id: randomUUID(), jobId: ownJobB.jobId, contractorId: a.contractorId, ...freshSlot() },
      },
      'assignment.setStatus': {
        args: { id: a.assignmentId, from: 'pending', to: 'cancelled', reason: 'B says so' },
      },
      'assignment.reschedule': { args: { id: a.assignmentId, ...freshSlot(), base: freshSlot() } },
      'contractor.create': {
        args: { id: randomUUID(), userId: a.contractorUserId, name: 'Linked to an A login', trade: 'tile' },
      },
      'contractor.update': {
        args: { id: a.contractorId, patch: { status: 'inactive' }, base: { status: 'active' } },
      },
      'workingHours.set': { args: { contractorId: a.contractorId, days: [] } },
      'conflict.resolve': { args: { id: a.conflictId, keep: 'loser' } },
      'rating.add': { args: { id: randomUUID(), assignmentId: a.assignmentId, stars: 1, comment: 'From B' } },
      'user.invite': {
        args: { id: a.contractorUserId, email: a.contractorEmail, name: 'Casey', role: 'contractor' },
      },
      'user.update': { args: { id: a.dispatcherId, patch: { role: 'admin' }, base: { role: 'dispatcher' } } },
      'user.setActive': { args: { id: a.contractorUserId, active: false } },
      // The args carry no id to aim with: an admin's org.update is always their own company's.
      'org.update': { args: { patch: { name: 'Hijacked' }, base: { name: 'Beta Paving' } }, own: true },
      // Like customer.create: B's rule under A's rule id is B's own, and listens to B's events only.
      'alertRule.create': {
        args: {
          id: a.alertRuleId,
          name: 'Copy of an A rule',
          event: 'job.created',
          conditions: {},
          channels: ['dashboard'],
          recipients: ['role:admin'],
          throttleMinutes: 0,
        },
        own: true,
      },
      'alertRule.update': {
        args: { id: a.alertRuleId, patch: { active: false }, base: { active: true } },
      },
      'alertRule.remove': { args: { id: a.alertRuleId } },
      'alertDelivery.retry': { args: { id: a.alertDeliveryId } },
      'notification.markRead': { args: { id: a.notificationId } },
      'attachment.add': {
        args: {
          id: randomUUID(),
          jobId: a.jobId,
          kind: 'photo',
          fileName: 'from-b.jpg',
          contentType: 'image/jpeg',
          byteSize: 1000,
          sha256: 'a'.repeat(64),
          takenAt: '2026-11-21T09:00:00.000Z',
        },
      },
      'attachment.remove': { args: { id: a.attachmentId } },
      'estimate.create': {
        args: {
          id: randomUUID(),
          customerId: a.customerId,
          jobId: a.jobId,
          title: 'On an A customer',
          lines: [
            { id: randomUUID(), kind: 'other', description: 'Anything', quantity: 1, unit: 'ea', unitPriceCents: 1 },
          ],
          taxRateBasisPoints: 0,
          validUntil: '2026-12-31',
        },
      },
      'estimate.update': {
        args: { id: a.estimateId, patch: { title: 'Hijacked' }, base: { title: 'Alpha estimate' } },
      },
      'estimate.setStatus': { args: { id: a.estimateId, from: 'draft', to: 'sent' } },
      // Like alertRule.create: B's item under A's item id is B's own.
      'priceListItem.create': {
        args: { id: a.priceListItemId, name: 'Copy of an A item', kind: 'labor', unit: 'h', unitPriceCents: 1 },
        own: true,
      },
      'priceListItem.update': {
        args: { id: a.priceListItemId, patch: { unitPriceCents: 1 }, base: { unitPriceCents: 6500 } },
      },
    };
    expect(Object.keys(attempts).sort()).toEqual([...MUTATION_NAMES].sort());

    const fingerprintA = await versionFingerprint(server, orgA);
    const companyA = await companyRow(orgA);
    const idsA = await rowIdsOf(orgA);
    const conflictA = await server.database.query(
      sql`select status, resolution from conflicts where org_id = ${orgA} and id = ${a.conflictId}`,
    );
    const pricingA = async () => ({
      estimates: await server.database.query(sql`select * from estimates where org_id = ${orgA} order by id`),
      items: await server.database.query(sql`select * from price_list_items where org_id = ${orgA} order by id`),
    });
    const pricingBefore = await pricingA();
    expect(pricingBefore.estimates).toHaveLength(1);
    expect(pricingBefore.items).toHaveLength(1);

    // B's own rows last: after B's customer.create, B has a customer under A's customer id.
    const order = [...MUTATION_NAMES].sort((x, y) => Number(!!attempts[x].own) - Number(!!attempts[y].own));
    for (const name of order) {
      const attempt = attempts[name];
      const { results } = await push(server, adminB, [{ name, args: attempt.args }]);
      const result = results[0];
      if (attempt.own) {
        expect(['applied', 'conflict'], `${name}: ${JSON.stringify(result)}`).toContain(result?.outcome);
      } else {
        expect(result?.outcome, `${name}: ${JSON.stringify(result)}`).toBe('rejected');
        const allowed = REFUSALS[name] ?? ['not_found', 'forbidden'];
        expect(allowed, `${name}: ${result?.error?.code}`).toContain(result?.error?.code);
      }
    }
    // What B made stayed in B.
    const [copy] = await server.database.query<{ org_id: string }>(
      sql`select org_id from customers where id = ${a.customerId} and name = 'Copy of an A customer'`,
    );
    expect(copy?.org_id).toBe(orgB);
    expect((await companyRow(orgB))?.name).toBe('Hijacked');
    const [ruleCopy] = await server.database.query<{ org_id: string }>(
      sql`select org_id from alert_rules where id = ${a.alertRuleId} and name = 'Copy of an A rule'`,
    );
    expect(ruleCopy?.org_id).toBe(orgB);

    expect(await versionFingerprint(server, orgA)).toEqual(fingerprintA);
    expect(await companyRow(orgA)).toEqual(companyA);
    expect(await rowIdsOf(orgA)).toEqual(idsA);
    expect(
      await server.database.query(
        sql`select status, resolution from conflicts where org_id = ${orgA} and id = ${a.conflictId}`,
      ),
    ).toEqual(conflictA);
    expect(await pricingA()).toEqual(pricingBefore);
    const [itemCopy] = await server.database.query<{ org_id: string }>(
      sql`select org_id from price_list_items where id = ${a.priceListItemId} and name = 'Copy of an A item'`,
    );
    expect(itemCopy?.org_id).toBe(orgB);
  });

  test('no endpoint answers company B with anything of company A', async () => {
    const idsA = await rowIdsOf(orgA);
    const leaked = (value: unknown) => [...idsA].filter((id) => JSON.stringify(value ?? null).includes(id));

    // A full pull from B, from the start: B's rows only, and B's company row.
    const deviceB = { ...adminB, clientId: randomUUID(), nextSeq: 1 };
    const { copy, pages } = await pullAll(server, deviceB, { limit: 500 });
    expect([...(copy.get('organizations')?.keys() ?? [])]).toEqual([orgB]);
    expect(copy.get('jobs')?.has(ownJobB.jobId)).toBe(true);
    // B's copies of A's customer id and rule id are B's own rows (see above); nothing else of A's may appear.
    const ownCopy = (table: string, id: string) =>
      (table === 'customers' && id === a.customerId) ||
      (table === 'alertRules' && id === a.alertRuleId) ||
      (table === 'priceListItems' && id === a.priceListItemId);
    const pulledIds = [
      ...[...copy.entries()].flatMap(([table, rows]) => [...rows.keys()].filter((id) => !ownCopy(table, id))),
      ...pages.flatMap((page) => Object.values(page.removed).flat()),
    ];
    expect(pulledIds.filter((id) => idsA.has(id))).toEqual([]);
    // A's estimate in particular: B's office pulls every estimate of its own company and none of A's.
    expect(copy.get('estimates')?.has(a.estimateId) ?? false).toBe(false);

    const recommendations = await server.call('GET', `/api/jobs/${a.jobId}/recommendations`, { token: adminB.token });
    expect(recommendations.status).toBe(404);
    expect(recommendations.json.error.code).toBe('not_found');
    // The same request from A's own admin finds the job: the 404 above is the company boundary.
    expect((await server.call('GET', `/api/jobs/${a.jobId}/recommendations`, { token: adminA.token })).status).toBe(
      200,
    );

    // A's file: its bytes, its thumbnail and a new upload of it are all 404 to B; A's admin reads it.
    for (const path of [`/api/attachments/${a.attachmentId}`, `/api/attachments/${a.attachmentId}/thumbnail`]) {
      const file = await server.call('GET', path, { token: adminB.token });
      expect(file.status, path).toBe(404);
      expect(file.json.error.code).toBe('not_found');
    }
    expect((await server.call('GET', `/api/attachments/${a.attachmentId}`, { token: adminA.token })).status).toBe(200);
    const upload = await server.call('POST', '/api/uploads', {
      token: adminB.token,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': '100',
        'upload-metadata': `attachmentId ${Buffer.from(a.attachmentId).toString('base64')}`,
      },
    });
    expect(upload.status).toBe(404);
    expect(upload.json.error.code).toBe('not_found');

    const health = await server.call('GET', '/api/sync/clients', { token: adminB.token });
    expect(health.status).toBe(200);
    expect(leaked(health.json)).toEqual([]);
    expect(JSON.stringify(health.json)).not.toContain(adminA.clientId);

    // Pulling with a client id of A's is refused outright.
    const stolen = await server.call('GET', `/api/sync/pull?clientId=${adminA.clientId}`, { token: adminB.token });
    expect(stolen.status).toBe(403);
    expect(stolen.json.error.code).toBe('client_id_taken');

    const link = await server.call('POST', `/api/users/${a.contractorUserId}/invite-link`, { token: adminB.token });
    expect(link.status).toBe(404);
    expect(link.json.error.code).toBe('not_found');

    // The event-stream token is B's, and a change in A wakes none of B's streams. Notices arrive in
    // commit order, so once B's own change has poked, A's earlier one would have too.
    const streamToken = await server.call('POST', '/api/sync/events/token', { token: adminB.token });
    expect(streamToken.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(streamToken.json.token).split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ org: orgB, sub: adminB.userId });
    const poked = vi.fn();
    const unsubscribe = server.deps.changes.subscribe({
      orgId: orgB,
      userId: adminB.userId,
      role: 'admin',
      poke: poked,
    });
    try {
      await pushApplied(server, adminA, [
        { name: 'note.add', args: { id: randomUUID(), jobId: a.jobId, body: 'A only' } },
      ]);
      await pushApplied(server, adminB, [
        { name: 'note.add', args: { id: randomUUID(), jobId: ownJobB.jobId, body: 'B only' } },
      ]);
      await vi.waitFor(() => expect(poked).toHaveBeenCalled(), { timeout: 5_000, interval: 10 });
      expect(poked).toHaveBeenCalledTimes(1);
    } finally {
      unsubscribe();
    }
    const after = await pull(server, deviceB, { cursor: pages.at(-1)?.cursor, limit: 500 });
    expect(leaked(after)).toEqual([]);
  });
});
