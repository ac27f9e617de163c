import { textProblem } from '@fieldsync/domain';
import type { z } from 'zod';
import { isMutationName, type MutationArgs, type MutationName, mutationArgsSchemas } from './mutations';

/** A parsed mutation: switch on `name` to get its args typed. */
export type ParsedMutation = { [N in MutationName]: { ok: true; name: N; args: MutationArgs<N> } }[MutationName];

export type ParseMutationArgsResult =
  | ParsedMutation
  | {
      ok: false;
      code: 'unknown_mutation' | 'invalid_args';
      message: string;
      /** The schema's findings, when it was the schema that refused (for plain words per field). */
      issues?: readonly z.core.$ZodIssue[];
    };

/**
 * Checks one pushed mutation's name and args. A failure rejects that mutation
 * only; `message` names every bad field, e.g.
 * `Invalid args for job.setStatus: to: Invalid option…; extra: Unrecognized key`.
 */
export function parseMutationArgs(name: string, args: unknown): ParseMutationArgsResult {
  if (!isMutationName(name)) {
    return { ok: false, code: 'unknown_mutation', message: `Unknown mutation "${shown(name)}"` };
  }
  // Every text field's schema refuses such text too; this also covers what no schema
  // looks into (keys, and `base` values, which take any JSON) before anything stores it.
  const badText = firstBadText(args);
  if (badText) {
    return {
      ok: false,
      code: 'invalid_args',
      message: `Invalid args for ${name}: ${badText.path || 'args'}: ${badText.problem}`,
    };
  }
  const schema: z.ZodType = mutationArgsSchemas[name];
  const result = schema.safeParse(args);
  if (!result.success) {
    return {
      ok: false,
      code: 'invalid_args',
      message: `Invalid args for ${name}: ${describeIssues(result.error.issues)}`,
      issues: result.error.issues,
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

/** The first string (value or key) that cannot be stored (see `textProblem`), with its path. */
function firstBadText(value: unknown, path = ''): { path: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = path ? `${path}.${key}` : key;
    const keyProblem = textProblem(key);
    if (keyProblem) return { path: innerPath, problem: keyProblem };
    const found = firstBadText(inner, innerPath);
    if (found) return found;
  }
  return undefined;
}

/** A name as quoted in a message: short, and with any broken character made visible. */
function shown(name: string): string {
  const short = name.length > MAX_SHOWN_NAME ? `${name.slice(0, MAX_SHOWN_NAME)}…` : name;
  return short.replaceAll('\0', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');
}
const MAX_SHOWN_NAME = 100;
