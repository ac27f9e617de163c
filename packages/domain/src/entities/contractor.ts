import { z } from 'zod';
import { contractorStatusSchema } from '../enums/contractor-status';
import { tradeSchema } from '../enums/trade';
import { idSchema, latitudeSchema, longitudeSchema, MAX_LIST_ITEMS, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** A person (or crew) who does the work; may be linked to a user account. */
export const contractorSchema = z.object({
  ...syncedRowShape,
  userId: idSchema.nullable(),
  name: textSchema({ min: 1, max: TEXT_LIMITS.name }),
  trade: tradeSchema,
  skills: z.array(textSchema({ max: TEXT_LIMITS.label })).max(MAX_LIST_ITEMS),
  /** 0–5; the average of the contractor's ratings once there are any. */
  rating: z.number().min(0).max(5),
  status: contractorStatusSchema,
  phone: textSchema({ max: TEXT_LIMITS.phone }).nullable(),
  email: textSchema({ max: TEXT_LIMITS.email }).nullable(),
  baseAddress: textSchema({ max: TEXT_LIMITS.address }).nullable(),
  baseLat: latitudeSchema.nullable(),
  baseLng: longitudeSchema.nullable(),
});
export type Contractor = z.infer<typeof contractorSchema>;
