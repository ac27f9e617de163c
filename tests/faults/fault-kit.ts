/** Small client-side helpers shared by the fault tests: timed calls, an event-stream reader, polling. */
import { randomUUID } from 'node:crypto';

export interface TimedAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON for assertions
  json: any;
  headers: Headers;
  /** Milliseconds from sending to having read the whole answer. */
  ms: number;
}

/** One HTTP call against a real server, timed from send to the last byte of the answer. */
export async function timedCall(
  url: string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown } = {},
): Promise<TimedAnswer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers, ms };
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const answer = await timedCall(url, 'POST', '/api/auth/login', { body: { email, password } });
  if (answer.status !== 200) throw new Error(`sign-in as ${email}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.accessToken as string;
}

/** A push of one `note.add` on the job, from a new client (so seq 1). */
export function notePush(jobId: string, body = 'Left the gate as found.') {
  return {
    clientId: randomUUID(),
    mutations: [
      {
        seq: 1,
        name: 'note.add',
        occurredAt: new Date().toISOString(),
        args: { id: randomUUID(), jobId, body },
      },
    ],
  };
}

/** Polls `check` until it answers true; fails with `what` past the deadline. No fixed sleeps stand in for it. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 5000) {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface EventStreamReader {
  status: number;
  /** Event names in arrival order (`comment` for heartbeats). */
  received: string[];
  /** True once the server ended the stream or cut the connection. */
  readonly ended: boolean;
  close(): Promise<void>;
}

/** Opens `GET /api/sync/events` with a bearer token and records what arrives. */
export async function openEventStream(url: string, token: string): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/sync/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const received: string[] = [];
  let ended = false;
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    let buffer = '';
    try {
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let boundary = buffer.indexOf('\n\n'); boundary >= 0; boundary = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          received.push(block.match(/^event: (.+)$/m)?.[1] ?? (block.startsWith(':') ? 'comment' : 'message'));
        }
      }
    } catch {
      // Cut by the server, or aborted by close().
    } finally {
      ended = true;
    }
  })();
  return {
    status: response.status,
    received,
    get ended() {
      return ended;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** The seeded demo accounts the fault tests drive as devices: the office first, then five contractors. */
export const DEMO_DEVICE_EMAILS = [
  'dispatcher1@example.com',
  'contractor1@example.com',
  'contractor2@example.com',
  'contractor3@example.com',
  'contractor4@example.com',
  'contractor5@example.com',
] as const;
