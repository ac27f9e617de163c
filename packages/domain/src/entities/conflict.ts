import { z } from 'zod';
import { conflictResolutionSchema, conflictStatusSchema } from '../enums/conflict-status';
import { idSchema, isoDateTimeSchema, TEXT_LIMITS, textSchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/**
 * Two concurrent edits of one field: both values, who made them and when.
 * `entity` is the synced table name (`jobs`, `materials`, …).
 */
export const conflictSchema = z.object({
  ...syncedRowShape,
  entity: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  entityId: idSchema,
  field: textSchema({ min: 1, max: TEXT_LIMITS.label }),
  winnerValue: z.json(),
  loserValue: z.json(),
  winnerBy: idSchema.nullable(),
  loserBy: idSchema.nullable(),
  winnerAt: isoDateTimeSchema.nullable(),
  loserAt: isoDateTimeSchema.nullable(),
  mutationClientId: idSchema.nullable(),
  mutationSeq: z.number().int().positive().nullable(),
  status: conflictStatusSchema,
  resolution: conflictResolutionSchema.nullable(),
  resolvedBy: idSchema.nullable(),
  resolvedAt: isoDateTimeSchema.nullable(),
});
export type Conflict = z.infer<typeof conflictSchema>;
