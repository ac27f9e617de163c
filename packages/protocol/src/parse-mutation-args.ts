import type { z } from 'zod';
import { isMutationName, type MutationArgs, type MutationName, mutationArgsSchemas } from './mutations';

/** A parsed mutation: switch on `name` to get its args typed. */
export type ParsedMutation = { [N in MutationName]: { ok: true; name: N; args: MutationArgs<N> } }[MutationName];

export type ParseMutationArgsResult =
  | ParsedMutation
  | { ok: false; code: 'unknown_mutation' | 'invalid_args'; message: string };

/**
 * Checks one pushed mutation's name and args. A failure rejects that mutation
 * only; `message` names every bad field, e.g.
 * `Invalid args for job.setStatus: to: Invalid option…; extra: Unrecognized key`.
 */
export function parseMutationArgs(name: string, args: unknown): ParseMutationArgsResult {
  if (!isMutationName(name)) {
    return { ok: false, code: 'unknown_mutation', message: `Unknown mutation "${name}"` };
  }
  const nulAt = pathOfTextWithNul(args);
  if (nulAt !== undefined) {
    // Postgres stores no NUL character in text or JSON; refused here, not failed later.
    return {
      ok: false,
      code: 'invalid_args',
      message: `Invalid args for ${name}: ${nulAt || 'args'}: text may not contain the NUL character`,
    };
  }
  const schema: z.ZodType = mutationArgsSchemas[name];
  const result = schema.safeParse(args);
  if (!result.success) {
    return {
      ok: false,
      code: 'invalid_args',
      message: `Invalid args for ${name}: ${describeIssues(result.error.issues)}`,
    };
  }
  return { ok: true, name, args: result.data } as ParsedMutation;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'args';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** The path of the first string (value or key) holding a NUL character, or undefined when there is none. */
function pathOfTextWithNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = path ? `${path}.${key}` : key;
    if (key.includes('\0')) return innerPath;
    const found = pathOfTextWithNul(inner, innerPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
