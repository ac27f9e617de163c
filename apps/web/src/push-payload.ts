/**
 * Reading a Web Push payload, for the service worker (`sw.ts`). Pure and
 * defensive: the server sends `{ title, body, jobId?, url? }`, but whatever
 * arrives, the person still sees a plain "Fieldsync" notification, and a tap
 * never leaves the app's own origin.
 */
export interface PushAlert {
  title: string;
  body: string;
  /** Absolute address to open on a tap. */
  url: string;
  /** One notification per job: a newer alert about it replaces the older one. */
  tag: string | undefined;
}

/** A job's screen on either app: both route `#/jobs/<id>`. */
export function jobPath(jobId: string): string {
  return `/#/jobs/${encodeURIComponent(jobId)}`;
}

/** `url` as an absolute address on `origin`, or undefined when it points elsewhere or cannot be read. */
export function ownUrl(url: string, origin: string): string | undefined {
  try {
    const parsed = new URL(url, origin);
    return parsed.origin === origin ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The notification to show for a push whose payload text is `text` (null when it had none). */
export function readPushPayload(text: string | null, origin: string): PushAlert {
  let raw: unknown;
  try {
    raw = text === null ? undefined : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const field = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const jobId = field(record.jobId);
  const url = field(record.url);
  const title = field(record.title);
  return {
    title: title ?? 'Fieldsync',
    body: field(record.body) ?? (title ? '' : 'Something changed. Open Fieldsync to see it.'),
    url: (url ? ownUrl(url, origin) : undefined) ?? new URL(jobId ? jobPath(jobId) : '/', origin).href,
    tag: jobId ? `job-${jobId}` : undefined,
  };
}
