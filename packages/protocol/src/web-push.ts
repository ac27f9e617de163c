import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]+=*$/;

/** Bytes a base64url text decodes to (padding ignored). */
function decodedLength(text: string): number {
  const digits = text.replace(/=+$/, '').length;
  return Math.floor((digits * 3) / 4);
}

const endpointSchema = z
  .string()
  .max(2000, 'endpoint is longer than any push service uses')
  .url('endpoint must be a web address');

/** `POST /api/push/subscriptions`: the browser's `PushSubscription.toJSON()`. */
export const pushSubscriptionRequestSchema = z.object({
  endpoint: endpointSchema,
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: z
      .string()
      .regex(BASE64URL, 'keys.p256dh must be base64url')
      .refine((key) => decodedLength(key) === 65, 'keys.p256dh must be a 65-byte P-256 public key'),
    auth: z
      .string()
      .regex(BASE64URL, 'keys.auth must be base64url')
      .refine((key) => decodedLength(key) === 16, 'keys.auth must be 16 bytes'),
  }),
});
export type PushSubscriptionRequest = z.infer<typeof pushSubscriptionRequestSchema>;

/** `DELETE /api/push/subscriptions`. */
export const pushUnsubscribeRequestSchema = z.object({ endpoint: endpointSchema });

/** `GET /api/push/vapid-public-key`: the `applicationServerKey`, base64url. */
export const vapidPublicKeyResponseSchema = z.object({ publicKey: z.string().min(1) });

/** What a push carries to the phone's service worker (decrypted). */
export const pushMessageSchema = z.object({
  title: z.string(),
  body: z.string(),
  jobId: z.string().optional(),
  url: z.string().optional(),
});
export type PushMessage = z.infer<typeof pushMessageSchema>;
