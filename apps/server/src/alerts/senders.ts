import type { lookup } from 'node:dns';
import type { Mailer } from '../company/mailer';
import type { Db } from '../db/database';
import type { DeliverySender } from './delivery-sender';
import type { WorkerChannel } from './delivery-worker';
import { createEmailSender } from './email-sender';
import { createPushSender } from './push-sender';
import type { VapidKeys } from './vapid-keys';
import { createWebhookSender } from './webhook-sender';

export interface DeliverySendersOptions {
  now: () => Date;
  /** `WEBHOOK_ALLOW_PRIVATE=true`. */
  allowPrivate: boolean;
  vapidKeys: VapidKeys;
  vapidSubject: string;
  mailer: Mailer | undefined;
  publicUrl: string | undefined;
  /** Per request; 10 s unless a test shortens it. */
  timeoutMs?: number;
  /** Replaces the system resolver (tests). */
  lookup?: typeof lookup;
}

/** The real sender of each channel the worker sends. */
export function createDeliverySenders(db: Db, options: DeliverySendersOptions): Record<WorkerChannel, DeliverySender> {
  const outbound = {
    allowPrivate: options.allowPrivate,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };
  return {
    webhook: createWebhookSender({ now: options.now, ...outbound }),
    push: createPushSender(db, { vapidKeys: options.vapidKeys, subject: options.vapidSubject, ...outbound }),
    email: createEmailSender(db, { mailer: options.mailer, publicUrl: options.publicUrl }),
  };
}
