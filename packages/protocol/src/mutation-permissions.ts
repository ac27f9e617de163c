import type { Action } from '@fieldsync/domain';
import type { MutationName } from './mutations';

/**
 * The permission each mutation needs before anything else is checked, or
 * null where a state machine decides per transition (`job.setStatus`,
 * `assignment.setStatus`: contractors may act on their own assignments).
 * A contractor's `material.*` and `note.add` additionally require the job to
 * be theirs.
 */
export const MUTATION_PERMISSION: { readonly [N in MutationName]: Action | null } = {
  'customer.create': 'customers.write',
  'customer.update': 'customers.write',
  // The office creates any job; a contractor only a follow-up of one they hold (checked by the handler).
  'job.create': null,
  'job.update': 'jobs.write',
  'job.setStatus': null,
  'material.add': 'materials.write',
  'material.update': 'materials.write',
  'material.setPurchased': 'materials.write',
  'material.remove': 'materials.write',
  'note.add': 'notes.write',
  'attachment.add': 'attachments.write',
  'attachment.remove': 'attachments.write',
  'assignment.create': 'assignments.write',
  'assignment.setStatus': null,
  'assignment.reschedule': 'assignments.write',
  'contractor.create': 'contractors.write',
  'contractor.update': 'contractors.write',
  'workingHours.set': 'contractors.write',
  'conflict.resolve': 'conflicts.resolve',
  'rating.add': 'ratings.write',
  // Dispatchers may invite contractors; inviting office people needs `users.manage` (checked by the handler).
  'user.invite': 'contractors.invite',
  'user.update': 'users.manage',
  'user.setActive': 'users.manage',
  'org.update': 'org.manage',
  'alertRule.create': 'alertRules.write',
  'alertRule.update': 'alertRules.write',
  'alertRule.remove': 'alertRules.write',
  'alertDelivery.retry': 'alertRules.write',
  // Anyone may mark their own notifications read; the handler checks they are theirs.
  'notification.markRead': null,
  // A contractor only for a customer of one of their live jobs (checked by the handler).
  'estimate.create': 'estimates.write',
  'estimate.update': 'estimates.write',
  'estimate.setStatus': 'estimates.write',
  'priceListItem.create': 'priceList.write',
  'priceListItem.update': 'priceList.write',
};
