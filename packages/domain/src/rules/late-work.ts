/**
 * Work a contractor records on a job (notes, materials; later photos and time
 * entries) while the office, elsewhere, takes the job away: it cancels the
 * job, or cancels or declines the contractor's assignment to give it to
 * someone else. The phone learns of that only when it next syncs, so what was
 * done before then really happened on the job and belongs to its history.
 *
 * The line is drawn at the moment the server recorded the end of the
 * contractor's access: the office's change cannot have reached the phone any
 * earlier. Both times are on the server's clock — the work's `occurredAt` is
 * corrected by the phone for its clock's skew and never later than when the
 * server received it — so an office that cancelled while itself offline does
 * not make the contractor's work of the hours in between vanish.
 */

/** The plain-words refusal when a contractor works on a job that is not theirs (any more). */
export const JOB_NOT_ASSIGNED_MESSAGE = 'This job is no longer assigned to you.';

/** Why a contractor's access to a job ended. */
export type AccessEndReason = 'job_cancelled' | 'assignment_ended';

/** What the server knows of a contractor's hold on a job. */
export type JobAccess =
  /** They hold a live assignment on it (pending, confirmed, in progress or completed). */
  | { kind: 'live' }
  /** They held one; `endedAt` is when the server recorded its end (ISO 8601). */
  | { kind: 'ended'; endedAt: string; because: AccessEndReason }
  /** They never held one. */
  | { kind: 'none' };

/** The answer: apply (marked late or not), or refuse in plain words. */
export type LateWorkDecision =
  | { ok: true; late: false }
  | { ok: true; late: true; accessEndedAt: string; because: AccessEndReason }
  | { ok: false; code: 'forbidden'; message: string };

/**
 * Decides whether work a contractor did on a job at `occurredAt` stands.
 * With a live assignment it simply applies. Once their access has ended, work
 * done strictly before the end is applied and marked "recorded after
 * cancellation"; work done at or after it is refused, as is any work on a job
 * they never held.
 */
export function decideLateWork(input: { access: JobAccess; occurredAt: string }): LateWorkDecision {
  const { access } = input;
  if (access.kind === 'live') return { ok: true, late: false };
  if (access.kind === 'ended' && Date.parse(input.occurredAt) < Date.parse(access.endedAt)) {
    return { ok: true, late: true, accessEndedAt: access.endedAt, because: access.because };
  }
  return { ok: false, code: 'forbidden', message: JOB_NOT_ASSIGNED_MESSAGE };
}
