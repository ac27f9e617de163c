/**
 * Company administration through sync: who may invite, rename, re-role and
 * turn off people and change the company's settings, and what each change
 * does — the rows, the sessions it ends, the phones it wakes.
 */
import { randomUUID } from 'node:crypto';
import {
  CONTRACTOR_ROLE_CHANGE_MESSAGE,
  INVITE_OFFICE_MESSAGE,
  OFFICE_ONLY_MESSAGE,
  OWN_ACCOUNT_MESSAGE,
  OWN_ROLE_MESSAGE,
} from '@fieldsync/domain';
import type { MutationResult } from '@fieldsync/protocol';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ACCOUNT_DISABLED_MESSAGE, ACCOUNT_STATUS_TTL_MS } from '../auth/account-status';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pull,
  push,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';
import { ADMIN_ONLY_MESSAGE, LAST_ADMIN_MESSAGE } from './handlers/admin-access';
import { EMAIL_TAKEN_MESSAGE } from './handlers/user-handlers';
import { createPushService } from './push-service';

const kinds = await databaseKindsUnderTest();

const DEFAULT_WEIGHTS = { availability: 0.4, rating: 0.35, distance: 0.25 };

describe.each(kinds)('company administration on %s', (kind) => {
  let server: TestServer;
  let orgA: string;
  let admin: Device;
  let dispatcher: Device;
  let contractor: Device;
  /** The admin of the second company, aiming at the first company's people. */
  let otherAdmin: Device;

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    orgA = server.orgA.orgId;
    admin = await openDevice(server, 'admin@example.com');
    dispatcher = await openDevice(server, 'dispatcher1@example.com');
    contractor = await openDevice(server, 'contractor1@example.com');
    otherAdmin = await openDevice(server, 'admin@other.example');
  }, 120_000);
  afterAll(() => server.close());

  async function one(device: Device, name: string, args: unknown): Promise<MutationResult> {
    const { results } = await push(server, device, [{ name, args }]);
    return results[0] as MutationResult;
  }

  async function userRow(id: string) {
    const [row] = await server.database.query<{
      org_id: string;
      email: string;
      name: string;
      role: string;
      is_active: boolean;
      password_hash: string | null;
      invited_at: string | null;
    }>(sql`select org_id, email, name, role, is_active, password_hash, invited_at from users where id = ${id}`);
    return row;
  }

  async function orgRow(orgId: string) {
    const [row] = await server.database.query<Record<string, unknown>>(
      sql`select name, time_zone, overdue_minutes, scoring_weights, version from organizations where id = ${orgId}`,
    );
    return row;
  }

  const uniqueEmail = (who: string) => `${who}.${randomUUID().slice(0, 8)}@example.com`;

  /** Invites an office person (by the admin) and answers their id. */
  async function invitePerson(role: 'admin' | 'dispatcher', name = 'Pat Quinn') {
    const id = randomUUID();
    await pushApplied(server, admin, [{ name: 'user.invite', args: { id, email: uniqueEmail('pat'), name, role } }]);
    return id;
  }

  /** An invited person who has since signed in: their password set directly, their device open. */
  async function signedInPerson(role: 'admin' | 'dispatcher') {
    const id = await invitePerson(role, `Signed-in ${role}`);
    await server.database.query(
      sql`update users set password_hash = (select password_hash from users where email = 'admin@example.com')
          where id = ${id}`,
    );
    const row = await userRow(id);
    return openDevice(server, row?.email as string);
  }

  describe('who may do what', () => {
    type Expected = { outcome: 'applied' } | { outcome: 'rejected'; code: string; message?: string };
    const applied: Expected = { outcome: 'applied' };
    const forbidden = (message: string): Expected => ({ outcome: 'rejected', code: 'forbidden', message });
    const notFound: Expected = { outcome: 'rejected', code: 'not_found' };

    /** Fresh args per run, aimed at company A's rows. */
    const cases: Array<{
      name: string;
      args: () => Promise<unknown>;
      admin: Expected;
      dispatcher: Expected;
      contractor: Expected;
      otherCompany: Expected;
    }> = [
      {
        name: 'user.invite a contractor',
        args: async () => ({
          id: randomUUID(),
          email: uniqueEmail('casey'),
          name: 'Casey Jones',
          role: 'contractor',
          contractor: { id: randomUUID(), trade: 'tile' },
        }),
        admin: applied,
        dispatcher: applied,
        contractor: forbidden(OFFICE_ONLY_MESSAGE),
        // Ids are per company: B's invite makes B's own person (checked below to leave A alone).
        otherCompany: applied,
      },
      {
        name: 'user.invite a dispatcher',
        args: async () => ({ id: randomUUID(), email: uniqueEmail('dee'), name: 'Dee', role: 'dispatcher' }),
        admin: applied,
        dispatcher: forbidden(INVITE_OFFICE_MESSAGE),
        contractor: forbidden(OFFICE_ONLY_MESSAGE),
        otherCompany: applied,
      },
      {
        name: 'user.invite an admin',
        args: async () => ({ id: randomUUID(), email: uniqueEmail('ann'), name: 'Ann', role: 'admin' }),
        admin: applied,
        dispatcher: forbidden(INVITE_OFFICE_MESSAGE),
        contractor: forbidden(OFFICE_ONLY_MESSAGE),
        otherCompany: applied,
      },
      {
        name: 'user.update',
        args: async () => {
          const id = await invitePerson('dispatcher');
          return { id, patch: { name: 'Pat Q.' }, base: { name: 'Pat Quinn' } };
        },
        admin: applied,
        dispatcher: forbidden(ADMIN_ONLY_MESSAGE),
        contractor: forbidden(ADMIN_ONLY_MESSAGE),
        otherCompany: notFound,
      },
      {
        name: 'user.setActive',
        args: async () => ({ id: await invitePerson('dispatcher'), active: false }),
        admin: applied,
        dispatcher: forbidden(ADMIN_ONLY_MESSAGE),
        contractor: forbidden(ADMIN_ONLY_MESSAGE),
        otherCompany: notFound,
      },
      {
        name: 'org.update',
        args: async () => ({ patch: { overdueMinutes: 40 }, base: { overdueMinutes: 30 } }),
        admin: applied,
        dispatcher: forbidden(ADMIN_ONLY_MESSAGE),
        contractor: forbidden(ADMIN_ONLY_MESSAGE),
        // No id to aim with: B's admin changes B's own settings (checked below to leave A alone).
        otherCompany: applied,
      },
    ];

    test.each(cases)('$name', async (row) => {
      const mutation = row.name.split(' ')[0] as string;
      const devices = { admin, dispatcher, contractor, otherCompany: otherAdmin };
      const orgBefore = await orgRow(orgA);
      for (const who of ['contractor', 'dispatcher', 'otherCompany', 'admin'] as const) {
        const args = await row.args();
        const result = await one(devices[who], mutation, args);
        const expected = row[who];
        if (expected.outcome === 'applied') {
          expect(result, who).toMatchObject({ outcome: 'applied' });
        } else {
          expect(result, who).toMatchObject({ outcome: 'rejected', error: { code: expected.code } });
          if (expected.message) expect(result.error?.message, who).toBe(expected.message);
        }
        if (who === 'otherCompany') {
          const id = (args as { id?: string }).id;
          // Whatever B did, it stayed in B.
          if (mutation === 'user.invite') expect((await userRow(id as string))?.org_id).toBe(server.orgB?.orgId);
          if (mutation === 'user.update' || mutation === 'user.setActive') {
            expect(await userRow(id as string)).toMatchObject({ org_id: orgA, name: 'Pat Quinn', is_active: true });
          }
          expect(await orgRow(orgA)).toEqual(orgBefore);
        }
      }
    });
  });

  describe('user.invite', () => {
    test('makes an invited person (no password yet) and their linked contractor row, and logs it', async () => {
      const id = randomUUID();
      const contractorId = randomUUID();
      const email = uniqueEmail('Casey.Jones');
      const args = {
        id,
        email,
        name: 'Casey Jones',
        role: 'contractor',
        contractor: { id: contractorId, trade: 'flooring', skills: ['oak'], phone: '555-0100' },
      };
      await pushApplied(server, dispatcher, [{ name: 'user.invite', args }]);

      expect(await userRow(id)).toEqual({
        org_id: orgA,
        email,
        name: 'Casey Jones',
        role: 'contractor',
        is_active: true,
        password_hash: null,
        invited_at: expect.anything(),
      });
      const [invited] = await server.database.query<{ at: string }>(
        sql`select to_char(invited_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from users where id = ${id}`,
      );
      expect(invited?.at).toBe(server.clock.now().toISOString());
      const [linked] = await server.database.query(
        sql`select user_id, name, email, trade, skills, phone, status, rating::float8 as rating from contractors where id = ${contractorId}`,
      );
      expect(linked).toEqual({
        user_id: id,
        name: 'Casey Jones',
        email,
        trade: 'flooring',
        skills: ['oak'],
        phone: '555-0100',
        status: 'active',
        rating: 0,
      });
      // A working week to start with, so the new contractor can be recommended at once.
      const hours = await server.database.query(
        sql`select day_of_week, to_char(start_time, 'HH24:MI') as start, to_char(end_time, 'HH24:MI') as end
            from working_hours where contractor_id = ${contractorId} and deleted_at is null order by day_of_week`,
      );
      expect(hours).toEqual([1, 2, 3, 4, 5].map((day) => ({ day_of_week: day, start: '08:00', end: '17:00' })));
      const activity = await server.database.query(
        sql`select action, details from activity_log where org_id = ${orgA} and entity_id = ${id}`,
      );
      expect(activity).toEqual([{ action: 'user.invited', details: { role: 'contractor', contractorId } }]);

      // The office's pull carries the person, without any password data.
      const page = await pull(server, admin, { limit: 5000 });
      const synced = (page.changes.users ?? []).find((row) => row.id === id);
      expect(synced).toMatchObject({ id, email, role: 'contractor', active: true, lastSeenAt: null });
      expect(Object.keys(synced ?? {})).not.toContain('passwordHash');

      // Sent again from another device: a duplicate. The same id with other content: refused.
      const again = await openDevice(server, 'dispatcher2@example.com');
      expect(await one(again, 'user.invite', args)).toMatchObject({ outcome: 'duplicate' });
      expect(await one(again, 'user.invite', { ...args, name: 'Someone Else' })).toMatchObject({
        outcome: 'rejected',
        error: { code: 'id_conflict' },
      });
    });

    test('an email any account uses, in any case and any company, is email_taken', async () => {
      for (const email of ['DISPATCHER2@Example.com', 'admin@OTHER.example']) {
        const id = randomUUID();
        const result = await one(admin, 'user.invite', { id, email, name: 'Copy', role: 'dispatcher' });
        expect(result).toMatchObject({
          outcome: 'rejected',
          error: { code: 'email_taken', message: EMAIL_TAKEN_MESSAGE },
        });
        expect(await userRow(id)).toBeUndefined();
      }
    });

    test('two invites racing for one email: one person, one email_taken', async () => {
      const email = uniqueEmail('race');
      const contractorIds = [randomUUID(), randomUUID()];
      const ids = [randomUUID(), randomUUID()];
      const devices = [admin, await openDevice(server, 'dispatcher2@example.com')];
      const results = await Promise.all(
        devices.map((device, index) =>
          one(device, 'user.invite', {
            id: ids[index],
            email: index === 0 ? email : email.toUpperCase(),
            name: 'Racer',
            role: 'contractor',
            contractor: { id: contractorIds[index], trade: 'tile' },
          }),
        ),
      );
      expect(results.map((result) => result.outcome ?? '').sort()).toEqual(['applied', 'rejected']);
      expect(results.find((result) => result.outcome === 'rejected')?.error?.code).toBe('email_taken');
      const [count] = await server.database.query<{ users: number; contractors: number }>(
        sql`select (select count(*)::int from users where lower(email) = ${email}) as users,
          (select count(*)::int from contractors where id in (${contractorIds[0]}, ${contractorIds[1]})) as contractors`,
      );
      expect(count).toEqual({ users: 1, contractors: 1 });
    });
  });

  describe('user.update', () => {
    test('renames and moves people between admin and dispatcher; a contractor role change is refused', async () => {
      const id = await invitePerson('dispatcher');
      await pushApplied(server, admin, [
        {
          name: 'user.update',
          args: { id, patch: { name: 'Pat Admin', role: 'admin' }, base: { name: 'Pat Quinn', role: 'dispatcher' } },
        },
      ]);
      expect(await userRow(id)).toMatchObject({ name: 'Pat Admin', role: 'admin' });

      const toContractor = await one(admin, 'user.update', {
        id,
        patch: { role: 'contractor' },
        base: { role: 'admin' },
      });
      expect(toContractor).toMatchObject({
        outcome: 'rejected',
        error: { code: 'validation_failed', message: CONTRACTOR_ROLE_CHANGE_MESSAGE },
      });
      const fromContractor = await one(admin, 'user.update', {
        id: contractor.userId,
        patch: { role: 'dispatcher' },
        base: { role: 'contractor' },
      });
      expect(fromContractor).toMatchObject({
        outcome: 'rejected',
        error: { code: 'validation_failed', message: CONTRACTOR_ROLE_CHANGE_MESSAGE },
      });
      expect(CONTRACTOR_ROLE_CHANGE_MESSAGE).toContain('Invite them again');
    });

    test('an admin may not change their own role; the company keeps an admin even when two demote each other', async () => {
      const own = await one(admin, 'user.update', {
        id: admin.userId,
        patch: { role: 'dispatcher' },
        base: { role: 'admin' },
      });
      expect(own).toMatchObject({
        outcome: 'rejected',
        error: { code: 'validation_failed', message: OWN_ROLE_MESSAGE },
      });

      // Two admins of a company of their own… here: two new admins, each demoting the other at once.
      const first = await signedInPerson('admin');
      const second = await signedInPerson('admin');
      const demote = (by: Device, whom: Device) =>
        one(by, 'user.update', { id: whom.userId, patch: { role: 'dispatcher' }, base: { role: 'admin' } });
      const [a, b] = await Promise.all([demote(first, second), demote(second, first)]);
      // The second to run finds its caller demoted: the token still says admin, the row does not.
      expect([a.outcome, b.outcome].sort()).toEqual(['applied', 'rejected']);
      expect([a, b].find((result) => result.outcome === 'rejected')?.error).toEqual({
        code: 'forbidden',
        message: ADMIN_ONLY_MESSAGE,
      });
      const roles = [(await userRow(first.userId))?.role, (await userRow(second.userId))?.role].sort();
      expect(roles).toEqual(['admin', 'dispatcher']);
      // The original admin is still there too.
      expect((await userRow(admin.userId))?.role).toBe('admin');
    });

    test('a contractor’s own user row change reaches their phone (a poke)', async () => {
      const poked = vi.fn();
      const unsubscribe = server.deps.changes.subscribe({
        orgId: orgA,
        userId: contractor.userId,
        role: 'contractor',
        poke: poked,
      });
      try {
        const row = await userRow(contractor.userId);
        await pushApplied(server, admin, [
          {
            name: 'user.update',
            args: { id: contractor.userId, patch: { name: 'Renamed Contractor' }, base: { name: row?.name } },
          },
        ]);
        await vi.waitFor(() => expect(poked).toHaveBeenCalled(), { timeout: 5_000, interval: 10 });
      } finally {
        unsubscribe();
      }
      const page = await pull(server, contractor, { limit: 5000 });
      expect((page.changes.users ?? []).find((row) => row.id === contractor.userId)).toMatchObject({
        name: 'Renamed Contractor',
      });
    });
  });

  describe('user.setActive', () => {
    test('never on oneself; the sole admin cannot lock the company out', async () => {
      for (const active of [false, true]) {
        expect(await one(admin, 'user.setActive', { id: admin.userId, active })).toMatchObject({
          outcome: 'rejected',
          error: { code: 'validation_failed', message: OWN_ACCOUNT_MESSAGE },
        });
      }
      expect(LAST_ADMIN_MESSAGE).toMatch(/at least one active admin/);
      expect((await userRow(admin.userId))?.is_active).toBe(true);
    });

    test('turning a contractor off ends their sessions, refuses their tokens, and takes them out of the running', async () => {
      const email = 'contractor3@example.com';
      const session = await server.login(email);
      const phone = await openDevice(server, email);
      const contractorId = await contractorIdOf(server, email);
      const job = await createJobFixture(server, dispatcher);
      const assignmentId = await assignJob(server, dispatcher, job.jobId, contractorId);
      const pullPath = `/api/sync/pull?clientId=${randomUUID()}`;
      // This instance now remembers the account as active.
      expect((await server.call('GET', pullPath, { token: session.accessToken })).status).toBe(200);

      const officePoked = vi.fn();
      const phonePoked = vi.fn();
      const unsubscribe = [
        server.deps.changes.subscribe({ orgId: orgA, userId: randomUUID(), role: 'dispatcher', poke: officePoked }),
        server.deps.changes.subscribe({ orgId: orgA, userId: phone.userId, role: 'contractor', poke: phonePoked }),
      ];
      const before = await pull(server, admin, { limit: 5000 });
      try {
        await pushApplied(server, admin, [{ name: 'user.setActive', args: { id: phone.userId, active: false } }]);
        await vi.waitFor(
          () => {
            expect(officePoked).toHaveBeenCalled();
            expect(phonePoked).toHaveBeenCalled();
          },
          { timeout: 5_000, interval: 10 },
        );
      } finally {
        for (const stop of unsubscribe) stop();
      }

      const [state] = await server.database.query(
        sql`select u.is_active, c.status,
            (select count(*)::int from refresh_tokens t where t.user_id = u.id and t.revoked_at is null) as live_sessions,
            (select status from assignments a where a.id = ${assignmentId}) as assignment
          from users u join contractors c on c.org_id = u.org_id and c.user_id = u.id where u.id = ${phone.userId}`,
      );
      // Their live assignment stays, for the office to hand on.
      expect(state).toEqual({ is_active: false, status: 'inactive', live_sessions: 0, assignment: 'pending' });

      const refresh = await server.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(refresh.status).toBe(401);
      expect(refresh.json.error).toEqual({ code: 'account_disabled', message: ACCOUNT_DISABLED_MESSAGE });
      // What this instance remembers ages out within the TTL (the test clock stands in for time).
      server.clock.advance(ACCOUNT_STATUS_TTL_MS);
      const refused = await server.call('GET', pullPath, { token: session.accessToken });
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('account_disabled');

      // The office's next pull carries both rows.
      const after = await pull(server, admin, { cursor: before.cursor, limit: 5000 });
      expect((after.changes.users ?? []).find((row) => row.id === phone.userId)).toMatchObject({ active: false });
      expect((after.changes.contractors ?? []).find((row) => row.id === contractorId)).toMatchObject({
        status: 'inactive',
      });
      const activity = await server.database.query<{ action: string }>(
        sql`select action from activity_log where org_id = ${orgA} and entity_id = ${phone.userId}`,
      );
      expect(activity.map((row) => row.action)).toContain('user.deactivated');

      // Back on: active again, the contractor row too, and they may sign in.
      await pushApplied(server, admin, [{ name: 'user.setActive', args: { id: phone.userId, active: true } }]);
      const [back] = await server.database.query(
        sql`select u.is_active, c.status from users u join contractors c on c.org_id = u.org_id and c.user_id = u.id
          where u.id = ${phone.userId}`,
      );
      expect(back).toEqual({ is_active: true, status: 'active' });
      server.clock.advance(ACCOUNT_STATUS_TTL_MS);
      const again = await server.login(email);
      expect((await server.call('GET', pullPath, { token: again.accessToken })).status).toBe(200);
    });
  });

  test('after commit, a push names the accounts it turned off or on, for the account-status cache', async () => {
    const changed = vi.fn();
    const service = createPushService(server.database.db, server.clock.now, pino({ level: 'silent' }), {
      accountsChanged: changed,
    });
    const id = await invitePerson('dispatcher');
    const user = { userId: admin.userId, orgId: orgA, role: 'admin' as const };
    const mutation = (seq: number, active: boolean) => ({
      seq,
      name: 'user.setActive',
      occurredAt: server.clock.now().toISOString(),
      args: { id, active },
    });
    const clientId = randomUUID();
    const answer = await service.push(user, { clientId, mutations: [mutation(1, false)] });
    expect(answer.results[0]?.outcome).toBe('applied');
    expect(changed).toHaveBeenCalledExactlyOnceWith([{ orgId: orgA, userId: id }]);
    // Already off: nothing changed, nothing to forget.
    await service.push(user, { clientId, mutations: [mutation(2, false)] });
    expect(changed).toHaveBeenCalledTimes(1);
  });

  describe('org.update', () => {
    test('another admin’s device pulls the new settings, and every device is poked', async () => {
      const second = await signedInPerson('admin');
      const { cursor } = await pull(server, second, { limit: 5000 });
      const phonePoked = vi.fn();
      const unsubscribe = server.deps.changes.subscribe({
        orgId: orgA,
        userId: contractor.userId,
        role: 'contractor',
        poke: phonePoked,
      });
      const current = await pull(server, admin, { limit: 5000 });
      const org = current.changes.organizations?.[0] as Record<string, unknown>;
      const weights = { availability: 0.5, rating: 0.3, distance: 0.2 };
      try {
        await pushApplied(server, admin, [
          {
            name: 'org.update',
            args: {
              patch: { name: 'Renamed Co', timeZone: 'Europe/Berlin', scoringWeights: weights },
              base: { name: org.name, timeZone: org.timeZone, scoringWeights: org.scoringWeights },
            },
          },
        ]);
        await vi.waitFor(() => expect(phonePoked).toHaveBeenCalled(), { timeout: 5_000, interval: 10 });
      } finally {
        unsubscribe();
      }
      const page = await pull(server, second, { cursor, limit: 5000 });
      expect(page.changes.organizations).toEqual([
        expect.objectContaining({ id: orgA, name: 'Renamed Co', timeZone: 'Europe/Berlin', scoringWeights: weights }),
      ]);
      const activity = await server.database.query<{ action: string; user_id: string }>(
        sql`select action, user_id from activity_log where org_id = ${orgA} and entity_id = ${orgA}`,
      );
      expect(activity).toContainEqual({ action: 'organizations.updated', user_id: admin.userId });
    });

    test('scoring weights that do not add up to 1 are invalid_args, in plain words', async () => {
      const result = await one(admin, 'org.update', {
        patch: { scoringWeights: { availability: 0.5, rating: 0.5, distance: 0.5 } },
        base: { scoringWeights: DEFAULT_WEIGHTS },
      });
      expect(result).toMatchObject({ outcome: 'rejected', error: { code: 'invalid_args' } });
      expect(result.error?.message).toContain('scoring weights must add up to 1');
    });

    test('two admins changing one setting from the same base: the later change wins, the other is a conflict', async () => {
      const second = await signedInPerson('admin');
      const [row] = await server.database.query<{ overdue_minutes: number }>(
        sql`select overdue_minutes from organizations where id = ${orgA}`,
      );
      const base = { overdueMinutes: row?.overdue_minutes };
      await pushApplied(server, admin, [
        { name: 'org.update', args: { patch: { overdueMinutes: 61 }, base }, occurredAt: '2026-11-21T14:00:00.000Z' },
      ]);
      // Made earlier on its device than the change already recorded: it loses, and the loss is kept.
      const late = await push(server, second, [
        { name: 'org.update', args: { patch: { overdueMinutes: 62 }, base }, occurredAt: '2020-01-01T00:00:00.000Z' },
      ]);
      expect(late.results[0]).toMatchObject({ outcome: 'conflict', conflictId: expect.any(String) });
      const [conflict] = await server.database.query(
        sql`select entity, entity_id, field, winner_value, loser_value, winner_by from conflicts
          where id = ${late.results[0]?.conflictId as string}`,
      );
      expect(conflict).toEqual({
        entity: 'organizations',
        entity_id: orgA,
        field: 'overdueMinutes',
        winner_value: 61,
        loser_value: 62,
        winner_by: admin.userId,
      });
      expect((await orgRow(orgA))?.overdue_minutes).toBe(61);
    });
  });
});
