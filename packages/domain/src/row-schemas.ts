import type { z } from 'zod';
import { organizationSchema } from './company/organization';
import { activityLogSchema } from './entities/activity-log';
import { alertDeliverySchema } from './entities/alert-delivery';
import { alertRuleSchema } from './entities/alert-rule';
import { assignmentSchema } from './entities/assignment';
import { attachmentSchema } from './entities/attachment';
import { conflictSchema } from './entities/conflict';
import { contractorSchema } from './entities/contractor';
import { customerSchema } from './entities/customer';
import { jobSchema } from './entities/job';
import { jobNoteSchema } from './entities/job-note';
import { jobStatusHistorySchema } from './entities/job-status-history';
import { materialSchema } from './entities/material';
import { notificationSchema } from './entities/notification';
import { ratingSchema } from './entities/rating';
import { userSchema } from './entities/user';
import { workingHoursSchema } from './entities/working-hours';
import { estimateSchema } from './estimates/estimate';
import { priceListItemSchema } from './estimates/price-list-item';
import type { SyncedTable } from './synced-table';

/** The schema of one row of each synced table, keyed by wire table name. */
export const rowSchemas = {
  organizations: organizationSchema,
  users: userSchema,
  contractors: contractorSchema,
  workingHours: workingHoursSchema,
  customers: customerSchema,
  jobs: jobSchema,
  assignments: assignmentSchema,
  materials: materialSchema,
  jobNotes: jobNoteSchema,
  jobStatusHistory: jobStatusHistorySchema,
  attachments: attachmentSchema,
  activityLog: activityLogSchema,
  conflicts: conflictSchema,
  ratings: ratingSchema,
  notifications: notificationSchema,
  alertRules: alertRuleSchema,
  alertDeliveries: alertDeliverySchema,
  priceListItems: priceListItemSchema,
  estimates: estimateSchema,
} as const satisfies { [T in SyncedTable]: z.ZodType };

/** The row type of a synced table: `SyncedRow<'jobs'>` is `Job`. */
export type SyncedRow<T extends SyncedTable> = z.infer<(typeof rowSchemas)[T]>;
