import { ERROR_CODES, type ErrorCode } from './error-codes';

const SUBJECT: Record<string, string> = {
  customer: 'this customer',
  job: 'this job',
  material: 'this material',
  note: 'this note',
  assignment: 'this assignment',
  contractor: 'this contractor',
  workingHours: 'these working hours',
  conflict: 'this conflict',
  rating: 'this rating',
  alertRule: 'this alert rule',
  alertDelivery: 'this alert',
  notification: 'this notification',
};

/** Codes whose server message is written for people (domain checks), so it is worth showing too. */
const PEOPLE_MESSAGE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ERROR_CODES.invalid_transition,
  ERROR_CODES.forbidden,
  ERROR_CODES.validation_failed,
]);

/** Mutations whose `invalid_args` message the server writes in plain words (the rule checks), worth showing. */
const PLAIN_INVALID_ARGS_MUTATIONS: ReadonlySet<string> = new Set(['alertRule.create', 'alertRule.update']);

function subjectOf(mutationName: string): string {
  const entity = mutationName.split('.')[0] ?? '';
  return SUBJECT[entity] ?? 'this change';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function baseSentence(code: string, mutationName: string): string {
  const subject = subjectOf(mutationName);
  switch (code) {
    case 'conflict':
      return `Someone else changed ${subject} at the same time. The office can choose which version to keep`;
    case ERROR_CODES.invalid_transition:
      if (mutationName === 'job.setStatus')
        return 'The office changed this job, so it could not be moved to that status';
      if (mutationName === 'assignment.setStatus') {
        return 'This assignment was changed meanwhile, so it could not be moved to that status';
      }
      return `${capitalise(subject)} could not be changed that way`;
    case ERROR_CODES.double_booked:
      return 'That contractor is already booked at that time';
    case ERROR_CODES.forbidden:
      return `You are not allowed to change ${subject}`;
    case ERROR_CODES.not_found:
      return `${capitalise(subject)} no longer exists or is no longer yours`;
    case ERROR_CODES.id_conflict:
      return `${capitalise(subject)} was already saved with different details`;
    case ERROR_CODES.validation_failed:
    case ERROR_CODES.invalid_args:
      return `Some details of ${subject} were not accepted`;
    case ERROR_CODES.unknown_mutation:
    case ERROR_CODES.client_outdated:
      return 'This app is out of date; it will update and try again';
    case ERROR_CODES.seq_gap:
      return 'Changes arrived out of order; they will be sent again';
    case ERROR_CODES.unauthorized:
    case ERROR_CODES.invalid_credentials:
      return 'Please sign in again to send your changes';
    case ERROR_CODES.client_id_taken:
      return 'This device is signed in as someone else; sign in again to send your changes';
    case ERROR_CODES.rate_limited:
      return 'Too many attempts; the app will try again shortly';
    case ERROR_CODES.body_too_large:
    case ERROR_CODES.too_many_mutations:
      return 'Too many changes at once; the app will send them in smaller parts';
    case ERROR_CODES.internal_error:
      return `The server could not take ${subject}. It is kept here: try again later or export it`;
    case ERROR_CODES.db_unavailable:
      return 'The server is having trouble right now; your changes are kept and will be sent later';
    case ERROR_CODES.account_disabled:
      return 'Your account has been switched off by your company. Your unsent changes are kept on this phone: download them and give them to the office';
    default:
      return `The server could not save ${subject}`;
  }
}

/**
 * A sentence a contractor understands for a rejected or conflicting change,
 * e.g. "That contractor is already booked at that time." `code` is an error
 * code, or `'conflict'` for a mutation that lost to a concurrent change. When
 * the server's `message` comes from a domain check (state machine,
 * permission, validation) it is added as a second sentence.
 */
export function describeOutcome(input: { code: string; mutationName: string; message?: string }): string {
  const base = sentence(baseSentence(input.code, input.mutationName));
  const extra = input.message?.trim();
  const plain =
    PEOPLE_MESSAGE_CODES.has(input.code) ||
    (input.code === ERROR_CODES.invalid_args && PLAIN_INVALID_ARGS_MUTATIONS.has(input.mutationName));
  if (extra && plain) return `${base} ${sentence(extra)}`;
  return base;
}
