/**
 * Estimates and the company's price list. The office writes estimates for
 * any customer; a contractor only for the customer of one of their live jobs
 * (the same customers whose estimates their phone pulls). Totals are always
 * computed here from the lines (`newEstimate`, `estimateTotalsFields`): a
 * client's arithmetic is never stored. Accepting an estimate gives its job the
 * agreed cost, creating the job first when there is none.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  checkEstimateEditable,
  checkEstimateTransition,
  type EstimateLine,
  type EstimateStatus,
  estimateTotalsFields,
  formatEstimateNumber,
  JOB_NOT_ASSIGNED_MESSAGE,
  LIVE_ASSIGNMENT_STATUSES,
  newEstimate,
  randomJobNumberSuffix,
  utcToLocalDateTime,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { assignments, attachments, customers, estimates, jobs, organizations, priceListItems } from '../../db/schema';
import { estimateEventData } from '../../estimates/estimate-events';
import { ownContractorId, requireJobAccess } from '../access';
import { EVERYONE, touchScopeOf, writeActivity } from '../activity';
import { raiseEvent } from '../alert-events';
import { existingCreate, insertCreated } from '../idempotent-create';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { pgErrorCode } from '../pg-error-code';
import { insertNewJob } from './job-handlers';

const ESTIMATE_GONE_MESSAGE = 'This estimate no longer exists.';
const NOT_YOUR_CUSTOMER_MESSAGE = 'You can only write estimates for the customers of your jobs.';
const CUSTOMER_MISSING_MESSAGE = 'That customer does not exist.';
const JOB_OF_OTHER_CUSTOMER_MESSAGE = 'That job is not one of this customer’s.';
const SIGNATURE_NOT_THEIRS_MESSAGE = 'The signature must be one the customer gave on one of their jobs.';
const PRICE_LIST_ITEM_GONE_MESSAGE = 'This price-list item no longer exists.';

type EstimateRow = typeof estimates.$inferSelect;
type CustomerRow = Pick<typeof customers.$inferSelect, 'id' | 'name' | 'address' | 'lat' | 'lng'>;

/**
 * The customer an estimate is for, when the caller may write estimates for
 * them: the office any customer of the company (not deleted), a contractor
 * only the customer of a job they hold a live assignment on. A contractor is
 * told `forbidden` whether or not the customer exists: they learn nothing of
 * customers that are not theirs.
 */
async function estimateCustomer(ctx: MutationContext, customerId: string): Promise<CustomerRow> {
  const [customer] = await ctx.tx
    .select({
      id: customers.id,
      name: customers.name,
      address: customers.address,
      lat: customers.lat,
      lng: customers.lng,
    })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.user.orgId), eq(customers.id, customerId), isNull(customers.deletedAt)));
  if (ctx.user.role === 'contractor') {
    if (!customer || !(await servesCustomer(ctx, customerId))) {
      throw new MutationRejected('forbidden', NOT_YOUR_CUSTOMER_MESSAGE);
    }
    return customer;
  }
  if (!customer) throw new MutationRejected('validation_failed', CUSTOMER_MISSING_MESSAGE);
  return customer;
}

/** True when the signed-in contractor holds a live assignment on a job of the customer. */
async function servesCustomer(ctx: MutationContext, customerId: string): Promise<boolean> {
  const contractorId = await ownContractorId(ctx);
  if (!contractorId) return false;
  const [held] = await ctx.tx
    .select({ id: assignments.id })
    .from(assignments)
    .innerJoin(jobs, and(eq(jobs.orgId, assignments.orgId), eq(jobs.id, assignments.jobId)))
    .where(
      and(
        eq(assignments.orgId, ctx.user.orgId),
        eq(assignments.contractorId, contractorId),
        isNull(assignments.deletedAt),
        inArray(assignments.status, [...LIVE_ASSIGNMENT_STATUSES]),
        eq(jobs.customerId, customerId),
        isNull(jobs.deletedAt),
      ),
    )
    .limit(1);
  return held !== undefined;
}

/**
 * The job an estimate prices must be one of its customer's, and for a
 * contractor one they hold (asked first, so they learn nothing of other jobs).
 */
async function requireCustomersJob(ctx: MutationContext, jobId: string, customerId: string) {
  if (ctx.user.role === 'contractor') {
    try {
      await requireJobAccess(ctx, jobId);
    } catch (error) {
      if (error instanceof MutationRejected) throw new MutationRejected('forbidden', JOB_NOT_ASSIGNED_MESSAGE);
      throw error;
    }
  }
  const [job] = await ctx.tx
    .select({ customerId: jobs.customerId })
    .from(jobs)
    .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, jobId), isNull(jobs.deletedAt)));
  if (!job || job.customerId !== customerId) {
    throw new MutationRejected('validation_failed', JOB_OF_OTHER_CUSTOMER_MESSAGE);
  }
}

/** The company's currency and time zone. */
async function companyOf(ctx: MutationContext) {
  const [org] = await ctx.tx
    .select({ currency: organizations.currency, timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, ctx.user.orgId));
  return org ?? { currency: 'USD', timeZone: 'UTC' };
}

/** The estimate, row-locked for the change; `not_found` when it is gone. */
async function lockedEstimate(ctx: MutationContext, id: string): Promise<EstimateRow> {
  const [row] = await ctx.tx
    .select()
    .from(estimates)
    .where(and(eq(estimates.orgId, ctx.user.orgId), eq(estimates.id, id), isNull(estimates.deletedAt)))
    .for('no key update');
  if (!row) throw new MutationRejected('not_found', ESTIMATE_GONE_MESSAGE);
  return row;
}

/** The contractors on the customer's jobs see its estimates: their phones are poked with the push. */
function touchCustomer(ctx: MutationContext, customerId: string) {
  return touchScopeOf(ctx, 'customers', customerId);
}

export async function createEstimate(
  ctx: MutationContext,
  args: MutationArgs<'estimate.create'>,
): Promise<HandlerOutcome> {
  // A contractor is checked before the id is looked at: they learn nothing of estimates they may not write.
  const checkedFirst = ctx.user.role === 'contractor' ? await estimateCustomer(ctx, args.customerId) : undefined;
  const expected = {
    customerId: args.customerId,
    jobId: args.jobId ?? null,
    title: args.title,
    lines: args.lines,
    taxRateBasisPoints: args.taxRateBasisPoints,
    validUntil: args.validUntil,
    notes: args.notes ?? null,
  };
  const existing = await existingCreate(ctx.tx, ctx.user.orgId, estimates, args.id, expected);
  if (existing) return existing;
  const customer = checkedFirst ?? (await estimateCustomer(ctx, args.customerId));
  if (args.jobId) await requireCustomersJob(ctx, args.jobId, args.customerId);

  const company = await companyOf(ctx);
  const estimate = newEstimate(args, { currency: company.currency, createdBy: ctx.user.userId });
  // The day it was drawn up on the company's calendar; a generated number can clash, so draw again a few times.
  const day = utcToLocalDateTime(ctx.occurredAt, company.timeZone).date;
  let number = '';
  let outcome: HandlerOutcome = APPLIED;
  for (let attempt = 0; ; attempt++) {
    number = formatEstimateNumber(
      day,
      randomJobNumberSuffix(() => randomInt(1_000_000) / 1_000_000),
    );
    try {
      outcome = await ctx.tx.transaction((savepoint) =>
        insertCreated(savepoint, ctx.user.orgId, estimates, { orgId: ctx.user.orgId, ...estimate, number }, expected),
      );
      break;
    } catch (error) {
      if (pgErrorCode(error) !== '23505' || attempt >= 4) throw error;
    }
  }
  // Another push saved the same create at the same moment: that one told everyone.
  if (outcome.outcome !== 'applied') return outcome;

  await writeActivity(ctx, {
    entityType: 'estimate',
    entityId: args.id,
    jobId: estimate.jobId,
    action: 'estimate.created',
    details: { number, title: estimate.title, totalCents: estimate.totalCents },
  });
  raiseEvent(ctx, {
    event: 'estimate.created',
    data: estimateEventData({ ...estimate, number, status: 'draft' }, customer.name, {
      fromStatus: 'draft',
      toStatus: 'draft',
    }),
  });
  await touchCustomer(ctx, args.customerId);
  return APPLIED;
}

/**
 * Lays the patch over a draft, field by field (the last change to arrive
 * wins; an estimate being drafted has one author at a time, so no conflict is
 * recorded), and computes the totals again.
 */
export async function updateEstimate(
  ctx: MutationContext,
  args: MutationArgs<'estimate.update'>,
): Promise<HandlerOutcome> {
  const row = await lockedEstimate(ctx, args.id);
  await estimateCustomer(ctx, row.customerId);
  const editable = checkEstimateEditable(row.status as EstimateStatus);
  if (!editable.ok) throw new MutationRejected(editable.code, editable.message);
  const { patch } = args;
  if (patch.customerId !== undefined && patch.customerId !== row.customerId) {
    await estimateCustomer(ctx, patch.customerId);
  }
  const merged = {
    customerId: patch.customerId ?? row.customerId,
    jobId: patch.jobId === undefined ? row.jobId : patch.jobId,
    title: patch.title ?? row.title,
    lines: patch.lines ?? (row.lines as EstimateLine[]),
    taxRateBasisPoints: patch.taxRateBasisPoints ?? row.taxRateBasisPoints,
    validUntil: patch.validUntil ?? row.validUntil,
    notes: patch.notes === undefined ? row.notes : patch.notes,
  };
  // A job named now, or kept while the customer changes, must be the (new) customer's.
  if (merged.jobId && (patch.jobId !== undefined || patch.customerId !== undefined)) {
    await requireCustomersJob(ctx, merged.jobId, merged.customerId);
  }
  await ctx.tx
    .update(estimates)
    .set({ ...merged, ...estimateTotalsFields(merged) })
    .where(and(eq(estimates.orgId, ctx.user.orgId), eq(estimates.id, args.id)));
  await writeActivity(ctx, {
    entityType: 'estimate',
    entityId: args.id,
    jobId: merged.jobId,
    action: 'estimate.updated',
    details: { fields: Object.keys(patch) },
  });
  await touchCustomer(ctx, row.customerId);
  if (merged.customerId !== row.customerId) await touchCustomer(ctx, merged.customerId);
  return APPLIED;
}

/**
 * Moves an estimate (`checkEstimateTransition`), judged against its status on
 * the server. Sending again what is already so changes nothing and raises no
 * second event. Accepting gives the job its agreed cost, creating the job
 * (open, for the estimate's customer and at their address) when there is none.
 */
export async function setEstimateStatus(
  ctx: MutationContext,
  args: MutationArgs<'estimate.setStatus'>,
): Promise<HandlerOutcome> {
  const row = await lockedEstimate(ctx, args.id);
  const customer = await estimateCustomer(ctx, row.customerId);
  const current = row.status as EstimateStatus;
  if (current === args.to) return APPLIED;
  const check = checkEstimateTransition({ from: current, to: args.to, actor: ctx.user.role, reason: args.reason });
  if (!check.ok) throw new MutationRejected(check.code, check.message);

  const changes: Partial<typeof estimates.$inferInsert> = { status: args.to };
  if (args.to === 'sent') changes.sentAt = ctx.occurredAt;
  if (args.to === 'draft') changes.sentAt = null;
  if (args.to === 'rejected') changes.rejectedReason = args.reason?.trim() ?? null;
  let jobId = row.jobId;
  if (args.to === 'accepted') {
    changes.acceptedAt = ctx.occurredAt;
    if (args.signatureAttachmentId) {
      await requireCustomersSignature(ctx, args.signatureAttachmentId, row.customerId);
      changes.signatureAttachmentId = args.signatureAttachmentId;
    }
    jobId = await agreeJobCost(ctx, row, customer);
    changes.jobId = jobId;
  }
  await ctx.tx
    .update(estimates)
    .set(changes)
    .where(and(eq(estimates.orgId, ctx.user.orgId), eq(estimates.id, args.id)));

  const reason = args.reason?.trim() || null;
  await writeActivity(ctx, {
    entityType: 'estimate',
    entityId: args.id,
    jobId,
    action: 'estimate.status_changed',
    details: { from: current, to: args.to, ...(reason ? { reason } : {}) },
  });
  raiseEvent(ctx, {
    event: 'estimate.status_changed',
    data: estimateEventData(
      {
        id: row.id,
        number: row.number,
        title: row.title,
        customerId: row.customerId,
        jobId,
        totalCents: row.totalCents,
        currency: row.currency,
        status: args.to,
      },
      customer.name,
      { fromStatus: current, toStatus: args.to, reason },
    ),
  });
  await touchCustomer(ctx, row.customerId);
  return APPLIED;
}

/** A signature given with an acceptance: an attachment of kind `signature` on a job of the estimate's customer. */
async function requireCustomersSignature(ctx: MutationContext, attachmentId: string, customerId: string) {
  const [signature] = await ctx.tx
    .select({ id: attachments.id })
    .from(attachments)
    .innerJoin(jobs, and(eq(jobs.orgId, attachments.orgId), eq(jobs.id, attachments.jobId)))
    .where(
      and(
        eq(attachments.orgId, ctx.user.orgId),
        eq(attachments.id, attachmentId),
        eq(attachments.kind, 'signature'),
        isNull(attachments.deletedAt),
        eq(jobs.customerId, customerId),
      ),
    );
  if (!signature) throw new MutationRejected('validation_failed', SIGNATURE_NOT_THEIRS_MESSAGE);
}

/**
 * The accepted total becomes the job's agreed cost: on the estimate's job, or
 * on a new one made the way `job.create` makes jobs. Answers the job's id.
 */
async function agreeJobCost(ctx: MutationContext, estimate: EstimateRow, customer: CustomerRow): Promise<string> {
  if (estimate.jobId) {
    await ctx.tx
      .update(jobs)
      .set({ agreedCostCents: estimate.totalCents })
      .where(and(eq(jobs.orgId, ctx.user.orgId), eq(jobs.id, estimate.jobId)));
    ctx.touchedJobIds.add(estimate.jobId);
    return estimate.jobId;
  }
  const jobId = randomUUID();
  const company = await companyOf(ctx);
  await insertNewJob(
    ctx,
    {
      id: jobId,
      title: estimate.title,
      customerId: estimate.customerId,
      trade: 'general',
      durationMinutes: 60,
      address: customer.address,
      lat: customer.lat,
      lng: customer.lng,
      agreedCostCents: estimate.totalCents,
    },
    {
      numberDay: utcToLocalDateTime(ctx.occurredAt, company.timeZone).date,
      activityDetails: { fromEstimateId: estimate.id, estimateNumber: estimate.number },
      eventData: { parentJobId: null, fromField: false },
    },
  );
  return jobId;
}

export async function createPriceListItem(
  ctx: MutationContext,
  args: MutationArgs<'priceListItem.create'>,
): Promise<HandlerOutcome> {
  const fields = { name: args.name, kind: args.kind, unit: args.unit, unitPriceCents: args.unitPriceCents };
  const outcome = await insertCreated(
    ctx.tx,
    ctx.user.orgId,
    priceListItems,
    { orgId: ctx.user.orgId, id: args.id, ...fields, archived: false },
    fields,
  );
  if (outcome.outcome !== 'applied') return outcome;
  await writeActivity(ctx, {
    entityType: 'price_list_item',
    entityId: args.id,
    action: 'priceListItem.created',
    details: { name: args.name },
  });
  // Every phone of the company offers the price list.
  ctx.touchedUserIds.add(EVERYONE);
  return APPLIED;
}

/** Lays the patch over the item; the last change to arrive wins, field by field (office configuration). */
export async function updatePriceListItem(
  ctx: MutationContext,
  args: MutationArgs<'priceListItem.update'>,
): Promise<HandlerOutcome> {
  const updated = await ctx.tx
    .update(priceListItems)
    .set(args.patch)
    .where(
      and(eq(priceListItems.orgId, ctx.user.orgId), eq(priceListItems.id, args.id), isNull(priceListItems.deletedAt)),
    )
    .returning({ id: priceListItems.id });
  if (updated.length === 0) throw new MutationRejected('not_found', PRICE_LIST_ITEM_GONE_MESSAGE);
  await writeActivity(ctx, {
    entityType: 'price_list_item',
    entityId: args.id,
    action: 'priceListItem.updated',
    details: { fields: Object.keys(args.patch) },
  });
  ctx.touchedUserIds.add(EVERYONE);
  return APPLIED;
}
