/**
 * The whole data model as drizzle tables. Column names are written in
 * camelCase here and mapped to snake_case (`casing: 'snake_case'`) both by
 * drizzle-kit and at runtime.
 *
 * Multi-tenancy: every table but `organizations` carries `orgId`, and `orgId`
 * leads every primary key, foreign key and index that matters, so the tables
 * can later be distributed by `org_id` (Citus) without changing keys.
 *
 * Synced tables carry `version` (from the one `change_version_seq`), `updatedAt`
 * and `deletedAt`. A trigger (see migrations) bumps `version` and `updatedAt`
 * on every UPDATE, so no code path can change a row without pulls seeing it.
 *
 * Constraints that drizzle cannot express (the exclusion constraint, the
 * version trigger, the btree_gist extension) live in hand-written migrations
 * (0001_guards, 0002_safe_pull_versions), as do the ledger's expression index
 * and the contractors-by-name index.
 */
import type { ScoringWeights } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const changeVersionSeq = pgSequence('change_version_seq', { startWith: 1, increment: 1 });

const timestamptz = (name?: string) =>
  name ? timestamp(name, { withTimezone: true, mode: 'string' }) : timestamp({ withTimezone: true, mode: 'string' });

/** Columns every synced table has. */
const syncColumns = () => ({
  orgId: uuid().notNull(),
  id: uuid().notNull(),
  version: bigint({ mode: 'number' }).notNull().default(sql`nextval('change_version_seq')`),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
  deletedAt: timestamptz(),
});

const inListSql = (column: string, values: readonly string[]) =>
  `${column} in (${values.map((value) => `'${value}'`).join(', ')})`;
const inList = (column: string, values: readonly string[]) => sql.raw(inListSql(column, values));

const ROLE_VALUES = ['admin', 'dispatcher', 'contractor'] as const;
const TRADE_VALUES = ['flooring', 'tile', 'carpet', 'paving', 'general', 'multi'] as const;
const PRIORITY_VALUES = ['low', 'medium', 'high', 'urgent'] as const;
const JOB_STATUS_VALUES = [
  'open',
  'scheduled',
  'in_progress',
  'waiting_on_materials',
  'on_hold',
  'completed',
  'cancelled',
] as const;
const ASSIGNMENT_STATUS_VALUES = ['pending', 'confirmed', 'declined', 'in_progress', 'completed', 'cancelled'] as const;
const CONTRACTOR_STATUS_VALUES = ['active', 'inactive', 'on_leave'] as const;
const SOURCE_VALUES = ['mobile_app', 'dispatcher_web', 'api', 'system'] as const;
const OUTCOME_VALUES = ['applied', 'conflict', 'rejected', 'duplicate'] as const;

const latLngChecks = (table: string, lat: string, lng: string) => [
  check(`${table}_${lat}_range`, sql.raw(`${lat} is null or ${lat} between -90 and 90`)),
  check(`${table}_${lng}_range`, sql.raw(`${lng} is null or ${lng} between -180 and 180`)),
  check(`${table}_${lat}_${lng}_together`, sql.raw(`(${lat} is null) = (${lng} is null)`)),
];

/**
 * A company. Synced like the other tables (its own row only), so it has
 * `version`, `updatedAt` and `deletedAt` but, being the tenant, no `orgId`.
 * Defaults match `DEFAULT_ORGANIZATION_SETTINGS` in the domain package.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid().primaryKey(),
    version: bigint({ mode: 'number' }).notNull().default(sql`nextval('change_version_seq')`),
    name: text().notNull(),
    timeZone: text().notNull().default('UTC'),
    timeFormat: text().notNull().default('24h'),
    scoringWeights: jsonb()
      .$type<ScoringWeights>()
      .notNull()
      .default({ availability: 0.4, rating: 0.35, distance: 0.25 }),
    maxDistanceMiles: doublePrecision().notNull().default(50),
    overdueMinutes: integer().notNull().default(30),
    staleDeviceHours: integer().notNull().default(4),
    currency: text().notNull().default('USD'),
    taxRateBasisPoints: integer().notNull().default(0),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    deletedAt: timestamptz(),
  },
  (t) => [
    index('organizations_version_idx').on(t.version),
    check('organizations_time_format_check', inList('time_format', ['12h', '24h'])),
    check('organizations_max_distance_positive', sql`${t.maxDistanceMiles} > 0`),
    check('organizations_overdue_minutes_positive', sql`${t.overdueMinutes} > 0`),
    check('organizations_stale_device_hours_positive', sql`${t.staleDeviceHours} > 0`),
    check('organizations_tax_rate_range', sql`${t.taxRateBasisPoints} between 0 and 10000`),
  ],
);

export const users = pgTable(
  'users',
  {
    ...syncColumns(),
    email: text().notNull(),
    /** Null while an invite is open: the person chooses it when they accept. */
    passwordHash: text(),
    name: text().notNull(),
    role: text().notNull(),
    active: boolean('is_active').notNull().default(true),
    /** The last sign-in with a password (kept off the wire). */
    lastLoginAt: timestamptz(),
    invitedAt: timestamptz(),
    /** The last sign-in or token refresh, at most once per `LAST_SEEN_RESOLUTION_MS`. */
    lastSeenAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Sign-in looks a user up by email before any organisation is known, so
    // emails are unique across the deployment, case-insensitively.
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    index('users_org_version_idx').on(t.orgId, t.version),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('users_role_check', inList('role', ROLE_VALUES)),
    check('users_email_check', sql`position('@' in ${t.email}) > 1`),
  ],
);

/**
 * Single-use links to choose a password: an invite, or a reset the admin
 * issued. Only the SHA-256 of the token is kept. Asking for a new link
 * revokes the open ones of that user.
 */
export const inviteTokens = pgTable(
  'invite_tokens',
  {
    orgId: uuid().notNull(),
    id: uuid().notNull(),
    userId: uuid().notNull(),
    tokenHash: text().notNull(),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    revokedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Accepting looks the token up before the organisation is known.
    uniqueIndex('invite_tokens_hash_key').on(t.tokenHash),
    index('invite_tokens_org_user_idx').on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

export const contractors = pgTable(
  'contractors',
  {
    ...syncColumns(),
    userId: uuid(),
    name: text().notNull(),
    trade: text().notNull(),
    skills: jsonb().notNull().default([]),
    rating: numeric({ precision: 3, scale: 2, mode: 'number' }).notNull().default(0),
    status: text().notNull().default('active'),
    phone: text(),
    email: text(),
    baseAddress: text(),
    baseLat: doublePrecision(),
    baseLng: doublePrecision(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('contractors_org_user_key').on(t.orgId, t.userId),
    index('contractors_org_version_idx').on(t.orgId, t.version),
    index('contractors_org_trade_status_idx').on(t.orgId, t.trade, t.status),
    // Recommendations' candidates: active, of a trade, in a box around the job (the box is checked in the index).
    index('contractors_org_trade_location_idx')
      .on(t.orgId, t.trade, t.baseLat, t.baseLng)
      .where(sql`${t.deletedAt} is null and ${t.status} = 'active'`),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    // A contractor outlives the login: deleting a user unlinks, never deletes, the contractor.
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('restrict'),
    check('contractors_rating_range', sql`${t.rating} between 0 and 5`),
    check('contractors_trade_check', inList('trade', TRADE_VALUES)),
    check('contractors_status_check', inList('status', CONTRACTOR_STATUS_VALUES)),
    check('contractors_skills_array', sql`jsonb_typeof(${t.skills}) = 'array'`),
    ...latLngChecks('contractors', 'base_lat', 'base_lng'),
  ],
);

export const workingHours = pgTable(
  'working_hours',
  {
    ...syncColumns(),
    contractorId: uuid().notNull(),
    dayOfWeek: smallint().notNull(),
    startTime: time().notNull(),
    endTime: time().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('working_hours_org_contractor_day_key').on(t.orgId, t.contractorId, t.dayOfWeek),
    index('working_hours_org_version_idx').on(t.orgId, t.version),
    foreignKey({ columns: [t.orgId, t.contractorId], foreignColumns: [contractors.orgId, contractors.id] }).onDelete(
      'cascade',
    ),
    check('working_hours_day_range', sql`${t.dayOfWeek} between 0 and 6`),
    check('working_hours_end_after_start', sql`${t.endTime} > ${t.startTime}`),
    check('working_hours_max_16h', sql`${t.endTime} - ${t.startTime} <= interval '16 hours'`),
  ],
);

export const customers = pgTable(
  'customers',
  {
    ...syncColumns(),
    name: text().notNull(),
    phone: text(),
    email: text(),
    address: text(),
    lat: doublePrecision(),
    lng: doublePrecision(),
    notes: text(),
    archived: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('customers_org_version_idx').on(t.orgId, t.version),
    index('customers_org_name_idx').on(t.orgId, t.name),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('customers_name_not_blank', sql`length(trim(${t.name})) > 0`),
    ...latLngChecks('customers', 'lat', 'lng'),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    ...syncColumns(),
    jobNumber: text().notNull(),
    title: text().notNull(),
    description: text(),
    customerId: uuid(),
    trade: text().notNull(),
    priority: text().notNull().default('medium'),
    status: text().notNull().default('open'),
    desiredDate: date({ mode: 'string' }),
    durationMinutes: integer().notNull().default(60),
    address: text(),
    lat: doublePrecision(),
    lng: doublePrecision(),
    specialRequirements: jsonb().notNull().default([]),
    /** Skills every contractor on the job must have; contractors lacking one are not recommended. */
    requiredSkills: jsonb().notNull().default([]),
    requiresSignature: boolean().notNull().default(false),
    /** The job this one follows up, when a contractor created it from the field. */
    parentJobId: uuid(),
    /** The accepted estimate's total, in cents. */
    agreedCostCents: bigint({ mode: 'number' }),
    /** What the job came to, in cents. */
    actualCostCents: bigint({ mode: 'number' }),
    costDifferenceReason: text(),
    createdBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('jobs_org_job_number_key').on(t.orgId, t.jobNumber),
    index('jobs_org_version_idx').on(t.orgId, t.version),
    // The active jobs board: by status and date.
    index('jobs_org_status_date_idx').on(t.orgId, t.status, t.desiredDate),
    index('jobs_org_customer_idx').on(t.orgId, t.customerId),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    // Jobs are history: a customer with jobs cannot be hard-deleted (archive it instead).
    foreignKey({ columns: [t.orgId, t.customerId], foreignColumns: [customers.orgId, customers.id] }).onDelete(
      'restrict',
    ),
    check('jobs_job_number_format', sql`${t.jobNumber} ~ '^JOB-[0-9]{8}-[A-Z0-9]{6}$'`),
    check('jobs_title_not_blank', sql`length(trim(${t.title})) > 0`),
    check('jobs_duration_range', sql`${t.durationMinutes} between 30 and 480`),
    check('jobs_trade_check', inList('trade', TRADE_VALUES)),
    check('jobs_priority_check', inList('priority', PRIORITY_VALUES)),
    check('jobs_status_check', inList('status', JOB_STATUS_VALUES)),
    check('jobs_special_requirements_array', sql`jsonb_typeof(${t.specialRequirements}) = 'array'`),
    check('jobs_required_skills_array', sql`jsonb_typeof(${t.requiredSkills}) = 'array'`),
    ...latLngChecks('jobs', 'lat', 'lng'),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    ...syncColumns(),
    jobId: uuid().notNull(),
    contractorId: uuid().notNull(),
    status: text().notNull().default('pending'),
    scheduledStart: timestamptz().notNull(),
    scheduledEnd: timestamptz().notNull(),
    score: numeric({ precision: 6, scale: 4, mode: 'number' }),
    scoreBreakdown: jsonb(),
    cancellationReason: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('assignments_org_job_contractor_key').on(t.orgId, t.jobId, t.contractorId),
    index('assignments_org_version_idx').on(t.orgId, t.version),
    // The worker's jobs: a contractor's assignments by time.
    index('assignments_org_contractor_start_idx').on(t.orgId, t.contractorId, t.scheduledStart),
    index('assignments_org_job_idx').on(t.orgId, t.jobId),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.contractorId], foreignColumns: [contractors.orgId, contractors.id] }).onDelete(
      'restrict',
    ),
    check('assignments_status_check', inList('status', ASSIGNMENT_STATUS_VALUES)),
    check('assignments_end_after_start', sql`${t.scheduledEnd} > ${t.scheduledStart}`),
    check('assignments_score_range', sql`${t.score} is null or ${t.score} between 0 and 1`),
  ],
);

export const materials = pgTable(
  'materials',
  {
    ...syncColumns(),
    jobId: uuid().notNull(),
    itemName: text().notNull(),
    quantity: numeric({ precision: 12, scale: 3, mode: 'number' }).notNull(),
    unit: text().notNull().default('each'),
    purchased: boolean().notNull().default(false),
    purchasedBy: uuid(),
    purchasedAt: timestamptz(),
    notes: text(),
    addedBy: uuid(),
    /** Added on the phone before the office's cancellation or reassignment reached it. */
    recordedAfterCancellation: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('materials_org_version_idx').on(t.orgId, t.version),
    index('materials_org_job_idx').on(t.orgId, t.jobId),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }).onDelete('cascade'),
    check('materials_quantity_positive', sql`${t.quantity} > 0`),
    check('materials_item_not_blank', sql`length(trim(${t.itemName})) > 0`),
    check(
      'materials_purchased_consistent',
      sql`(${t.purchased} and ${t.purchasedBy} is not null and ${t.purchasedAt} is not null) or (not ${t.purchased} and ${t.purchasedBy} is null and ${t.purchasedAt} is null)`,
    ),
  ],
);

export const jobNotes = pgTable(
  'job_notes',
  {
    ...syncColumns(),
    jobId: uuid().notNull(),
    authorId: uuid(),
    body: text().notNull(),
    occurredAt: timestamptz().notNull(),
    /** Written on the phone before the office's cancellation or reassignment reached it. */
    recordedAfterCancellation: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('job_notes_org_version_idx').on(t.orgId, t.version),
    index('job_notes_org_job_idx').on(t.orgId, t.jobId, t.occurredAt),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }).onDelete('cascade'),
    check('job_notes_body_not_blank', sql`length(trim(${t.body})) > 0`),
  ],
);

const ATTACHMENT_KIND_VALUES = ['photo', 'signature', 'document'] as const;
const ATTACHMENT_CONTENT_TYPE_VALUES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

/** A file on a job: the metadata syncs; the bytes arrive by upload (`uploadedAt` once complete and checked). */
export const attachments = pgTable(
  'attachments',
  {
    ...syncColumns(),
    jobId: uuid().notNull(),
    kind: text().notNull(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    byteSize: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    takenAt: timestamptz().notNull(),
    caption: text(),
    signerName: text(),
    uploadedAt: timestamptz(),
    createdBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('attachments_org_version_idx').on(t.orgId, t.version),
    index('attachments_org_job_idx').on(t.orgId, t.jobId),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }).onDelete('cascade'),
    check('attachments_kind_check', inList('kind', ATTACHMENT_KIND_VALUES)),
    check('attachments_content_type_check', inList('content_type', ATTACHMENT_CONTENT_TYPE_VALUES)),
    check('attachments_byte_size_positive', sql`${t.byteSize} > 0`),
    check('attachments_sha256_format', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

const ESTIMATE_STATUS_VALUES = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
const ESTIMATE_LINE_KIND_VALUES = ['labor', 'material', 'equipment', 'other'] as const;

/**
 * A priced offer to a customer. `lines` is the jsonb array of
 * `{ id, kind, description, quantity, unit, unitPriceCents }`; the totals are
 * computed by the domain's `estimateTotals` on every write, never taken from a client.
 */
export const estimates = pgTable(
  'estimates',
  {
    ...syncColumns(),
    number: text().notNull(),
    customerId: uuid().notNull(),
    jobId: uuid(),
    title: text().notNull(),
    lines: jsonb().notNull().default([]),
    taxRateBasisPoints: integer().notNull().default(0),
    subtotalCents: bigint({ mode: 'number' }).notNull(),
    taxCents: bigint({ mode: 'number' }).notNull(),
    totalCents: bigint({ mode: 'number' }).notNull(),
    currency: text().notNull(),
    status: text().notNull().default('draft'),
    validUntil: date({ mode: 'string' }).notNull(),
    notes: text(),
    sentAt: timestamptz(),
    acceptedAt: timestamptz(),
    rejectedReason: text(),
    signatureAttachmentId: uuid(),
    createdBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('estimates_org_number_key').on(t.orgId, t.number),
    index('estimates_org_version_idx').on(t.orgId, t.version),
    index('estimates_org_customer_idx').on(t.orgId, t.customerId),
    // The expiry sweep: sent estimates by their last valid day.
    index('estimates_status_valid_until_idx').on(t.status, t.validUntil),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.customerId], foreignColumns: [customers.orgId, customers.id] }).onDelete(
      'restrict',
    ),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }),
    check('estimates_number_format', sql`${t.number} ~ '^EST-[0-9]{8}-[A-Z0-9]{6}$'`),
    check('estimates_title_not_blank', sql`length(trim(${t.title})) > 0`),
    check('estimates_status_check', inList('status', ESTIMATE_STATUS_VALUES)),
    check('estimates_lines_array', sql`jsonb_typeof(${t.lines}) = 'array'`),
    check('estimates_tax_rate_range', sql`${t.taxRateBasisPoints} between 0 and 10000`),
    check('estimates_total_adds_up', sql`${t.totalCents} = ${t.subtotalCents} + ${t.taxCents}`),
  ],
);

/** The company's reusable priced items, offered while an estimate is typed. */
export const priceListItems = pgTable(
  'price_list_items',
  {
    ...syncColumns(),
    name: text().notNull(),
    kind: text().notNull(),
    unit: text().notNull(),
    unitPriceCents: bigint({ mode: 'number' }).notNull(),
    archived: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('price_list_items_org_version_idx').on(t.orgId, t.version),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('price_list_items_kind_check', inList('kind', ESTIMATE_LINE_KIND_VALUES)),
    check('price_list_items_name_not_blank', sql`length(trim(${t.name})) > 0`),
  ],
);

export const jobStatusHistory = pgTable(
  'job_status_history',
  {
    ...syncColumns(),
    jobId: uuid().notNull(),
    fromStatus: text(),
    toStatus: text().notNull(),
    changedBy: uuid(),
    reason: text(),
    occurredAt: timestamptz().notNull(),
    recordedAt: timestamptz().notNull().defaultNow(),
    clientId: uuid(),
    seq: bigint({ mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('job_status_history_org_version_idx').on(t.orgId, t.version),
    // History by job, in the order things happened.
    index('job_status_history_org_job_idx').on(t.orgId, t.jobId, t.occurredAt),
    foreignKey({ columns: [t.orgId, t.jobId], foreignColumns: [jobs.orgId, jobs.id] }).onDelete('cascade'),
    check(
      'job_status_history_from_check',
      sql.raw(`from_status is null or ${inListSql('from_status', JOB_STATUS_VALUES)}`),
    ),
    check('job_status_history_to_check', inList('to_status', JOB_STATUS_VALUES)),
  ],
);

export const activityLog = pgTable(
  'activity_log',
  {
    ...syncColumns(),
    entityType: text().notNull(),
    entityId: uuid().notNull(),
    action: text().notNull(),
    details: jsonb().notNull().default({}),
    userId: uuid(),
    jobId: uuid(),
    source: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('activity_log_org_version_idx').on(t.orgId, t.version),
    index('activity_log_org_job_idx').on(t.orgId, t.jobId, t.createdAt),
    index('activity_log_org_entity_idx').on(t.orgId, t.entityType, t.entityId),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('activity_log_source_check', inList('source', SOURCE_VALUES)),
  ],
);

export const conflicts = pgTable(
  'conflicts',
  {
    ...syncColumns(),
    entity: text().notNull(),
    entityId: uuid().notNull(),
    field: text().notNull(),
    winnerValue: jsonb(),
    loserValue: jsonb(),
    winnerBy: uuid(),
    loserBy: uuid(),
    winnerAt: timestamptz(),
    loserAt: timestamptz(),
    mutationClientId: uuid(),
    mutationSeq: bigint({ mode: 'number' }),
    status: text().notNull().default('open'),
    resolution: text(),
    resolvedBy: uuid(),
    resolvedAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('conflicts_org_version_idx').on(t.orgId, t.version),
    index('conflicts_org_status_idx').on(t.orgId, t.status),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('conflicts_status_check', inList('status', ['open', 'resolved'])),
    check('conflicts_resolution_check', sql`${t.resolution} is null or ${t.resolution} in ('winner', 'loser')`),
  ],
);

export const ratings = pgTable(
  'ratings',
  {
    ...syncColumns(),
    assignmentId: uuid().notNull(),
    contractorId: uuid().notNull(),
    stars: smallint().notNull(),
    comment: text(),
    ratedBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('ratings_org_assignment_key').on(t.orgId, t.assignmentId),
    index('ratings_org_version_idx').on(t.orgId, t.version),
    index('ratings_org_contractor_idx').on(t.orgId, t.contractorId),
    foreignKey({ columns: [t.orgId, t.assignmentId], foreignColumns: [assignments.orgId, assignments.id] }).onDelete(
      'cascade',
    ),
    check('ratings_stars_range', sql`${t.stars} between 1 and 5`),
  ],
);

/** One person's notification feed, written by alert rules' `dashboard` channel. */
export const notifications = pgTable(
  'notifications',
  {
    ...syncColumns(),
    userId: uuid().notNull(),
    event: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    entityType: text(),
    entityId: uuid(),
    jobId: uuid(),
    readAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('notifications_org_version_idx').on(t.orgId, t.version),
    index('notifications_org_user_idx').on(t.orgId, t.userId, t.readAt),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * When an event matches, tell the recipients on each channel. `webhookSecret`
 * never leaves the server (not a synced column; see synced-tables.ts).
 */
export const alertRules = pgTable(
  'alert_rules',
  {
    ...syncColumns(),
    name: text().notNull(),
    event: text().notNull(),
    conditions: jsonb().notNull().default({}),
    channels: jsonb().notNull().default(['dashboard']),
    recipients: jsonb().notNull().default([]),
    webhookUrl: text(),
    webhookSecret: text(),
    template: jsonb(),
    throttleMinutes: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    /** The default rule this is (`DEFAULT_ALERT_RULES`), so seeding never adds it twice. */
    key: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('alert_rules_org_version_idx').on(t.orgId, t.version),
    index('alert_rules_org_event_idx').on(t.orgId, t.event, t.active),
    uniqueIndex('alert_rules_org_key').on(t.orgId, t.key),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('alert_rules_throttle_non_negative', sql`${t.throttleMinutes} >= 0`),
    check('alert_rules_channels_array', sql`jsonb_typeof(${t.channels}) = 'array'`),
    check('alert_rules_conditions_object', sql`jsonb_typeof(${t.conditions}) = 'object'`),
  ],
);

const DELIVERY_STATUS_VALUES = ['pending', 'sent', 'failed', 'throttled'] as const;
const DELIVERY_CHANNEL_VALUES = ['dashboard', 'webhook', 'push', 'email'] as const;

/**
 * The alert outbox: one row per message a rule sends (channel × recipient),
 * written in the transaction that raised the event. The worker claims due
 * `pending` rows with `for update skip locked` and pushes `nextAttemptAt`
 * ahead as a lease, so two instances never send one row at once.
 * `payload` (title, body, event data) is what the worker sends; it is not synced.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    ...syncColumns(),
    ruleId: uuid().notNull(),
    event: text().notNull(),
    entityId: text().notNull(),
    channel: text().notNull(),
    recipient: text().notNull(),
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    nextAttemptAt: timestamptz(),
    sentAt: timestamptz(),
    title: text().notNull(),
    jobId: uuid(),
    payload: jsonb().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('alert_deliveries_org_version_idx').on(t.orgId, t.version),
    index('alert_deliveries_throttle_idx').on(t.orgId, t.ruleId, t.entityId, t.createdAt),
    // The worker's queue: only pending rows, oldest due first, across every organisation.
    index('alert_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    foreignKey({ columns: [t.orgId, t.ruleId], foreignColumns: [alertRules.orgId, alertRules.id] }).onDelete('cascade'),
    check('alert_deliveries_status_check', inList('status', DELIVERY_STATUS_VALUES)),
    check('alert_deliveries_channel_check', inList('channel', DELIVERY_CHANNEL_VALUES)),
  ],
);

/** A browser's Web Push subscription (one per endpoint), for the `push` channel. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    orgId: uuid().notNull(),
    userId: uuid().notNull(),
    endpoint: text().notNull(),
    p256dh: text().notNull(),
    auth: text().notNull(),
    userAgent: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.endpoint] }),
    index('push_subscriptions_org_user_idx').on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * The time-based events already raised (`job.overdue` per assignment and
 * start, `device.stale` per contractor and day). The scheduler inserts the
 * mark and raises the event only when the insert went in, so several
 * instances checking at once raise each event once.
 */
export const alertMarks = pgTable(
  'alert_marks',
  {
    orgId: uuid().notNull(),
    event: text().notNull(),
    markKey: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.event, t.markKey] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);

/** One row per installed app instance; `lastSeq` is the ledger's high-water mark. */
export const syncClients = pgTable(
  'sync_clients',
  {
    orgId: uuid().notNull(),
    id: uuid().notNull(),
    userId: uuid().notNull(),
    lastSeq: bigint({ mode: 'number' }).notNull().default(0),
    /** Highest change version this client has pulled (for device sync health). */
    lastPulledVersion: bigint({ mode: 'number' }).notNull().default(0),
    lastPushAt: timestamptz(),
    lastPullAt: timestamptz(),
    lastSeenAt: timestamptz().notNull().defaultNow(),
    userAgent: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // A client id belongs to one user across the whole deployment.
    uniqueIndex('sync_clients_id_key').on(t.id),
    index('sync_clients_org_user_idx').on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** The ledger of every mutation the server has replayed, with its one outcome. */
export const mutations = pgTable(
  'mutations',
  {
    orgId: uuid().notNull(),
    clientId: uuid().notNull(),
    seq: bigint({ mode: 'number' }).notNull(),
    userId: uuid().notNull(),
    name: text().notNull(),
    args: jsonb().notNull(),
    outcome: text().notNull(),
    error: jsonb(),
    conflictId: uuid(),
    occurredAt: timestamptz().notNull(),
    receivedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.clientId, t.seq] }),
    foreignKey({ columns: [t.orgId, t.clientId], foreignColumns: [syncClients.orgId, syncClients.id] }).onDelete(
      'cascade',
    ),
    check('mutations_outcome_check', inList('outcome', OUTCOME_VALUES)),
    check('mutations_seq_positive', sql`${t.seq} > 0`),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    orgId: uuid().notNull(),
    id: uuid().notNull(),
    tokenHash: text().notNull(),
    userId: uuid().notNull(),
    family: uuid().notNull(),
    expiresAt: timestamptz().notNull(),
    revokedAt: timestamptz(),
    replacedBy: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash),
    index('refresh_tokens_org_family_idx').on(t.orgId, t.family),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** Failed sign-in attempts, kept in the database so every instance shares the limit. */
export const loginFailures = pgTable(
  'login_failures',
  {
    key: text().notNull(),
    failedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index('login_failures_key_idx').on(t.key, t.failedAt)],
);

/**
 * `bytea` as bytes. postgres.js hands back a Buffer and PGlite a Uint8Array;
 * both are Uint8Arrays, which is all callers rely on.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * The resumable upload of one attachment's bytes (tus): how long the file is
 * and how much has been received and acknowledged. One per attachment; a new
 * upload of the same attachment replaces an unfinished one. Kept once
 * complete, with its chunks: they are the stored file.
 */
export const attachmentUploads = pgTable(
  'attachment_uploads',
  {
    orgId: uuid().notNull(),
    attachmentId: uuid().notNull(),
    uploadLength: bigint({ mode: 'number' }).notNull(),
    uploadOffset: bigint({ mode: 'number' }).notNull().default(0),
    /** The tus `Upload-Metadata` as the client sent it, returned by HEAD. */
    metadata: jsonb().$type<Record<string, string | null>>().notNull().default({}),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.attachmentId] }),
    foreignKey({ columns: [t.orgId, t.attachmentId], foreignColumns: [attachments.orgId, attachments.id] }).onDelete(
      'cascade',
    ),
    check('attachment_uploads_offset_range', sql`${t.uploadOffset} between 0 and ${t.uploadLength}`),
  ],
);

/**
 * An attachment's bytes, in the pieces they arrived in: `byteOffset` is where
 * a piece starts in the file. Reading them in order gives the file.
 */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    orgId: uuid().notNull(),
    attachmentId: uuid().notNull(),
    byteOffset: bigint({ mode: 'number' }).notNull(),
    bytes: bytea().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.attachmentId, t.byteOffset] }),
    foreignKey({
      columns: [t.orgId, t.attachmentId],
      foreignColumns: [attachmentUploads.orgId, attachmentUploads.attachmentId],
    }).onDelete('cascade'),
  ],
);

/** The small preview of an image attachment, made once its bytes are complete and checked. */
export const attachmentThumbnails = pgTable(
  'attachment_thumbnails',
  {
    orgId: uuid().notNull(),
    attachmentId: uuid().notNull(),
    contentType: text().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    bytes: bytea().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.attachmentId] }),
    foreignKey({ columns: [t.orgId, t.attachmentId], foreignColumns: [attachments.orgId, attachments.id] }).onDelete(
      'cascade',
    ),
  ],
);
