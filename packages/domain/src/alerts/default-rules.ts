import type { AlertRuleDefinition } from './alert-rule-definition';

/**
 * A rule every new company starts with; `key` stays the same across releases
 * so seeding can tell which defaults a company already has (and which it
 * removed on purpose).
 */
export type DefaultAlertRule = AlertRuleDefinition & { readonly key: string };

const OFFICE = ['role:dispatcher', 'role:admin'] as const;

/**
 * The alert rules a new company gets, all active; each can be switched off.
 * Office rules go to the dashboard of every dispatcher and admin; the new
 * assignment rule pushes to the contractor's phone.
 */
export const DEFAULT_ALERT_RULES: readonly DefaultAlertRule[] = [
  {
    key: 'job-waiting-on-materials',
    name: 'Job waiting on materials',
    event: 'job.status_changed',
    conditions: { toStatus: { '=': 'waiting_on_materials' } },
    channels: ['dashboard'],
    recipients: OFFICE,
    throttleMinutes: 30,
    template: {
      title: 'Job {{jobNumber}} is waiting on materials',
      body: '{{contractorName}} set {{title}} for {{customerName}} to waiting on materials. Reason: {{reason}}',
    },
  },
  {
    key: 'assignment-declined',
    name: 'Assignment declined',
    event: 'assignment.status_changed',
    conditions: { toStatus: { '=': 'declined' } },
    channels: ['dashboard'],
    recipients: OFFICE,
    throttleMinutes: 0,
    template: {
      title: '{{contractorName}} declined job {{jobNumber}}',
      body: '{{title}} for {{customerName}} ({{scheduledStartLocal}}) needs another contractor. Reason: {{reason}}',
    },
  },
  {
    key: 'job-overdue',
    name: 'Job overdue',
    event: 'job.overdue',
    conditions: {},
    channels: ['dashboard'],
    recipients: OFFICE,
    // The scheduler raises each overdue assignment once; the throttle only guards against a repeat.
    throttleMinutes: 60,
  },
  {
    key: 'urgent-job-unassigned',
    name: 'Urgent job created with nobody assigned',
    event: 'job.created',
    conditions: { priority: { '=': 'urgent' }, assigned: { '=': false } },
    channels: ['dashboard'],
    recipients: OFFICE,
    throttleMinutes: 0,
    template: {
      title: 'Urgent job {{jobNumber}} has nobody assigned',
      body: '{{title}} for {{customerName}} ({{trade}}) is urgent and waiting for a contractor.',
    },
  },
  {
    key: 'device-stale',
    name: 'Device not syncing',
    event: 'device.stale',
    conditions: {},
    channels: ['dashboard'],
    recipients: OFFICE,
    // Once per contractor per working day is enough; the check runs every few minutes.
    throttleMinutes: 12 * 60,
  },
  {
    key: 'conflict-recorded',
    name: 'Conflict recorded',
    event: 'conflict.recorded',
    conditions: {},
    channels: ['dashboard'],
    recipients: OFFICE,
    throttleMinutes: 0,
  },
  {
    key: 'new-assignment-push',
    name: 'New assignment to the contractor',
    event: 'assignment.created',
    conditions: {},
    channels: ['push'],
    recipients: ['assigned_contractor'],
    throttleMinutes: 0,
    template: {
      title: 'New job: {{title}}, {{scheduledStartLocal}}',
      body: 'Job {{jobNumber}} for {{customerName}}. Tap to open it.',
    },
  },
];
