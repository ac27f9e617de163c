import { z } from 'zod';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const materialItemNameSchema = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });

/** Most of one item a job may need; the column (numeric(12, 3)) holds up to 999,999,999.999. */
export const MAX_MATERIAL_QUANTITY = 1_000_000;
/**
 * The column keeps three decimals: anything smaller than 0.001 would be stored
 * as 0, which is no quantity.
 */
export const materialQuantitySchema = z.number().min(0.001).max(MAX_MATERIAL_QUANTITY);

/** Something needed for a job; ticked off when bought. */
export const materialSchema = z
  .object({
    ...syncedRowShape,
    jobId: idSchema,
    itemName: materialItemNameSchema,
    quantity: materialQuantitySchema,
    unit: textSchema({ min: 1, max: TEXT_LIMITS.label }),
    purchased: z.boolean(),
    purchasedBy: idSchema.nullable(),
    purchasedAt: isoDateTimeSchema.nullable(),
    notes: textSchema({ max: TEXT_LIMITS.longText }).nullable(),
    addedBy: idSchema.nullable(),
    /** Added on the phone before the office's cancellation or reassignment reached it (see rules/late-work). */
    recordedAfterCancellation: z.boolean(),
  })
  .superRefine((row, ctx) => {
    // purchasedAt records the purchase itself, so it exists exactly when the item is bought.
    if (row.purchased !== (row.purchasedAt !== null)) {
      ctx.addIssue({ code: 'custom', path: ['purchasedAt'], message: 'purchasedAt is set exactly when purchased' });
    }
    if (!row.purchased && row.purchasedBy !== null) {
      ctx.addIssue({ code: 'custom', path: ['purchasedBy'], message: 'purchasedBy is only set when purchased' });
    }
  });
export type Material = z.infer<typeof materialSchema>;
