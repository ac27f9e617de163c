// Public surface of @fieldsync/protocol: the wire contract of docs/sync-protocol.md and docs/api.md.

export {
  type AcceptInviteRequest,
  acceptInviteRequestSchema,
  type ChangePasswordRequest,
  changePasswordRequestSchema,
  type InviteLinkResponse,
  inviteLinkResponseSchema,
  type LoginRequest,
  type LoginResponse,
  loginRequestSchema,
  loginResponseSchema,
  MIN_PASSWORD_LENGTH,
  newPasswordSchema,
  type RefreshRequest,
  type RefreshResponse,
  refreshRequestSchema,
  refreshResponseSchema,
  type SessionUser,
  type SignupRequest,
  sessionUserSchema,
  signupRequestSchema,
} from './auth';
export {
  EDITABLE_FIELDS,
  type EditableEntity,
  type EditableField,
  UPDATE_MUTATION_ENTITY,
  type UpdateMutationName,
} from './editable-fields';
export {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  errorBodySchema,
  errorCodeSchema,
  isErrorCode,
} from './error-codes';
export { type EventsTokenResponse, eventsTokenResponseSchema } from './events';
export { MUTATION_PERMISSION } from './mutation-permissions';
export {
  ALERT_RULE_EDITABLE_FIELDS,
  isMutationName,
  MUTATION_NAMES,
  type MutationArgs,
  type MutationName,
  mutationArgsSchemas,
} from './mutations';
export { type ParsedMutation, type ParseMutationArgsResult, parseMutationArgs } from './parse-mutation-args';
export {
  describeIssues,
  FIELD_LABELS,
  fieldLabel,
  formatNumberForPeople,
  type PlainIssue,
  plainIssues,
  plainIssuesByField,
} from './plain-issues';
export { describeOutcome } from './plain-words';
export {
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type ProtocolSupport,
  protocolSupport,
} from './protocol-version';
export {
  DEFAULT_PULL_LIMIT,
  MAX_PULL_LIMIT,
  type PullChanges,
  type PullEnvelope,
  type PullQuery,
  type PullRemoved,
  type PullResponse,
  pullEnvelopeSchema,
  pullQuerySchema,
  pullResponseSchema,
} from './pull';
export {
  MAX_PUSH_BYTES,
  MAX_PUSH_MUTATIONS,
  MUTATION_OUTCOMES,
  type MutationOutcome,
  type MutationResult,
  mutationOutcomeSchema,
  mutationResultSchema,
  type PushMutation,
  type PushRequest,
  type PushResponse,
  pushMutationSchema,
  pushRequestSchema,
  pushResponseSchema,
} from './push';
export {
  type PushMessage,
  type PushSubscriptionRequest,
  pushMessageSchema,
  pushSubscriptionRequestSchema,
  pushUnsubscribeRequestSchema,
  vapidPublicKeyResponseSchema,
} from './web-push';
