import { errorBodySchema, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { HttpError, NetworkError } from './errors';

/** The subset of `fetch` the engine uses; inject one in tests or a multi-device harness. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
  /** Optional so that minimal fakes need not have it; real `fetch` answers do. */
  headers?: { get(name: string): string | null };
}>;

/** `Retry-After` in milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Sends one JSON request to the server with the protocol header. Resolves
 * with the parsed body of a 2xx answer (undefined for 204). Throws
 * `NetworkError` when `fetch` itself fails (treat as offline; an aborted
 * `signal` lands here too) and `HttpError` for any other status, carrying
 * the server's error code.
 */
export async function requestJson(
  fetchFn: FetchLike,
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; accessToken?: string; signal?: AbortSignal } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
  let response: Awaited<ReturnType<FetchLike>>;
  let text: string;
  try {
    response = await fetchFn(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    text = await response.text();
  } catch (error) {
    throw new NetworkError(error);
  }
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (response.ok) return body;
  // Not every non-2xx is ours (a proxy's HTML page, say): fall back to the status then.
  const parsed = errorBodySchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  const code = error?.code ?? (response.status >= 500 ? 'internal' : `http_${response.status}`);
  const message = error?.message ?? `The server answered ${response.status}.`;
  const retryAfterMs = parseRetryAfter(response.headers?.get('retry-after'));
  throw new HttpError(response.status, code, message, body, retryAfterMs);
}
