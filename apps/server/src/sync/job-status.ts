/**
 * Status moves as a push records them: the move with its history row (through
 * the push's writes, held or direct), its activity-log line, and — when the
 * device moved from a status it no longer held — the conflict record.
 */
import { randomUUID } from 'node:crypto';
import type { JobStatus } from '@fieldsync/domain';
import { conflicts } from '../db/schema';
import { writeActivity } from './activity';
import type { HandlerOutcome, MutationContext } from './mutation-context';

/**
 * Applies one job status change with its side effects: the job row, one
 * status-history row (occurred on the device, recorded now) and one
 * activity-log row, all in the caller's transaction.
 */
export async function recordJobStatusChange(
  ctx: MutationContext,
  change: { jobId: string; from: JobStatus; to: JobStatus; reason?: string | undefined; automatic?: boolean },
) {
  await ctx.writes.moveJob({
    orgId: ctx.user.orgId,
    jobId: change.jobId,
    from: change.from,
    to: change.to,
    changedBy: ctx.user.userId,
    reason: change.reason ?? null,
    occurredAt: ctx.occurredAt,
    recordedAt: ctx.recordedAt,
    clientId: ctx.clientId,
    seq: ctx.seq,
  });
  await writeActivity(ctx, {
    entityType: 'job',
    entityId: change.jobId,
    jobId: change.jobId,
    action: 'job.status_changed',
    details: { from: change.from, to: change.to, reason: change.reason ?? null, automatic: change.automatic ?? false },
  });
  ctx.touchedJobIds.add(change.jobId);
}

/**
 * Records a status move applied from a stale `from`: the device's move won
 * over a status it never saw. Returns the conflict id for the push result.
 */
export async function recordStatusConflict(
  ctx: MutationContext,
  conflict: { entity: 'jobs' | 'assignments'; entityId: string; applied: string; overridden: string },
): Promise<HandlerOutcome> {
  const conflictId = randomUUID();
  await ctx.tx.insert(conflicts).values({
    orgId: ctx.user.orgId,
    id: conflictId,
    entity: conflict.entity,
    entityId: conflict.entityId,
    field: 'status',
    winnerValue: conflict.applied,
    loserValue: conflict.overridden,
    winnerBy: ctx.user.userId,
    winnerAt: ctx.occurredAt,
    mutationClientId: ctx.clientId,
    mutationSeq: ctx.seq,
  });
  return { outcome: 'conflict', conflictId };
}
