import { z } from 'zod';
import { latitudeSchema, longitudeSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** Someone the company works for. Archived customers stay for history. */
export const customerSchema = z.object({
  ...syncedRowShape,
  name: z.string().trim().min(1),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  lat: latitudeSchema.nullable(),
  lng: longitudeSchema.nullable(),
  notes: z.string().nullable(),
  archived: z.boolean(),
});
export type Customer = z.infer<typeof customerSchema>;
