import { LIVE_ASSIGNMENT_STATUSES } from '@fieldsync/domain';
import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import { useEffect, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';

const EMPTY: never[] = [];
const EMPTY_RECORD = { jobs: EMPTY, assignments: EMPTY, statusChanges: EMPTY, activity: EMPTY };

/** Every job on the device (live). */
export function useJobs(): LocalRow<'jobs'>[] {
  const { db } = useFieldsync();
  return useTableRows(db, 'jobs');
}

/** A write's keys, or 'all' when Dexie only knows a range was touched (a bulk write, a clear). */
type Touched = Set<string> | 'all';

/** The keys in `tree` when it holds single keys only; 'all' when any part is a range. */
function keysIn(tree: IntervalTree, into: Set<string>): Touched {
  const stack: IntervalTree[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as IntervalTree;
    if (!('from' in node)) continue;
    if (node.from !== node.to || typeof node.from !== 'string') return 'all';
    into.add(node.from);
    if (node.l) stack.push(node.l);
    if (node.r) stack.push(node.r);
  }
  return into;
}

/** Re-reading every row no more often than this many times its last read took, so bursts of writes coalesce. */
const FULL_READ_GAP_FACTOR = 3;

/**
 * Every row of a table (live), kept up to date by key: a change to a few
 * rows (a person's edit, another tab's) re-reads only those rows, not the
 * whole table. Dexie reports bulk writes (a pull page, a clear) as a range:
 * those re-read the table, one read at a time and spaced out (see
 * `FULL_READ_GAP_FACTOR`), so a first sync's pages do not each re-read and
 * re-render thousands of rows while the next page waits. The first read
 * runs at once.
 */
function useTableRows<T extends 'jobs' | 'customers' | 'assignments'>(
  db: ReturnType<typeof useFieldsync>['db'],
  table: T,
): LocalRow<T>[] {
  const [rows, setRows] = useState<LocalRow<T>[]>(EMPTY);
  useEffect(() => {
    const part = `idb://${db.name}/${table}/`;
    const byId = new Map<string, LocalRow<T>>();
    let touched: Touched = 'all';
    let running = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFullReadAt = Number.NEGATIVE_INFINITY;
    let lastFullReadMs = 0;

    async function run() {
      running = true;
      try {
        while (!stopped && (touched === 'all' || touched.size > 0)) {
          const wanted = touched;
          if (wanted === 'all') {
            const wait = lastFullReadAt + lastFullReadMs * FULL_READ_GAP_FACTOR - performance.now();
            if (wait > 0) {
              timer = setTimeout(() => {
                timer = undefined;
                void run();
              }, wait);
              return;
            }
            touched = new Set();
            const started = performance.now();
            const all = (await db.table(table).toArray()) as LocalRow<T>[];
            lastFullReadAt = performance.now();
            lastFullReadMs = lastFullReadAt - started;
            byId.clear();
            for (const row of all) byId.set(row.id, row);
          } else {
            touched = new Set();
            const ids = [...wanted];
            const found = (await db.table(table).bulkGet(ids)) as (LocalRow<T> | undefined)[];
            ids.forEach((id, index) => {
              const row = found[index];
              if (row) byId.set(id, row);
              else byId.delete(id);
            });
          }
          if (!stopped) setRows([...byId.values()]);
        }
      } catch (error) {
        // Closed database (sign-out, another tab's upgrade): the screen goes away with it.
        if (!stopped) console.warn(`fieldsync: could not read ${table}`, error);
      } finally {
        running = false;
      }
    }

    function onMutated(parts: ObservabilitySet) {
      const changed = parts[part];
      if (!changed || !('from' in changed)) return;
      const dels = parts[`${part}:dels`];
      if (touched !== 'all') {
        const keys = keysIn(changed, touched);
        touched = keys === 'all' || (dels && keysIn(dels, keys) === 'all') ? 'all' : keys;
      }
      if (!running && !timer) void run();
    }

    Dexie.on('storagemutated', onMutated);
    void run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      Dexie.on('storagemutated').unsubscribe(onMutated);
    };
  }, [db, table]);
  return rows;
}

/** Customers by id (live). */
export function useCustomersById(): Map<string, LocalRow<'customers'>> {
  const { db } = useFieldsync();
  const customers = useTableRows(db, 'customers');
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
  const assignments = useTableRows(db, 'assignments');
  return useMemo(() => {
    const live: ReadonlySet<string> = new Set(LIVE_ASSIGNMENT_STATUSES);
    const byJob = new Map<string, LocalRow<'assignments'>[]>();
    for (const assignment of assignments) {
      if (!live.has(assignment.status)) continue;
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
