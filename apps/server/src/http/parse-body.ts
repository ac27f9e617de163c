import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors';

/** Deepest nesting of objects and arrays a body may have; no message of ours comes near it. */
export const MAX_BODY_DEPTH = 64;

/**
 * Reads a JSON body. Not JSON, or nested deeper than `MAX_BODY_DEPTH` (which
 * would overflow the stack of whatever walks it next), is a 400 `invalid_body`.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError('invalid_body', 'The request body is not valid JSON.');
  }
  if (depthExceeds(body, MAX_BODY_DEPTH)) {
    throw new ApiError('invalid_body', `The request body nests deeper than ${MAX_BODY_DEPTH} levels.`);
  }
  return body;
}

/** Whether `value` nests objects and arrays deeper than `limit`; walks without recursion. */
function depthExceeds(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Reads a JSON body and validates it; any failure is a 400 `invalid_body` saying what is wrong. */
export async function parseJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  const body = await readJsonBody(c);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError('invalid_body', describeIssues(parsed.error.issues), { issues: parsed.error.issues });
  }
  return parsed.data;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
