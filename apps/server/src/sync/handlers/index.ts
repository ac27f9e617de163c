import type { MutationArgs, MutationName } from '@fieldsync/protocol';
import type { HandlerOutcome, MutationContext } from '../mutation-context';
import {
  createAlertRule,
  markNotificationRead,
  removeAlertRule,
  retryAlertDelivery,
  updateAlertRule,
} from './alert-handlers';
import { createAssignment, setAssignmentStatus } from './assignment-handlers';
import { addAttachment, removeAttachment } from './attachment-handlers';
import {
  createEstimate,
  createPriceListItem,
  setEstimateStatus,
  updateEstimate,
  updatePriceListItem,
} from './estimate-handlers';
import { createJob, setJobStatus, updateJob } from './job-handlers';
import { addMaterial, addNote, removeMaterial, setMaterialPurchased, updateMaterial } from './material-handlers';
import {
  addRating,
  createContractor,
  createCustomer,
  resolveConflict,
  setWorkingHours,
  updateContractor,
  updateCustomer,
} from './office-handlers';
import { updateOrganization } from './org-handlers';
import { rescheduleAssignment } from './reschedule-handler';
import { inviteUser, setUserActive, updateUser } from './user-handlers';

type Handler<N extends MutationName> = (ctx: MutationContext, args: MutationArgs<N>) => Promise<HandlerOutcome>;

/** One handler per mutation in the catalogue; the type makes a missing one a compile error. */
export const mutationHandlers: { [N in MutationName]: Handler<N> } = {
  'customer.create': createCustomer,
  'customer.update': updateCustomer,
  'job.create': createJob,
  'job.update': updateJob,
  'job.setStatus': setJobStatus,
  'material.add': addMaterial,
  'material.update': updateMaterial,
  'material.setPurchased': setMaterialPurchased,
  'material.remove': removeMaterial,
  'note.add': addNote,
  'attachment.add': addAttachment,
  'attachment.remove': removeAttachment,
  'assignment.create': createAssignment,
  'assignment.setStatus': setAssignmentStatus,
  'assignment.reschedule': rescheduleAssignment,
  'contractor.create': createContractor,
  'contractor.update': updateContractor,
  'workingHours.set': setWorkingHours,
  'conflict.resolve': resolveConflict,
  'rating.add': addRating,
  'user.invite': inviteUser,
  'user.update': updateUser,
  'user.setActive': setUserActive,
  'org.update': updateOrganization,
  'alertRule.create': createAlertRule,
  'alertRule.update': updateAlertRule,
  'alertRule.remove': removeAlertRule,
  'alertDelivery.retry': retryAlertDelivery,
  'notification.markRead': markNotificationRead,
  'estimate.create': createEstimate,
  'estimate.update': updateEstimate,
  'estimate.setStatus': setEstimateStatus,
  'priceListItem.create': createPriceListItem,
  'priceListItem.update': updatePriceListItem,
};
