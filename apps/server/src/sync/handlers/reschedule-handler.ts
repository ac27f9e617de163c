/**
 * `assignment.reschedule`: the office moves a booking to other times.
 *
 * Only a proposed, confirmed or started assignment moves (`invalid_transition`
 * otherwise). The contractor's calendar is guarded by the database, as for
 * `assignment.create`: the exclusion constraint refuses an overlap and the
 * move is rejected `double_booked`.
 *
 * The times are one value with a `base`, settled like a field of an
 * `*.update` (see field-merge.ts): still at `base`, they move; moved since
 * the device looked, the later move by device time wins and one `conflicts`
 * row (field `schedule`, values `{ start, end }`) keeps the other, so the
 * office can flip it back with `conflict.resolve`.
 */
import { randomUUID } from 'node:crypto';
import {
  ASSIGNMENT_GONE_MESSAGE,
  type AssignmentStatus,
  checkReschedulable,
  decideReschedule,
  doubleBookedMessage,
  normalizeSchedule,
  type ScheduleTimes,
  sameSchedule,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { assignments, conflicts, contractors, mutations } from '../../db/schema';
import { toIsoTimestamp } from '../../db/timestamps';
import { writeActivity } from '../activity';
import { raiseConflictEvent, raiseEvent } from '../alert-events';
import { APPLIED, type HandlerOutcome, type MutationContext, MutationRejected } from '../mutation-context';
import { pgErrorCode } from '../pg-error-code';

/** The conflict field naming a booking's times. */
export const SCHEDULE_FIELD = 'schedule';

/** How many of the booking's recent moves are searched for the one that set its current times. */
const MOVES_SEARCHED = 20;

export async function rescheduleAssignment(
  ctx: MutationContext,
  args: MutationArgs<'assignment.reschedule'>,
): Promise<HandlerOutcome> {
  const [assignment] = await ctx.tx
    .select({
      status: assignments.status,
      jobId: assignments.jobId,
      contractorId: assignments.contractorId,
      scheduledStart: assignments.scheduledStart,
      scheduledEnd: assignments.scheduledEnd,
      updatedAt: assignments.updatedAt,
    })
    .from(assignments)
    .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, args.id), isNull(assignments.deletedAt)))
    .for('no key update');
  if (!assignment) throw new MutationRejected('not_found', ASSIGNMENT_GONE_MESSAGE);
  const movable = checkReschedulable(assignment.status as AssignmentStatus);
  if (!movable.ok) throw new MutationRejected(movable.code, movable.message);

  const current: ScheduleTimes = {
    start: toIsoTimestamp(assignment.scheduledStart),
    end: toIsoTimestamp(assignment.scheduledEnd),
  };
  const next = normalizeSchedule(args);
  const stale = !sameSchedule(current, args.base) && !sameSchedule(current, next);
  const rowChangedAt = toIsoTimestamp(assignment.updatedAt);
  const changedAt = stale
    ? await whenTimesWereSet(ctx, args.id, current, rowChangedAt)
    : { by: null, at: rowChangedAt };
  const decision = decideReschedule({
    current,
    base: args.base,
    next,
    incomingAt: ctx.occurredAt,
    currentChangedAt: changedAt.at,
  });

  if (decision.move) {
    try {
      // The database, not a prior check, refuses the double booking: its own savepoint keeps the error contained.
      await ctx.tx.transaction(async (savepoint) => {
        await savepoint
          .update(assignments)
          .set({ scheduledStart: next.start, scheduledEnd: next.end })
          .where(and(eq(assignments.orgId, ctx.user.orgId), eq(assignments.id, args.id)));
      });
    } catch (error) {
      if (pgErrorCode(error) !== '23P01') throw error;
      const [contractor] = await ctx.tx
        .select({ name: contractors.name })
        .from(contractors)
        .where(and(eq(contractors.orgId, ctx.user.orgId), eq(contractors.id, assignment.contractorId)));
      throw new MutationRejected('double_booked', doubleBookedMessage(contractor?.name ?? 'The contractor'));
    }
  }

  let conflictId: string | undefined;
  if (decision.conflict) {
    conflictId = randomUUID();
    const incoming = { by: ctx.user.userId, at: ctx.occurredAt };
    const [winner, loser] = decision.move ? [incoming, changedAt] : [changedAt, incoming];
    await ctx.tx.insert(conflicts).values({
      orgId: ctx.user.orgId,
      id: conflictId,
      entity: 'assignments',
      entityId: args.id,
      field: SCHEDULE_FIELD,
      winnerValue: decision.conflict.winner,
      loserValue: decision.conflict.loser,
      winnerBy: winner.by,
      loserBy: loser.by,
      winnerAt: winner.at,
      loserAt: loser.at,
      mutationClientId: ctx.clientId,
      mutationSeq: ctx.seq,
    });
    raiseConflictEvent(ctx, {
      conflictId,
      entity: 'assignments',
      entityId: args.id,
      field: SCHEDULE_FIELD,
      winnerValue: decision.conflict.winner,
      loserValue: decision.conflict.loser,
    });
  }

  // A move to where the booking already is changes nothing and tells no one.
  if (!decision.move && !conflictId) return APPLIED;
  await writeActivity(ctx, {
    entityType: 'assignment',
    entityId: args.id,
    jobId: assignment.jobId,
    action: 'assignment.rescheduled',
    details: {
      contractorId: assignment.contractorId,
      from: current,
      to: decision.move ? next : current,
      requested: next,
      conflictId: conflictId ?? null,
    },
  });
  if (decision.move) {
    raiseEvent(ctx, {
      event: 'assignment.rescheduled',
      jobId: assignment.jobId,
      assignmentId: args.id,
      data: { previousStart: current.start, previousEnd: current.end },
    });
  }
  // The contractor's phone hears of the new times (or of nothing new, harmlessly).
  ctx.touchedJobIds.add(assignment.jobId);
  return conflictId ? { outcome: 'conflict', conflictId } : APPLIED;
}

/**
 * Who set the booking's current times and when on their device: the latest
 * create or move of it in the ledger whose times are the current ones. When
 * none is found (times set by resolving a conflict, or older than the
 * searched moves) the row's last change on the server answers.
 */
async function whenTimesWereSet(
  ctx: MutationContext,
  assignmentId: string,
  current: ScheduleTimes,
  rowChangedAt: string,
): Promise<{ by: string | null; at: string }> {
  const moves = await ctx.tx
    .select({ userId: mutations.userId, occurredAt: mutations.occurredAt, args: mutations.args })
    .from(mutations)
    .where(
      and(
        eq(mutations.orgId, ctx.user.orgId),
        sql`${mutations.args}->>'id' = ${assignmentId}`,
        inArray(mutations.name, ['assignment.create', 'assignment.reschedule']),
        inArray(mutations.outcome, ['applied', 'conflict']),
      ),
    )
    .orderBy(desc(mutations.occurredAt), desc(mutations.receivedAt))
    .limit(MOVES_SEARCHED);
  for (const move of moves) {
    const times = move.args as Partial<ScheduleTimes> | null;
    if (typeof times?.start !== 'string' || typeof times.end !== 'string') continue;
    if (sameSchedule({ start: times.start, end: times.end }, current)) {
      return { by: move.userId, at: new Date(move.occurredAt).toISOString() };
    }
  }
  return { by: null, at: rowChangedAt };
}
