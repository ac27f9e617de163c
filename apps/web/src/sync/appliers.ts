import {
  type AlertRule,
  ASSIGNMENT_GONE_MESSAGE,
  type AssignmentStatus,
  ATTACHMENT_GONE_MESSAGE,
  alertRuleProblems,
  assignmentsAfterJobStatusChange,
  averageRating,
  CONFLICT_RESOLVED_REASON,
  CONTRACTOR_GONE_MESSAGE,
  CONTRACTOR_ROLE_CHANGE_MESSAGE,
  canRole,
  checkAssignmentTransition,
  checkBookingClash,
  checkContractorTakesJobs,
  checkEstimateEditable,
  checkEstimateTransition,
  checkJobCosts,
  checkJobTakesAssignments,
  checkJobTransition,
  checkRatable,
  checkReschedulable,
  decideConflictResolution,
  decideJobCreate,
  endsWithJobCancellation,
  estimateTotalsFields,
  INVITE_OFFICE_MESSAGE,
  isLiveAssignment,
  JOB_CANCELLED_REASON,
  JOB_GONE_MESSAGE,
  type JobStatus,
  jobStatusAfterAssignmentChange,
  MATERIAL_GONE_MESSAGE,
  missingSignature,
  newAssignment,
  newAttachment,
  newContractor,
  newCustomer,
  newEstimate,
  newJob,
  OWN_ACCOUNT_MESSAGE,
  OWN_ROLE_MESSAGE,
  type RuleCheck,
  SIGNATURE_REQUIRED_MESSAGE,
  type SyncedTable,
  USER_GONE_MESSAGE,
} from '@fieldsync/domain';
import type { MutationArgs, MutationName } from '@fieldsync/protocol';
import type { LocalRow } from './database';
import { MutationRefusedError } from './errors';
import { type ApplyContext, createRow, getRow, removeRow, updateRow } from './local-writes';

/** Applies one mutation's effects to the local rows, mirroring the server's handler. */
export type MutationApplier<N extends MutationName> = (ctx: ApplyContext, args: MutationArgs<N>) => Promise<void>;

function refuse(code: string, message: string): never {
  throw new MutationRefusedError(code, message);
}

/** Refuses with the rule's code and plain words when a shared domain check fails. */
function enforce(check: RuleCheck): void {
  if (!check.ok) refuse(check.code, check.message);
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

/** Job status change with its timeline row and its assignment follow-ups, as the server's `recordJobStatusChange`. */
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
  await followJobStatusWithAssignments(ctx, job.id, job.status, to);
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

/**
 * The assignment moves that follow a job's move (`assignmentsAfterJobStatusChange`), as the
 * server's `followJobStatusWithAssignments`: starting starts this contractor's own assignment,
 * completing completes the live ones this device holds (the pull brings any others).
 */
async function followJobStatusWithAssignments(
  ctx: ApplyContext,
  jobId: string,
  from: JobStatus,
  to: JobStatus,
): Promise<void> {
  const assignments = await ctx.db.assignments.where('jobId').equals(jobId).toArray();
  const followUps = assignmentsAfterJobStatusChange({
    from,
    to,
    actor: { role: ctx.role, contractorId: ctx.ownContractorId },
    assignments,
  });
  for (const step of followUps) await updateRow(ctx, 'assignments', step.assignmentId, { status: step.to });
}

function updateApplier<T extends 'customers' | 'jobs' | 'contractors' | 'materials'>(table: T, missing: string) {
  return async (ctx: ApplyContext, args: { id: string; patch: object }) => {
    await requireRow(ctx, table, args.id, missing);
    await updateRow(ctx, table, args.id, args.patch as Partial<LocalRow<T>>);
  };
}

const now = (ctx: ApplyContext) => ctx.occurredAt;

const JOB_NOT_HERE_MESSAGE = 'This job is not on this device.';
const ESTIMATE_GONE_MESSAGE = 'This estimate is not on this device.';
const PRICE_ITEM_GONE_MESSAGE = 'This price-list item is not on this device.';

/**
 * As the server: a contractor prices work only for a customer of one of their
 * live jobs. The office may price for any customer this device holds.
 */
async function requireEstimateCustomer(ctx: ApplyContext, customerId: string): Promise<void> {
  await requireRow(ctx, 'customers', customerId, 'This customer is not on this device.');
  if (ctx.role !== 'contractor') return;
  const jobIds = (await ctx.db.jobs.where('customerId').equals(customerId).toArray()).map((job) => job.id);
  const assignments = jobIds.length ? await ctx.db.assignments.where('jobId').anyOf(jobIds).toArray() : [];
  const holdsOne = assignments.some(
    (assignment) => assignment.contractorId === ctx.ownContractorId && isLiveAssignment(assignment.status),
  );
  if (!holdsOne) refuse('forbidden', 'You can price work only for customers of your own jobs.');
}

const RULE_GONE_MESSAGE = 'This alert rule is not on this device. It may have been removed.';
const DELIVERY_GONE_MESSAGE = 'This alert delivery is not on this device yet. Sync, then try again.';
const NOTIFICATION_GONE_MESSAGE = 'This notification is not on this device.';

/** The rule fields an `alertRule.update` patch may carry, as the row stores them (`webhook` → `webhookUrl`). */
type AlertRulePatch = MutationArgs<'alertRule.update'>['patch'];

function alertRuleChanges(patch: AlertRulePatch): Partial<AlertRule> {
  const { webhook, template, ...fields } = patch;
  return {
    ...fields,
    ...(webhook === undefined ? {} : { webhookUrl: webhook?.url ?? null }),
    ...(template === undefined ? {} : { template }),
  };
}

/**
 * Refuses a rule the server would refuse once the patch is laid over it, as
 * `invalid_args` with one sentence per part of the rule. The row holds the
 * webhook's URL only (its secret never leaves the server), which is enough to
 * tell whether the webhook channel has somewhere to post.
 */
function enforceAlertRule(
  rule: Pick<AlertRule, 'event' | 'conditions' | 'channels' | 'recipients' | 'webhookUrl' | 'template'>,
) {
  const problems = alertRuleProblems({
    event: rule.event,
    conditions: rule.conditions,
    channels: rule.channels,
    recipients: rule.recipients,
    ...(rule.webhookUrl ? { webhook: { url: rule.webhookUrl } } : {}),
    ...(rule.template ? { template: rule.template } : {}),
  });
  if (problems.length === 0) return;
  const sentences = problems.map((problem) => `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`);
  const issues: Record<string, string> = {};
  problems.forEach((problem, index) => {
    const part = /^([a-z]+): /.exec(problem)?.[1] ?? '';
    issues[part] ??= sentences[index]!;
  });
  throw new MutationRefusedError('invalid_args', sentences.join(' '), issues);
}

/** A contractor's account and an office account differ (a contractor row, a phone app): no switching between them. */
function isOfficeRole(role: string): boolean {
  return role !== 'contractor';
}

/**
 * One optimistic applier per mutation name. Each checks first and writes
 * after, so a refusal never leaves half a change behind.
 */
export const mutationAppliers: { [N in MutationName]: MutationApplier<N> } = {
  async 'customer.create'(ctx, args) {
    await createRow(ctx, 'customers', newCustomer(args));
  },
  'customer.update': updateApplier('customers', 'This customer is not on this device.'),

  async 'job.create'(ctx, args) {
    // As the server: a contractor creates only a follow-up of a job they hold here, for its customer.
    const parent = args.parentJobId ? await getRow(ctx, 'jobs', args.parentJobId) : undefined;
    const theirs =
      parent && ctx.ownContractorId ? await ctx.db.assignments.where('jobId').equals(parent.id).toArray() : [];
    const decision = decideJobCreate({
      role: ctx.role,
      request: args,
      parent,
      parentHeld: theirs.some(
        (assignment) => assignment.contractorId === ctx.ownContractorId && isLiveAssignment(assignment.status),
      ),
    });
    if (!decision.ok) refuse(decision.code, decision.message);
    await createRow(ctx, 'jobs', {
      ...newJob({ ...args, customerId: decision.customerId }, ctx.userId),
      // The server draws the number; until the next pull the job shows without one.
      jobNumber: args.jobNumber ?? '',
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
  async 'job.update'(ctx, args) {
    const job = await requireRow(ctx, 'jobs', args.id, JOB_NOT_HERE_MESSAGE);
    enforce(checkJobCosts({ ...job, ...args.patch }));
    await updateRow(ctx, 'jobs', args.id, args.patch);
  },

  async 'job.setStatus'(ctx, args) {
    const job = await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    if (ctx.replay && job.status === args.to) {
      // As the server: the job is already there, only this person's follow-ups are left.
      await followJobStatusWithAssignments(ctx, job.id, args.from, args.to);
      return;
    }
    const check = checkJobTransition({ from: job.status, to: args.to, role: ctx.role });
    enforce(check);
    if (missingSignature(job, args.to, await ctx.db.attachments.where('jobId').equals(job.id).toArray())) {
      refuse('signature_required', SIGNATURE_REQUIRED_MESSAGE);
    }
    await changeJobStatus(ctx, job, args.to, args.reason);
    if (args.to === 'cancelled') {
      const assignments = await ctx.db.assignments.where('jobId').equals(job.id).toArray();
      for (const assignment of assignments) {
        if (endsWithJobCancellation(assignment.status)) {
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
  'material.update': updateApplier('materials', MATERIAL_GONE_MESSAGE),
  async 'material.setPurchased'(ctx, args) {
    const material = await requireRow(ctx, 'materials', args.id, MATERIAL_GONE_MESSAGE);
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

  async 'attachment.add'(ctx, args) {
    await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    await createRow(ctx, 'attachments', newAttachment(args, ctx.userId));
  },
  async 'attachment.remove'(ctx, args) {
    const attachment = await requireRow(ctx, 'attachments', args.id, ATTACHMENT_GONE_MESSAGE);
    if (ctx.role === 'contractor' && attachment.createdBy !== ctx.userId) {
      refuse('forbidden', 'Only the person who added this file, or the office, can remove it.');
    }
    await removeRow(ctx, 'attachments', args.id);
  },

  async 'assignment.create'(ctx, args) {
    const job = await requireRow(ctx, 'jobs', args.jobId, 'This job is not on this device.');
    enforce(checkJobTakesAssignments(job.status));
    const contractor = await requireRow(ctx, 'contractors', args.contractorId, CONTRACTOR_GONE_MESSAGE);
    enforce(checkContractorTakesJobs(contractor));
    const theirs = await ctx.db.assignments.where('contractorId').equals(args.contractorId).toArray();
    enforce(
      checkBookingClash(
        { id: args.id, jobId: args.jobId, contractorName: contractor.name, start: args.start, end: args.end },
        theirs,
      ),
    );
    await createRow(ctx, 'assignments', { ...newAssignment(args), cancellationReason: null });
    await followAssignmentsWithJobStatus(ctx, args.jobId);
  },

  async 'assignment.setStatus'(ctx, args) {
    const assignment = await requireRow(ctx, 'assignments', args.id, 'This assignment is not on this device.');
    const current: AssignmentStatus = assignment.status;
    if (ctx.replay && current === args.to) return;
    const isOwn = ctx.ownContractorId !== undefined && ctx.ownContractorId === assignment.contractorId;
    const check = checkAssignmentTransition({ from: current, to: args.to, role: ctx.role, isOwn });
    enforce(check);
    await updateRow(ctx, 'assignments', args.id, {
      status: args.to,
      cancellationReason:
        args.to === 'cancelled' || args.to === 'declined' ? (args.reason ?? null) : assignment.cancellationReason,
    });
    if (isLiveAssignment(current) !== isLiveAssignment(args.to)) {
      await followAssignmentsWithJobStatus(ctx, assignment.jobId);
    }
  },

  // Moves to the new times at once; a move made on stale times is settled by the server (later move wins).
  async 'assignment.reschedule'(ctx, args) {
    const assignment = await requireRow(ctx, 'assignments', args.id, 'This assignment is not on this device.');
    enforce(checkReschedulable(assignment.status));
    const contractor = await getRow(ctx, 'contractors', assignment.contractorId);
    const theirs = await ctx.db.assignments.where('contractorId').equals(assignment.contractorId).toArray();
    enforce(
      checkBookingClash(
        {
          id: args.id,
          jobId: assignment.jobId,
          contractorName: contractor?.name ?? 'The contractor',
          start: args.start,
          end: args.end,
        },
        theirs,
      ),
    );
    await updateRow(ctx, 'assignments', args.id, {
      scheduledStart: new Date(args.start).toISOString(),
      scheduledEnd: new Date(args.end).toISOString(),
    });
  },

  async 'contractor.create'(ctx, args) {
    await createRow(ctx, 'contractors', newContractor(args));
  },
  'contractor.update': updateApplier('contractors', 'This contractor is not on this device.'),

  async 'workingHours.set'(ctx, args) {
    await requireRow(ctx, 'contractors', args.contractorId, CONTRACTOR_GONE_MESSAGE);
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
    const resolution = decideConflictResolution(conflict, args.keep);
    if (!resolution.ok) refuse(resolution.code, resolution.message);
    if (resolution.alreadyResolved) return;
    if (args.keep === 'loser') {
      if (conflict.entity === 'jobs' && conflict.field === 'status') {
        const job = await requireRow(ctx, 'jobs', conflict.entityId, JOB_GONE_MESSAGE);
        const to = conflict.loserValue as JobStatus;
        const check = checkJobTransition({ from: job.status, to, role: ctx.role });
        if (!check.ok) refuse('invalid_transition', check.message);
        await changeJobStatus(ctx, job, to, CONFLICT_RESOLVED_REASON);
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
    const assignment = await requireRow(ctx, 'assignments', args.assignmentId, ASSIGNMENT_GONE_MESSAGE);
    const already = await ctx.db.ratings.where('assignmentId').equals(args.assignmentId).first();
    enforce(
      checkRatable({
        assignmentStatus: assignment.status,
        alreadyRated: already !== undefined && already.id !== args.id,
      }),
    );
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

  async 'user.invite'(ctx, args) {
    if (isOfficeRole(args.role) && !canRole(ctx.role, 'users.manage')) {
      refuse('forbidden', INVITE_OFFICE_MESSAGE);
    }
    const email = args.email.toLowerCase();
    const taken = await ctx.db.users.filter((row) => row.id !== args.id && row.email.toLowerCase() === email).first();
    if (taken) refuse('email_taken', `${taken.name} already uses ${args.email}.`);
    await createRow(ctx, 'users', {
      id: args.id,
      email: args.email,
      name: args.name,
      role: args.role,
      active: true,
      invitedAt: now(ctx),
      lastSeenAt: null,
    });
    if (args.contractor) {
      await createRow(
        ctx,
        'contractors',
        newContractor({ ...args.contractor, userId: args.id, name: args.name, email: args.email }),
      );
    }
  },

  async 'user.update'(ctx, args) {
    const user = await requireRow(ctx, 'users', args.id, USER_GONE_MESSAGE);
    const role = args.patch.role;
    if (role !== undefined && role !== user.role) {
      if (args.id === ctx.userId) refuse('validation_failed', OWN_ROLE_MESSAGE);
      if (!isOfficeRole(role) || !isOfficeRole(user.role)) {
        refuse('validation_failed', CONTRACTOR_ROLE_CHANGE_MESSAGE);
      }
    }
    await updateRow(ctx, 'users', args.id, args.patch);
  },

  async 'user.setActive'(ctx, args) {
    if (args.id === ctx.userId) {
      refuse('validation_failed', OWN_ACCOUNT_MESSAGE);
    }
    const user = await requireRow(ctx, 'users', args.id, USER_GONE_MESSAGE);
    if (user.active === args.active) return;
    await updateRow(ctx, 'users', args.id, { active: args.active });
    // As the server: a deactivated contractor's row goes `inactive` (recommendations leave them out), and back.
    const theirs = await ctx.db.contractors.where('userId').equals(args.id).toArray();
    for (const contractor of theirs) {
      const next = args.active ? (contractor.status === 'inactive' ? 'active' : null) : 'inactive';
      if (next && next !== contractor.status) await updateRow(ctx, 'contractors', contractor.id, { status: next });
    }
  },

  async 'org.update'(ctx, args) {
    // A device holds only its own company's row (the pull serves no other), so that row is the one meant.
    const org = await ctx.db.organizations.toCollection().first();
    if (!org) refuse('not_found', 'The company settings are not on this device yet. Sync, then try again.');
    await updateRow(ctx, 'organizations', org.id, args.patch);
  },

  async 'alertRule.create'(ctx, args) {
    // The args schema already ran the rule's checks (`alertRuleProblems`); the row keeps the URL, never the secret.
    await createRow(ctx, 'alertRules', {
      id: args.id,
      name: args.name,
      event: args.event,
      conditions: args.conditions,
      channels: [...args.channels],
      recipients: [...args.recipients],
      throttleMinutes: args.throttleMinutes,
      active: args.active ?? true,
      webhookUrl: args.webhook?.url ?? null,
      template: args.template ?? null,
      key: null,
    });
  },

  async 'alertRule.update'(ctx, args) {
    const rule = await requireRow(ctx, 'alertRules', args.id, RULE_GONE_MESSAGE);
    const changes = alertRuleChanges(args.patch);
    enforceAlertRule({ ...rule, ...changes });
    await updateRow(ctx, 'alertRules', args.id, changes);
  },

  async 'alertRule.remove'(ctx, args) {
    await removeRow(ctx, 'alertRules', args.id);
  },

  async 'alertDelivery.retry'(ctx, args) {
    const delivery = await requireRow(ctx, 'alertDeliveries', args.id, DELIVERY_GONE_MESSAGE);
    // Only a failed delivery goes back in the queue; any other is already on its way or settled.
    if (delivery.status !== 'failed') return;
    await updateRow(ctx, 'alertDeliveries', args.id, { status: 'pending' });
  },

  async 'estimate.create'(ctx, args) {
    await requireEstimateCustomer(ctx, args.customerId);
    const org = await ctx.db.organizations.toCollection().first();
    await createRow(ctx, 'estimates', {
      ...newEstimate(args, { currency: org?.currency ?? 'USD', createdBy: ctx.userId }),
      // The server draws the number; until the next pull the estimate shows without one.
      number: '',
    });
  },

  async 'estimate.update'(ctx, args) {
    const estimate = await requireRow(ctx, 'estimates', args.id, ESTIMATE_GONE_MESSAGE);
    enforce(checkEstimateEditable(estimate.status));
    await requireEstimateCustomer(ctx, args.patch.customerId ?? estimate.customerId);
    const edited = { ...estimate, ...args.patch };
    await updateRow(ctx, 'estimates', args.id, { ...args.patch, ...estimateTotalsFields(edited) });
  },

  async 'estimate.setStatus'(ctx, args) {
    const estimate = await requireRow(ctx, 'estimates', args.id, ESTIMATE_GONE_MESSAGE);
    if (ctx.replay && estimate.status === args.to) return;
    enforce(checkEstimateTransition({ from: estimate.status, to: args.to, actor: ctx.role, reason: args.reason }));
    switch (args.to) {
      case 'sent':
        await updateRow(ctx, 'estimates', args.id, { status: 'sent', sentAt: now(ctx) });
        break;
      case 'draft':
        await updateRow(ctx, 'estimates', args.id, { status: 'draft', sentAt: null });
        break;
      case 'rejected':
        await updateRow(ctx, 'estimates', args.id, { status: 'rejected', rejectedReason: args.reason ?? null });
        break;
      case 'accepted': {
        await updateRow(ctx, 'estimates', args.id, {
          status: 'accepted',
          acceptedAt: now(ctx),
          signatureAttachmentId: args.signatureAttachmentId ?? null,
        });
        // Without a job the server creates one (the pull brings it to the office); with one, it is priced here too.
        const job = estimate.jobId ? await getRow(ctx, 'jobs', estimate.jobId) : undefined;
        if (job) await updateRow(ctx, 'jobs', job.id, { agreedCostCents: estimate.totalCents });
        break;
      }
      case 'expired':
        await updateRow(ctx, 'estimates', args.id, { status: 'expired' });
        break;
    }
  },

  async 'priceListItem.create'(ctx, args) {
    await createRow(ctx, 'priceListItems', { ...args, archived: false });
  },

  async 'priceListItem.update'(ctx, args) {
    await requireRow(ctx, 'priceListItems', args.id, PRICE_ITEM_GONE_MESSAGE);
    await updateRow(ctx, 'priceListItems', args.id, args.patch);
  },

  async 'notification.markRead'(ctx, args) {
    const notification = await requireRow(ctx, 'notifications', args.id, NOTIFICATION_GONE_MESSAGE);
    if (notification.userId !== ctx.userId) refuse('forbidden', 'This notification is for someone else.');
    if (notification.readAt !== null) return;
    await updateRow(ctx, 'notifications', args.id, { readAt: now(ctx) });
  },
};

const CONFLICT_TABLES = ['jobs', 'customers', 'contractors', 'materials', 'assignments'] as const;
function isConflictTable(entity: string): entity is (typeof CONFLICT_TABLES)[number] {
  return (CONFLICT_TABLES as readonly string[]).includes(entity);
}
