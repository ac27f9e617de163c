/**
 * Why `mutate` refused a change; nothing was saved or queued. `message` is
 * written for people. For `invalid_args`, `issues` holds one plain sentence
 * per field (`''` for the change as a whole), for forms to show next to the field.
 */
export class MutationRefusedError extends Error {
  override readonly name = 'MutationRefusedError';
  constructor(
    readonly code: string,
    message: string,
    readonly issues: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Sign-out, or sign-in as someone else, while changes are still waiting to be sent. */
export class PendingChangesError extends Error {
  override readonly name = 'PendingChangesError';
  constructor(readonly count: number) {
    super(
      count === 1
        ? '1 change has not been sent yet. Connect to the internet first, or download it before signing out.'
        : `${count} changes have not been sent yet. Connect to the internet first, or download them before signing out.`,
    );
  }
}

/** Sign-in failed. `code` is a protocol error code or `network`; `message` is written for people. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A non-2xx answer from the server, with its `{ error: { code, message } }`
 * body. `retryAfterMs` is the answer's `Retry-After` (a 503 outage), when it had one.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** `fetch` itself failed: no network, DNS, connection reset. The device is treated as offline. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(readonly cause: unknown) {
    super('No connection to the server.');
  }
}
