/** The part of `navigator.storage` the client uses. */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

/**
 * How much of the device's storage the app uses and whether the browser
 * promised to keep it. With `askPersist`, asks for that promise first (at
 * sign-in: the outbox must not be evicted). Throws whatever the browser's
 * storage API throws; callers log it and carry on.
 */
export async function readStorageEstimate(
  storage: StorageManagerLike,
  askPersist: boolean,
): Promise<{ usage: number; quota: number; persisted: boolean }> {
  const persisted = askPersist && storage.persist ? await storage.persist() : ((await storage.persisted?.()) ?? false);
  const estimate = (await storage.estimate?.()) ?? {};
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}
