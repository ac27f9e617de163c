// React bindings for the sync client. Kept apart from index.ts so Node code never loads React.

import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, createElement, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { FieldsyncClient } from './client';
import type { SyncState } from './sync-state';

const FieldsyncContext = createContext<FieldsyncClient | null>(null);

/** Makes `client` available to `useFieldsync` and `useSyncState` below it. */
export function FieldsyncProvider(props: { client: FieldsyncClient; children?: ReactNode }) {
  return createElement(FieldsyncContext.Provider, { value: props.client }, props.children);
}

/** The client from the nearest `FieldsyncProvider`: `db`, `mutate`, `signIn`, … */
export function useFieldsync(): FieldsyncClient {
  const client = useContext(FieldsyncContext);
  if (!client) throw new Error('useFieldsync must be used inside <FieldsyncProvider>.');
  return client;
}

/** Online/pending/last-synced/rejected state; re-renders when it changes. */
export function useSyncState(): SyncState {
  const client = useFieldsync();
  return useSyncExternalStore(client.subscribe, client.getState, client.getState);
}

export { useLiveQuery };
