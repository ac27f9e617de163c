import { idSchema, isoDateTimeSchema } from '@fieldsync/domain';
import { z } from 'zod';

/** Most mutations one push may carry; more is a 400 `too_many_mutations`. */
export const MAX_PUSH_MUTATIONS = 500;
/** Largest push body in bytes (1 MiB); more is a 400 `body_too_large`. */
export const MAX_PUSH_BYTES = 1024 * 1024;

/**
 * One outbox entry as pushed. `args` is checked per mutation by
 * `parseMutationArgs`, so bad args reject that mutation only, never the batch.
 */
export const pushMutationSchema = z.strictObject({
  /** 1, 2, 3, … per client, without gaps. */
  seq: z.number().int().min(1),
  name: z.string().min(1),
  /** When the change was made on the device (device clock). */
  occurredAt: isoDateTimeSchema,
  args: z.unknown(),
});
export type PushMutation = z.infer<typeof pushMutationSchema>;

/** `POST /api/sync/push` body. Unknown envelope fields make the whole body a 400. */
export const pushRequestSchema = z.strictObject({
  clientId: idSchema,
  mutations: z.array(pushMutationSchema).max(MAX_PUSH_MUTATIONS),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** Every outcome a pushed mutation can have: the one list, used by client, server and its ledger. */
export const MUTATION_OUTCOMES = ['applied', 'conflict', 'rejected', 'duplicate'] as const;
/**
 * `applied`; `conflict` (applied with a merge or lost to a concurrent change,
 * see `conflictId`); `rejected` (not applied, see `error`); `duplicate`
 * (seq already processed, nothing done).
 */
export const mutationOutcomeSchema = z.enum(MUTATION_OUTCOMES);
export type MutationOutcome = z.infer<typeof mutationOutcomeSchema>;

/** Why a pushed mutation was rejected: a code (see `ERROR_CODES`, read as any string) and a message. */
const mutationErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

/** What happened to one pushed mutation. */
export const mutationResultSchema = z.object({
  seq: z.number().int().min(1),
  outcome: mutationOutcomeSchema,
  conflictId: idSchema.optional(),
  error: mutationErrorSchema.optional(),
  /**
   * On a `duplicate`: the outcome the server recorded the first time, so a
   * client whose earlier response was lost still learns about a rejection.
   */
  recorded: z
    .object({
      outcome: mutationOutcomeSchema,
      conflictId: idSchema.optional(),
      error: mutationErrorSchema.optional(),
    })
    .optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

/**
 * `POST /api/sync/push` answer. `lastSeq` is the highest seq the server has
 * processed for the client; `expectedSeq` is present after a `seq_gap`.
 * Not strict: the server may add fields.
 */
export const pushResponseSchema = z.object({
  lastSeq: z.number().int().min(0),
  results: z.array(mutationResultSchema),
  expectedSeq: z.number().int().min(1).optional(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
