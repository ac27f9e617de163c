/**
 * A protocol-level device for the fault tests: its own client id, seq counter
 * and outbox, a copy of its data kept by incremental pulls, and a list of
 * server instances to fail over between. It speaks HTTP like the app does
 * (no browser, no IndexedDB), so a test can see every push and its answer.
 *
 * It only makes changes that are legal for its person and that nobody else
 * makes (see `workOf`), so every change it sends must come back `applied`:
 * anything else is something lost or doubled on the way.
 */
import { randomUUID } from 'node:crypto';
import { SYNCED_TABLES } from '@fieldsync/domain';
import {
  type MutationOutcome,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PushMutation,
  pullEnvelopeSchema,
  pushResponseSchema,
} from '@fieldsync/protocol';

export type Row = Record<string, unknown> & { id: string };
/** Rows by table (wire name), then by id. */
export type TableData = Map<string, Map<string, Row>>;

const LIVE_ASSIGNMENT = new Set(['pending', 'confirmed', 'in_progress']);
/** The move a contractor makes next on a job of theirs in each status (all legal for them). */
const CONTRACTOR_NEXT_STATUS: Record<string, string> = {
  scheduled: 'in_progress',
  in_progress: 'on_hold',
  on_hold: 'in_progress',
  waiting_on_materials: 'in_progress',
};

/** mulberry32: a small seeded PRNG, so a device's choices repeat run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function emptyTables(): TableData {
  return new Map(SYNCED_TABLES.map((table) => [table, new Map<string, Row>()]));
}

/** Lays one pull page over `data`: changed rows replace, removed ids go. */
export function applyPullPage(
  data: TableData,
  page: { changes: Record<string, Row[]>; removed: Record<string, string[]> },
): void {
  for (const [table, rows] of Object.entries(page.changes)) for (const row of rows) data.get(table)?.set(row.id, row);
  for (const [table, ids] of Object.entries(page.removed)) for (const id of ids) data.get(table)?.delete(id);
}

/** Row-by-row differences between two copies, in plain lines (empty when equal). */
export function differences(have: TableData, want: TableData): string[] {
  const problems: string[] = [];
  for (const table of SYNCED_TABLES) {
    const haveRows = have.get(table) ?? new Map<string, Row>();
    const wantRows = want.get(table) ?? new Map<string, Row>();
    for (const [id, row] of wantRows) {
      const mine = haveRows.get(id);
      if (!mine) problems.push(`${table} ${id}: missing`);
      else if (JSON.stringify(sortedKeys(mine)) !== JSON.stringify(sortedKeys(row))) {
        problems.push(`${table} ${id}: differs: ${JSON.stringify(mine)} != ${JSON.stringify(row)}`);
      }
    }
    for (const id of haveRows.keys()) if (!wantRows.has(id)) problems.push(`${table} ${id}: extra`);
  }
  return problems;
}

function sortedKeys(row: Row): Row {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))) as Row;
}

/** What a device works on: its jobs with their status, and those jobs' materials with their tick. */
export interface Work {
  jobStatus: Map<string, string>;
  purchased: Map<string, boolean>;
  /** Whether this person moves job statuses (contractors on their own jobs). */
  movesStatus: boolean;
}

/**
 * The jobs a person may change without racing anyone else in the test:
 * a contractor's jobs that only they hold a live assignment on (in a status
 * they can move), the office's open jobs that nobody is assigned to.
 */
export function workOf(data: TableData, user: { id: string; role: string }): Work {
  const rows = (table: string) => [...(data.get(table)?.values() ?? [])];
  const liveHolders = new Map<string, Set<string>>();
  for (const assignment of rows('assignments')) {
    if (!LIVE_ASSIGNMENT.has(String(assignment.status))) continue;
    const holders = liveHolders.get(String(assignment.jobId)) ?? new Set<string>();
    holders.add(String(assignment.contractorId));
    liveHolders.set(String(assignment.jobId), holders);
  }
  const contractorId = rows('contractors').find((contractor) => contractor.userId === user.id)?.id;
  const mine = (job: Row) => {
    const holders = liveHolders.get(job.id);
    if (user.role === 'contractor') {
      return holders?.size === 1 && holders.has(String(contractorId)) && String(job.status) in CONTRACTOR_NEXT_STATUS;
    }
    return job.status === 'open' && !holders;
  };
  const jobs = rows('jobs').filter(mine);
  const jobIds = new Set(jobs.map((job) => job.id));
  return {
    jobStatus: new Map(jobs.map((job) => [job.id, String(job.status)])),
    purchased: new Map(
      rows('materials')
        .filter((material) => jobIds.has(String(material.jobId)))
        .map((material) => [material.id, material.purchased === true]),
    ),
    movesStatus: user.role === 'contractor',
  };
}

export interface DeviceStats {
  /** Push requests answered 200. */
  pushesAnswered: number;
  /** Push requests that failed on the wire (reset, refused) and were sent again, same seqs. */
  pushesRetried: number;
  /**
   * Of those, pushes that failed on a connection the instance had open (it died
   * with the push in flight, or with the kept-alive socket idle) rather than refused.
   */
  pushesCut: number;
  /** Mutations inside those resent pushes. */
  mutationsRetried: number;
  /** Answers of `duplicate`: the first attempt had committed, its answer was lost. */
  duplicatesAnswered: number;
  /** Moves to another instance after a failed request. */
  failovers: number;
  pulls: number;
}

/** An answer that says "not now" (a `503`, e.g. `db_unavailable` in an outage), after which the device keeps its changes. */
export interface Refusal {
  request: 'push' | 'pull';
  status: number;
  /** The error body's `code`, when it had one. */
  code: string | undefined;
  /** The `Retry-After` header, as sent. */
  retryAfter: string | null;
  /** Milliseconds from sending to having the whole answer. */
  ms: number;
  /** `performance.now()` when the answer arrived. */
  at: number;
}

export interface ProtocolDeviceOptions {
  email: string;
  password: string;
  /** Server instances in the order the device tries them. */
  urls: string[];
  seed: number;
}

const JSON_HEADERS = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/json' };
/** Wire failures in a row before a request gives up (every instance down is the test's failure). */
const MAX_WIRE_FAILURES = 6;

export class ProtocolDevice {
  readonly clientId = randomUUID();
  /** Highest seq handed out; seqs run 1, 2, 3 … without gaps. */
  seq = 0;
  outbox: PushMutation[] = [];
  /** The outcome the server gave each seq (for a `duplicate`, the one it recorded first). */
  readonly outcomes = new Map<number, MutationOutcome | 'duplicate'>();
  /** The device's copy, kept only by pulls. */
  readonly data = emptyTables();
  /** What the device meant its jobs and materials to be, updated as it queues changes. */
  work: Work = { jobStatus: new Map(), purchased: new Map(), movesStatus: false };
  readonly noteIds: string[] = [];
  readonly stats: DeviceStats = {
    pushesAnswered: 0,
    pushesRetried: 0,
    pushesCut: 0,
    mutationsRetried: 0,
    duplicatesAnswered: 0,
    failovers: 0,
    pulls: 0,
  };
  /** Instance that answered the last request. */
  answeredBy: string | undefined;
  /** Set the first time a request failed on the wire. */
  failedOver = false;
  /** Every `503` a push or pull was answered with (by the `…UnlessUnavailable` methods), in order. */
  readonly refusals: Refusal[] = [];
  user: { id: string; role: string } = { id: '', role: '' };
  accessToken = '';
  urls: string[];
  private current = 0;
  private cursor: string | undefined;
  private readonly random: () => number;

  constructor(readonly options: ProtocolDeviceOptions) {
    this.urls = [...options.urls];
    this.random = prng(options.seed);
  }

  /** Sends requests to `url` first from now on (e.g. an instance back after a restart). */
  prefer(url: string): void {
    this.urls = [url, ...this.urls.filter((other) => other !== url)];
    this.current = 0;
  }

  async signIn(): Promise<void> {
    const answer = await this.request('/api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: this.options.email, password: this.options.password }),
    });
    if (answer.status !== 200) throw new Error(`sign-in as ${this.options.email}: ${answer.status} ${answer.text}`);
    const session = JSON.parse(answer.text) as { accessToken: string; user: { id: string; role: string } };
    this.accessToken = session.accessToken;
    this.user = session.user;
  }

  /** Pulls from the last cursor until there is no more. */
  async pull(): Promise<void> {
    this.cursor = await pullInto(this.data, (path) => this.getJson(path), this.clientId, this.cursor);
    this.stats.pulls++;
  }

  /** Takes the work from the copy as pulled (call after the first pull). */
  chooseWork(): void {
    this.work = workOf(this.data, this.user);
  }

  /** Queues a batch of 1 to `most` changes, its size drawn from the device's seed. */
  queueBatch(most = 10): void {
    this.queueChanges(1 + Math.floor(this.random() * most));
  }

  /** Queues `count` legal changes on the device's own work, as screens would. */
  queueChanges(count: number): void {
    for (let i = 0; i < count; i++) {
      const change = this.nextChange();
      if (!change) return;
      this.outbox.push({ seq: ++this.seq, occurredAt: new Date().toISOString(), ...change });
    }
  }

  private nextChange(): { name: string; args: Record<string, unknown> } | undefined {
    const jobs = [...this.work.jobStatus.keys()];
    const materials = [...this.work.purchased.keys()];
    if (jobs.length === 0) return undefined;
    const draw = this.random();
    if (draw < 0.3 && materials.length > 0) {
      const id = this.pick(materials);
      const purchased = !this.work.purchased.get(id);
      this.work.purchased.set(id, purchased);
      return { name: 'material.setPurchased', args: { id, purchased } };
    }
    if (draw < 0.6 && this.work.movesStatus) {
      const jobId = this.pick(jobs);
      const from = this.work.jobStatus.get(jobId) as string;
      const to = CONTRACTOR_NEXT_STATUS[from] as string;
      this.work.jobStatus.set(jobId, to);
      return { name: 'job.setStatus', args: { jobId, from, to } };
    }
    const id = randomUUID();
    this.noteIds.push(id);
    const body = `Note ${this.noteIds.length} from ${this.options.email}.`;
    return { name: 'note.add', args: { id, jobId: this.pick(jobs), body } };
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  /**
   * Pushes the whole outbox. When the request fails on the wire (the
   * instance died mid-answer, or refuses connections) the very same batch,
   * same seqs, goes to the next instance: whether the first attempt
   * committed or not, the server must end with exactly one outcome each.
   */
  async pushOutbox(): Promise<void> {
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    const answer = await this.request(
      '/api/sync/push',
      { method: 'POST', body: JSON.stringify({ clientId: this.clientId, mutations: batch }) },
      (refused) => {
        this.stats.pushesRetried++;
        if (!refused) this.stats.pushesCut++;
        this.stats.mutationsRetried += batch.length;
      },
    );
    if (answer.status !== 200) throw new Error(`push from ${this.options.email}: ${answer.status} ${answer.text}`);
    this.takePushAnswer(answer.text);
  }

  /**
   * Like `pushOutbox`, except that a `503` (the server cannot reach its
   * database) is not a failure: the device keeps its outbox as it was, to
   * send again later with the same seqs, records the refusal and answers
   * false. True once the push was answered.
   */
  async pushOutboxUnlessUnavailable(): Promise<boolean> {
    if (this.outbox.length === 0) return true;
    const batch = this.outbox;
    const sentAt = performance.now();
    const answer = await this.request(
      '/api/sync/push',
      { method: 'POST', body: JSON.stringify({ clientId: this.clientId, mutations: batch }) },
      (refused) => {
        this.stats.pushesRetried++;
        if (!refused) this.stats.pushesCut++;
        this.stats.mutationsRetried += batch.length;
      },
    );
    if (answer.status === 503) {
      this.recordRefusal('push', answer, sentAt);
      return false;
    }
    if (answer.status !== 200) throw new Error(`push from ${this.options.email}: ${answer.status} ${answer.text}`);
    // Changes queued while the push was out stay for the next one.
    this.outbox = this.outbox.slice(batch.length);
    this.takePushAnswer(answer.text, false);
    return true;
  }

  /** Like `pull`, except that a `503` is recorded and answered false (the cursor stays where it was). */
  async pullUnlessUnavailable(): Promise<boolean> {
    let refusal: { answer: { status: number; text: string; headers: Headers }; sentAt: number } | undefined;
    const cursor = await pullInto(
      this.data,
      async (path) => {
        const sentAt = performance.now();
        const answer = await this.request(path, { method: 'GET' });
        if (answer.status === 503) {
          refusal = { answer, sentAt };
          throw new Error('503');
        }
        if (answer.status !== 200) {
          throw new Error(`GET ${path} as ${this.options.email}: ${answer.status} ${answer.text}`);
        }
        return JSON.parse(answer.text);
      },
      this.clientId,
      this.cursor,
    ).catch((error: unknown) => {
      if (refusal) return undefined;
      throw error;
    });
    if (refusal) {
      this.recordRefusal('pull', refusal.answer, refusal.sentAt);
      return false;
    }
    this.cursor = cursor;
    this.stats.pulls++;
    return true;
  }

  private recordRefusal(
    request: Refusal['request'],
    answer: { status: number; text: string; headers: Headers },
    sentAt: number,
  ) {
    let code: string | undefined;
    try {
      code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    const at = performance.now();
    this.refusals.push({
      request,
      status: answer.status,
      code,
      retryAfter: answer.headers.get('retry-after'),
      ms: at - sentAt,
      at,
    });
  }

  /** Records the outcome of each seq in a push's answer; `pushOutbox` also empties the outbox. */
  private takePushAnswer(text: string, emptyOutbox = true) {
    const { results } = pushResponseSchema.parse(JSON.parse(text));
    for (const result of results) {
      if (result.outcome === 'duplicate') this.stats.duplicatesAnswered++;
      this.outcomes.set(
        result.seq,
        result.outcome === 'duplicate' ? (result.recorded?.outcome ?? 'duplicate') : result.outcome,
      );
    }
    this.stats.pushesAnswered++;
    if (emptyOutbox) this.outbox = [];
  }

  private async getJson(path: string): Promise<unknown> {
    const answer = await this.request(path, { method: 'GET' });
    if (answer.status !== 200) throw new Error(`GET ${path} as ${this.options.email}: ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text);
  }

  /** One request, sent again to the next instance when it fails on the wire; any HTTP answer is returned. */
  private async request(
    path: string,
    init: { method: string; body?: string },
    onResend?: (refused: boolean) => void,
  ): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    for (let failures = 0; ; failures++) {
      const url = this.urls[this.current] as string;
      try {
        const response = await fetch(`${url}${path}`, { ...init, headers });
        const text = await response.text();
        this.answeredBy = url;
        return { status: response.status, text, headers: response.headers };
      } catch (error) {
        if (failures + 1 >= MAX_WIRE_FAILURES) throw error;
        this.failedOver = true;
        this.stats.failovers++;
        this.current = (this.current + 1) % this.urls.length;
        onResend?.(wireErrorCode(error) === 'ECONNREFUSED');
      }
    }
  }
}

/** The system error under fetch's `TypeError: fetch failed` (e.g. `ECONNREFUSED`, `ECONNRESET`). */
function wireErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Follows pull pages from `cursor` into `data`; returns the cursor to continue from. */
export async function pullInto(
  data: TableData,
  getJson: (path: string) => Promise<unknown>,
  clientId: string,
  cursor: string | undefined,
): Promise<string> {
  for (;;) {
    const query = new URLSearchParams({ clientId, limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const page = pullEnvelopeSchema.parse(await getJson(`/api/sync/pull?${query}`));
    applyPullPage(data, page as { changes: Record<string, Row[]>; removed: Record<string, string[]> });
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

/** Everything `accessToken`'s person may see, by a pull from the beginning under a new client id. */
export async function freshFullPull(url: string, accessToken: string): Promise<TableData> {
  const data = emptyTables();
  await pullInto(
    data,
    async (path) => {
      const response = await fetch(`${url}${path}`, {
        headers: { ...JSON_HEADERS, authorization: `Bearer ${accessToken}` },
      });
      if (response.status !== 200) throw new Error(`fresh pull: ${response.status} ${await response.text()}`);
      return response.json();
    },
    randomUUID(),
    undefined,
  );
  return data;
}
