import { z } from 'zod';

/**
 * Answer to `POST /api/sync/events/token`. `EventSource` cannot send an
 * Authorization header, so the app trades its access token for this
 * short-lived one and opens `GET /api/sync/events?token=…` with it.
 */
export const eventsTokenResponseSchema = z.object({
  token: z.string().min(1),
  /** Seconds the token is good for opening a stream (an open stream outlives it). */
  expiresIn: z.number().int().positive(),
});
export type EventsTokenResponse = z.infer<typeof eventsTokenResponseSchema>;
