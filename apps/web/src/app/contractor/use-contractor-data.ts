/** Live queries behind the contractor's screens: all from the local copy, so they work offline. */
import type { AssignmentStatus } from '@fieldsync/domain';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { compareInstants } from '../shell/format';

export type LocalJob = LocalRow<'jobs'>;
export type LocalAssignment = LocalRow<'assignments'>;
export type LocalCustomer = LocalRow<'customers'>;

export interface AgendaEntry {
  assignment: LocalAssignment;
  job: LocalJob;
  customer: LocalCustomer | undefined;
  /** Something about this job (the job, its materials, notes, assignment) is not sent yet. */
  pending: boolean;
}

const SHOWN_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['pending', 'confirmed', 'in_progress', 'completed'];

/**
 * Whether the contractor sees this assignment in their day: live ones, ones
 * ended because the office cancelled the job (so they learn it was
 * cancelled), and ones they changed here that the server has not seen yet —
 * but not one they declined: they said no, and the agenda said so then.
 */
function isShown(assignment: LocalAssignment, job: LocalJob): boolean {
  if (assignment.status === 'declined') return false;
  return (
    SHOWN_ASSIGNMENT_STATUSES.includes(assignment.status) ||
    job.status === 'cancelled' ||
    assignment._pendingSeq !== undefined
  );
}

/** The contractor row linked to the signed-in user: null when there is none, undefined while loading. */
export function useMyContractorId(): string | null | undefined {
  const { db } = useFieldsync();
  const userId = useSyncState().session?.user.id;
  return useLiveQuery(async () => {
    if (!userId) return null;
    const contractor = await db.contractors.where('userId').equals(userId).first();
    return contractor?.id ?? null;
  }, [userId]);
}

/**
 * Ids of jobs with a change not sent yet: every queued change knows the job
 * it is about (the outbox's `jobId` index, read keys only, once per job). The
 * agenda asks on every write: after a week offline thousands of changes wait,
 * and reading them, or the notes and materials they made, each time made
 * every tap slower than the last.
 */
async function pendingJobIds(db: ReturnType<typeof useFieldsync>['db']): Promise<Set<string>> {
  const queuedJobIds = await db.outbox.orderBy('jobId').uniqueKeys();
  return new Set(queuedJobIds.map(String));
}

/** Every job of this contractor with its assignment and customer, by scheduled start. Undefined while loading. */
export function useAgenda(contractorId: string | null | undefined): AgendaEntry[] | undefined {
  const { db } = useFieldsync();
  return useLiveQuery(async () => {
    if (!contractorId) return contractorId === null ? [] : undefined;
    const assignments = await db.assignments.where('contractorId').equals(contractorId).toArray();
    const jobs = await db.jobs.bulkGet(assignments.map((assignment) => assignment.jobId));
    const customerIds = [...new Set(jobs.map((job) => job?.customerId).filter((id): id is string => Boolean(id)))];
    const customers = new Map(
      (await db.customers.bulkGet(customerIds)).flatMap((c) => (c ? [[c.id, c] as const] : [])),
    );
    const pending = await pendingJobIds(db);
    const entries: AgendaEntry[] = [];
    assignments.forEach((assignment, index) => {
      const job = jobs[index];
      if (!job || !isShown(assignment, job)) return;
      entries.push({
        assignment,
        job,
        customer: job.customerId ? customers.get(job.customerId) : undefined,
        pending: pending.has(job.id) || assignment._pendingSeq !== undefined,
      });
    });
    entries.sort((a, b) => compareInstants(a.assignment.scheduledStart, b.assignment.scheduledStart));
    return entries;
  }, [contractorId]);
}

export interface JobDetail {
  job: LocalJob;
  customer: LocalCustomer | undefined;
  assignment: LocalAssignment | undefined;
}

/** One job with the contractor's assignment on it. `null` when the job is not on this phone. */
export function useJobDetail(jobId: string, contractorId: string | null | undefined): JobDetail | null | undefined {
  const { db } = useFieldsync();
  return useLiveQuery(async () => {
    const job = await db.jobs.get(jobId);
    if (!job) return null;
    const customer = job.customerId ? await db.customers.get(job.customerId) : undefined;
    const assignments = await db.assignments.where('jobId').equals(jobId).toArray();
    const mine = assignments
      .filter((assignment) => !contractorId || assignment.contractorId === contractorId)
      .sort((a, b) => compareInstants(b.scheduledStart, a.scheduledStart));
    const assignment = mine.find((a) => SHOWN_ASSIGNMENT_STATUSES.includes(a.status)) ?? mine[0];
    return { job, customer, assignment };
  }, [jobId, contractorId]);
}

/** A user's display name (note authors, who changed a status), from the local users table. */
export function useUserNames(ids: readonly (string | null)[]): Map<string, string> {
  const { db } = useFieldsync();
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  return (
    useLiveQuery(
      async () =>
        new Map((await db.users.bulkGet(wanted)).flatMap((user) => (user ? [[user.id, user.name] as const] : []))),
      [wanted.join(',')],
    ) ?? new Map()
  );
}
