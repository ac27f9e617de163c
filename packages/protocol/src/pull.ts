import { idSchema, isoDateTimeSchema, rowSchemas, SYNCED_TABLES, type SyncedTable } from '@fieldsync/domain';
import { z } from 'zod';

export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;

/** `GET /api/sync/pull` query. No `cursor` means from the beginning. */
export const pullQuerySchema = z.object({
  clientId: idSchema,
  /** Opaque to the client: send back what the last pull returned. */
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

const changesShape = Object.fromEntries(
  SYNCED_TABLES.map((table) => [table, z.array(rowSchemas[table]).optional()]),
) as { [T in SyncedTable]: z.ZodOptional<z.ZodArray<(typeof rowSchemas)[T]>> };

const removedShape = Object.fromEntries(SYNCED_TABLES.map((table) => [table, z.array(idSchema).optional()])) as {
  [T in SyncedTable]: z.ZodOptional<z.ZodArray<typeof idSchema>>;
};

/** The fields of a pull answer around its rows. */
const pullEnvelopeShape = {
  cursor: z.string(),
  hasMore: z.boolean(),
  /** The client may drop outbox entries up to this seq and rebase the rest. */
  lastSeq: z.number().int().min(0),
  /** The server's clock, for the client to measure its offset. */
  serverTime: isoDateTimeSchema,
};

/**
 * `GET /api/sync/pull` answer. `changes` holds full current rows per table,
 * `removed` ids to delete locally (tombstones and rows that left the user's
 * scope). Tables this build does not know are dropped, not an error. The
 * server types its answer with it; the app reads pages with
 * `pullEnvelopeSchema`.
 */
export const pullResponseSchema = z.object({
  ...pullEnvelopeShape,
  changes: z.object(changesShape),
  removed: z.object(removedShape),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
export type PullChanges = PullResponse['changes'];
export type PullRemoved = PullResponse['removed'];

/**
 * The same answer as the app reads it: the envelope is checked, the rows only
 * for an `id`, so one odd row never blocks sync (rows are the server's,
 * written through the same domain rules). Tables are kept by name: the app
 * skips the ones it does not hold. A missing `changes` or `removed` is empty.
 */
export const pullEnvelopeSchema = z.object({
  ...pullEnvelopeShape,
  changes: z.record(z.string(), z.array(z.looseObject({ id: idSchema }))).default({}),
  removed: z.record(z.string(), z.array(idSchema)).default({}),
});
export type PullEnvelope = z.infer<typeof pullEnvelopeSchema>;
