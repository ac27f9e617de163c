/**
 * The alert engine's pure core: which fields each event carries, rule
 * conditions and their matching, templates and their rendering, recipients,
 * the throttle decision and the default rules. No IO and no clock (`now` is
 * passed in): the server runs it on events and the desktop previews a rule
 * against recent events offline with the same code.
 */
export {
  ALERT_EVENT_ENTITY,
  ALERT_EVENT_FIELDS,
  ALERT_EVENT_SOURCES,
  ALERT_EVENTS,
  type AlertEventData,
  type AlertEventName,
  type AlertEventSource,
  type AlertFieldType,
  alertEventFields,
  alertEventNameSchema,
  alertFieldType,
  isAlertEventName,
} from './alert-events';
export {
  ALERT_DELIVERY_CHANNELS,
  type AlertDeliveryChannel,
  type AlertRuleDefinition,
  addAlertRuleIssues,
  alertDeliveryChannelSchema,
  alertRuleDefinitionSchema,
  alertRuleDefinitionShape,
  alertRuleProblems,
  MAX_ALERT_THROTTLE_MINUTES,
} from './alert-rule-definition';
export {
  ALERT_CONDITION_OPERATORS,
  type AlertConditionOperator,
  type AlertConditions,
  alertConditionsSchema,
  conditionProblems,
  matchesConditions,
} from './conditions';
export { DEFAULT_ALERT_RULES, type DefaultAlertRule } from './default-rules';
export { formatAlertTime } from './event-time';
export {
  ALERT_RECIPIENT_KEYWORDS,
  type AlertRecipient,
  parseAlertRecipient,
  recipientProblems,
} from './recipients';
export {
  type AlertTemplate,
  alertTemplateSchema,
  DEFAULT_ALERT_TEMPLATES,
  escapeHtml,
  MAX_TEMPLATE_TITLE,
  MISSING_VALUE,
  renderTemplate,
  type TemplateEscape,
  templatePlaceholders,
  templateProblems,
} from './templates';
export { type ThrottleOutcome, throttleOutcome } from './throttle';
