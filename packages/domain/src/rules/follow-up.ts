import type { Role } from '../enums/role';
import { canRole, OFFICE_ONLY_MESSAGE } from '../permissions';

/** A contractor asked for a job other than a follow-up of one they hold. */
export const FOLLOW_UP_NOT_HELD_MESSAGE = 'Contractors can only create a follow-up of a job they are working on.';
/** A follow-up names another customer than the job it follows up. */
export const FOLLOW_UP_OTHER_CUSTOMER_MESSAGE =
  'A follow-up job is for the same customer as the job it follows up. Leave the customer as it is.';
/** The office named a job to follow up that does not exist. */
export const FOLLOW_UP_PARENT_MISSING_MESSAGE = 'The job this follows up does not exist.';

/** What a `job.create` asks for, as far as who may create it is concerned. */
export interface JobCreateRequest {
  parentJobId?: string | undefined;
  customerId?: string | null | undefined;
}

/**
 * The answer for a `job.create`: refused with a shared code and plain words,
 * or allowed with the customer the new job takes (a follow-up takes its
 * parent's when none is given) and whether it comes "from the field" (a
 * contractor's follow-up, flagged for the office).
 */
export type JobCreateDecision =
  | { ok: true; customerId: string | null; fromField: boolean }
  | { ok: false; code: 'forbidden' | 'validation_failed'; message: string };

/**
 * Who may create a job: the office any job (a follow-up's parent must exist);
 * a contractor only a follow-up (`parentJobId`) of a job they hold a live
 * assignment on (`parentHeld`), for the parent's customer. The server and the
 * phone ask the same question, each with what it knows of the parent.
 */
export function decideJobCreate(input: {
  role: Role;
  request: JobCreateRequest;
  /** The parent job, when `parentJobId` names one this side can see (undefined otherwise). */
  parent: { customerId: string | null } | undefined;
  /** True when the caller holds a live assignment on the parent. */
  parentHeld: boolean;
}): JobCreateDecision {
  const { role, request, parent } = input;
  if (canRole(role, 'jobs.write')) {
    if (request.parentJobId === undefined)
      return { ok: true, customerId: request.customerId ?? null, fromField: false };
    if (!parent) return { ok: false, code: 'validation_failed', message: FOLLOW_UP_PARENT_MISSING_MESSAGE };
    return { ok: true, customerId: request.customerId ?? parent.customerId, fromField: false };
  }
  if (!canRole(role, 'jobs.followUp')) return { ok: false, code: 'forbidden', message: OFFICE_ONLY_MESSAGE };
  if (request.parentJobId === undefined || !parent || !input.parentHeld) {
    return { ok: false, code: 'forbidden', message: FOLLOW_UP_NOT_HELD_MESSAGE };
  }
  if (request.customerId != null && request.customerId !== parent.customerId) {
    return { ok: false, code: 'validation_failed', message: FOLLOW_UP_OTHER_CUSTOMER_MESSAGE };
  }
  return { ok: true, customerId: parent.customerId, fromField: true };
}
