import {
  addAlertRuleIssues,
  alertRuleDefinitionShape,
  alertTemplateSchema,
  assignmentStatusSchema,
  attachmentCaptionSchema,
  attachmentContentTypeSchema,
  attachmentFileNameSchema,
  attachmentKindSchema,
  calendarDateSchema,
  conflictResolutionSchema,
  contractorSchema,
  customerSchema,
  dayOfWeekSchema,
  ESTIMATE_EDITABLE_FIELDS,
  emailSchema,
  estimateLinesSchema,
  estimateNotesSchema,
  estimateStatusSchema,
  estimateTitleSchema,
  idSchema,
  isoDateTimeSchema,
  jobNumberSchema,
  jobSchema,
  jobStatusSchema,
  MAX_ATTACHMENT_BYTES,
  materialSchema,
  noteBodySchema,
  organizationSchema,
  PRICE_LIST_EDITABLE_FIELDS,
  priceListItemShape,
  roleSchema,
  scoreBreakdownSchema,
  sha256HexSchema,
  signerNameSchema,
  starsSchema,
  TEXT_LIMITS,
  taxRateBasisPointsSchema,
  textSchema,
  timeOfDaySchema,
  userSchema,
  workingWindowProblem,
} from '@fieldsync/domain';
import { z } from 'zod';
import { EDITABLE_FIELDS } from './editable-fields';

/** Every mutation name the server accepts. Names are never removed while an installed app may still send them. */
export const MUTATION_NAMES = [
  'customer.create',
  'customer.update',
  'job.create',
  'job.update',
  'job.setStatus',
  'material.add',
  'material.update',
  'material.setPurchased',
  'material.remove',
  'note.add',
  'attachment.add',
  'attachment.remove',
  'assignment.create',
  'assignment.setStatus',
  'assignment.reschedule',
  'contractor.create',
  'contractor.update',
  'workingHours.set',
  'conflict.resolve',
  'rating.add',
  'user.invite',
  'user.update',
  'user.setActive',
  'org.update',
  'alertRule.create',
  'alertRule.update',
  'alertRule.remove',
  'alertDelivery.retry',
  'notification.markRead',
  'estimate.create',
  'estimate.update',
  'estimate.setStatus',
  'priceListItem.create',
  'priceListItem.update',
] as const;
export type MutationName = (typeof MUTATION_NAMES)[number];

function pickShape<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  shape: S,
  keys: readonly K[],
): Pick<S, K> {
  return Object.fromEntries(keys.map((key) => [key, shape[key]])) as Pick<S, K>;
}

/**
 * `{ id, patch, base }` for an `*.update`: `patch` holds new values of
 * editable fields only, `base` the values the device saw for the same fields.
 * Base values are compared, never written, so any JSON is accepted there:
 * a value an older rule allowed must not make the update unreadable.
 */
function updateArgsSchema<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  shape: S,
  keys: readonly K[],
) {
  return z.strictObject({ id: idSchema, ...patchAndBaseShape(shape, keys) }).superRefine(checkPatchAgainstBase);
}

function patchAndBaseShape<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  shape: S,
  keys: readonly K[],
) {
  const baseShape = Object.fromEntries(keys.map((key) => [key, z.json().optional()])) as {
    [P in K]: z.ZodOptional<z.ZodJSONSchema>;
  };
  return { patch: z.strictObject(pickShape(shape, keys)).partial(), base: z.strictObject(baseShape) };
}

function checkPatchAgainstBase(
  args: { patch: Record<string, unknown>; base: Record<string, unknown> },
  ctx: z.RefinementCtx,
) {
  const fields = Object.keys(args.patch);
  if (fields.length === 0) ctx.addIssue({ code: 'custom', path: ['patch'], message: 'patch changes no field' });
  for (const field of fields) {
    if (!Object.hasOwn(args.base, field)) {
      ctx.addIssue({ code: 'custom', path: ['base', field], message: 'base must hold the value the device saw' });
    }
  }
}

/** Why a status changed (a cancellation, a decline, a hold). */
const reasonSchema = textSchema({ max: TEXT_LIMITS.reason });

const customer = customerSchema.shape;
const job = jobSchema.shape;
const contractor = contractorSchema.shape;
const material = materialSchema.shape;

const customerCreateArgs = z.strictObject({
  id: idSchema,
  name: customer.name,
  phone: customer.phone.optional(),
  email: customer.email.optional(),
  address: customer.address.optional(),
  lat: customer.lat.optional(),
  lng: customer.lng.optional(),
  notes: customer.notes.optional(),
});

/** `jobNumber` and `status` may be left out: the server assigns a number and `open`. */
const jobCreateArgs = z.strictObject({
  id: idSchema,
  jobNumber: jobNumberSchema.optional(),
  status: z.literal('open').optional(),
  title: job.title,
  description: job.description.optional(),
  customerId: job.customerId,
  trade: job.trade,
  priority: job.priority.optional(),
  desiredDate: calendarDateSchema.nullable().optional(),
  durationMinutes: job.durationMinutes,
  address: job.address.optional(),
  lat: job.lat.optional(),
  lng: job.lng.optional(),
  specialRequirements: job.specialRequirements.optional(),
  requiredSkills: job.requiredSkills.optional(),
  requiresSignature: job.requiresSignature.optional(),
  /** A follow-up of this job; the only way a contractor may create a job (from one they hold). */
  parentJobId: idSchema.optional(),
});

const jobSetStatusArgs = z.strictObject({
  jobId: idSchema,
  /** The status the device saw; the server checks the move from its own current status. */
  from: jobStatusSchema,
  to: jobStatusSchema,
  reason: reasonSchema.optional(),
});

const materialAddArgs = z.strictObject({
  id: idSchema,
  jobId: idSchema,
  itemName: material.itemName,
  quantity: material.quantity,
  unit: material.unit,
  notes: material.notes.optional(),
});

/**
 * A file's metadata; its bytes follow by upload once this is applied. The
 * server checks `byteSize` against its own `MAX_UPLOAD_BYTES`.
 */
const attachmentAddArgs = z
  .strictObject({
    id: idSchema,
    jobId: idSchema,
    kind: attachmentKindSchema,
    fileName: attachmentFileNameSchema,
    contentType: attachmentContentTypeSchema,
    byteSize: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
    sha256: sha256HexSchema,
    takenAt: isoDateTimeSchema,
    caption: attachmentCaptionSchema.optional(),
    signerName: signerNameSchema.optional(),
  })
  .superRefine((args, ctx) => {
    if (args.kind === 'signature' && args.signerName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['signerName'], message: "a signature needs the signer's printed name" });
    }
    if (args.kind === 'signature' && args.contentType !== 'image/png') {
      ctx.addIssue({ code: 'custom', path: ['contentType'], message: 'a signature is a PNG image' });
    }
    if (args.kind === 'photo' && !args.contentType.startsWith('image/')) {
      ctx.addIssue({ code: 'custom', path: ['contentType'], message: 'a photo is an image' });
    }
  });

const assignmentCreateArgs = z
  .strictObject({
    id: idSchema,
    jobId: idSchema,
    contractorId: idSchema,
    start: isoDateTimeSchema,
    end: isoDateTimeSchema,
    /** The recommendation the dispatcher picked, if any. */
    score: z.strictObject({ total: z.number().min(0).max(1), breakdown: scoreBreakdownSchema }).optional(),
  })
  .refine((args) => Date.parse(args.end) > Date.parse(args.start), {
    path: ['end'],
    message: 'end must be after start',
  });

/** A booking's times, ISO instants; the end after the start. */
const scheduleTimes = z
  .strictObject({ start: isoDateTimeSchema, end: isoDateTimeSchema })
  .refine((times) => Date.parse(times.end) > Date.parse(times.start), {
    path: ['end'],
    message: 'end must be after start',
  });

/**
 * Moves a live assignment to new times. `base` holds the times the device
 * saw, so the server can tell a move made on stale times (see
 * docs/sync-protocol.md, "assignment.reschedule").
 */
const assignmentRescheduleArgs = z
  .strictObject({
    id: idSchema,
    start: isoDateTimeSchema,
    end: isoDateTimeSchema,
    base: scheduleTimes,
  })
  .refine((args) => Date.parse(args.end) > Date.parse(args.start), {
    path: ['end'],
    message: 'end must be after start',
  });

const assignmentSetStatusArgs = z.strictObject({
  id: idSchema,
  from: assignmentStatusSchema,
  to: assignmentStatusSchema,
  /** Expected when cancelling or declining. */
  reason: reasonSchema.optional(),
});

const contractorCreateArgs = z.strictObject({
  id: idSchema,
  userId: contractor.userId.optional(),
  name: contractor.name,
  trade: contractor.trade,
  skills: contractor.skills.optional(),
  /** A starting rating carried over from an earlier system; later the average of ratings. */
  rating: contractor.rating.optional(),
  status: contractor.status.optional(),
  phone: contractor.phone.optional(),
  email: contractor.email.optional(),
  baseAddress: contractor.baseAddress.optional(),
  baseLat: contractor.baseLat.optional(),
  baseLng: contractor.baseLng.optional(),
});

const workingDayArgs = z
  .strictObject({ dayOfWeek: dayOfWeekSchema, start: timeOfDaySchema, end: timeOfDaySchema })
  .superRefine((day, ctx) => {
    const problem = workingWindowProblem(day.start, day.end);
    if (problem) ctx.addIssue({ code: 'custom', path: ['end'], message: problem });
  });

/** Replaces the contractor's whole week: days not listed become days off. */
const workingHoursSetArgs = z
  .strictObject({ contractorId: idSchema, days: z.array(workingDayArgs).max(7) })
  .superRefine((args, ctx) => {
    const seen = new Set<number>();
    args.days.forEach((day, index) => {
      if (seen.has(day.dayOfWeek)) {
        ctx.addIssue({ code: 'custom', path: ['days', index, 'dayOfWeek'], message: 'each day may appear once' });
      }
      seen.add(day.dayOfWeek);
    });
  });

const user = userSchema.shape;

/**
 * Invites a person: their user row now, their password when they accept the
 * link. With `contractor`, the contractor row linked to them too.
 */
const userInviteArgs = z
  .strictObject({
    id: idSchema,
    email: emailSchema,
    name: user.name,
    role: roleSchema,
    contractor: z
      .strictObject({
        id: idSchema,
        trade: contractor.trade,
        skills: contractor.skills.optional(),
        phone: contractor.phone.optional(),
        baseAddress: contractor.baseAddress.optional(),
        baseLat: contractor.baseLat.optional(),
        baseLng: contractor.baseLng.optional(),
      })
      .optional(),
  })
  .superRefine((args, ctx) => {
    if (args.contractor && args.role !== 'contractor') {
      ctx.addIssue({ code: 'custom', path: ['contractor'], message: 'only a contractor has contractor details' });
    }
    if (args.contractor && (args.contractor.baseLat == null) !== (args.contractor.baseLng == null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contractor', 'baseLng'],
        message: 'give latitude and longitude together',
      });
    }
  });

/** The company's own settings: no id, a person belongs to one company. */
const orgUpdateArgs = z
  .strictObject(patchAndBaseShape(organizationSchema.shape, EDITABLE_FIELDS.organizations))
  .superRefine(checkPatchAgainstBase);

/**
 * A rule's editable fields: the definition's, where `webhook` and `template`
 * may also be cleared with null. The webhook's secret is write-only: a patch
 * carries it, no row ever does.
 */
/**
 * The fields `alertRule.update` may change. Not among `EDITABLE_FIELDS`: a
 * rule is office configuration, merged field by field with the last change
 * winning and no conflict record, and its `webhook` is not a row field.
 */
export const ALERT_RULE_EDITABLE_FIELDS = [
  'name',
  'event',
  'conditions',
  'channels',
  'recipients',
  'throttleMinutes',
  'active',
  'webhook',
  'template',
] as const;

const alertRuleFields = {
  ...alertRuleDefinitionShape,
  active: z.boolean(),
  webhook: alertRuleDefinitionShape.webhook.unwrap().nullable(),
  template: alertTemplateSchema.nullable(),
};

/** What `estimate.create` carries and `estimate.update` may change (totals are the server's to compute). */
const estimateFields = {
  customerId: idSchema,
  jobId: idSchema.nullable(),
  title: estimateTitleSchema,
  lines: estimateLinesSchema,
  taxRateBasisPoints: taxRateBasisPointsSchema,
  validUntil: calendarDateSchema,
  notes: estimateNotesSchema.nullable(),
};

const estimateCreateArgs = z.strictObject({
  id: idSchema,
  ...estimateFields,
  jobId: estimateFields.jobId.optional(),
  notes: estimateFields.notes.optional(),
});

/**
 * `reason` is required to reject; `signatureAttachmentId` names the
 * customer's signature (an attachment of kind `signature`) when accepting on site.
 */
const estimateSetStatusArgs = z
  .strictObject({
    id: idSchema,
    from: estimateStatusSchema,
    to: estimateStatusSchema,
    reason: reasonSchema.optional(),
    signatureAttachmentId: idSchema.optional(),
  })
  .refine((args) => args.signatureAttachmentId === undefined || args.to === 'accepted', {
    path: ['signatureAttachmentId'],
    message: 'a signature goes with accepting only',
  });

const priceListItemCreateArgs = z.strictObject({
  id: idSchema,
  name: priceListItemShape.name,
  kind: priceListItemShape.kind,
  unit: priceListItemShape.unit,
  unitPriceCents: priceListItemShape.unitPriceCents,
});

/**
 * The args schema of every mutation in docs/sync-protocol.md's catalogue. Objects are
 * strict: an unknown field is an error, not silently dropped.
 */
export const mutationArgsSchemas = {
  'customer.create': customerCreateArgs,
  'customer.update': updateArgsSchema(customer, EDITABLE_FIELDS.customers),
  'job.create': jobCreateArgs,
  'job.update': updateArgsSchema(job, EDITABLE_FIELDS.jobs),
  'job.setStatus': jobSetStatusArgs,
  'material.add': materialAddArgs,
  'material.update': updateArgsSchema(material, EDITABLE_FIELDS.materials),
  'material.setPurchased': z.strictObject({ id: idSchema, purchased: z.boolean() }),
  'material.remove': z.strictObject({ id: idSchema }),
  'note.add': z.strictObject({ id: idSchema, jobId: idSchema, body: noteBodySchema }),
  'attachment.add': attachmentAddArgs,
  'attachment.remove': z.strictObject({ id: idSchema }),
  'assignment.create': assignmentCreateArgs,
  'assignment.setStatus': assignmentSetStatusArgs,
  'assignment.reschedule': assignmentRescheduleArgs,
  'contractor.create': contractorCreateArgs,
  'contractor.update': updateArgsSchema(contractor, EDITABLE_FIELDS.contractors),
  'workingHours.set': workingHoursSetArgs,
  'conflict.resolve': z.strictObject({ id: idSchema, keep: conflictResolutionSchema }),
  'rating.add': z.strictObject({
    id: idSchema,
    assignmentId: idSchema,
    stars: starsSchema,
    comment: textSchema({ max: TEXT_LIMITS.reason }).optional(),
  }),
  'user.invite': userInviteArgs,
  'user.update': updateArgsSchema(user, EDITABLE_FIELDS.users),
  'user.setActive': z.strictObject({ id: idSchema, active: z.boolean() }),
  'org.update': orgUpdateArgs,
  'alertRule.create': z.strictObject({ id: idSchema, ...alertRuleDefinitionShape }).check(addAlertRuleIssues),
  // The merged rule is checked by the server (and the device) once the patch is laid over the row.
  'alertRule.update': updateArgsSchema(alertRuleFields, ALERT_RULE_EDITABLE_FIELDS),
  'alertRule.remove': z.strictObject({ id: idSchema }),
  'alertDelivery.retry': z.strictObject({ id: idSchema }),
  'notification.markRead': z.strictObject({ id: idSchema }),
  'estimate.create': estimateCreateArgs,
  'estimate.update': updateArgsSchema(estimateFields, ESTIMATE_EDITABLE_FIELDS),
  'estimate.setStatus': estimateSetStatusArgs,
  'priceListItem.create': priceListItemCreateArgs,
  'priceListItem.update': updateArgsSchema(priceListItemShape, PRICE_LIST_EDITABLE_FIELDS),
} as const satisfies { [N in MutationName]: z.ZodType };

/** The parsed args of mutation `N`. */
export type MutationArgs<N extends MutationName> = z.output<(typeof mutationArgsSchemas)[N]>;

/** True when `name` is in the catalogue. */
export function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(mutationArgsSchemas, name);
}
