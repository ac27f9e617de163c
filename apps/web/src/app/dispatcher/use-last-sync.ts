import { useEffect, useState } from 'react';
import { useFieldsync, useSyncState } from '../../sync/react';
import { lastSyncByUser } from './company-admin';
import { syncClientsResponseSchema } from './DeviceHealth';

/** Each user's newest device sync, from the server; `null` while it is not known (offline, loading, failed). */
export function useLastSyncByUser(): Map<string, string> | null {
  const client = useFieldsync();
  const online = useSyncState().online;
  const [byUser, setByUser] = useState<Map<string, string> | null>(null);
  useEffect(() => {
    if (!online) {
      setByUser(null);
      return;
    }
    const controller = new AbortController();
    client
      .request('GET', '/api/sync/clients', { signal: controller.signal })
      .then((body) => {
        const parsed = syncClientsResponseSchema.safeParse(body);
        if (!controller.signal.aborted) setByUser(parsed.success ? lastSyncByUser(parsed.data.clients) : null);
      })
      // The column then shows "—", as offline: device health is a nice-to-have on this screen.
      .catch(() => {
        if (!controller.signal.aborted) setByUser(null);
      });
    return () => controller.abort();
  }, [client, online]);
  return byUser;
}
