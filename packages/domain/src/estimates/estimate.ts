import { z } from 'zod';
import { currencySchema } from '../company/organization';
import { syncedRowShape } from '../entities/synced-row';
import { calendarDateSchema, idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';

/** Where an estimate stands (seed 002): drafted, sent to the customer, then their answer or the lapse of time. */
export const ESTIMATE_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number];
export const estimateStatusSchema = z.enum(ESTIMATE_STATUSES);

/** What a line prices: hours of work, materials (by area or count), equipment, or anything else. */
export const ESTIMATE_LINE_KINDS = ['labor', 'material', 'equipment', 'other'] as const;
export type EstimateLineKind = (typeof ESTIMATE_LINE_KINDS)[number];
export const estimateLineKindSchema = z.enum(ESTIMATE_LINE_KINDS);

/** `EST-YYYYMMDD-XXXXXX`: the day it was drawn up and six upper-case letters or digits. */
export const ESTIMATE_NUMBER_PATTERN = /^EST-\d{8}-[A-Z0-9]{6}$/;
export const estimateNumberSchema = z
  .string()
  .regex(ESTIMATE_NUMBER_PATTERN, 'Expected an estimate number like EST-20261130-AB12CD');

/** Most lines one estimate may hold. */
export const MAX_ESTIMATE_LINES = 100;
/** Largest quantity on a line (hours, square feet, pieces). */
export const MAX_LINE_QUANTITY = 100_000;
/**
 * Largest unit price, either way, in cents ($100,000). A negative price is a
 * discount. With {@link MAX_LINE_QUANTITY} a line stays far inside what a
 * double holds exactly.
 */
export const MAX_UNIT_PRICE_CENTS = 10_000_000;

/** Quantities keep three decimals, like a material's: 2.5 hours, 120.125 sq ft. */
export const lineQuantitySchema = z
  .number()
  .min(0.001)
  .max(MAX_LINE_QUANTITY)
  .refine((quantity) => Math.abs(quantity * 1000 - Math.round(quantity * 1000)) < 1e-6, {
    message: 'a quantity has at most three decimals',
  });

export const unitPriceCentsSchema = z.number().int().min(-MAX_UNIT_PRICE_CENTS).max(MAX_UNIT_PRICE_CENTS);
/** Sales tax in hundredths of a percent (825 = 8.25 %), as in the company's settings. */
export const taxRateBasisPointsSchema = z.number().int().min(0).max(10_000);

export const estimateLineSchema = z.strictObject({
  id: idSchema,
  kind: estimateLineKindSchema,
  description: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  quantity: lineQuantitySchema,
  unit: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.label }),
  unitPriceCents: unitPriceCentsSchema,
});
export type EstimateLine = z.infer<typeof estimateLineSchema>;

/** An estimate's lines: at least one, each id once. */
export const estimateLinesSchema = z
  .array(estimateLineSchema)
  .min(1, 'an estimate needs at least one line')
  .max(MAX_ESTIMATE_LINES)
  .superRefine((lines, ctx) => {
    const seen = new Set<string>();
    lines.forEach((line, index) => {
      if (seen.has(line.id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'each line id may appear once' });
      seen.add(line.id);
    });
  });

export const estimateTitleSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });
export const estimateNotesSchema = textSchema({ max: TEXT_LIMITS.longText });
export const rejectedReasonSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.reason });

/**
 * A priced offer to a customer. Totals are integer cents computed by
 * `estimateTotals` from the lines and tax rate, by the server and the phone alike.
 */
export const estimateSchema = z.object({
  ...syncedRowShape,
  /** Empty on the phone until the server has drawn the number. */
  number: estimateNumberSchema.or(z.literal('')),
  customerId: idSchema,
  /** The job it prices; set when an accepted estimate creates its job. */
  jobId: idSchema.nullable(),
  title: estimateTitleSchema,
  lines: z.array(estimateLineSchema),
  taxRateBasisPoints: taxRateBasisPointsSchema,
  subtotalCents: z.number().int(),
  taxCents: z.number().int(),
  totalCents: z.number().int(),
  currency: currencySchema,
  status: estimateStatusSchema,
  /** The last day the offer holds, in the company's time zone. */
  validUntil: calendarDateSchema,
  notes: estimateNotesSchema.nullable(),
  sentAt: isoDateTimeSchema.nullable(),
  acceptedAt: isoDateTimeSchema.nullable(),
  rejectedReason: textSchema({ max: TEXT_LIMITS.reason }).nullable(),
  /** The customer's signature (an attachment of kind `signature`), when accepted with one. */
  signatureAttachmentId: idSchema.nullable(),
  createdBy: idSchema.nullable(),
});
export type Estimate = z.infer<typeof estimateSchema>;

/** The fields `estimate.update` may change, and only while the estimate is a draft. */
export const ESTIMATE_EDITABLE_FIELDS = [
  'customerId',
  'jobId',
  'title',
  'lines',
  'taxRateBasisPoints',
  'validUntil',
  'notes',
] as const;
export type EstimateEditableField = (typeof ESTIMATE_EDITABLE_FIELDS)[number];

/** Builds an estimate number from a `YYYY-MM-DD` day and a six-character suffix (see `randomJobNumberSuffix`). */
export function formatEstimateNumber(day: string, suffix: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${day}"`);
  const upper = suffix.toUpperCase();
  if (!/^[A-Z0-9]{6}$/.test(upper)) throw new RangeError(`Expected six letters or digits, got "${suffix}"`);
  return `EST-${day.replaceAll('-', '')}-${upper}`;
}
