/**
 * An in-memory stand-in for the sync server, for unit tests of the engine's
 * mechanics only (push/pull/auth shapes of docs/sync-protocol.md, a few mutations).
 * Convergence with the real server is tested in /tests against the real one.
 */
import { checkJobTransition, type JobStatus } from '@fieldsync/domain';
import type { FetchLike } from '../transport';

type Row = Record<string, unknown> & { id: string; version: number };

/** A user of the fake server; signing in answers it as the protocol's `SessionUser`. */
export interface FakeUser {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: 'admin' | 'dispatcher' | 'contractor';
  timeZone?: string;
  organizationName?: string;
}

export interface PushedMutation {
  clientId: string;
  seq: number;
  name: string;
  args: Record<string, unknown>;
  occurredAt: string;
}

let idCounter = 0;
/** Ids the server makes (8-4-4-4-12 hex). */
export function serverId(): string {
  idCounter++;
  return `00000000-0000-4000-8000-${idCounter.toString(16).padStart(12, '0')}`;
}

function json(status: number, body: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, ok: status >= 200 && status < 300, text: async () => text };
}

function error(status: number, code: string, message: string) {
  return json(status, { error: { code, message } });
}

export class FakeSyncServer {
  readonly tables = new Map<string, Map<string, Row>>();
  version = 0;
  readonly lastSeq = new Map<string, number>();
  /** The outcome recorded for each `clientId:seq`, repeated on replays. */
  readonly outcomes = new Map<string, Record<string, unknown>>();
  readonly clientOwner = new Map<string, string>();
  /** Every mutation applied, in order. */
  readonly applied: PushedMutation[] = [];
  readonly users = new Map<string, { user: FakeUser; password: string }>();
  readonly accessTokens = new Map<string, FakeUser>();
  readonly refreshTokens = new Map<string, FakeUser>();
  refreshCalls = 0;
  pushCalls = 0;
  pullCalls = 0;
  concurrentPushes = 0;
  maxConcurrentPushes = 0;
  /** Milliseconds each push waits before answering (to overlap tabs). */
  pushDelayMs = 0;
  /** When set, every request fails as if the network were down. */
  offline = false;
  /** When set, sync requests get 426. */
  outdated = false;
  /** A whole push answered with this error (before anything is applied) when it returns one. */
  failPush: ((mutations: readonly PushedMutation[]) => { status: number; code: string } | undefined) | undefined;
  /** One pushed mutation recorded `rejected` with this error when it returns one (e.g. `internal_error`). */
  rejectMutation: ((mutation: PushedMutation) => { code: string; message: string } | undefined) | undefined;
  /** Users whose account is switched off: every request, refresh included, gets 401 `account_disabled`. */
  readonly disabledUsers = new Set<string>();
  serverNow = () => Date.parse('2026-11-21T09:00:00Z');
  private tokenCounter = 0;

  addUser(user: FakeUser, password = 'secret') {
    this.users.set(user.email, { user, password });
  }

  /** Writes a row as if another device changed it (new version). */
  put(table: string, row: Record<string, unknown> & { id: string }) {
    const rows = this.tables.get(table) ?? new Map<string, Row>();
    this.tables.set(table, rows);
    this.version++;
    const existing = rows.get(row.id);
    const at = new Date(this.serverNow()).toISOString();
    rows.set(row.id, {
      createdAt: at,
      deletedAt: null,
      ...existing,
      ...row,
      updatedAt: at,
      version: this.version,
    } as Row);
  }

  get(table: string, id: string): Row | undefined {
    return this.tables.get(table)?.get(id);
  }

  /** Ends every access token (as if they expired). */
  expireAccessTokens() {
    this.accessTokens.clear();
  }

  /** Ends every session: refresh fails too. */
  revokeRefreshTokens() {
    this.refreshTokens.clear();
  }

  private issue(user: FakeUser) {
    const accessToken = `access-${++this.tokenCounter}`;
    const refreshToken = `refresh-${this.tokenCounter}`;
    this.accessTokens.set(accessToken, user);
    this.refreshTokens.set(refreshToken, user);
    const sessionUser = { timeZone: 'UTC', organizationName: 'Test Co', ...user };
    return { accessToken, refreshToken, expiresIn: 900, user: sessionUser };
  }

  readonly fetch: FetchLike = async (url, init) => {
    if (this.offline) throw new TypeError('Failed to fetch');
    const parsed = new URL(url, 'http://fake');
    const body = init.body ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const path = parsed.pathname;
    if (path === '/api/auth/login') {
      const account = this.users.get(String(body.email));
      if (!account || account.password !== body.password) {
        return error(401, 'invalid_credentials', 'Email or password is incorrect.');
      }
      return json(200, this.issue(account.user));
    }
    if (path === '/api/auth/refresh') {
      this.refreshCalls++;
      const user = this.refreshTokens.get(String(body.refreshToken));
      if (!user) return error(401, 'unauthorized', 'Your session has ended. Please sign in again.');
      if (this.disabledUsers.has(user.id)) return error(401, 'account_disabled', 'This account is switched off.');
      this.refreshTokens.delete(String(body.refreshToken));
      return json(200, this.issue(user));
    }
    if (path === '/api/auth/logout') return json(204, undefined);
    if (this.outdated) return error(426, 'client_outdated', 'Update the app.');
    const token = init.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const user = this.accessTokens.get(token);
    if (!user) return error(401, 'unauthorized', 'Sign in.');
    if (this.disabledUsers.has(user.id)) return error(401, 'account_disabled', 'This account is switched off.');
    if (path === '/api/sync/push') return this.push(user, body);
    if (path === '/api/sync/pull') return this.pull(user, parsed.searchParams);
    if (path === '/api/sync/events/token') return json(200, { token: `events-${token}`, expiresIn: 60 });
    return error(404, 'not_found', 'No such route.');
  };

  private async push(user: FakeUser, body: Record<string, unknown>) {
    this.pushCalls++;
    this.concurrentPushes++;
    this.maxConcurrentPushes = Math.max(this.maxConcurrentPushes, this.concurrentPushes);
    try {
      if (this.pushDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pushDelayMs));
      const failure = this.failPush?.(body.mutations as PushedMutation[]);
      if (failure) return error(failure.status, failure.code, 'The push failed on the server.');
      const clientId = String(body.clientId);
      const owner = this.clientOwner.get(clientId);
      if (owner && owner !== user.id) return error(403, 'client_id_taken', 'This client id belongs to another user.');
      this.clientOwner.set(clientId, user.id);
      let lastSeq = this.lastSeq.get(clientId) ?? 0;
      let expectedSeq: number | undefined;
      const results: unknown[] = [];
      for (const mutation of body.mutations as PushedMutation[]) {
        if (mutation.seq <= lastSeq) {
          // As the real server: a replay repeats the outcome recorded the first time.
          const recorded = this.outcomes.get(`${clientId}:${mutation.seq}`);
          results.push(
            recorded
              ? { seq: mutation.seq, outcome: 'duplicate', recorded }
              : { seq: mutation.seq, outcome: 'duplicate' },
          );
          continue;
        }
        if (expectedSeq !== undefined || mutation.seq > lastSeq + 1) {
          expectedSeq ??= lastSeq + 1;
          results.push({
            seq: mutation.seq,
            outcome: 'rejected',
            error: { code: 'seq_gap', message: `Expected seq ${expectedSeq}, got ${mutation.seq}.` },
          });
          continue;
        }
        const refusal = this.rejectMutation?.(mutation);
        const outcome = refusal ? { outcome: 'rejected', error: refusal } : this.apply(user, clientId, mutation);
        this.outcomes.set(`${clientId}:${mutation.seq}`, outcome);
        results.push({ seq: mutation.seq, ...outcome });
        this.applied.push({ ...mutation, clientId });
        lastSeq = mutation.seq;
      }
      this.lastSeq.set(clientId, lastSeq);
      return json(200, expectedSeq === undefined ? { lastSeq, results } : { lastSeq, results, expectedSeq });
    } finally {
      this.concurrentPushes--;
    }
  }

  private apply(user: FakeUser, clientId: string, mutation: PushedMutation) {
    const args = mutation.args;
    switch (mutation.name) {
      case 'job.setStatus': {
        const job = this.get('jobs', String(args.jobId));
        if (!job) return { outcome: 'rejected', error: { code: 'not_found', message: 'No such job.' } };
        const current = job.status as JobStatus;
        const to = args.to as JobStatus;
        if (current === to) return { outcome: 'applied' };
        const check = checkJobTransition({ from: current, to, role: user.role });
        if (!check.ok) return { outcome: 'rejected', error: { code: check.code, message: check.message } };
        this.put('jobs', { id: job.id, status: to });
        this.put('jobStatusHistory', {
          id: serverId(),
          jobId: job.id,
          fromStatus: current,
          toStatus: to,
          changedBy: user.id,
          reason: null,
          occurredAt: mutation.occurredAt,
          recordedAt: new Date(this.serverNow()).toISOString(),
          clientId,
          seq: mutation.seq,
        });
        return current === args.from ? { outcome: 'applied' } : { outcome: 'conflict', conflictId: serverId() };
      }
      case 'note.add':
        this.put('jobNotes', {
          id: String(args.id),
          jobId: args.jobId,
          authorId: user.id,
          body: args.body,
          occurredAt: mutation.occurredAt,
        });
        return { outcome: 'applied' };
      case 'material.add':
        this.put('materials', {
          id: String(args.id),
          jobId: args.jobId,
          itemName: args.itemName,
          quantity: args.quantity,
          unit: args.unit,
          purchased: false,
          purchasedBy: null,
          purchasedAt: null,
          notes: args.notes ?? null,
          addedBy: user.id,
        });
        return { outcome: 'applied' };
      default:
        return {
          outcome: 'rejected',
          error: { code: 'unknown_mutation', message: `Not in the fake: ${mutation.name}` },
        };
    }
  }

  private pull(user: FakeUser, query: URLSearchParams) {
    this.pullCalls++;
    const clientId = query.get('clientId') ?? '';
    const cursor = query.get('cursor');
    if (cursor && !/^v1\.\d+$/.test(cursor)) {
      return json(400, {
        error: {
          code: 'invalid_body',
          message: 'The cursor is not one this server handed out.',
          details: { field: 'cursor' },
        },
      });
    }
    const since = cursor ? Number(cursor.replace('v1.', '')) : 0;
    const limit = Number(query.get('limit') ?? 1000);
    const all: Array<{ table: string; row: Row }> = [];
    for (const [table, rows] of this.tables) {
      for (const row of rows.values()) if (row.version > since) all.push({ table, row });
    }
    all.sort((a, b) => a.row.version - b.row.version);
    const page = all.slice(0, limit);
    const changes: Record<string, Row[]> = {};
    const removed: Record<string, string[]> = {};
    for (const { table, row } of page) {
      const target = row.deletedAt ? removed : changes;
      const list = (target[table] ?? []) as unknown[];
      list.push(row.deletedAt ? row.id : row);
      target[table] = list as never;
    }
    const highest = page.at(-1)?.row.version ?? since;
    void user;
    return json(200, {
      cursor: `v1.${highest}`,
      hasMore: all.length > limit,
      lastSeq: this.lastSeq.get(clientId) ?? 0,
      serverTime: new Date(this.serverNow()).toISOString(),
      changes,
      removed,
    });
  }
}

/** A contractor row as the server would send it: active, tile, no contact details. */
export function contractorRow(id: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    userId: null,
    name: `Contractor ${id.slice(-1)}`,
    trade: 'tile',
    skills: [],
    rating: 4.5,
    status: 'active',
    phone: null,
    email: null,
    baseAddress: null,
    baseLat: null,
    baseLng: null,
    ...fields,
  };
}

/** An assignment row as the server would send it: 09:00–11:00 UTC on 21 November. */
export function assignmentRow(id: string, fields: { jobId: string; contractorId: string } & Record<string, unknown>) {
  return {
    id,
    status: 'pending',
    scheduledStart: '2026-11-21T09:00:00.000Z',
    scheduledEnd: '2026-11-21T11:00:00.000Z',
    cancellationReason: null,
    ...fields,
  };
}

/** A customer row as the server would send it: a name and nothing else. */
export function customerRow(id: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    name: `Customer ${id.slice(-1)}`,
    phone: null,
    email: null,
    address: null,
    lat: null,
    lng: null,
    notes: null,
    archived: false,
    ...fields,
  };
}

/** A job row as the server would send it. */
export function jobRow(id: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    jobNumber: 'JOB-20261121-AB12CD',
    title: 'Retile bathroom',
    description: null,
    customerId: null,
    trade: 'tile',
    priority: 'medium',
    status: 'scheduled',
    desiredDate: '2026-11-21',
    durationMinutes: 120,
    address: null,
    lat: null,
    lng: null,
    specialRequirements: [],
    requiredSkills: [],
    requiresSignature: false,
    parentJobId: null,
    agreedCostCents: null,
    actualCostCents: null,
    costDifferenceReason: null,
    createdBy: null,
    ...fields,
  };
}
