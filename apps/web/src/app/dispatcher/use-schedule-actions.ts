import type { MutationArgs } from '@fieldsync/protocol';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { movedToReason } from './placement-check';
import type { Interval } from './schedule-layout';

/**
 * The schedule's three changes, each queued on this device (so they work
 * offline) and refused here, in plain words, when the device's own rules
 * refuse them. Every function answers whether the change was queued.
 */
export function useScheduleActions() {
  const client = useFieldsync();
  const action = useAction('computer');

  /** Proposes the job to a contractor: a pending assignment. */
  const propose = (job: Pick<LocalRow<'jobs'>, 'id'>, contractorId: string, interval: Interval, score?: ScoreArg) =>
    action.run(() =>
      client.mutate('assignment.create', {
        id: newId(),
        jobId: job.id,
        contractorId,
        start: interval.start,
        end: interval.end,
        ...(score ? { score } : {}),
      }),
    );

  /** Moves an assignment to another time, same contractor. */
  const reschedule = (assignment: LocalRow<'assignments'>, interval: Interval) =>
    action.run(() =>
      // `base` is the time this device last knew, so the server can tell a move made over someone else's.
      client.mutate('assignment.reschedule', {
        id: assignment.id,
        start: interval.start,
        end: interval.end,
        base: { start: assignment.scheduledStart, end: assignment.scheduledEnd },
      }),
    );

  /**
   * Moves the job to another contractor: the new proposal first, so a
   * refused one leaves the old visit standing, then the old visit cancelled
   * with "Moved to <name>".
   */
  const moveToContractor = (
    assignment: LocalRow<'assignments'>,
    to: { id: string; name: string },
    interval: Interval,
  ) =>
    action.run(async () => {
      await client.mutate('assignment.create', {
        id: newId(),
        jobId: assignment.jobId,
        contractorId: to.id,
        start: interval.start,
        end: interval.end,
      });
      await client.mutate('assignment.setStatus', {
        id: assignment.id,
        from: assignment.status,
        to: 'cancelled',
        reason: movedToReason(to.name),
      });
    });

  return {
    propose,
    reschedule,
    moveToContractor,
    error: action.error,
    busy: action.busy,
    clearError: action.clearError,
  };
}

/** The recommendation a proposal came from, as `assignment.create` carries it. */
export type ScoreArg = NonNullable<MutationArgs<'assignment.create'>['score']>;
