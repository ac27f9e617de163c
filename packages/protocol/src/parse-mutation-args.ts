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
