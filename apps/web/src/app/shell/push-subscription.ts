/**
 * Web Push on this device: ask permission, subscribe with the server's VAPID
 * key and register the subscription (`GET /api/push/vapid-public-key`,
 * `POST /api/push/subscriptions`), and forget it on sign-out
 * (`DELETE /api/push/subscriptions`). Every failure comes back as plain
 * words; nothing here throws.
 */
import { type FieldsyncClient, NetworkError } from '../../sync';

type PushClient = Pick<FieldsyncClient, 'request'>;

/** Where this device stands with push notifications. */
export type PushState =
  /** No push here (an old browser, iOS outside the home-screen app, no service worker). */
  | 'unsupported'
  /** The person (or the browser) said no; only the browser's site settings can undo it. */
  | 'denied'
  /** This device already gets them. */
  | 'subscribed'
  /** Push works here and nobody has asked yet (or the subscription was dropped). */
  | 'available';

export type TurnOnOutcome = { ok: true } | { ok: false; message: string };

const UNSUPPORTED =
  'This browser cannot show notifications from Fieldsync. On an iPhone, add Fieldsync to the home screen first.';
const DENIED =
  'Notifications are blocked for Fieldsync. You can allow them in the browser’s site settings; new jobs still show in the app.';
const FAILED = 'Notifications could not be turned on just now. New jobs still show in the app; try again later.';
const OFFLINE = 'Notifications can only be turned on while online. Try again when you have signal.';

/** Whether this browser has everything Web Push needs. */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'Notification' in window &&
    'PushManager' in window &&
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator
  );
}

/** This device's push state, without asking the person anything. */
export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  try {
    // No worker yet (the dev server, or the first visit still installing): nothing to subscribe with.
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration) return 'unsupported';
    const subscription = await registration.pushManager.getSubscription();
    return subscription && Notification.permission === 'granted' ? 'subscribed' : 'available';
  } catch {
    return 'unsupported';
  }
}

/** A base64url string (the VAPID public key) as the bytes `applicationServerKey` wants. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function publicKeyOf(body: unknown): string | undefined {
  const key = (body as { publicKey?: unknown } | null)?.publicKey;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/**
 * Asks permission (call from a tap: browsers ignore a request nobody
 * asked for), subscribes this device and tells the server.
 */
export async function turnOnPush(client: PushClient): Promise<TurnOnOutcome> {
  if (!pushSupported()) return { ok: false, message: UNSUPPORTED };
  try {
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return { ok: false, message: DENIED };
    if (permission !== 'granted') return { ok: false, message: 'Notifications stay off for now.' };
    const publicKey = publicKeyOf(await client.request('GET', '/api/push/vapid-public-key'));
    if (!publicKey) return { ok: false, message: FAILED };
    const registration = await navigator.serviceWorker.ready;
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(publicKey),
      }));
    await client.request('POST', '/api/push/subscriptions', { body: subscription.toJSON() });
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof NetworkError ? OFFLINE : FAILED };
  }
}

/**
 * Best effort before sign-out: the server forgets this device's subscription
 * and the browser drops it, so the next person here gets none of the last
 * one's alerts. Offline, the server learns when a push to it fails.
 */
export async function forgetPushSubscription(client: PushClient): Promise<void> {
  if (!pushSupported()) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    if (!subscription) return;
    // A slow server must not hold up signing out.
    const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(4000) : undefined;
    await client
      .request('DELETE', '/api/push/subscriptions', {
        body: { endpoint: subscription.endpoint },
        ...(signal ? { signal } : {}),
      })
      .catch(() => undefined);
    await subscription.unsubscribe().catch(() => false);
  } catch {
    // Nothing to undo: signing out goes ahead either way.
  }
}

const DISMISSED_PREFIX = 'fieldsync:push-card-dismissed:';

/** Whether this person put the "turn on notifications" card away on this device. */
export function pushCardDismissed(userId: string): boolean {
  try {
    return localStorage.getItem(DISMISSED_PREFIX + userId) === '1';
  } catch {
    return false;
  }
}

export function dismissPushCard(userId: string): void {
  try {
    localStorage.setItem(DISMISSED_PREFIX + userId, '1');
  } catch {
    // Private mode without storage: the card comes back next time, which is harmless.
  }
}
