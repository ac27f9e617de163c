import { z } from 'zod';
import { idSchema, isoDateTimeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

export const materialItemNameSchema = z.string().trim().min(1).max(200);
export const materialQuantitySchema = z.number().positive();

/** Something needed for a job; ticked off when bought. */
export const materialSchema = z
  .object({
    ...syncedRowShape,
    jobId: idSchema,
    itemName: materialItemNameSchema,
    quantity: materialQuantitySchema,
    unit: z.string().min(1),
    purchased: z.boolean(),
    purchasedBy: idSchema.nullable(),
    purchasedAt: isoDateTimeSchema.nullable(),
    notes: z.string().nullable(),
    addedBy: idSchema.nullable(),
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
