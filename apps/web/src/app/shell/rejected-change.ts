/** Words and files for a change the server did not take: why, what it held, and a copy to keep. */
import type { JobStatus } from '@fieldsync/domain';
import type { RejectedChange } from '../../sync';
import { type ChangeDetail, changeDetails, describeChange } from './labels';

/** What this device knows, today, about the job a rejected change was for. */
export interface RejectedJobContext {
  /** "Retile bathroom · JOB-…", when the job is still on this device. */
  jobTitle?: string | undefined;
  jobStatus?: JobStatus | undefined;
  /** The reason the office gave when it cancelled the job (status history). */
  cancellationReason?: string | null | undefined;
  /** The person's own assignment on the job ended (cancelled or declined) or is gone. */
  assignmentEnded?: boolean | undefined;
}

/** Refusals that mean "this job is not yours to add to any more", as opposed to a bad value. */
const ACCESS_CODES: ReadonlySet<string> = new Set([
  'forbidden',
  'not_found',
  'invalid_transition',
  'validation_failed',
]);

const WORK_SUBJECT: Record<string, string> = {
  'note.add': 'this note',
  'material.add': 'this material',
  'material.update': 'this material change',
  'material.setPurchased': 'this tick',
  'material.remove': 'this removal',
};

/**
 * Why the change was not taken, in plain words. A note or material refused
 * because the office cancelled (or took away) the job meanwhile says so,
 * rather than the server's generic "not allowed"; everything else keeps the
 * message recorded when the server answered.
 */
export function explainRejected(change: RejectedChange, context: RejectedJobContext): string {
  const subject = WORK_SUBJECT[change.name];
  const reason = context.cancellationReason?.trim();
  const officeReason = reason ? ` The office’s reason: “${reason}”.` : '';
  if (subject && ACCESS_CODES.has(change.code)) {
    if (context.jobStatus === 'cancelled')
      return `The office cancelled this job before ${subject} reached it.${officeReason}`;
    if (context.assignmentEnded || context.jobStatus === undefined) {
      return `The office took this job off your list before ${subject} reached it.`;
    }
  }
  if (change.name === 'job.setStatus' && context.jobStatus === 'cancelled' && change.code !== 'conflict') {
    return `${change.message}${officeReason}`;
  }
  return change.message;
}

/** The change as text a person can paste into a message to the office. */
export function changeAsText(change: RejectedChange, context: RejectedJobContext): string {
  const lines = [`Change: ${describeChange(change.name, change.args)}`];
  if (context.jobTitle) lines.push(`Job: ${context.jobTitle}`);
  for (const detail of changeDetails(change.name, change.args)) lines.push(`${detail.label}: ${detail.value}`);
  lines.push(`Not accepted: ${explainRejected(change, context)}`);
  lines.push(`Recorded on this device: ${change.at}`);
  return lines.join('\n');
}

/** A file with everything the person typed, in words and as sent, so the office can enter it again. */
export function changeAsExport(change: RejectedChange, context: RejectedJobContext, exportedAt: string): string {
  const details: ChangeDetail[] = changeDetails(change.name, change.args);
  return JSON.stringify(
    {
      exportedAt,
      change: describeChange(change.name, change.args),
      job: context.jobTitle ?? null,
      details: Object.fromEntries(details.map((detail) => [detail.label, detail.value])),
      notAccepted: explainRejected(change, context),
      code: change.code,
      recordedAt: change.at,
      asSent: { seq: change.seq, clientId: change.clientId ?? null, name: change.name, args: change.args },
      text: changeAsText(change, context),
    },
    null,
    2,
  );
}
