import { type MutationName, mutationArgsSchemas, plainIssuesByField } from '@fieldsync/protocol';

/**
 * Checks a form's values with the same catalogue schema the server uses,
 * before anything is queued. Returns one plain sentence per field ("Quantity
 * must be at most 1,000,000."; `''` for the change as a whole), or null when
 * the values are fine. `labels` renames fields for this form.
 */
export function argsProblems(
  name: MutationName,
  args: unknown,
  labels?: Readonly<Record<string, string>>,
): Record<string, string> | null {
  const result = mutationArgsSchemas[name].safeParse(args);
  if (result.success) return null;
  return plainIssuesByField(result.error.issues, labels);
}
