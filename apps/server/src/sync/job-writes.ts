/**
 * The one way a push's handlers read and write the rows a phone changes most:
 * a job's status, materials (added and ticked) and notes. Two
 * implementations: direct (`DirectJobWrites`, here: each call is a statement
 * in the mutation's transaction or savepoint) and held (`WriteBehind`: reads
 * once, writes at the end of the push). The push picks one (see
 * `push-writes.ts`); handlers never ask which.
 */
import { randomUUID } from 'node:crypto';
import type { JobAccess, JobStatus } from '@fieldsync/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/database';
import { pipelined } from '../db/pipelined';
import { jobNotes, jobStatusHistory, jobs, materials } from '../db/schema';
import { insertCreated } from './idempotent-create';
import type { HandlerOutcome } from './mutation-context';

/** A job as a status move sees it. */
export interface JobForWrite {
  status: JobStatus;
}

/** A material as a tick sees it. */
export interface MaterialForWrite {
  jobId: string;
  itemName: string;
  purchased: boolean;
}

/** One status move of a job, with what its status-history row records. */
export interface JobMove {
  orgId: string;
  jobId: string;
  from: JobStatus;
  to: JobStatus;
  changedBy: string;
  reason: string | null;
  /** On the device; the history row never reads before the job's latest move. */
  occurredAt: string;
  recordedAt: string;
  clientId: string;
  seq: number;
}

/** A material's tick: who bought it and when, or none of that when unticked. */
export interface Purchase {
  purchased: boolean;
  purchasedBy: string | null;
  purchasedAt: string | null;
}

/** A note as it is stored. */
export interface NewNote {
  orgId: string;
  id: string;
  jobId: string;
  authorId: string;
  body: string;
  occurredAt: string;
  recordedAfterCancellation: boolean;
}

/** A material as it is added. */
export interface NewMaterial {
  orgId: string;
  id: string;
  jobId: string;
  itemName: string;
  quantity: number;
  unit: string;
  /**
   * As sent: undefined when the phone sent none. Stored as null then, and not
   * compared with a row already under this id (see `insertCreated`).
   */
  notes?: string | null;
  addedBy: string;
  recordedAfterCancellation: boolean;
}

/**
 * Reads and writes of the rows a phone changes most. Reads row-lock what they
 * return. A throw from a write is a database failure: the push then replays
 * with a savepoint per mutation, which charges it to the one that caused it.
 */
export interface JobWrites {
  /**
   * True when writes wait in memory until the push writes them together, so a
   * mutation refused before it returns has nothing to undo.
   */
  readonly held: boolean;
  /** The job, row-locked; undefined when it does not exist or was deleted. */
  job(jobId: string): Promise<JobForWrite | undefined>;
  /** The material, row-locked; undefined when it does not exist or was removed. */
  material(materialId: string): Promise<MaterialForWrite | undefined>;
  /** How the pushing contractor stands on a job; `ask` looks it up (held writes ask once per job). */
  jobAccess(jobId: string, ask: () => Promise<JobAccess>): Promise<JobAccess>;
  /** Moves the job to `move.to` and adds its status-history row. */
  moveJob(move: JobMove): Promise<void>;
  /** Ticks or unticks a material. */
  setPurchased(materialId: string, purchase: Purchase): Promise<void>;
  /** Adds a note; an id already taken is a duplicate or an id conflict (see `insertCreated`). */
  addNote(note: NewNote): Promise<HandlerOutcome>;
  /**
   * Adds a material; an id already taken is a duplicate when the row holds
   * what was sent (job, item, quantity, unit, notes if sent), else an id
   * conflict (see `insertCreated`).
   */
  addMaterial(material: NewMaterial): Promise<HandlerOutcome>;
}

/** Each call one statement (or a pipelined few) in `tx`: for savepoints, and for changes that cannot be held. */
export class DirectJobWrites implements JobWrites {
  readonly held = false;

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
  ) {}

  async job(jobId: string): Promise<JobForWrite | undefined> {
    const [job] = await this.tx
      .select({ status: jobs.status })
      .from(jobs)
      .where(and(eq(jobs.orgId, this.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)))
      .for('no key update');
    return job && { status: job.status as JobStatus };
  }

  async material(materialId: string): Promise<MaterialForWrite | undefined> {
    const [material] = await this.tx
      .select({ jobId: materials.jobId, itemName: materials.itemName, purchased: materials.purchased })
      .from(materials)
      .where(and(eq(materials.orgId, this.orgId), eq(materials.id, materialId), isNull(materials.deletedAt)))
      .for('no key update');
    return material;
  }

  jobAccess(_jobId: string, ask: () => Promise<JobAccess>): Promise<JobAccess> {
    return ask();
  }

  async moveJob(move: JobMove): Promise<void> {
    // Independent statements, sent together (see pipelined).
    await pipelined(
      this.tx
        .update(jobs)
        .set({ status: move.to })
        .where(and(eq(jobs.orgId, move.orgId), eq(jobs.id, move.jobId))),
      this.tx.insert(jobStatusHistory).values({
        orgId: move.orgId,
        id: randomUUID(),
        jobId: move.jobId,
        fromStatus: move.from,
        toStatus: move.to,
        changedBy: move.changedBy,
        reason: move.reason,
        // Never before the job's latest transition: a change made offline earlier but applied after
        // another device's later one starts from that one's status, so the timeline must read it after.
        occurredAt: sql`greatest(${move.occurredAt}::timestamptz, (select max(h.occurred_at) from job_status_history h
          where h.org_id = ${move.orgId} and h.job_id = ${move.jobId}))`,
        recordedAt: move.recordedAt,
        clientId: move.clientId,
        seq: move.seq,
      }),
    );
  }

  async setPurchased(materialId: string, purchase: Purchase): Promise<void> {
    await this.tx
      .update(materials)
      .set(purchase)
      .where(and(eq(materials.orgId, this.orgId), eq(materials.id, materialId)));
  }

  addNote(note: NewNote): Promise<HandlerOutcome> {
    return insertCreated(this.tx, this.orgId, jobNotes, { ...note }, { jobId: note.jobId, body: note.body });
  }

  addMaterial(material: NewMaterial): Promise<HandlerOutcome> {
    const { jobId, itemName, quantity, unit, notes } = material;
    return insertCreated(
      this.tx,
      this.orgId,
      materials,
      { ...material, notes: notes ?? null },
      { jobId, itemName, quantity, unit, notes },
    );
  }
}
