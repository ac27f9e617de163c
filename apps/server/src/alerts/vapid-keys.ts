import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';

/** The server's Web Push identity (base64url, as browsers and `web-push` expect). */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const KEY_FILE = 'vapid-keys.json';

/**
 * The VAPID key pair: the configured one, or one generated on first start and
 * kept in the data directory. It must outlive restarts: browsers subscribed
 * with this public key, and a new one would silently orphan every subscription.
 */
export function loadVapidKeys(
  configured: { publicKey?: string | undefined; privateKey?: string | undefined },
  dataDir: string,
): VapidKeys {
  if (configured.publicKey && configured.privateKey) {
    return { publicKey: configured.publicKey, privateKey: configured.privateKey };
  }
  if (configured.publicKey || configured.privateKey) {
    throw new Error('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (a pair is then generated).');
  }
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify(webPush.generateVAPIDKeys()), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<VapidKeys>;
  if (typeof stored.publicKey !== 'string' || typeof stored.privateKey !== 'string') {
    throw new Error(`${path} does not hold a VAPID key pair; remove it to have a new one generated.`);
  }
  return { publicKey: stored.publicKey, privateKey: stored.privateKey };
}

/** A fresh pair, kept nowhere (tests and harnesses that never restart). */
export function generateVapidKeys(): VapidKeys {
  return webPush.generateVAPIDKeys();
}
