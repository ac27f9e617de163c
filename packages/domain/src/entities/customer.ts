import { z } from 'zod';
import { latitudeSchema, longitudeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** Someone the company works for. Archived customers stay for history. */
export const customerSchema = z.object({
  ...syncedRowShape,
  name: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  phone: textSchema({ max: TEXT_LIMITS.phone }).nullable(),
  email: textSchema({ max: TEXT_LIMITS.email }).nullable(),
  address: textSchema({ max: TEXT_LIMITS.address }).nullable(),
  lat: latitudeSchema.nullable(),
  lng: longitudeSchema.nullable(),
  notes: textSchema({ max: TEXT_LIMITS.longText }).nullable(),
  archived: z.boolean(),
});
export type Customer = z.infer<typeof customerSchema>;
