import { z } from 'zod';

/** Domain events that alert rules can match (PRODUCT.md "Alerts"). */
export const ALERT_EVENT_TYPES = [
  'job.status_changed',
  'job.waiting_on_materials',
  'job.overdue',
  'assignment.declined',
  'assignment.double_booked',
  'conflict.recorded',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
export const alertEventTypeSchema = z.enum(ALERT_EVENT_TYPES);

/** Comparison operators an alert rule condition may use. */
export const ALERT_OPERATORS = ['=', '>', '>=', '<', '<=', 'in'] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];
export const alertOperatorSchema = z.enum(ALERT_OPERATORS);

/** Where a matched alert is delivered. */
export const ALERT_CHANNELS = ['dashboard', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export const alertChannelSchema = z.enum(ALERT_CHANNELS);
