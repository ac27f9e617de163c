/**
 * One simulated device: the real client library on its own fake IndexedDB,
 * whose `fetch` reaches the real server through a fault-injecting wrapper.
 */

import type { MutationName } from '@fieldsync/protocol';
import { TEST_PASSWORD } from '@fieldsync/server/testing';
import {
  AuthError,
  createFieldsyncClient,
  type FetchLike,
  type FieldsyncClient,
  type MutateArgs,
  MutationRefusedError,
} from '@fieldsync/web/sync';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { HarnessClock, HarnessServer } from './harness-server';

/** What the wrapper does to one request. */
export type Fault = 'none' | 'fail_before' | 'lose_response' | 'duplicate';

export interface HarnessStats {
  operations: number;
  mutations: number;
  refusals: number;
  refusalCodes: Record<string, number>;
  pushes: number;
  pulls: number;
  faults: Record<Exclude<Fault, 'none'> | 'offline', number>;
  restarts: number;
  reloads: number;
  signIns: number;
  /** Sessions that ended mid-run (the harness signed in again). */
  sessionsEnded: number;
  engineErrors: number;
}

export function emptyStats(): HarnessStats {
  return {
    operations: 0,
    mutations: 0,
    refusals: 0,
    refusalCodes: {},
    pushes: 0,
    pulls: 0,
    faults: { offline: 0, fail_before: 0, lose_response: 0, duplicate: 0 },
    restarts: 0,
    reloads: 0,
    signIns: 0,
    sessionsEnded: 0,
    engineErrors: 0,
  };
}

/** mulberry32: a small seeded PRNG, so fault draws repeat with the schedule. */
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

export interface QueuedMutation {
  clientId: string;
  seq: number;
  name: string;
}

export class Device {
  readonly idb = new IDBFactory();
  client: FieldsyncClient;
  online = true;
  /** Chance that a request reaching the wrapper gets a fault. */
  faultRate = 0;
  readonly queued: QueuedMutation[] = [];
  /** Set to close this client right after the server answers the next request (a reload mid-sync). */
  private reloadOnAnswer: (() => Promise<void>) | undefined;
  private readonly random: () => number;
  readonly engineErrors: unknown[] = [];

  constructor(
    readonly name: string,
    readonly email: string,
    readonly role: 'dispatcher' | 'contractor',
    private readonly server: HarnessServer,
    private readonly clock: HarnessClock,
    readonly skewMs: number,
    seed: number,
    private readonly stats: HarnessStats,
  ) {
    this.random = prng(seed);
    this.client = this.open();
  }

  readonly dbName = 'fieldsync';

  private open(): FieldsyncClient {
    return createFieldsyncClient({
      baseUrl: '',
      dbName: this.dbName,
      fetch: this.fetch,
      now: () => this.clock.now() + this.skewMs,
      random: this.random,
      eventSource: null,
      locks: null,
      storage: null,
      indexedDB: this.idb,
      IDBKeyRange,
      logger: {
        warn: () => {},
        error: (_message, ...details) => {
          this.stats.engineErrors++;
          this.engineErrors.push(details[0]);
        },
      },
    });
  }

  /** The fault-injecting transport: offline, fail before, lose the answer after commit, send twice. */
  private readonly fetch: FetchLike = async (url, init) => {
    if (!this.online) {
      this.stats.faults.offline++;
      throw new TypeError('fetch failed');
    }
    const fault = this.drawFault();
    const send = async () => {
      if (url.startsWith('/api/sync/push')) this.stats.pushes++;
      if (url.startsWith('/api/sync/pull')) this.stats.pulls++;
      const response = await globalThis.fetch(`${this.server.url()}${url}`, init);
      const text = await response.text();
      return { status: response.status, ok: response.ok, text: async () => text };
    };
    if (fault === 'fail_before') {
      this.stats.faults.fail_before++;
      throw new TypeError('fetch failed');
    }
    let answer = await send();
    if (fault === 'duplicate') {
      this.stats.faults.duplicate++;
      answer = await send();
    }
    const reload = this.reloadOnAnswer;
    if (reload) {
      this.reloadOnAnswer = undefined;
      await reload();
    }
    if (fault === 'lose_response') {
      this.stats.faults.lose_response++;
      throw new TypeError('fetch failed');
    }
    return answer;
  };

  private drawFault(): Fault {
    if (this.faultRate === 0 || this.random() >= this.faultRate) return 'none';
    const kinds: Fault[] = ['fail_before', 'lose_response', 'duplicate'];
    return kinds[Math.floor(this.random() * kinds.length)] ?? 'none';
  }

  async signIn(): Promise<void> {
    this.stats.signIns++;
    await this.client.signIn(this.email, TEST_PASSWORD);
  }

  async clientId(): Promise<string> {
    const entry = await this.client.db.meta.get('clientId');
    if (typeof entry?.value !== 'string') throw new Error(`${this.name} has no client id`);
    return entry.value;
  }

  /** A change through `mutate`, as a screen makes it; a local refusal is counted, anything else throws. */
  async mutate<N extends MutationName>(name: N, args: MutateArgs<N>): Promise<boolean> {
    try {
      const { seq } = await this.client.mutate(name, args);
      this.queued.push({ clientId: await this.clientId(), seq, name });
      this.stats.mutations++;
      return true;
    } catch (error) {
      if (!(error instanceof MutationRefusedError)) throw error;
      this.stats.refusals++;
      this.stats.refusalCodes[`${name}:${error.code}`] = (this.stats.refusalCodes[`${name}:${error.code}`] ?? 0) + 1;
      return false;
    }
  }

  /**
   * `syncNow`, as the app's triggers call it. When the session has ended (e.g. a
   * refresh whose answer was lost: the server then sees the old refresh token
   * reused and ends the session) the person signs in again, as the app asks.
   */
  async sync(): Promise<void> {
    if (this.client.getState().needsSignIn && this.online) await this.signInAgain();
    await this.client.syncNow();
    if (this.client.getState().needsSignIn && this.online) {
      this.stats.sessionsEnded++;
      await this.signInAgain();
      await this.client.syncNow();
    }
  }

  private async signInAgain(): Promise<void> {
    try {
      await this.signIn();
    } catch (error) {
      // A fault took the sign-in request: the person tries again at the next sync.
      if (!(error instanceof AuthError && error.code === 'network')) throw error;
    }
  }

  /**
   * Starts a sync and closes the client (a reload) right after the server
   * answers its first request, before the engine can save the answer; then
   * opens a new client on the same database. It must carry on with the same
   * client id and outbox.
   */
  async reloadMidSync(): Promise<void> {
    let before: { clientId: string; outbox: number[] } | undefined;
    const capture = async () => {
      before = { clientId: await this.clientId(), outbox: (await this.client.db.outbox.toArray()).map((e) => e.seq) };
      this.client.close();
    };
    this.reloadOnAnswer = capture;
    await this.client.syncNow();
    if (this.reloadOnAnswer) {
      // Offline or no request made: reload after the attempt instead.
      this.reloadOnAnswer = undefined;
      await capture();
    }
    // The closed database fails the engine's next write: expected of a reload, not counted as an error.
    const all = this.engineErrors.splice(0);
    const kept = all.filter((error) => !isDatabaseClosed(error));
    this.engineErrors.push(...kept);
    this.stats.engineErrors -= all.length - kept.length;
    this.client = this.open();
    this.stats.reloads++;
    const after = {
      clientId: await this.clientId(),
      outbox: (await this.client.db.outbox.toArray()).map((e) => e.seq),
    };
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      throw new Error(`${this.name} lost its identity or outbox on reload: ${JSON.stringify({ before, after })}`);
    }
  }
}

function isDatabaseClosed(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'DatabaseClosedError';
}
