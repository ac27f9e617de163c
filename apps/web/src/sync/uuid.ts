/** Fills `bytes` with random values; `crypto.getRandomValues` in browsers and Node. */
export type RandomBytes = (bytes: Uint8Array) => void;

const defaultRandomBytes: RandomBytes = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made
 * on the device are final, so a row created offline never changes id.
 */
export function uuidv7(nowMs: number = Date.now(), randomBytes: RandomBytes = defaultRandomBytes): string {
  const bytes = new Uint8Array(16);
  randomBytes(bytes);
  let time = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new id for a row created on this device. */
export function newId(): string {
  return uuidv7();
}
