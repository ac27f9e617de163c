import type { PullEnvelope } from '@fieldsync/protocol';
import { ownContractorIdOf } from './apply-mutation';
import { type FieldsyncDatabase, readMeta, type ScheduleNotice, type SessionUser, writeMeta } from './database';

export type { ScheduleNotice };

/**
 * "Taken off your schedule" notices. When the office ends a contractor's
 * assignment, the pull lists the job in `removed` and sends the ended
 * assignment row once more in `changes` (docs/sync-protocol.md, Scope). The
 * phone keeps a notice with the job's title — read before the job is
 * deleted — and the office's reason, until the person dismisses it. A job
 * the contractor declined makes no notice: they know. Notices live in
 * `meta`, so signing out wipes them with the rest of the person's data.
 */

/** The notice's sentence: "<title> was taken off your schedule: <reason>" (no colon without a reason). */
export function scheduleNoticeText(notice: Pick<ScheduleNotice, 'jobTitle' | 'reason'>): string {
  const reason = notice.reason?.trim();
  return reason
    ? `${notice.jobTitle} was taken off your schedule: ${reason}`
    : `${notice.jobTitle} was taken off your schedule.`;
}

/**
 * The notices a pull page brings: one per job it removes that this phone
 * holds and whose own assignment the page shows as cancelled. Call inside
 * the page's transaction, before the page is applied (the job's title is
 * read from the local copy). Only contractors get them.
 */
export async function noticesInPullPage(
  db: FieldsyncDatabase,
  page: Pick<PullEnvelope, 'changes' | 'removed'>,
  user: SessionUser,
  at: string,
): Promise<ScheduleNotice[]> {
  const removedJobs = page.removed.jobs ?? [];
  if (user.role !== 'contractor' || removedJobs.length === 0) return [];
  const ownContractorId = await ownContractorIdOf(db, user);
  if (!ownContractorId) return [];
  const cancelled = new Map<string, Record<string, unknown>>();
  for (const row of page.changes.assignments ?? []) {
    if (row.status === 'cancelled' && row.contractorId === ownContractorId && typeof row.jobId === 'string') {
      cancelled.set(row.jobId, row);
    }
  }
  const notices: ScheduleNotice[] = [];
  for (const jobId of removedJobs) {
    const assignment = cancelled.get(jobId);
    if (!assignment) continue;
    // A job this phone never held (assigned and taken away between two syncs) was never on the schedule.
    const job = await db.jobs.get(jobId);
    if (!job) continue;
    notices.push({
      id: assignment.id as string,
      jobId,
      jobTitle: job.title,
      reason: typeof assignment.cancellationReason === 'string' ? assignment.cancellationReason : null,
      scheduledStart: typeof assignment.scheduledStart === 'string' ? assignment.scheduledStart : null,
      at,
    });
  }
  return notices;
}

/** Adds notices to the stored ones (one per assignment, however often it is pulled). Call inside a transaction over `meta`. */
export async function storeScheduleNotices(db: FieldsyncDatabase, notices: readonly ScheduleNotice[]): Promise<void> {
  if (notices.length === 0) return;
  const stored = (await readMeta(db, 'scheduleNotices')) ?? [];
  const known = new Set(stored.map((notice) => notice.id));
  await writeMeta(db, 'scheduleNotices', [...stored, ...notices.filter((notice) => !known.has(notice.id))]);
}

/** The notices not yet dismissed, newest first (also inside a `liveQuery`). */
export async function readScheduleNotices(db: FieldsyncDatabase): Promise<ScheduleNotice[]> {
  const stored = (await readMeta(db, 'scheduleNotices')) ?? [];
  return [...stored].reverse();
}

/** Forgets one notice (the person pressed "Dismiss"). Throws only if IndexedDB does. */
export async function dismissScheduleNotice(db: FieldsyncDatabase, id: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const stored = (await readMeta(db, 'scheduleNotices')) ?? [];
    await writeMeta(
      db,
      'scheduleNotices',
      stored.filter((notice) => notice.id !== id),
    );
  });
}
