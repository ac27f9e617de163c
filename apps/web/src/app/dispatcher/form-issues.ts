import { plainIssuesByField } from '@fieldsync/protocol';
import type { z } from 'zod';

/** Field name → first message for that field; `''` holds problems not tied to a field. */
export type FieldIssues = Record<string, string>;

/**
 * Turns a zod error from the mutation's args schema into one plain sentence
 * per form field, naming the field ("Latitude must be between −90 and 90."),
 * never the schema library's wording. `*.update` args nest fields under
 * `patch`, so that level is skipped. `labels` renames fields for one form.
 */
export function issuesByField(error: z.ZodError, labels?: Readonly<Record<string, string>>): FieldIssues {
  return plainIssuesByField(error.issues, labels);
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
