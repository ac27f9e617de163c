/** People's words for statuses and queued changes, shared by both roles' screens. */
import type { AssignmentStatus, JobStatus } from '@fieldsync/domain';

export const JOB_STATUS_LABEL: Record<JobStatus, string> = {
  open: 'Open',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_materials: 'Waiting on materials',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const ASSIGNMENT_STATUS_LABEL: Record<AssignmentStatus, string> = {
  pending: 'Awaiting your answer',
  confirmed: 'Confirmed',
  declined: 'Declined',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && value in JOB_STATUS_LABEL;
}

/** What a queued or rejected change was meant to do, e.g. `Move job to "Completed"`. */
export function describeChange(name: string, args: unknown): string {
  const record = (args ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'job.setStatus':
      return isJobStatus(record.to) ? `Move job to “${JOB_STATUS_LABEL[record.to]}”` : 'Change job status';
    case 'assignment.setStatus':
      if (record.to === 'confirmed') return 'Confirm the job';
      if (record.to === 'declined') return 'Decline the job';
      return 'Change the assignment';
    case 'material.add':
      return typeof record.itemName === 'string' ? `Add material “${record.itemName}”` : 'Add material';
    case 'material.setPurchased':
      return record.purchased ? 'Tick material as bought' : 'Untick material';
    case 'material.update':
      return 'Change material';
    case 'material.remove':
      return 'Remove material';
    case 'note.add':
      return 'Add note';
    case 'attachment.add': {
      const what = record.kind === 'signature' ? 'signature' : record.kind === 'document' ? 'document' : 'photo';
      return typeof record.fileName === 'string' ? `Add ${what} “${record.fileName}”` : `Add ${what}`;
    }
    case 'attachment.remove':
      return 'Remove a file';
    case 'job.update':
      return 'Change job details';
    case 'job.create':
      return typeof record.title === 'string' ? `Create job “${record.title}”` : 'Create job';
    case 'customer.create':
      return typeof record.name === 'string' ? `Add customer “${record.name}”` : 'Add customer';
    case 'customer.update':
      return 'Change customer details';
    case 'assignment.create':
      return 'Assign a contractor';
    case 'contractor.update':
      return 'Change contractor details';
    case 'workingHours.set':
      return 'Change working hours';
    case 'rating.add':
      return 'Rate the work';
    case 'conflict.resolve':
      return 'Sort out a conflict';
    case 'alertRule.create':
      return typeof record.name === 'string' ? `Add alert “${record.name}”` : 'Add alert';
    case 'alertRule.update': {
      const patch = (record.patch ?? {}) as Record<string, unknown>;
      if (Object.keys(patch).length === 1 && typeof patch.active === 'boolean') {
        return patch.active ? 'Switch an alert on' : 'Switch an alert off';
      }
      return 'Change an alert';
    }
    case 'alertRule.remove':
      return 'Remove an alert';
    case 'alertDelivery.retry':
      return 'Send an alert again';
    case 'notification.markRead':
      return 'Mark a notification read';
    default:
      return 'Change';
  }
}

/** One line of what a person entered for a change: a label and the value as they typed it. */
export interface ChangeDetail {
  label: string;
  value: string;
}

const PATCH_FIELD_LABEL: Record<string, string> = {
  quantity: 'Quantity',
  unit: 'Unit',
  itemName: 'Material',
  notes: 'Notes',
  title: 'Title',
  description: 'Description',
  address: 'Address',
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  throttleMinutes: 'Throttle minutes',
  active: 'On',
};

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Everything the person typed or chose for a change, so a change the server
 * did not take can be read, copied and typed in again: the note's text, the
 * material and its quantity, the status move and its reason.
 */
export function changeDetails(name: string, args: unknown): ChangeDetail[] {
  const record = (args ?? {}) as Record<string, unknown>;
  const details: ChangeDetail[] = [];
  const add = (label: string, value: unknown) => {
    const shown = text(value);
    if (shown !== undefined && shown !== '') details.push({ label, value: shown });
  };
  switch (name) {
    case 'note.add':
      add('Note', record.body);
      break;
    case 'material.add':
      add('Material', record.itemName);
      add('Quantity', `${text(record.quantity) ?? '?'} ${text(record.unit) ?? ''}`.trim());
      add('Notes', record.notes);
      break;
    case 'job.setStatus':
    case 'assignment.setStatus': {
      const label = (status: unknown) =>
        name === 'job.setStatus' && isJobStatus(status) ? JOB_STATUS_LABEL[status] : text(status)?.replace(/_/g, ' ');
      add('Status', `${label(record.from) ?? '?'} → ${label(record.to) ?? '?'}`);
      add('Reason', record.reason);
      break;
    }
    case 'material.setPurchased':
      add('Bought', record.purchased ? 'yes' : 'no');
      break;
    case 'attachment.add':
      add('File', record.fileName);
      add('Caption', record.caption);
      add('Signed by', record.signerName);
      break;
    default: {
      const patch = (record.patch ?? record) as Record<string, unknown>;
      for (const [key, value] of Object.entries(patch)) {
        if (key === 'id' || key.endsWith('Id') || key === 'base') continue;
        add(PATCH_FIELD_LABEL[key] ?? key, value);
      }
    }
  }
  return details;
}
