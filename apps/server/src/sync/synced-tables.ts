import type { SyncedTable } from '@fieldsync/domain';
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  activityLog,
  alertDeliveries,
  alertRules,
  assignments,
  attachments,
  conflicts,
  contractors,
  customers,
  estimates,
  jobNotes,
  jobStatusHistory,
  jobs,
  materials,
  notifications,
  organizations,
  priceListItems,
  ratings,
  users,
  workingHours,
} from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';

/** Wire table name → drizzle table, in the order a fresh client should apply them. */
export const SYNCED_TABLE_SOURCES = {
  organizations,
  users,
  contractors,
  workingHours,
  customers,
  jobs,
  assignments,
  materials,
  jobNotes,
  jobStatusHistory,
  attachments,
  activityLog,
  conflicts,
  ratings,
  notifications,
  alertRules,
  alertDeliveries,
  priceListItems,
  estimates,
} as const satisfies Record<SyncedTable, PgTable>;

/**
 * Columns that never leave the server: secrets, and what only the server uses
 * (an alert's payload for the worker). `createdAt` does leave: every row
 * schema in @fieldsync/domain requires it.
 */
const HIDDEN_COLUMNS = new Set(['orgId', 'passwordHash', 'lastLoginAt', 'webhookSecret', 'payload']);

type ColumnKind = 'timestamp' | 'time' | 'other';

const columnKinds = new Map<PgTable, Map<string, ColumnKind>>(
  Object.values(SYNCED_TABLE_SOURCES).map((table) => [
    table,
    new Map(
      Object.entries(getTableColumns(table)).map(([name, column]) => [
        name,
        column.columnType === 'PgTimestampString' ? 'timestamp' : column.columnType === 'PgTime' ? 'time' : 'other',
      ]),
    ),
  ]),
);

/**
 * A database row as the wire carries it: camelCase (drizzle already maps),
 * times as ISO 8601 UTC, `HH:MM` for times of day, no tenant or secret columns.
 */
export function toWireRow(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const kinds = columnKinds.get(table);
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (HIDDEN_COLUMNS.has(name)) continue;
    const kind = kinds?.get(name);
    if (kind === 'timestamp' && typeof value === 'string') wire[name] = toIsoTimestamp(value);
    else if (kind === 'time' && typeof value === 'string') wire[name] = value.slice(0, 5);
    else wire[name] = value;
  }
  return wire;
}
