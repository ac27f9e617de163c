import { z } from 'zod';
import { jobStatusSchema } from '../enums/job-status';
import { prioritySchema } from '../enums/priority';
import { tradeSchema } from '../enums/trade';
import { JOB_NUMBER_PATTERN } from '../job-number';
import {
  calendarDateSchema,
  idSchema,
  latitudeSchema,
  longitudeSchema,
  MAX_LIST_ITEMS,
  TEXT_LIMITS,
  textSchema,
} from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const MIN_JOB_DURATION_MINUTES = 30;
export const MAX_JOB_DURATION_MINUTES = 480;
/** What a person is told when a job is longer than {@link MAX_JOB_DURATION_MINUTES}. */
export const JOB_TOO_LONG_MESSAGE = 'A job can be at most 8 hours. For longer work, create one job per day.';

export const jobNumberSchema = z.string().regex(JOB_NUMBER_PATTERN, 'Expected a job number like JOB-20261121-AB12CD');
export const jobTitleSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });
export const jobDurationSchema = z.number().int().min(MIN_JOB_DURATION_MINUTES).max(MAX_JOB_DURATION_MINUTES);
/** Skills a contractor needs for the job, as free labels (`hardwood refinishing`); compared case-insensitively. */
export const requiredSkillsSchema = z
  .array(textSchema({ trim: true, min: 1, max: TEXT_LIMITS.label }))
  .max(MAX_LIST_ITEMS);

/** Money on a job, in integer cents: up to ten billion dollars either way. */
export const costCentsSchema = z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000);

/** A piece of work at a customer's site. */
export const jobSchema = z.object({
  ...syncedRowShape,
  jobNumber: jobNumberSchema,
  title: jobTitleSchema,
  description: textSchema({ max: TEXT_LIMITS.longText }).nullable(),
  customerId: idSchema.nullable(),
  trade: tradeSchema,
  priority: prioritySchema,
  status: jobStatusSchema,
  /** `YYYY-MM-DD` in the organisation's time zone. */
  desiredDate: calendarDateSchema.nullable(),
  durationMinutes: jobDurationSchema,
  address: textSchema({ max: TEXT_LIMITS.address }).nullable(),
  lat: latitudeSchema.nullable(),
  lng: longitudeSchema.nullable(),
  specialRequirements: z.array(textSchema({ max: TEXT_LIMITS.name })).max(MAX_LIST_ITEMS),
  /** Contractors lacking any of these are not recommended for the job. */
  requiredSkills: requiredSkillsSchema,
  /** The customer signs on completion. */
  requiresSignature: z.boolean(),
  /** The job this one follows up, when a contractor created it from the field. */
  parentJobId: idSchema.nullable(),
  /** What the customer agreed to pay: the accepted estimate's total, in cents. */
  agreedCostCents: costCentsSchema.nullable(),
  /** What the job really came to, set at completion, in cents. */
  actualCostCents: costCentsSchema.nullable(),
  /** Why the actual cost differs from the agreed one (required when it does, see `checkJobCosts`). */
  costDifferenceReason: textSchema({ max: TEXT_LIMITS.reason }).nullable(),
  createdBy: idSchema.nullable(),
});
export type Job = z.infer<typeof jobSchema>;
