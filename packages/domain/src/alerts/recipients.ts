import { idSchema, MAX_LIST_ITEMS } from '../wire-formats';
import { alertFieldType } from './alert-events';

/** Who receives a rule's alert, parsed from the contract's text form. */
export type AlertRecipient =
  | { kind: 'role'; role: 'admin' | 'dispatcher' }
  | { kind: 'assigned_contractor' }
  | { kind: 'user'; userId: string };

/** The recipient texts that name no particular user. */
export const ALERT_RECIPIENT_KEYWORDS = ['role:admin', 'role:dispatcher', 'assigned_contractor'] as const;

/** `text` as a recipient, or a plain-words problem. Never throws. */
export function parseAlertRecipient(
  text: unknown,
): { ok: true; recipient: AlertRecipient } | { ok: false; problem: string } {
  if (typeof text !== 'string') return { ok: false, problem: 'a recipient must be text like role:dispatcher' };
  if (text === 'role:admin') return { ok: true, recipient: { kind: 'role', role: 'admin' } };
  if (text === 'role:dispatcher') return { ok: true, recipient: { kind: 'role', role: 'dispatcher' } };
  if (text === 'assigned_contractor') return { ok: true, recipient: { kind: 'assigned_contractor' } };
  if (text === 'role:contractor') {
    return { ok: false, problem: 'role:contractor is not a recipient; use assigned_contractor or user:<id>' };
  }
  if (text.startsWith('user:')) {
    const userId = text.slice('user:'.length);
    return idSchema.safeParse(userId).success
      ? { ok: true, recipient: { kind: 'user', userId: userId.toLowerCase() } }
      : { ok: false, problem: `'${shorten(text)}' does not hold a user id (user:<id>)` };
  }
  return {
    ok: false,
    problem: `unknown recipient '${shorten(text)}' (use role:admin, role:dispatcher, assigned_contractor or user:<id>)`,
  };
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Why a rule's `recipients` cannot be used for `event`, in plain words; empty
 * when they can. At least one recipient, no repeats, and `assigned_contractor`
 * only on events that name a contractor. Never throws.
 */
export function recipientProblems(event: unknown, recipients: unknown): string[] {
  if (!Array.isArray(recipients)) return ['recipients must be a list'];
  if (recipients.length === 0) return ['name at least one recipient'];
  if (recipients.length > MAX_LIST_ITEMS) return [`at most ${MAX_LIST_ITEMS} recipients`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const text of recipients) {
    const parsed = parseAlertRecipient(text);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const key = parsed.recipient.kind === 'user' ? `user:${parsed.recipient.userId}` : String(text);
    if (seen.has(key)) problems.push(`${String(text)} is listed twice`);
    seen.add(key);
    if (
      parsed.recipient.kind === 'assigned_contractor' &&
      typeof event === 'string' &&
      alertFieldType(event, 'contractorId') === undefined
    ) {
      problems.push(`${event} names no contractor, so assigned_contractor cannot receive it`);
    }
  }
  return problems;
}
