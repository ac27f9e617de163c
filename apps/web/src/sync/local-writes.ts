import type { Role, SyncedRow, SyncedTable } from '@fieldsync/domain';
import type { FieldsyncDatabase, LocalRow } from './database';

/**
 * Everything an optimistic apply needs. Used both when a person makes a
 * change (`replay: false`: a refusal is thrown to the caller) and when a
 * rebase re-applies a still-pending change on top of fresh server rows
 * (`replay: true`: a refusal only skips the local effect; the server decides).
 */
export interface ApplyContext {
  db: FieldsyncDatabase;
  seq: number;
  clientId: string;
  userId: string;
  role: Role;
  /** The contractor row of the signed-in person, when they are a contractor. */
  ownContractorId: string | undefined;
  /** Skew-corrected device time of the change (ISO). */
  occurredAt: string;
  replay: boolean;
  /** The id of the `index`-th row this change makes up locally (stable across rebases). */
  localId(): string;
}

type AnyRow = Record<string, unknown> & { id: string };

/** Strips local marks so a shadow holds exactly the server's row. */
export function stripLocalMarks<T extends object>(row: T): T {
  const { _pendingSeq: _ignored, ...rest } = row as T & { _pendingSeq?: number };
  return rest as T;
}

function tableOf(ctx: ApplyContext, table: SyncedTable) {
  return ctx.db.table<AnyRow, string>(table);
}

/** Keeps the server's copy of a row the first time this device changes it, so a rebase can restore it. */
async function keepShadow(ctx: ApplyContext, table: SyncedTable, id: string, existing: AnyRow | undefined) {
  const shadow = await ctx.db.shadows.get([table, id]);
  if (shadow) return;
  await ctx.db.shadows.put({ table, id, base: existing ? stripLocalMarks(existing) : null });
}

export async function getRow<T extends SyncedTable>(
  ctx: ApplyContext,
  table: T,
  id: string,
): Promise<LocalRow<T> | undefined> {
  return (await tableOf(ctx, table).get(id)) as LocalRow<T> | undefined;
}

/** Changes fields of an existing local row; returns the new row, or undefined when there is none. */
export async function updateRow<T extends SyncedTable>(
  ctx: ApplyContext,
  table: T,
  id: string,
  changes: Partial<SyncedRow<T>>,
): Promise<LocalRow<T> | undefined> {
  const existing = await tableOf(ctx, table).get(id);
  if (!existing) return undefined;
  await keepShadow(ctx, table, id, existing);
  const next = { ...existing, ...changes, id, updatedAt: ctx.occurredAt, _pendingSeq: ctx.seq } as AnyRow;
  await tableOf(ctx, table).put(next);
  return next as unknown as LocalRow<T>;
}

/** Adds a row made on this device. Server-owned columns get provisional values until the next pull. */
export async function createRow<T extends SyncedTable>(
  ctx: ApplyContext,
  table: T,
  row: Omit<SyncedRow<T>, 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>,
): Promise<void> {
  const existing = await tableOf(ctx, table).get(row.id);
  await keepShadow(ctx, table, row.id, existing);
  await tableOf(ctx, table).put({
    version: 0,
    createdAt: ctx.occurredAt,
    updatedAt: ctx.occurredAt,
    deletedAt: null,
    ...row,
    _pendingSeq: ctx.seq,
  } as AnyRow);
}

/** Deletes a local row; the shadow keeps the server's copy until a pull confirms. */
export async function removeRow(ctx: ApplyContext, table: SyncedTable, id: string): Promise<void> {
  const existing = await tableOf(ctx, table).get(id);
  if (!existing) return;
  await keepShadow(ctx, table, id, existing);
  await tableOf(ctx, table).delete(id);
}
