import { DEFAULT_ORGANIZATION_SETTINGS } from '@fieldsync/domain';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { HttpError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { plural } from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useUsersById } from './dispatcher-data';
import { formatAgo, formatDateTime } from './format';
import { routeHref } from './route';

const HOUR_MS = 60 * 60 * 1000;
/**
 * A device that has not synced for this long is flagged: its schedule may be
 * stale. Until the company's row (with its own `staleDeviceHours`) has synced.
 */
export const STALE_AFTER_MS = DEFAULT_ORGANIZATION_SETTINGS.staleDeviceHours * HOUR_MS;

const isoOrNull = z.string().nullable().optional();

/**
 * `GET /api/sync/clients`: one row per installed app instance, and per
 * contractor user the version of their newest assignment change
 * (`scheduleVersion`), so a device whose `lastPulledVersion` is lower has
 * not seen its latest schedule. Loose on purpose: the endpoint is new and
 * extra fields must not break the screen.
 */
export const syncClientsResponseSchema = z.looseObject({
  clients: z.array(
    z.looseObject({
      clientId: z.string(),
      userId: z.string(),
      lastSeq: z.number().nullable().optional(),
      lastPushAt: isoOrNull,
      lastPullAt: isoOrNull,
      lastPulledVersion: z.number().nullable().optional(),
      userAgent: z.string().nullable().optional(),
      /** Also accepted here: the owner's schedule version repeated on each device. */
      scheduleVersion: z.number().nullable().optional(),
    }),
  ),
  /** Per contractor user: the highest version among their assignments. A list or a `{ userId: version }` map. */
  scheduleVersions: z
    .union([
      z.array(z.looseObject({ userId: z.string(), scheduleVersion: z.number().nullable() })),
      z.record(z.string(), z.number().nullable()),
    ])
    .optional(),
});
export type SyncClientsResponse = z.infer<typeof syncClientsResponseSchema>;
type SyncClient = SyncClientsResponse['clients'][number];

function scheduleVersionsByUser(data: SyncClientsResponse): Map<string, number | null> {
  const versions = new Map<string, number | null>();
  for (const device of data.clients) {
    if (device.scheduleVersion !== undefined) versions.set(device.userId, device.scheduleVersion);
  }
  const listed = data.scheduleVersions;
  if (Array.isArray(listed)) for (const row of listed) versions.set(row.userId, row.scheduleVersion);
  else if (listed) for (const [userId, version] of Object.entries(listed)) versions.set(userId, version);
  return versions;
}

function lastSyncOf(client: SyncClient): string | null {
  const times = [client.lastPushAt, client.lastPullAt].filter((time): time is string => typeof time === 'string');
  return times.sort().at(-1) ?? null;
}

/** `Chrome on Android` from a user-agent string; good enough to tell a person's devices apart. */
function describeAgent(agent: string | null | undefined): string {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(agent)
    ? 'Android'
    : /iPhone|iPad/.test(agent)
      ? 'iOS'
      : /Windows/.test(agent)
        ? 'Windows'
        : /Mac OS X/.test(agent)
          ? 'macOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'unknown OS';
  return `${browser} on ${os}`;
}

type LoadState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'loaded'; data: SyncClientsResponse; at: number }
  | { kind: 'failed'; message: string };

/**
 * Per contractor: each of their devices, when it last pushed and pulled,
 * and whether it has pulled their latest schedule. Contractors none of whose
 * devices synced within the company's stale-device hours are flagged. Server data only: this
 * screen needs a connection.
 */
export function DeviceHealth() {
  const client = useFieldsync();
  const state = useSyncState();
  const clock = useOrganization();
  const staleAfterMs = clock.organization ? clock.organization.staleDeviceHours * HOUR_MS : STALE_AFTER_MS;
  const contractors = useContractors();
  const users = useUsersById();
  const [load, setLoad] = useState<LoadState>({ kind: 'idle' });

  const refresh = useCallback(async () => {
    setLoad({ kind: 'loading' });
    try {
      const body = await client.request('GET', '/api/sync/clients');
      const parsed = syncClientsResponseSchema.safeParse(body);
      if (!parsed.success) {
        setLoad({ kind: 'failed', message: 'The server sent device data this screen cannot read.' });
        return;
      }
      setLoad({ kind: 'loaded', data: parsed.data, at: Date.now() });
    } catch (error) {
      const message =
        error instanceof HttpError && error.status === 404
          ? 'The server does not report device sync health yet.'
          : 'Could not reach the server.';
      setLoad({ kind: 'failed', message });
    }
  }, [client]);

  const online = state.online;
  useEffect(() => {
    if (online) void refresh();
  }, [online, refresh]);

  const rows = useMemo(() => {
    if (load.kind !== 'loaded') return [];
    const versions = scheduleVersionsByUser(load.data);
    const clientsByUser = new Map<string, SyncClient[]>();
    for (const device of load.data.clients)
      clientsByUser.set(device.userId, [...(clientsByUser.get(device.userId) ?? []), device]);
    return contractors.map((contractor) => {
      const devices = contractor.userId ? (clientsByUser.get(contractor.userId) ?? []) : [];
      const scheduleVersion = contractor.userId ? (versions.get(contractor.userId) ?? null) : null;
      const last =
        devices
          .map(lastSyncOf)
          .filter((time): time is string => time !== null)
          .sort()
          .at(-1) ?? null;
      const stale = contractor.userId !== null && (last === null || load.at - Date.parse(last) > staleAfterMs);
      return { contractor, devices, scheduleVersion, last, stale };
    });
  }, [load, contractors, staleAfterMs]);
  const staleCount = rows.filter((row) => row.stale).length;

  return (
    <section className="dsp-page" aria-labelledby="dsp-devices-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-devices-title">Device sync health</h1>
          <p className="dsp-muted">
            When each contractor's phone last reached the server, and whether it has their latest schedule.
          </p>
        </div>
        <div className="dsp-toolbar">
          {load.kind === 'loaded' ? <span className="dsp-muted">Checked {formatDateTime(load.at, clock)}</span> : null}
          <button
            type="button"
            className="dsp-button"
            onClick={() => void refresh()}
            disabled={!online || load.kind === 'loading'}
          >
            Refresh
          </button>
        </div>
      </header>

      {!online ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">Needs a connection</p>
          <p className="dsp-muted">
            Device health comes from the server. It will load by itself when this computer is back online.
          </p>
        </div>
      ) : load.kind === 'failed' ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">Device health is unavailable</p>
          <p className="dsp-muted">{load.message}</p>
        </div>
      ) : load.kind !== 'loaded' ? (
        <p className="dsp-muted" role="status">
          Loading…
        </p>
      ) : (
        <>
          {staleCount > 0 ? (
            <p className="dsp-notice dsp-notice-warn" role="status">
              {staleCount === 1 ? '1 contractor has' : `${staleCount} contractors have`} not synced for more than{' '}
              {plural(staleAfterMs / HOUR_MS, 'hour')}. Their phones may show an old schedule.
            </p>
          ) : (
            <p className="dsp-notice dsp-notice-ok" role="status">
              Every contractor's device synced in the last {plural(staleAfterMs / HOUR_MS, 'hour')}.
            </p>
          )}
          <div className="dsp-health">
            <div className="dsp-health-row dsp-health-head">
              <span>Contractor</span>
              <span>Device</span>
              <span>Last push</span>
              <span>Last pull</span>
              <span>Schedule</span>
            </div>
            {rows.map(({ contractor, devices, scheduleVersion, last, stale }) => (
              <div
                key={contractor.id}
                className={`dsp-health-group${stale ? ' dsp-health-stale' : ''}`}
                data-stale={stale}
              >
                <div className="dsp-health-who">
                  <a href={routeHref({ name: 'contractors', contractorId: contractor.id })}>{contractor.name}</a>
                  <span className="dsp-muted">
                    {contractor.userId
                      ? `${users.get(contractor.userId)?.email ?? 'app user'} · last sync ${formatAgo(last)}`
                      : 'No app account'}
                  </span>
                  {stale ? (
                    <span className="dsp-badge dsp-badge-warn">{last ? 'Not synced > 4 h' : 'Never synced'}</span>
                  ) : null}
                </div>
                {devices.length === 0 ? (
                  <p className="dsp-muted dsp-health-none">
                    {contractor.userId ? 'No device has signed in yet.' : '—'}
                  </p>
                ) : (
                  devices.map((device) => {
                    const upToDate = scheduleVersion === null || (device.lastPulledVersion ?? -1) >= scheduleVersion;
                    return (
                      <div key={device.clientId} className="dsp-health-row">
                        <span />
                        <span>
                          {describeAgent(device.userAgent)}{' '}
                          <code className="dsp-muted" title={device.clientId}>
                            {device.clientId.slice(-8)}
                          </code>
                        </span>
                        <span title={device.lastPushAt ?? ''}>
                          {formatAgo(device.lastPushAt)}
                          {device.lastSeq ? <span className="dsp-muted"> · #{device.lastSeq}</span> : null}
                        </span>
                        <span title={device.lastPullAt ?? ''}>{formatAgo(device.lastPullAt)}</span>
                        <span>
                          {upToDate ? (
                            <span className="dsp-ok">✓ Up to date</span>
                          ) : (
                            <span className="dsp-warn">
                              Behind (has v{device.lastPulledVersion ?? 0} of {scheduleVersion})
                            </span>
                          )}
                        </span>
                      </div>
                    );
                  })
                )}
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
