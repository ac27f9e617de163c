import { z } from 'zod';
import { ASSIGNMENT_STATUSES } from '../enums/assignment-status';
import { JOB_STATUSES } from '../enums/job-status';
import { PRIORITIES } from '../enums/priority';
import { TRADES } from '../enums/trade';
import { ESTIMATE_STATUSES } from '../estimates/estimate';

/**
 * The events alert rules listen to, named as in CONTRACTS.md ("Alerts and
 * notifications"). The first seven are emitted in the transaction that makes
 * the change; `job.overdue` and `device.stale` come from the scheduler.
 *
 * Not the older `ALERT_EVENT_TYPES` of `enums/alert.ts`: that list belongs to
 * the `alertRules` row shape, which this module leaves alone.
 */
export const ALERT_EVENTS = [
  'job.created',
  'job.status_changed',
  'assignment.created',
  'assignment.rescheduled',
  'assignment.status_changed',
  'conflict.recorded',
  'rating.added',
  'job.overdue',
  'device.stale',
  'estimate.created',
  'estimate.status_changed',
] as const;
export type AlertEventName = (typeof ALERT_EVENTS)[number];
export const alertEventNameSchema = z.enum(ALERT_EVENTS);

/** True when `value` names an alert event. */
export function isAlertEventName(value: unknown): value is AlertEventName {
  return typeof value === 'string' && (ALERT_EVENTS as readonly string[]).includes(value);
}

/** Where the change behind an event came from (the contract's `source` field). */
export const ALERT_EVENT_SOURCES = ['mobile_app', 'office_app', 'api', 'system'] as const;
export type AlertEventSource = (typeof ALERT_EVENT_SOURCES)[number];

/**
 * The type of one event field, which decides the operators and values a
 * condition may use on it:
 * - `string`: `=`, `!=`, `in`, `not_in`, `contains` (case-insensitive), `exists`;
 * - `number`: those without `contains`, plus `>`, `>=`, `<`, `<=`;
 * - `boolean`: `=`, `!=`, `exists`;
 * - `enum`: like `string` but values must be listed; with `ordered`, the
 *   order comparisons follow the list (`priority >= high`);
 * - `datetime`: an ISO instant; the order comparisons compare instants.
 */
export type AlertFieldType =
  | { readonly type: 'string' }
  | { readonly type: 'number' }
  | { readonly type: 'boolean' }
  | { readonly type: 'datetime' }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly ordered?: boolean };

const text = { type: 'string' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const datetime = { type: 'datetime' } as const;
const priority = { type: 'enum', values: PRIORITIES, ordered: true } as const;
const trade = { type: 'enum', values: TRADES } as const;
const jobStatus = { type: 'enum', values: JOB_STATUSES } as const;
const assignmentStatus = { type: 'enum', values: ASSIGNMENT_STATUSES } as const;
const source = { type: 'enum', values: ALERT_EVENT_SOURCES } as const;
const estimateStatus = { type: 'enum', values: ESTIMATE_STATUSES } as const;

/**
 * Estimate events: `totalCents` is the estimate's total in integer cents (a
 * "large estimate" rule is `totalCents >= 1000000`); `status` is its status
 * now, `fromStatus`/`toStatus` the move (the same on creation). `jobId` is
 * missing until the estimate is linked to a job.
 */
const ESTIMATE_EVENT = {
  estimateId: text,
  number: text,
  title: text,
  customerId: text,
  customerName: text,
  jobId: text,
  totalCents: number,
  /** The total written as money in the company's currency ("$12,500.00"), for templates. */
  total: text,
  currency: text,
  status: estimateStatus,
  fromStatus: estimateStatus,
  toStatus: estimateStatus,
  reason: text,
  source,
} as const;

/**
 * What every event about a job carries. `contractorId`/`contractorName` name
 * the job's contractor (the one on its live assignment) and are missing when
 * nobody is assigned; `reason` is the reason given with the change, if any.
 */
const JOB_CONTEXT = {
  jobId: text,
  jobNumber: text,
  title: text,
  priority,
  trade,
  customerName: text,
  contractorId: text,
  contractorName: text,
  reason: text,
  source,
} as const;

/** Job events: `status` is the job's status now, `fromStatus`/`toStatus` the move (the same on creation). */
const JOB_EVENT = {
  ...JOB_CONTEXT,
  status: jobStatus,
  fromStatus: jobStatus,
  toStatus: jobStatus,
  /** True when the job has a live assignment. */
  assigned: boolean,
} as const;

/**
 * Assignment events: `status`/`fromStatus`/`toStatus` are the assignment's,
 * `jobStatus` the job's. `scheduledStartLocal` is the start already written in
 * the organisation's time zone and time format (e.g. "Tue 24 Nov, 09:00"), for
 * templates; the emitter formats it.
 */
const ASSIGNMENT_EVENT = {
  ...JOB_CONTEXT,
  assignmentId: text,
  status: assignmentStatus,
  fromStatus: assignmentStatus,
  toStatus: assignmentStatus,
  jobStatus,
  scheduledStart: datetime,
  scheduledEnd: datetime,
  scheduledStartLocal: text,
} as const;

/**
 * The flat data fields of each event, usable in conditions and templates.
 * Any field may be missing (or null) on a given event; a condition on a
 * missing field holds only for `exists: false`.
 */
export const ALERT_EVENT_FIELDS = {
  /**
   * `parentJobId` names the job this one follows up (missing for a job of its
   * own); `fromField` is true when a contractor created it from a job they
   * hold, for rules such as "tell me about follow-ups from the field".
   */
  'job.created': { ...JOB_EVENT, parentJobId: text, fromField: boolean },
  'job.status_changed': JOB_EVENT,
  'assignment.created': { ...ASSIGNMENT_EVENT, score: number },
  'assignment.rescheduled': { ...ASSIGNMENT_EVENT, previousStart: datetime, previousEnd: datetime },
  'assignment.status_changed': ASSIGNMENT_EVENT,
  /** `entity` is the synced table (`jobs`, `materials`, …); job fields are there when the row belongs to a job. */
  'conflict.recorded': {
    ...JOB_CONTEXT,
    conflictId: text,
    entity: text,
    entityId: text,
    field: text,
    winnerValue: text,
    loserValue: text,
    winnerName: text,
    loserName: text,
  },
  'rating.added': { ...JOB_CONTEXT, ratingId: text, assignmentId: text, stars: number, comment: text },
  /** A live assignment's start passed by the org's `overdueMinutes` and the job is not started. */
  'job.overdue': {
    ...JOB_EVENT,
    assignmentId: text,
    scheduledStart: datetime,
    scheduledStartLocal: text,
    minutesLate: number,
  },
  /** A contractor with work today whose devices have not synced for the org's `staleDeviceHours`. */
  'device.stale': {
    contractorId: text,
    contractorName: text,
    trade,
    /** Missing when the contractor's devices never synced. */
    lastSyncedAt: datetime,
    hoursSinceSync: number,
    assignmentsToday: number,
    source,
  },
  'estimate.created': ESTIMATE_EVENT,
  'estimate.status_changed': ESTIMATE_EVENT,
} as const satisfies Record<AlertEventName, Record<string, AlertFieldType>>;

/** The fields of one event, or undefined for an unknown event. */
export function alertEventFields(event: string): Readonly<Record<string, AlertFieldType>> | undefined {
  return isAlertEventName(event) ? ALERT_EVENT_FIELDS[event] : undefined;
}

/** The type of `field` on `event`, or undefined when the event has no such field. */
export function alertFieldType(event: string, field: string): AlertFieldType | undefined {
  const fields = alertEventFields(event);
  return fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
}

/**
 * What an event is about, for throttling ("same rule and entity") and for the
 * notification's tap target: the synced table and the data field holding the
 * row's id.
 */
export const ALERT_EVENT_ENTITY = {
  'job.created': { entityType: 'jobs', idField: 'jobId' },
  'job.status_changed': { entityType: 'jobs', idField: 'jobId' },
  'assignment.created': { entityType: 'assignments', idField: 'assignmentId' },
  'assignment.rescheduled': { entityType: 'assignments', idField: 'assignmentId' },
  'assignment.status_changed': { entityType: 'assignments', idField: 'assignmentId' },
  'conflict.recorded': { entityType: 'conflicts', idField: 'conflictId' },
  'rating.added': { entityType: 'ratings', idField: 'ratingId' },
  'job.overdue': { entityType: 'assignments', idField: 'assignmentId' },
  'device.stale': { entityType: 'contractors', idField: 'contractorId' },
  'estimate.created': { entityType: 'estimates', idField: 'estimateId' },
  'estimate.status_changed': { entityType: 'estimates', idField: 'estimateId' },
} as const satisfies Record<AlertEventName, { entityType: string; idField: string }>;

/** The flat data of an event: field name to value (text, number, boolean or null). */
export type AlertEventData = Readonly<Record<string, unknown>>;
