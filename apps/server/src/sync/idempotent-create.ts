/**
 * Creates are idempotent by id: the same id with the same content is a
 * duplicate (nothing done); with different content it is refused.
 */
import { deepEqualJson } from '@fieldsync/domain';
import { and, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/database';
import type { jobNotes, jobs } from '../db/schema';
import { APPLIED, type HandlerOutcome, MutationRejected } from './mutation-context';
import { toWireRow } from './synced-tables';

/** A synced table: keyed by organisation and id. */
type OrgTable = PgTable & { orgId: unknown; id: unknown };

/**
 * Inserts a created row unless its id is taken; a taken id is a duplicate
 * when the stored row matches, else an id conflict. One statement when new.
 */
export async function insertCreated(
  tx: Tx,
  orgId: string,
  table: OrgTable,
  values: Record<string, unknown>,
  expected: Record<string, unknown>,
): Promise<HandlerOutcome> {
  const typed = table as unknown as typeof jobNotes;
  const inserted = await tx
    .insert(typed)
    .values(values as typeof jobNotes.$inferInsert)
    .onConflictDoNothing({ target: [typed.orgId, typed.id] })
    .returning({ id: typed.id });
  if (inserted.length > 0) return APPLIED;
  return (await existingCreate(tx, orgId, table, String(values.id), expected)) ?? APPLIED;
}

/**
 * Checks a create against a row already stored under its id: undefined when
 * there is none, a duplicate when the fields in `expected` match (undefined
 * ones are not compared), else refused with `id_conflict`.
 */
export async function existingCreate(
  tx: Tx,
  orgId: string,
  table: OrgTable,
  id: string,
  expected: Record<string, unknown>,
): Promise<HandlerOutcome | undefined> {
  const typed = table as unknown as typeof jobs;
  const [existing] = await tx
    .select()
    .from(typed)
    .where(and(eq(typed.orgId, orgId), eq(typed.id, id)));
  if (!existing) return undefined;
  const wire = toWireRow(table, existing as Record<string, unknown>);
  const same = Object.entries(expected).every(
    ([field, value]) => value === undefined || deepEqualJson(wire[field], value),
  );
  if (same) return { outcome: 'duplicate' };
  throw new MutationRejected('id_conflict', 'Something else was already saved under this id.');
}
