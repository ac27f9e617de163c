import type { z } from 'zod';

/** Field name → first message for that field; `''` holds problems not tied to a field. */
export type FieldIssues = Record<string, string>;

const FRIENDLY: Array<[RegExp, string]> = [
  [/Too small: expected string to have >=1 character/i, 'Required'],
  [/Invalid input: expected string, received undefined/i, 'Required'],
  [/Invalid input: expected number, received NaN/i, 'Enter a number'],
  [/Invalid email/i, 'Enter a valid email address'],
];

function friendly(message: string): string {
  for (const [pattern, words] of FRIENDLY) if (pattern.test(message)) return words;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Turns a zod error from the mutation's args schema into messages per form
 * field. `*.update` args nest fields under `patch`, so that level is skipped.
 */
export function issuesByField(error: z.ZodError): FieldIssues {
  const issues: FieldIssues = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((part) => part !== 'patch' && part !== 'base');
    const field = path.length > 0 ? String(path[0]) : '';
    if (issues[field] === undefined) issues[field] = friendly(issue.message);
  }
  return issues;
}

/** `''` → undefined, so optional fields left blank are simply not sent. */
export function blankToUndefined(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A number field: blank → undefined, otherwise the number (NaN lets the schema say what is wrong). */
export function numberOrUndefined(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
