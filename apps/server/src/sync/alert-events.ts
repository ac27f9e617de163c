/**
 * The alert events a mutation raises, collected on its context like its
 * activity: `raiseAlerts` matches them against the rules with the push's
 * ledger, in the same transaction, once the mutation stands.
 */
import type { AlertEventSource } from '@fieldsync/domain';
import type { RaisedEvent } from '../alerts/raise-alerts';
import type { MutationContext } from './mutation-context';

/** Where a change came from, in the alert contract's words. */
function alertSourceOf(ctx: MutationContext): AlertEventSource {
  switch (ctx.source) {
    case 'mobile_app':
      return 'mobile_app';
    case 'dispatcher_web':
      return 'office_app';
    default:
      return ctx.source;
  }
}

/** Records that this mutation raised `event` (on the device's time of the change). */
export function raiseEvent(ctx: MutationContext, event: Omit<RaisedEvent, 'occurredAt' | 'source'>): void {
  ctx.alertEvents.push({ ...event, occurredAt: ctx.occurredAt, source: alertSourceOf(ctx) });
}

/** A value of a conflict (any JSON) as the event's text field. */
function conflictValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Records `conflict.recorded` for a conflict this mutation wrote. A conflict
 * on a job or an assignment carries the job's fields; on a material, pass its job.
 */
export function raiseConflictEvent(
  ctx: MutationContext,
  conflict: {
    conflictId: string;
    entity: string;
    entityId: string;
    field: string;
    winnerValue: unknown;
    loserValue: unknown;
    jobId?: string | undefined;
  },
): void {
  raiseEvent(ctx, {
    event: 'conflict.recorded',
    jobId: conflict.entity === 'jobs' ? conflict.entityId : (conflict.jobId ?? null),
    assignmentId: conflict.entity === 'assignments' ? conflict.entityId : null,
    data: {
      conflictId: conflict.conflictId,
      entity: conflict.entity,
      entityId: conflict.entityId,
      field: conflict.field,
      winnerValue: conflictValueText(conflict.winnerValue),
      loserValue: conflictValueText(conflict.loserValue),
    },
  });
}
