// Public surface of @fieldsync/domain. Pure: no IO, no clocks, no randomness
// unless passed in.

export {
  ALERT_CONDITION_OPERATORS,
  ALERT_DELIVERY_CHANNELS,
  ALERT_EVENT_ENTITY,
  ALERT_EVENT_FIELDS,
  ALERT_EVENT_SOURCES,
  ALERT_EVENTS,
  ALERT_RECIPIENT_KEYWORDS,
  type AlertConditionOperator,
  type AlertConditions,
  type AlertDeliveryChannel,
  type AlertEventData,
  type AlertEventName,
  type AlertEventSource,
  type AlertFieldType,
  type AlertRecipient,
  type AlertRuleDefinition,
  type AlertTemplate,
  addAlertRuleIssues,
  alertConditionsSchema,
  alertDeliveryChannelSchema,
  alertEventFields,
  alertEventNameSchema,
  alertFieldType,
  alertRuleDefinitionSchema,
  alertRuleDefinitionShape,
  alertRuleProblems,
  alertTemplateSchema,
  conditionProblems,
  DEFAULT_ALERT_RULES,
  DEFAULT_ALERT_TEMPLATES,
  type DefaultAlertRule,
  escapeHtml,
  formatAlertTime,
  isAlertEventName,
  MAX_ALERT_THROTTLE_MINUTES,
  MAX_TEMPLATE_TITLE,
  MISSING_VALUE,
  matchesConditions,
  parseAlertRecipient,
  recipientProblems,
  renderTemplate,
  type TemplateEscape,
  type ThrottleOutcome,
  templatePlaceholders,
  templateProblems,
  throttleOutcome,
} from './alerts/index';
export { averageRating } from './average-rating';
export {
  currencySchema,
  DEFAULT_ORGANIZATION_SETTINGS,
  MAX_DISTANCE_MILES_LIMIT,
  ORGANIZATION_EDITABLE_FIELDS,
  type Organization,
  organizationSchema,
  organizationSettingsShape,
  type ScoringWeights,
  scoringWeightsSchema,
} from './company/organization';
export {
  defaultTimeFormat,
  isKnownTimeZone,
  TIME_FORMATS,
  type TimeFormat,
  timeFormatSchema,
  timeZoneSchema,
} from './company/time-zone';
export { type ActivityLog, activityLogSchema } from './entities/activity-log';
export {
  ALERT_DELIVERY_STATUSES,
  type AlertDelivery,
  type AlertDeliveryStatus,
  alertDeliverySchema,
  alertDeliveryStatusSchema,
} from './entities/alert-delivery';
export { type AlertRule, alertRuleSchema } from './entities/alert-rule';
export { type Assignment, assignmentSchema, type ScoreBreakdown, scoreBreakdownSchema } from './entities/assignment';
export {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_KINDS,
  type Attachment,
  type AttachmentContentType,
  type AttachmentKind,
  attachmentCaptionSchema,
  attachmentContentTypeSchema,
  attachmentFileNameSchema,
  attachmentKindSchema,
  attachmentSchema,
  DEFAULT_MAX_UPLOAD_BYTES,
  MAX_ATTACHMENT_BYTES,
  MAX_PHOTO_SIDE_PX,
  sha256HexSchema,
  signerNameSchema,
  THUMBNAIL_SIDE_PX,
} from './entities/attachment';
export { type Conflict, conflictSchema } from './entities/conflict';
export { type Contractor, contractorSchema } from './entities/contractor';
export { type Customer, customerSchema } from './entities/customer';
export {
  costCentsSchema,
  JOB_TOO_LONG_MESSAGE,
  type Job,
  jobDurationSchema,
  jobNumberSchema,
  jobSchema,
  jobTitleSchema,
  MAX_JOB_DURATION_MINUTES,
  MIN_JOB_DURATION_MINUTES,
  requiredSkillsSchema,
} from './entities/job';
export { type JobNote, jobNoteSchema, noteBodySchema } from './entities/job-note';
export { type JobStatusHistory, jobStatusHistorySchema } from './entities/job-status-history';
export {
  MAX_MATERIAL_QUANTITY,
  type Material,
  materialItemNameSchema,
  materialQuantitySchema,
  materialSchema,
} from './entities/material';
export { type Notification, notificationSchema } from './entities/notification';
export { type Rating, ratingSchema, starsSchema } from './entities/rating';
export { syncedRowShape } from './entities/synced-row';
export { emailSchema, type User, type UserStatus, userSchema, userStatus } from './entities/user';
export {
  DEFAULT_WORKING_WEEK,
  dayOfWeekSchema,
  MAX_WORKING_MINUTES_PER_DAY,
  type WorkingHours,
  workingHoursSchema,
  workingWindowProblem,
} from './entities/working-hours';
export { ACTIVITY_SOURCES, type ActivitySource, activitySourceSchema } from './enums/activity-source';
export {
  ASSIGNMENT_STATUSES,
  type AssignmentStatus,
  assignmentStatusSchema,
  isLiveAssignment,
  LIVE_ASSIGNMENT_STATUSES,
  type LiveAssignmentStatus,
} from './enums/assignment-status';
export {
  CONFLICT_RESOLUTIONS,
  CONFLICT_STATUSES,
  type ConflictResolution,
  type ConflictStatus,
  conflictResolutionSchema,
  conflictStatusSchema,
} from './enums/conflict-status';
export { CONTRACTOR_STATUSES, type ContractorStatus, contractorStatusSchema } from './enums/contractor-status';
export { JOB_STATUSES, type JobStatus, jobStatusSchema } from './enums/job-status';
export { PRIORITIES, type Priority, prioritySchema } from './enums/priority';
export { ROLES, type Role, roleSchema } from './enums/role';
export { TRADES, type Trade, tradeSchema } from './enums/trade';
export * from './estimates/index';
export { formatJobNumber, JOB_NUMBER_PATTERN, randomJobNumberSuffix } from './job-number';
export {
  buildShoppingList,
  SHOPPING_LIST_DAYS,
  type ShoppingLine,
  type ShoppingLineJob,
  type ShoppingList,
  type ShoppingListInput,
} from './materials/shopping-list';
export { deepEqualJson } from './merge/deep-equal-json';
export { type FieldConflict, type FieldMergeResult, mergeFieldUpdate } from './merge/merge-field-update';
export { ACTIONS, type Action, canRole, OFFICE_ONLY_MESSAGE } from './permissions';
export { rowSchemas, type SyncedRow } from './row-schemas';
export {
  alreadyAssignedMessage,
  type BookedAssignment,
  checkBookingClash,
  checkContractorTakesJobs,
  checkJobTakesAssignments,
  doubleBookedMessage,
} from './rules/assignment-booking';
export {
  checkReschedulable,
  decideReschedule,
  normalizeSchedule,
  RESCHEDULABLE_ASSIGNMENT_STATUSES,
  type RescheduleDecision,
  type ScheduleTimes,
  sameSchedule,
} from './rules/assignment-reschedule';
export {
  CONFLICT_RESOLVED_REASON,
  type ConflictResolutionDecision,
  decideConflictResolution,
} from './rules/conflict-resolution';
export {
  type NewAssignmentInput,
  type NewAttachmentInput,
  type NewContractorInput,
  type NewCustomerInput,
  type NewJobInput,
  newAssignment,
  newAttachment,
  newContractor,
  newCustomer,
  newJob,
} from './rules/created-rows';
export {
  decideJobCreate,
  FOLLOW_UP_NOT_HELD_MESSAGE,
  FOLLOW_UP_OTHER_CUSTOMER_MESSAGE,
  FOLLOW_UP_PARENT_MISSING_MESSAGE,
  type JobCreateDecision,
  type JobCreateRequest,
} from './rules/follow-up';
export {
  endsWithJobCancellation,
  JOB_CANCELLED_REASON,
  STATUSES_ENDED_BY_JOB_CANCELLATION,
} from './rules/job-cancellation';
export {
  type AccessEndReason,
  decideLateWork,
  JOB_NOT_ASSIGNED_MESSAGE,
  type JobAccess,
  type LateWorkDecision,
} from './rules/late-work';
export {
  ASSIGNMENT_GONE_MESSAGE,
  ATTACHMENT_GONE_MESSAGE,
  CONTRACTOR_GONE_MESSAGE,
  JOB_GONE_MESSAGE,
  MATERIAL_GONE_MESSAGE,
} from './rules/missing-rows';
export { checkRatable } from './rules/rating-rules';
export { needsReassignment, type ReassignmentReason, reassignmentMessage } from './rules/reassignment';
export type { RuleCheck } from './rules/rule-check';
export { missingSignature, SIGNATURE_REQUIRED_MESSAGE } from './rules/signature-rule';
export {
  CONTRACTOR_ROLE_CHANGE_MESSAGE,
  INVITE_OFFICE_MESSAGE,
  OWN_ACCOUNT_MESSAGE,
  OWN_ROLE_MESSAGE,
  USER_GONE_MESSAGE,
} from './rules/user-admin-messages';
export {
  addDaysToLocalDate,
  type ContractorBusyInterval,
  type ContractorCalendars,
  type ContractorWorkingHours,
  DEFAULT_SCORING_SETTINGS,
  EXCLUSION_CODES,
  type ExcludedContractor,
  type ExclusionCode,
  firstSearchedDayOffset,
  freeSlots,
  haversineMiles,
  localDateTimeToUtc,
  MULTI_TRADE,
  matchSkills,
  type RankableContractor,
  type RankableJob,
  type RankContractorsOnDemandInput,
  type Recommendation,
  type RecommendationResult,
  rankContractors,
  rankContractorsOnDemand,
  recommendationResultSchema,
  type ScoringSettings,
  scoringSettingsOf,
  scoringSettingsSchema,
  skillKey,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from './scheduling/index';
export {
  type AssignmentActor,
  allowedAssignmentTransitions,
  assignmentTransitions,
  checkAssignmentTransition,
} from './state-machines/assignment-transitions';
export {
  type AssignmentFollowUp,
  type AssignmentOfJob,
  assignmentsAfterJobStatusChange,
} from './state-machines/assignments-after-job-status-change';
export { jobStatusAfterAssignmentChange } from './state-machines/job-status-after-assignment-change';
export {
  allowedJobTransitions,
  checkJobTransition,
  type JobActor,
  jobTransitions,
} from './state-machines/job-transitions';
export type { TransitionResult } from './state-machines/transition-result';
export { SYNCED_TABLES, type SyncedTable, syncedTableSchema } from './synced-table';
export {
  csvField,
  effectiveOccurredMs,
  formatMinutes,
  formatStopwatch,
  type JobAssignee,
  openStretch,
  type StatusStretch,
  statusStretches,
  TIMED_JOB_STATUSES,
  TIMESHEET_CSV_HEADER,
  type TimedStatusChange,
  type TimeOnSiteCell,
  type TimeOnSiteInput,
  type TimeOnSiteKind,
  type TimesheetInput,
  type TimesheetRow,
  timeOnSite,
  timesheetCsv,
  timesheetRows,
  toCsv,
  toTimesheetRow,
  wholeMinutes,
} from './timesheets/index';
export {
  calendarDateSchema,
  idSchema,
  isoDateTimeSchema,
  latitudeSchema,
  longitudeSchema,
  MAX_LIST_ITEMS,
  minutesOfDay,
  TEXT_LIMITS,
  textProblem,
  textSchema,
  timeOfDaySchema,
} from './wire-formats';
