import type { AlertDeliveryChannel, AlertDeliveryStatus, AlertEventName } from '@fieldsync/domain';

/** Office words for the alert engine's names, shared by the alert screens and the job timeline. */
export const EVENT_LABEL: Record<AlertEventName, string> = {
  'job.created': 'A job is created',
  'job.status_changed': 'A job changes status',
  'assignment.created': 'A contractor is booked on a job',
  'assignment.rescheduled': 'A booking is moved',
  'assignment.status_changed': 'A booking changes status',
  'conflict.recorded': 'Two edits clash',
  'rating.added': 'Work is rated',
  'job.overdue': 'A job has not started on time',
  'device.stale': 'A contractor’s phone stops syncing',
  'estimate.created': 'An estimate is created',
  'estimate.status_changed': 'An estimate changes status',
};

export const CHANNEL_LABEL: Record<AlertDeliveryChannel, string> = {
  dashboard: 'In-app feed',
  webhook: 'Webhook',
  push: 'Phone notification',
  email: 'Email',
};

export const DELIVERY_STATUS_LABEL: Record<AlertDeliveryStatus, string> = {
  pending: 'Waiting to send',
  sent: 'Sent',
  failed: 'Failed',
  throttled: 'Held back',
};

const KEYWORD_LABEL: Record<string, string> = {
  'role:admin': 'Admins',
  'role:dispatcher': 'Dispatchers',
  assigned_contractor: 'The job’s contractor',
};

/** A recipient in words: a role, the job's contractor, a person's name, or (a webhook's) address as it is. */
export function recipientLabel(recipient: string, nameOf: (userId: string) => string | undefined): string {
  const keyword = KEYWORD_LABEL[recipient];
  if (keyword) return keyword;
  if (recipient.startsWith('user:')) return nameOf(recipient.slice('user:'.length)) ?? 'Someone no longer here';
  return recipient;
}
