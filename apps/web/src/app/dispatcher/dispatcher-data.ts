import {
  type Assignment,
  type Contractor,
  type Customer,
  type Job,
  LIVE_ASSIGNMENT_STATUSES,
  type User,
} from '@fieldsync/domain';
import { useMemo } from 'react';
import type { FieldsyncClient } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { DEFAULT_TIME_ZONE } from './format';

/** A local row: the wire row plus `_pendingSeq` while this device's change is not yet confirmed. */
export type Local<T> = T & { _pendingSeq?: number };

const EMPTY: never[] = [];

/** Every job on the device (live). */
export function useJobs(): Local<Job>[] {
  const { db } = useFieldsync();
  return useLiveQuery(() => db.jobs.toArray(), [db], EMPTY);
}

/** Customers by id (live). */
export function useCustomersById(): Map<string, Local<Customer>> {
  const { db } = useFieldsync();
  const customers = useLiveQuery(() => db.customers.toArray(), [db], EMPTY);
  return useMemo(() => new Map(customers.map((customer) => [customer.id, customer])), [customers]);
}

/** Contractors sorted by name (live). */
export function useContractors(): Local<Contractor>[] {
  const { db } = useFieldsync();
  const contractors = useLiveQuery(() => db.contractors.toArray(), [db], EMPTY);
  return useMemo(() => [...contractors].sort((a, b) => a.name.localeCompare(b.name)), [contractors]);
}

/** Users by id (live), to name who did what. */
export function useUsersById(): Map<string, Local<User>> {
  const { db } = useFieldsync();
  const users = useLiveQuery(() => db.users.toArray(), [db], EMPTY);
  return useMemo(() => new Map(users.map((user) => [user.id, user])), [users]);
}

/**
 * The organization's time zone. The organizations row is not a synced
 * table, so this is the session's `timeZone` when the server sends one and
 * the design's default otherwise.
 */
export function useOrgTimeZone(): string {
  const state = useSyncState();
  const user: Record<string, unknown> | undefined = state.session?.user;
  const zone = user?.timeZone ?? user?.orgTimeZone;
  return typeof zone === 'string' && zone.length > 0 ? zone : DEFAULT_TIME_ZONE;
}

/** Thrown by {@link authorizedGet} for any non-2xx answer. */
export class RequestFailedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function accessToken(client: FieldsyncClient): Promise<string | null> {
  const entry = await client.db.meta.get('session');
  const value = entry?.value as { accessToken?: unknown } | undefined;
  return typeof value?.accessToken === 'string' ? value.accessToken : null;
}

/**
 * GET a query endpoint with the session's bearer token. The sync client
 * keeps the token (and refreshes it while syncing), so on a 401 this lets it
 * sync once (which refreshes) and tries again. Throws on network failure or
 * any non-2xx answer; callers fall back to local data.
 */
export async function authorizedGet(client: FieldsyncClient, path: string, signal?: AbortSignal): Promise<unknown> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await accessToken(client);
    if (!token) throw new RequestFailedError(401, 'Not signed in');
    const response = await fetch(path, {
      headers: { Authorization: `Bearer ${token}`, 'X-Fieldsync-Protocol': '1', Accept: 'application/json' },
      signal,
    });
    if (response.status === 401 && attempt === 0) {
      await client.syncNow().catch(() => undefined);
      continue;
    }
    if (!response.ok) throw new RequestFailedError(response.status, `The server answered ${response.status}`);
    return response.json();
  }
  throw new RequestFailedError(401, 'Not signed in');
}

/** Live (not cancelled or declined) assignments, grouped by job (live query). */
export function useLiveAssignmentsByJob(): Map<string, Local<Assignment>[]> {
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
    const byJob = new Map<string, Local<Assignment>[]>();
    for (const assignment of assignments) {
      const list = byJob.get(assignment.jobId);
      if (list) list.push(assignment);
      else byJob.set(assignment.jobId, [assignment]);
    }
    return byJob;
  }, [assignments]);
}
