import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../app';
import type { ServerDeps } from '../http/context';

/**
 * Serves an app on a free loopback port, the way production does, so event
 * streams really stream (`app.request()` would buffer them).
 */
export async function listen(deps: ServerDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Open event streams would otherwise hold the server open.
        (server as unknown as { closeAllConnections(): void }).closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
