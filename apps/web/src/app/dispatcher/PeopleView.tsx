import { ROLES, type Role, userStatus } from '@fieldsync/domain';
import { useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { filterPeople, ROLE_LABEL, visiblePeople } from './company-admin';
import { formatAgo, humanize } from './format';
import { routeHref } from './route';
import { UserStatusBadge } from './UserStatusBadge';
import { PendingMark } from './ui';
import { useLastSyncByUser } from './use-last-sync';

/**
 * The company's people: admins see everyone, dispatchers the contractors
 * (the people they may invite). Read from the local copy, so it works
 * offline; only the last device sync needs the server.
 */
export function PeopleView() {
  const { db } = useFieldsync();
  const state = useSyncState();
  const viewer = state.session?.user;
  const users = useLiveQuery(() => db.users.toArray(), [db], undefined);
  const contractors = useLiveQuery(() => db.contractors.toArray(), [db], []);
  const lastSync = useLastSyncByUser();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | 'all'>('all');

  const tradeByUser = useMemo(
    () => new Map(contractors.flatMap((c) => (c.userId ? [[c.userId, c.trade] as const] : []))),
    [contractors],
  );
  const visible = useMemo(() => (users && viewer ? visiblePeople(users, viewer.role) : []), [users, viewer]);
  const shown = filterPeople(visible, search, role);
  const isAdmin = viewer?.role === 'admin';

  return (
    <section className="dsp-page adm-page" aria-labelledby="adm-people-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="adm-people-title">People</h1>
          <p className="dsp-muted">
            {isAdmin
              ? 'Everyone who signs in to your company: office staff and contractors.'
              : 'The contractors who sign in to the app. Admins manage office staff.'}
          </p>
        </div>
        <a className="dsp-button dsp-button-primary" href={routeHref({ name: 'invite' })}>
          Invite someone
        </a>
      </header>

      {users === undefined ? (
        <p className="dsp-muted" role="status">
          Loading…
        </p>
      ) : visible.length === 0 ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">No one here yet</p>
          <p className="dsp-muted">
            Invite {isAdmin ? 'a dispatcher or a contractor' : 'a contractor'}: they get a link to choose a password.
          </p>
        </div>
      ) : (
        <>
          <div className="dsp-filter-row adm-people-filters">
            <label>
              Search
              <input
                type="search"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                placeholder="Name or email"
              />
            </label>
            {isAdmin ? (
              <label>
                Show
                <select value={role} onChange={(event) => setRole(event.target.value as Role | 'all')}>
                  <option value="all">Everyone</option>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL[r]}s
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <span className="dsp-muted adm-people-count" aria-live="polite">
              {shown.length} of {visible.length}
            </span>
          </div>
          {shown.length === 0 ? (
            <p className="dsp-empty" role="status">
              No one matches “{search.trim()}”.
            </p>
          ) : (
            <ul className="adm-people" aria-label="People">
              <li className="adm-people-row adm-people-head" aria-hidden="true">
                <span>Name</span>
                <span>Role</span>
                <span>Status</span>
                <span>Last device sync</span>
              </li>
              {shown.map((user) => (
                <PersonRow
                  key={user.id}
                  user={user}
                  trade={tradeByUser.get(user.id)}
                  lastSync={lastSync === null ? null : (lastSync.get(user.id) ?? 'never')}
                  isSelf={user.id === viewer?.id}
                />
              ))}
            </ul>
          )}
          {lastSync === null ? (
            <p className="dsp-muted adm-footnote">
              Last device sync comes from the server; it shows when this computer is online.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** The server lists a device once it has sent a change; until then there is no sync to show. */
export function NoSyncYet() {
  return (
    <span className="dsp-muted" title="No device of theirs has sent a change yet.">
      Not yet
    </span>
  );
}

function PersonRow({
  user,
  trade,
  lastSync,
  isSelf,
}: {
  user: LocalRow<'users'>;
  trade: string | undefined;
  /** ISO time, `never`, or null when not known on this device. */
  lastSync: string | null;
  isSelf: boolean;
}) {
  return (
    <li className="adm-people-row">
      <span className="adm-person-name">
        <span>
          <a href={routeHref({ name: 'person', userId: user.id })}>{user.name}</a>
          {isSelf ? <span className="dsp-muted"> (you)</span> : null}
        </span>
        <span className="dsp-muted adm-person-email">{user.email}</span>
      </span>
      <span>
        {ROLE_LABEL[user.role]}
        {trade ? <span className="dsp-muted"> · {humanize(trade)}</span> : null}
      </span>
      <span>
        <UserStatusBadge status={userStatus(user)} /> <PendingMark pending={user._pendingSeq} />
      </span>
      <span title={lastSync && lastSync !== 'never' ? lastSync : undefined}>
        <span className="adm-label-inline">Last sync: </span>
        {lastSync === null ? '—' : lastSync === 'never' ? <NoSyncYet /> : formatAgo(lastSync)}
      </span>
    </li>
  );
}
