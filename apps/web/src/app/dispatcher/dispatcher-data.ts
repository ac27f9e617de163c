import { LIVE_ASSIGNMENT_STATUSES } from '@fieldsync/domain';
import { useMemo } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';

const EMPTY: never[] = [];
const EMPTY_RECORD = { jobs: EMPTY, assignments: EMPTY, statusChanges: EMPTY, activity: EMPTY };

/** Every job on the device (live). */
export function useJobs(): LocalRow<'jobs'>[] {
  const { db } = useFieldsync();
  return useLiveQuery(() => db.jobs.toArray(), [db], EMPTY);
}

/** Customers by id (live). */
export function useCustomersById(): Map<string, LocalRow<'customers'>> {
  const { db } = useFieldsync();
  const customers = useLiveQuery(() => db.customers.toArray(), [db], EMPTY);
  return useMemo(() => new Map(customers.map((customer) => [customer.id, customer])), [customers]);
}

/** Contractors sorted by name (live). */
export function useContractors(): LocalRow<'contractors'>[] {
  const { db } = useFieldsync();
  const contractors = useLiveQuery(() => db.contractors.toArray(), [db], EMPTY);
  return useMemo(() => [...contractors].sort((a, b) => a.name.localeCompare(b.name)), [contractors]);
}

/** Users by id (live), to name who did what. */
export function useUsersById(): Map<string, LocalRow<'users'>> {
  const { db } = useFieldsync();
  const users = useLiveQuery(() => db.users.toArray(), [db], EMPTY);
  return useMemo(() => new Map(users.map((user) => [user.id, user])), [users]);
}

/** A person's name by user id, for "who did it" lines; `null` is the system. */
export function useUserName(): (id: string | null | undefined) => string {
  const users = useUsersById();
  return (id) => (id ? (users.get(id)?.name ?? 'Someone') : 'System');
}

/** Live (not cancelled or declined) assignments, grouped by job (live query). */
export function useLiveAssignmentsByJob(): Map<string, LocalRow<'assignments'>[]> {
  const { db } = useFieldsync();
  const assignments = useLiveQuery(
    () =>
      db.assignments
        .where('status')
        .anyOf([...LIVE_ASSIGNMENT_STATUSES])
        .toArray(),
    [db],
    EMPTY,
  );
  return useMemo(() => {
    const byJob = new Map<string, LocalRow<'assignments'>[]>();
    for (const assignment of assignments) {
      const list = byJob.get(assignment.jobId);
      if (list) list.push(assignment);
      else byJob.set(assignment.jobId, [assignment]);
    }
    return byJob;
  }, [assignments]);
}

/** How many ratings each contractor has and their average, by contractor id (live). */
export function useRatingSummaries(): Map<string, { count: number; average: number }> {
  const { db } = useFieldsync();
  const ratings = useLiveQuery(() => db.ratings.toArray(), [db], EMPTY);
  return useMemo(() => {
    const totals = new Map<string, { count: number; sum: number }>();
    for (const rating of ratings) {
      const total = totals.get(rating.contractorId) ?? { count: 0, sum: 0 };
      totals.set(rating.contractorId, { count: total.count + 1, sum: total.sum + rating.stars });
    }
    return new Map([...totals].map(([id, { count, sum }]) => [id, { count, average: sum / count }]));
  }, [ratings]);
}

/**
 * One customer's jobs on the device with every assignment of those jobs, and
 * the jobs' status changes and activity: what the customer page shows (live).
 */
export function useCustomerRecord(customerId: string): {
  jobs: LocalRow<'jobs'>[];
  assignments: LocalRow<'assignments'>[];
  statusChanges: LocalRow<'jobStatusHistory'>[];
  activity: LocalRow<'activityLog'>[];
} {
  const { db } = useFieldsync();
  return useLiveQuery(
    async () => {
      const jobs = await db.jobs.where('customerId').equals(customerId).toArray();
      const jobIds = jobs.map((job) => job.id);
      if (jobIds.length === 0) return { jobs, assignments: [], statusChanges: [], activity: [] };
      const [assignments, statusChanges, activity] = await Promise.all([
        db.assignments.where('jobId').anyOf(jobIds).toArray(),
        db.jobStatusHistory.where('jobId').anyOf(jobIds).toArray(),
        db.activityLog.where('jobId').anyOf(jobIds).toArray(),
      ]);
      return { jobs, assignments, statusChanges, activity };
    },
    [db, customerId],
    EMPTY_RECORD,
  );
}
