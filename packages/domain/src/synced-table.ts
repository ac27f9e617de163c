import { z } from 'zod';

/** The tables a client holds a copy of, by their wire names (`changes`/`removed` keys in a pull). */
export const SYNCED_TABLES = [
  'organizations',
  'users',
  'contractors',
  'workingHours',
  'customers',
  'jobs',
  'assignments',
  'materials',
  'jobNotes',
  'jobStatusHistory',
  'attachments',
  'activityLog',
  'conflicts',
  'ratings',
  'notifications',
  'alertRules',
  'alertDeliveries',
  'priceListItems',
  'estimates',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];
export const syncedTableSchema = z.enum(SYNCED_TABLES);
