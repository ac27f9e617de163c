/**
 * Write-behind for the changes a phone queues most: status moves, materials
 * added and ticked, and notes. A day offline replays as dozens of these on the
 * same job; written one by one, each costs a row lock, an update and an
 * insert, and the job row gains a new version per move. Held here instead,
 * the push reads the rows once, applies every move to them in memory with the
 * same rules, and writes the outcome together: one update per row and one
 * insert per table.
 *
 * It is the held implementation of `JobWrites` (job-writes.ts). Only pushes
 * running without savepoints use it (see push-writes.ts): should a held write
 * fail when written, the push is replayed change by change, so the failure is
 * charged to the one mutation that caused it.
 */
import { randomUUID } from 'node:crypto';
import type { JobAccess, JobStatus } from '@fieldsync/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/database';
import { pipelined } from '../db/pipelined';
import { jobs, materials } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import type { JobForWrite, JobMove, JobWrites, MaterialForWrite, NewMaterial, NewNote, Purchase } from './job-writes';
import { APPLIED, type HandlerOutcome } from './mutation-context';

/** The rows a push locked before applying anything, as the database answered (see `lockTouchedRows`). */
export interface LockedRows {
  jobs: Array<{ id: string; status: string; deleted: boolean; latest_status_at: string | null }>;
  materials: Array<{ id: string; job_id: string; item_name: string; purchased: boolean; deleted: boolean }>;
}

/** A job as the push sees it: its status, and the latest time on its timeline. */
interface HeldJob extends JobForWrite {
  /** Latest `occurred_at` in its status history (ISO), if any. */
  latestStatusAt: string | undefined;
}

interface HistoryRow {
  org_id: string;
  id: string;
  job_id: string;
  from_status: string;
  to_status: string;
  changed_by: string;
  reason: string | null;
  occurred_at: string;
  recorded_at: string;
  client_id: string;
  seq: number;
}

interface PurchaseRow {
  id: string;
  purchased: boolean;
  purchased_by: string | null;
  purchased_at: string | null;
}

interface MaterialRow {
  org_id: string;
  id: string;
  job_id: string;
  item_name: string;
  quantity: number;
  unit: string;
  notes: string | null;
  added_by: string;
  recorded_after_cancellation: boolean;
}

interface NoteRow {
  org_id: string;
  id: string;
  job_id: string;
  author_id: string;
  body: string;
  occurred_at: string;
  recorded_after_cancellation: boolean;
}

export class WriteBehind implements JobWrites {
  readonly held = true;
  private readonly jobs = new Map<string, HeldJob | undefined>();
  private readonly materials = new Map<string, MaterialForWrite | undefined>();
  private readonly access = new Map<string, Promise<JobAccess>>();
  private readonly statusWrites = new Map<string, JobStatus>();
  private readonly historyRows: HistoryRow[] = [];
  private readonly materialRows: MaterialRow[] = [];
  private readonly purchaseWrites = new Map<string, PurchaseRow>();
  private readonly noteRows: NoteRow[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
    locked: LockedRows,
  ) {
    for (const job of locked.jobs) {
      this.jobs.set(
        job.id,
        job.deleted
          ? undefined
          : {
              status: job.status as JobStatus,
              latestStatusAt: job.latest_status_at ? toIsoTimestamp(job.latest_status_at) : undefined,
            },
      );
    }
    for (const material of locked.materials) {
      this.materials.set(
        material.id,
        material.deleted
          ? undefined
          : { jobId: material.job_id, itemName: material.item_name, purchased: material.purchased },
      );
    }
  }

  /** The job, row-locked on first sight; undefined when it does not exist or was deleted. */
  async job(jobId: string): Promise<Readonly<HeldJob> | undefined> {
    if (!this.jobs.has(jobId)) {
      const [row] = await this.tx
        .select({
          status: jobs.status,
          latestStatusAt: sql<string | null>`(select max(h.occurred_at) from job_status_history h
            where h.org_id = ${this.orgId} and h.job_id = ${jobId})`,
        })
        .from(jobs)
        .where(and(eq(jobs.orgId, this.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)))
        .for('no key update');
      this.jobs.set(
        jobId,
        row && {
          status: row.status as JobStatus,
          latestStatusAt: row.latestStatusAt ? toIsoTimestamp(row.latestStatusAt) : undefined,
        },
      );
    }
    return this.jobs.get(jobId);
  }

  /** The material, row-locked on first sight; undefined when it does not exist or was removed. */
  async material(materialId: string): Promise<Readonly<MaterialForWrite> | undefined> {
    if (!this.materials.has(materialId)) {
      const [row] = await this.tx
        .select({ jobId: materials.jobId, itemName: materials.itemName, purchased: materials.purchased })
        .from(materials)
        .where(and(eq(materials.orgId, this.orgId), eq(materials.id, materialId), isNull(materials.deletedAt)))
        .for('no key update');
      this.materials.set(materialId, row);
    }
    return this.materials.get(materialId);
  }

  /**
   * How the pushing contractor stands on a job (live assignment, or when it
   * ended), asked once per job: nothing held here ends an assignment (a held
   * job move may start or complete one, and both stay live), and a flush,
   * before any change that might, forgets the answer.
   */
  jobAccess(jobId: string, ask: () => Promise<JobAccess>): Promise<JobAccess> {
    let answer = this.access.get(jobId);
    if (!answer) {
      answer = ask();
      this.access.set(jobId, answer);
    }
    return answer;
  }

  /**
   * Moves a job to a new status with its history row. The row's time is never
   * before the job's latest transition, as when written directly (see
   * `DirectJobWrites.moveJob`).
   */
  async moveJob(move: JobMove) {
    const job = this.jobs.get(move.jobId);
    if (!job) throw new Error(`Job ${move.jobId} was not read before it was moved.`);
    const latest = job.latestStatusAt;
    const occurredAt = latest && Date.parse(latest) > Date.parse(move.occurredAt) ? latest : move.occurredAt;
    this.historyRows.push({
      org_id: move.orgId,
      id: randomUUID(),
      job_id: move.jobId,
      from_status: move.from,
      to_status: move.to,
      changed_by: move.changedBy,
      reason: move.reason,
      occurred_at: occurredAt,
      recorded_at: move.recordedAt,
      client_id: move.clientId,
      seq: move.seq,
    });
    job.status = move.to;
    job.latestStatusAt = occurredAt;
    this.statusWrites.set(move.jobId, job.status);
  }

  async setPurchased(materialId: string, purchase: Purchase) {
    const material = this.materials.get(materialId);
    if (!material) throw new Error(`Material ${materialId} was not read before it was ticked.`);
    material.purchased = purchase.purchased;
    this.purchaseWrites.set(materialId, {
      id: materialId,
      purchased: purchase.purchased,
      purchased_by: purchase.purchasedBy,
      purchased_at: purchase.purchasedAt,
    });
  }

  /** Held: a taken id fails the flush, and the push's replay tells duplicate from id_conflict. */
  async addNote(note: NewNote): Promise<HandlerOutcome> {
    this.noteRows.push({
      org_id: note.orgId,
      id: note.id,
      job_id: note.jobId,
      author_id: note.authorId,
      body: note.body,
      occurred_at: note.occurredAt,
      recorded_after_cancellation: note.recordedAfterCancellation,
    });
    return APPLIED;
  }

  /**
   * Held like a note. Known from here on as not bought, so a tick of it later
   * in the push is held too (a tick before it found none: that answer goes).
   */
  async addMaterial(material: NewMaterial): Promise<HandlerOutcome> {
    this.materialRows.push({
      org_id: material.orgId,
      id: material.id,
      job_id: material.jobId,
      item_name: material.itemName,
      quantity: material.quantity,
      unit: material.unit,
      notes: material.notes ?? null,
      added_by: material.addedBy,
      recorded_after_cancellation: material.recordedAfterCancellation,
    });
    this.materials.set(material.id, { jobId: material.jobId, itemName: material.itemName, purchased: false });
    return APPLIED;
  }

  /**
   * Writes everything held, one statement per table, and forgets what was
   * read: a change applied directly next may alter those rows.
   */
  async flush() {
    const statusWrites = [...this.statusWrites].map(([id, status]) => ({ id, status }));
    const purchaseWrites = [...this.purchaseWrites.values()];
    const historyRows = this.historyRows.splice(0);
    const materialRows = this.materialRows.splice(0);
    const noteRows = this.noteRows.splice(0);
    this.statusWrites.clear();
    this.purchaseWrites.clear();
    this.jobs.clear();
    this.materials.clear();
    this.access.clear();

    // Sent in this order on the push's one connection, so run in it: a tick finds the material added before it.
    const [, , insertedMaterials, , insertedNotes] = await pipelined(
      statusWrites.length > 0 &&
        this.tx.execute(sql`
          update jobs set status = held.status
          from jsonb_to_recordset(${JSON.stringify(statusWrites)}::jsonb) as held(id uuid, status text)
          where jobs.org_id = ${this.orgId} and jobs.id = held.id`),
      historyRows.length > 0 &&
        this.tx.execute(sql`
          insert into job_status_history (org_id, id, job_id, from_status, to_status, changed_by, reason, occurred_at, recorded_at, client_id, seq)
          select org_id, id, job_id, from_status, to_status, changed_by, reason, occurred_at, recorded_at, client_id, seq
          from jsonb_to_recordset(${JSON.stringify(historyRows)}::jsonb) as held(
            org_id uuid, id uuid, job_id uuid, from_status text, to_status text, changed_by uuid, reason text,
            occurred_at timestamptz, recorded_at timestamptz, client_id uuid, seq bigint)`),
      materialRows.length > 0 &&
        this.tx.execute(sql`
          insert into materials (org_id, id, job_id, item_name, quantity, unit, notes, added_by, recorded_after_cancellation)
          select org_id, id, job_id, item_name, quantity, unit, notes, added_by, recorded_after_cancellation
          from jsonb_to_recordset(${JSON.stringify(materialRows)}::jsonb) as held(
            org_id uuid, id uuid, job_id uuid, item_name text, quantity numeric, unit text, notes text, added_by uuid,
            recorded_after_cancellation boolean)
          on conflict (org_id, id) do nothing
          returning id`),
      purchaseWrites.length > 0 &&
        this.tx.execute(sql`
          update materials
          set purchased = held.purchased, purchased_by = held.purchased_by, purchased_at = held.purchased_at
          from jsonb_to_recordset(${JSON.stringify(purchaseWrites)}::jsonb)
            as held(id uuid, purchased boolean, purchased_by uuid, purchased_at timestamptz)
          where materials.org_id = ${this.orgId} and materials.id = held.id`),
      noteRows.length > 0 &&
        this.tx.execute(sql`
          insert into job_notes (org_id, id, job_id, author_id, body, occurred_at, recorded_after_cancellation)
          select org_id, id, job_id, author_id, body, occurred_at, recorded_after_cancellation
          from jsonb_to_recordset(${JSON.stringify(noteRows)}::jsonb) as held(
            org_id uuid, id uuid, job_id uuid, author_id uuid, body text, occurred_at timestamptz,
            recorded_after_cancellation boolean)
          on conflict (org_id, id) do nothing
          returning id`),
    );
    // A taken id fails the flush; the push's replay then tells duplicate from id_conflict.
    if (insertedMaterials && rowsOf(insertedMaterials).length !== materialRows.length) {
      throw new Error('A held material id was already taken.');
    }
    if (insertedNotes && rowsOf(insertedNotes).length !== noteRows.length) {
      throw new Error('A held note id was already taken.');
    }
  }
}
