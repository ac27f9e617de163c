import {
  type AssignmentStatus,
  averageRating,
  checkAssignmentTransition,
  checkJobTransition,
  isLiveAssignment,
  type JobStatus,
  jobStatusAfterAssignmentChange,
  type SyncedTable,
} from '@fieldsync/domain';
import type { MutationArgs, MutationName } from '@fieldsync/protocol';
import type { LocalRow } from './database';
import { MutationRefusedError } from './errors';
import { type ApplyContext, createRow, getRow, removeRow, updateRow } from './local-writes';

/** Reason the server writes on assignments ended by their job's cancellation. */
export const JOB_CANCELLED_REASON = 'Job cancelled';

/** Applies one mutation's effects to the local rows, mirroring the server's handler. */
export type MutationApplier<N extends MutationName> = (ctx: ApplyContext, args: MutationArgs<N>) => Promise<void>;

function refuse(code: string, message: string): never {
  throw new MutationRefusedError(code, message);
}

async function requireRow<T extends SyncedTable>(
  ctx: ApplyContext,
  table: T,
  id: string,
  message: string,
): Promise<LocalRow<T>> {
  const row = await getRow(ctx, table, id);
  if (!row) refuse('not_found', message);
  return row;
}

/** Job status change with its timeline row, as the server's `recordJobStatusChange`. */
async function changeJobStatus(
  ctx: ApplyContext,
  job: LocalRow<'jobs'>,
  to: JobStatus,
  reason?: string | null,
): Promise<void> {
  await updateRow(ctx, 'jobs', job.id, { status: to });
  await createRow(ctx, 'jobStatusHistory', {
    id: ctx.localId(),
    jobId: job.id,
    fromStatus: job.status,
    toStatus: to,
    changedBy: ctx.userId,
    reason: reason ?? null,
    occurredAt: ctx.occurredAt,
    recordedAt: ctx.occurredAt,
    clientId: ctx.clientId,
    seq: ctx.seq,
  });
}

/** Open ⇄ scheduled as live assignments appear or all go (`jobStatusAfterAssignmentChange`). */
async function followAssignmentsWithJobStatus(ctx: ApplyContext, jobId: string): Promise<void> {
  const job = await getRow(ctx, 'jobs', jobId);
  if (!job) return;
  const assignments = await ctx.db.assignments.where('jobId').equals(jobId).toArray();
  const live = assignments.filter((a) => isLiveAssignment(a.status)).length;
  const next = jobStatusAfterAssignmentChange({ jobStatus: job.status, liveAssignmentsAfter: live });
  if (next) await changeJobStatus(ctx, job, next);
}

function updateApplier<T extends 'customers' | 'jobs' | 'contractors' | 'materials'>(table: T, missing: string) {
  return async (ctx: ApplyContext, args: { id: string; patch: object }) => {
    await requireRow(ctx, table, args.id, missing);
    await updateRow(ctx, table, args.id, args.patch as Partial<LocalRow<T>>);
  };
}

const now = (ctx: ApplyContext) => ctx.occurredAt;

/**
 * One optimistic applier per mutation name. Each checks first and writes
 * after, so a refusal never leaves half a change behind.
 */
export const mutationAppliers: { [N in MutationName]: MutationApplier<N> } = {
  async 'customer.create'(ctx, args) {
    await createRow(ctx, 'customers', {
      id: args.id,
      name: args.name,
      phone: args.phone ?? null,
      email: args.email ?? null,
      address: args.address ?? null,
      lat: args.lat ?? null,
      lng: args.lng ?? null,
      notes: args.notes ?? null,
      archived: false,
    });
  },
  'customer.update': updateApplier('customers', 'This customer is not on this device.'),

  async 'job.create'(ctx, args) {
    await createRow(ctx, 'jobs', {
      id: args.id,
      // The server draws the number; until the next pull the job shows without one.
      jobNumber: args.jobNumber ?? '',
      title: args.title,
      description: args.description ?? null,
      customerId: args.customerId ?? null,
      trade: args.trade,
      priority: args.priority ?? 'medium',
      status: 'open',
      desiredDate: args.desiredDate ?? null,
      durationMinutes: args.durationMinutes,
      address: args.address ?? null,
      lat: args.lat ?? null,
      lng: args.lng ?? null,
      specialRequirements: args.specialRequirements ?? [],
      createdBy: ctx.userId,
    });
    await createRow(ctx, 'jobStatusHistory', {
      id: ctx.localId(),
      jobId: args.id,
      fromStatus: null,
      toStatus: 'open',
      changedBy: ctx.userId,
      reason: null,
      occurredAt: now(ctx),
      recordedAt: now(ctx),
      clientId: ctx.clientId,
      seq: ctx.seq,
    });
  },
  'job.update': updateApplier('jobs', 'This job is not on this device.'),

  async 'job.setStatus'(ctx, args) {
    const job = await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    if (ctx.replay && job.status === args.to) return;
    const check = checkJobTransition({ from: job.status, to: args.to, role: ctx.role });
    if (!check.ok) refuse(check.code, check.message);
    await changeJobStatus(ctx, job, args.to, args.reason);
    if (args.to === 'cancelled') {
      const assignments = await ctx.db.assignments.where('jobId').equals(job.id).toArray();
      for (const assignment of assignments) {
        if (
          assignment.status === 'pending' ||
          assignment.status === 'confirmed' ||
          assignment.status === 'in_progress'
        ) {
          await updateRow(ctx, 'assignments', assignment.id, {
            status: 'cancelled',
            cancellationReason: JOB_CANCELLED_REASON,
          });
        }
      }
    }
  },

  async 'material.add'(ctx, args) {
    await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    await createRow(ctx, 'materials', {
      id: args.id,
      jobId: args.jobId,
      itemName: args.itemName,
      quantity: args.quantity,
      unit: args.unit,
      purchased: false,
      purchasedBy: null,
      purchasedAt: null,
      notes: args.notes ?? null,
      addedBy: ctx.userId,
      // The server decides whether it came in after the office ended the job; until then it did not.
      recordedAfterCancellation: false,
    });
  },
  'material.update': updateApplier('materials', 'This material is no longer on the list.'),
  async 'material.setPurchased'(ctx, args) {
    const material = await requireRow(ctx, 'materials', args.id, 'This material is no longer on the list.');
    if (material.purchased === args.purchased) return;
    await updateRow(
      ctx,
      'materials',
      args.id,
      args.purchased
        ? { purchased: true, purchasedBy: ctx.userId, purchasedAt: now(ctx) }
        : { purchased: false, purchasedBy: null, purchasedAt: null },
    );
  },
  async 'material.remove'(ctx, args) {
    await removeRow(ctx, 'materials', args.id);
  },

  async 'note.add'(ctx, args) {
    await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    await createRow(ctx, 'jobNotes', {
      id: args.id,
      jobId: args.jobId,
      authorId: ctx.userId,
      body: args.body,
      occurredAt: now(ctx),
      recordedAfterCancellation: false,
    });
  },

  async 'assignment.create'(ctx, args) {
    const job = await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    if (job.status === 'completed' || job.status === 'cancelled') {
      refuse('validation_failed', `This job is ${job.status}; it cannot be assigned.`);
    }
    const contractor = await requireRow(ctx, 'contractors', args.contractorId, 'That contractor does not exist.');
    if (contractor.status !== 'active') {
      refuse('validation_failed', `${contractor.name} is not active and cannot take jobs.`);
    }
    const start = Date.parse(args.start);
    const end = Date.parse(args.end);
    const theirs = await ctx.db.assignments.where('contractorId').equals(args.contractorId).toArray();
    for (const other of theirs) {
      if (other.id === args.id || !isLiveAssignment(other.status)) continue;
      if (other.jobId === args.jobId) {
        refuse('validation_failed', `${contractor.name} has already been assigned to this job.`);
      }
      if (Date.parse(other.scheduledStart) < end && start < Date.parse(other.scheduledEnd)) {
        refuse('double_booked', `${contractor.name} is already booked at that time.`);
      }
    }
    await createRow(ctx, 'assignments', {
      id: args.id,
      jobId: args.jobId,
      contractorId: args.contractorId,
      status: 'pending',
      scheduledStart: args.start,
      scheduledEnd: args.end,
      score: args.score?.total ?? null,
      scoreBreakdown: args.score?.breakdown ?? null,
      cancellationReason: null,
    });
    await followAssignmentsWithJobStatus(ctx, args.jobId);
  },

  async 'assignment.setStatus'(ctx, args) {
    const assignment = await requireRow(ctx, 'assignments', args.id, 'This assignment is not on this device.');
    const current: AssignmentStatus = assignment.status;
    if (ctx.replay && current === args.to) return;
    const isOwn = ctx.ownContractorId !== undefined && ctx.ownContractorId === assignment.contractorId;
    const check = checkAssignmentTransition({ from: current, to: args.to, role: ctx.role, isOwn });
    if (!check.ok) refuse(check.code, check.message);
    await updateRow(ctx, 'assignments', args.id, {
      status: args.to,
      cancellationReason:
        args.to === 'cancelled' || args.to === 'declined' ? (args.reason ?? null) : assignment.cancellationReason,
    });
    if (isLiveAssignment(current) !== isLiveAssignment(args.to)) {
      await followAssignmentsWithJobStatus(ctx, assignment.jobId);
    }
  },

  async 'contractor.create'(ctx, args) {
    await createRow(ctx, 'contractors', {
      id: args.id,
      userId: args.userId ?? null,
      name: args.name,
      trade: args.trade,
      skills: args.skills ?? [],
      rating: args.rating ?? 0,
      status: args.status ?? 'active',
      phone: args.phone ?? null,
      email: args.email ?? null,
      baseAddress: args.baseAddress ?? null,
      baseLat: args.baseLat ?? null,
      baseLng: args.baseLng ?? null,
    });
  },
  'contractor.update': updateApplier('contractors', 'This contractor is not on this device.'),

  async 'workingHours.set'(ctx, args) {
    await requireRow(ctx, 'contractors', args.contractorId, 'That contractor does not exist.');
    const existing = await ctx.db.workingHours.where('contractorId').equals(args.contractorId).toArray();
    const byDay = new Map(existing.map((row) => [row.dayOfWeek, row]));
    const listed = new Set(args.days.map((day) => day.dayOfWeek));
    for (const row of existing) {
      if (!listed.has(row.dayOfWeek)) await removeRow(ctx, 'workingHours', row.id);
    }
    for (const day of args.days) {
      const row = byDay.get(day.dayOfWeek);
      if (row) {
        await updateRow(ctx, 'workingHours', row.id, { startTime: day.start, endTime: day.end });
      } else {
        await createRow(ctx, 'workingHours', {
          id: ctx.localId(),
          contractorId: args.contractorId,
          dayOfWeek: day.dayOfWeek,
          startTime: day.start,
          endTime: day.end,
        });
      }
    }
  },

  async 'conflict.resolve'(ctx, args) {
    const conflict = await requireRow(ctx, 'conflicts', args.id, 'This conflict is not on this device.');
    if (conflict.status === 'resolved') {
      if (conflict.resolution === args.keep) return;
      refuse('validation_failed', 'Someone already resolved this conflict the other way.');
    }
    if (args.keep === 'loser') {
      if (conflict.entity === 'jobs' && conflict.field === 'status') {
        const job = await requireRow(ctx, 'jobs', conflict.entityId, 'This job no longer exists.');
        const to = conflict.loserValue as JobStatus;
        const check = checkJobTransition({ from: job.status, to, role: ctx.role });
        if (!check.ok) refuse('invalid_transition', check.message);
        await changeJobStatus(ctx, job, to, 'Conflict resolved');
      } else if (isConflictTable(conflict.entity)) {
        await updateRow(ctx, conflict.entity, conflict.entityId, { [conflict.field]: conflict.loserValue });
      }
    }
    await updateRow(ctx, 'conflicts', args.id, {
      status: 'resolved',
      resolution: args.keep,
      resolvedBy: ctx.userId,
      resolvedAt: now(ctx),
    });
  },

  async 'rating.add'(ctx, args) {
    const assignment = await requireRow(ctx, 'assignments', args.assignmentId, 'This assignment no longer exists.');
    if (assignment.status !== 'completed') refuse('validation_failed', 'Only completed work can be rated.');
    const already = await ctx.db.ratings.where('assignmentId').equals(args.assignmentId).first();
    if (already && already.id !== args.id) refuse('validation_failed', 'This work has already been rated.');
    await createRow(ctx, 'ratings', {
      id: args.id,
      assignmentId: args.assignmentId,
      contractorId: assignment.contractorId,
      stars: args.stars,
      comment: args.comment ?? null,
      ratedBy: ctx.userId,
    });
    const all = await ctx.db.ratings.filter((rating) => rating.contractorId === assignment.contractorId).toArray();
    const average = averageRating(all.map((rating) => rating.stars));
    if (average !== null) await updateRow(ctx, 'contractors', assignment.contractorId, { rating: average });
  },
};

const CONFLICT_TABLES = ['jobs', 'customers', 'contractors', 'materials', 'assignments'] as const;
function isConflictTable(entity: string): entity is (typeof CONFLICT_TABLES)[number] {
  return (CONFLICT_TABLES as readonly string[]).includes(entity);
}
