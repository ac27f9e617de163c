import type { ErrorCode } from '@fieldsync/protocol';

/**
 * The one error services throw for a failure the client caused or must act
 * on, with a code from the closed set shared with the app. Services never
 * choose an HTTP status: the edge does, from the code (`statusForCode`).
 * Inside a push, a single mutation is refused with `MutationRejected`
 * instead; an `ApiError` there fails the whole request.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
