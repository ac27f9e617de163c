import { LIVE_ASSIGNMENT_STATUSES } from '@fieldsync/domain';
import { useMemo } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';

const EMPTY: never[] = [];

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
