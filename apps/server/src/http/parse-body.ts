import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** Reads a JSON body and validates it; any failure is a 400 `invalid_body` saying what is wrong. */
export async function parseJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError('invalid_body', 'The request body is not valid JSON.');
  }
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
