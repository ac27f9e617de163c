import { z } from 'zod';
import { contractorStatusSchema } from '../enums/contractor-status';
import { tradeSchema } from '../enums/trade';
import { idSchema, latitudeSchema, longitudeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** A person (or crew) who does the work; may be linked to a user account. */
export const contractorSchema = z.object({
  ...syncedRowShape,
  userId: idSchema.nullable(),
  name: z.string().min(1),
  trade: tradeSchema,
  skills: z.array(z.string()),
  /** 0–5; the average of the contractor's ratings once there are any. */
  rating: z.number().min(0).max(5),
  status: contractorStatusSchema,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  baseAddress: z.string().nullable(),
  baseLat: latitudeSchema.nullable(),
  baseLng: longitudeSchema.nullable(),
});
export type Contractor = z.infer<typeof contractorSchema>;
