import type { Role } from './enums/role';

/**
 * Things a role may or may not do. Ownership ("their jobs") is not decided
 * here: for a contractor, the caller also checks the job has a live
 * assignment of theirs.
 */
export const ACTIONS = [
  'jobs.read_all',
  'jobs.write',
  'customers.write',
  'contractors.write',
  'assignments.write',
  'conflicts.resolve',
  'alertRules.write',
  /** Invite, change and deactivate office people (admins and dispatchers). */
  'users.manage',
  /** Invite contractors and issue their sign-in links. */
  'contractors.invite',
  /** Change the company's name, clock and settings. */
  'org.manage',
  'ratings.write',
  'materials.write',
  'notes.write',
  /** Photos, documents and signatures on a job. */
  'attachments.write',
  /** A follow-up job created from a job the contractor holds. */
  'jobs.followUp',
  /** Estimates for a customer: the office for any; a contractor for customers of their live jobs. */
  'estimates.write',
  /** The company's price list. */
  'priceList.write',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The refusal when a role may not make a change at all (see `canRole`). */
export const OFFICE_ONLY_MESSAGE = 'Only the office can make this change.';

const CONTRACTOR_ACTIONS: readonly Action[] = [
  'materials.write',
  'notes.write',
  'attachments.write',
  'jobs.followUp',
  'estimates.write',
];

/** Whether `role` may perform `action` at all (before any ownership check). */
export function canRole(role: Role, action: Action): boolean {
  switch (role) {
    case 'admin':
      return true;
    case 'dispatcher':
      return action !== 'users.manage' && action !== 'org.manage';
    case 'contractor':
      return CONTRACTOR_ACTIONS.includes(action);
  }
}
