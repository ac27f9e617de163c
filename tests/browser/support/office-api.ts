/**
 * The office's side of a browser test, spoken over HTTP from Node: sign in as
 * a dispatcher, push mutations, pull everything. What another client of the
 * sync protocol would do.
 */
import { randomUUID } from 'node:crypto';
import { localDateTimeToUtc, utcToLocalDateTime } from '@fieldsync/domain';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { DEMO_PASSWORD } from './test-server';

/** The demo company's time zone; phones in the tests use it too, so "today" agrees. */
export const DEMO_TIME_ZONE = 'America/Denver';

type Row = Record<string, unknown> & { id: string };

export interface PushResult {
  seq: number;
  outcome: string;
  error?: { code: string; message: string };
}

async function requestJson(url: string, init: RequestInit & { token?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body) headers['content-type'] = 'application/json';
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs in over the API; returns the access token and user. */
export async function apiLogin(apiUrl: string, email: string): Promise<{ token: string; userId: string }> {
  const body = (await requestJson(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  })) as { accessToken: string; user: { id: string } };
  return { token: body.accessToken, userId: body.user.id };
}

/** A dispatcher (or any user) as a sync client of its own. */
export class OfficeClient {
  private readonly clientId = randomUUID();
  private nextSeq = 1;

  private constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    readonly userId: string,
  ) {}

  static async signIn(apiUrl: string, email = 'dispatcher1@example.com'): Promise<OfficeClient> {
    const { token, userId } = await apiLogin(apiUrl, email);
    return new OfficeClient(apiUrl, token, userId);
  }

  /** POSTs a JSON body to an API path as this user and returns the parsed answer. */
  async post(path: string, body: unknown = {}): Promise<unknown> {
    return requestJson(`${this.apiUrl}${path}`, { method: 'POST', token: this.token, body: JSON.stringify(body) });
  }

  /** GETs an API path as this user; the raw answer (bytes, headers), whatever its status. */
  async fetch(path: string): Promise<Response> {
    return fetch(`${this.apiUrl}${path}`, {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), authorization: `Bearer ${this.token}` },
    });
  }

  /** Pushes mutations in one batch and returns their results. */
  async push(mutations: Array<{ name: string; args: unknown; occurredAt?: string }>): Promise<PushResult[]> {
    const body = {
      clientId: this.clientId,
      mutations: mutations.map((mutation) => ({
        seq: this.nextSeq++,
        name: mutation.name,
        occurredAt: mutation.occurredAt ?? new Date().toISOString(),
        args: mutation.args,
      })),
    };
    const response = (await requestJson(`${this.apiUrl}/api/sync/push`, {
      method: 'POST',
      token: this.token,
      body: JSON.stringify(body),
    })) as { results: PushResult[] };
    return response.results;
  }

  /** Pushes and insists every mutation was applied. */
  async pushApplied(mutations: Array<{ name: string; args: unknown; occurredAt?: string }>): Promise<void> {
    const results = await this.push(mutations);
    const failed = results.filter((result) => result.outcome !== 'applied');
    if (failed.length) throw new Error(`Office push not applied: ${JSON.stringify(failed)}`);
  }

  /** Everything this user can see, by table and id (a full pull from the beginning). */
  async pullAll(): Promise<Map<string, Map<string, Row>>> {
    const tables = new Map<string, Map<string, Row>>();
    let cursor: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ clientId: this.clientId, limit: '1000', ...(cursor ? { cursor } : {}) });
      const page = (await requestJson(`${this.apiUrl}/api/sync/pull?${query}`, { token: this.token })) as {
        cursor: string;
        hasMore: boolean;
        changes: Record<string, Row[]>;
        removed: Record<string, string[]>;
      };
      for (const [table, rows] of Object.entries(page.changes)) {
        const byId = tables.get(table) ?? new Map<string, Row>();
        for (const row of rows) byId.set(row.id, row);
        tables.set(table, byId);
      }
      for (const [table, ids] of Object.entries(page.removed)) for (const id of ids) tables.get(table)?.delete(id);
      cursor = page.cursor;
      if (!page.hasMore) return tables;
    }
  }

  /** Rows of one table as a list. */
  async rows(table: string): Promise<Row[]> {
    return [...((await this.pullAll()).get(table)?.values() ?? [])];
  }
}

/**
 * Invites a contractor as the demo admin and accepts the invite over the API,
 * as the invite link would: a contractor of their own (no bookings), with
 * working hours every day 06:00–22:00, who can sign in with `password`.
 */
export async function invitedContractor(
  apiUrl: string,
  person: { name: string; email: string; trade: string; password: string },
): Promise<{ userId: string; contractorId: string }> {
  const admin = await OfficeClient.signIn(apiUrl, 'admin@example.com');
  const userId = randomUUID();
  const contractorId = randomUUID();
  await admin.pushApplied([
    {
      name: 'user.invite',
      args: {
        id: userId,
        email: person.email,
        name: person.name,
        role: 'contractor',
        contractor: { id: contractorId, trade: person.trade, baseLat: 39.7392, baseLng: -104.9903 },
      },
    },
    {
      name: 'workingHours.set',
      args: {
        contractorId,
        days: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, start: '06:00', end: '22:00' })),
      },
    },
  ]);
  const { token } = (await admin.post(`/api/users/${userId}/invite-link`)) as { token: string };
  await requestJson(`${apiUrl}/api/auth/accept-invite`, {
    method: 'POST',
    body: JSON.stringify({ token, password: person.password }),
  });
  return { userId, contractorId };
}

/** Today's date in the demo company's time zone, `YYYY-MM-DD`. */
export function todayInDemoZone(now = new Date()): string {
  return utcToLocalDateTime(now.toISOString(), DEMO_TIME_ZONE).date;
}

export interface CreatedJob {
  jobId: string;
  assignmentId: string;
  materialIds: string[];
  title: string;
}

/**
 * The office books a job for a demo contractor today at `time` (local, before
 * the seeded 08:00 start so it never double-books), with materials.
 */
export async function bookJobFor(
  office: OfficeClient,
  options: {
    contractorEmail: string;
    title: string;
    time: string;
    durationMinutes?: number;
    materials?: Array<[string, number, string]>;
    specialRequirements?: string[];
    note?: string;
    startJob?: boolean;
    requiresSignature?: boolean;
    /** When it all happened (default now): a job booked, and maybe started, earlier today. */
    occurredAt?: string;
  },
): Promise<CreatedJob> {
  const everything = await office.pullAll();
  const contractor = [...(everything.get('contractors')?.values() ?? [])].find(
    (row) => row.email === options.contractorEmail,
  );
  if (!contractor) throw new Error(`No contractor ${options.contractorEmail}`);
  const customer = [...(everything.get('customers')?.values() ?? [])].find((row) => row.phone && row.address);
  if (!customer) throw new Error('No customer with phone and address in the demo data');

  const today = todayInDemoZone();
  const start = localDateTimeToUtc(today, options.time, DEMO_TIME_ZONE);
  const durationMinutes = options.durationMinutes ?? 60;
  const end = new Date(Date.parse(start) + durationMinutes * 60_000).toISOString();
  const jobId = randomUUID();
  const assignmentId = randomUUID();
  const materialIds = (options.materials ?? []).map(() => randomUUID());
  const mutations: Array<{ name: string; args: unknown }> = [
    {
      name: 'job.create',
      args: {
        id: jobId,
        title: options.title,
        description: 'Booked by the browser test: check the whole room before starting.',
        customerId: customer.id,
        trade: contractor.trade,
        priority: 'high',
        desiredDate: today,
        durationMinutes,
        address: customer.address,
        specialRequirements: options.specialRequirements ?? [],
        ...(options.requiresSignature ? { requiresSignature: true } : {}),
      },
    },
    { name: 'assignment.create', args: { id: assignmentId, jobId, contractorId: contractor.id, start, end } },
    ...(options.materials ?? []).map(([itemName, quantity, unit], index) => ({
      name: 'material.add',
      args: { id: materialIds[index], jobId, itemName, quantity, unit },
    })),
    ...(options.note ? [{ name: 'note.add', args: { id: randomUUID(), jobId, body: options.note } }] : []),
    ...(options.startJob ? [{ name: 'job.setStatus', args: { jobId, from: 'scheduled', to: 'in_progress' } }] : []),
  ];
  await office.pushApplied(mutations.map((mutation) => ({ ...mutation, occurredAt: options.occurredAt })));
  return { jobId, assignmentId, materialIds, title: options.title };
}
