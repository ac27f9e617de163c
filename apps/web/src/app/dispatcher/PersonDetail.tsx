import { type Role, userStatus } from '@fieldsync/domain';
import { type InviteLinkResponse, inviteLinkResponseSchema } from '@fieldsync/protocol';
import { useRef, useState } from 'react';
import { HttpError, type LocalRow, NetworkError } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { canChangeRole, canIssueLink, canSetActive, linkUnavailableReason, ROLE_LABEL } from './company-admin';
import { formatAgo, formatDateTime, humanize } from './format';
import { NoSyncYet } from './PeopleView';
import { routeHref } from './route';
import { UserStatusBadge } from './UserStatusBadge';
import { PendingMark } from './ui';
import { useLastSyncByUser } from './use-last-sync';

/** One person: who they are, where they stand, and what the viewer may do about it. */
export function PersonDetail({ userId }: { userId: string }) {
  const { db } = useFieldsync();
  const state = useSyncState();
  const clock = useOrganization();
  const viewer = state.session?.user;
  const user = useLiveQuery(() => db.users.get(userId).then((row) => row ?? null), [db, userId], undefined);
  const contractor = useLiveQuery(() => db.contractors.where('userId').equals(userId).first(), [db, userId], undefined);
  // A new row's shadow has no server copy: the invite itself has not reached the server yet.
  const inviteUnsent = useLiveQuery(
    async () => {
      const row = await db.users.get(userId);
      if (row?._pendingSeq === undefined) return false;
      const shadow = await db.shadows.get(['users', userId]);
      return shadow === undefined || shadow.base === null;
    },
    [db, userId],
    false,
  );
  const lastSync = useLastSyncByUser();

  const back = (
    <a className="dsp-back" href={routeHref({ name: 'people' })}>
      ← People
    </a>
  );
  if (user === undefined || !viewer) {
    return (
      <p className="dsp-muted" role="status">
        Loading…
      </p>
    );
  }
  // A dispatcher's device holds office people too; the people screen shows them contractors only.
  if (user === null || (viewer.role !== 'admin' && user.role !== 'contractor')) {
    return (
      <section className="dsp-page">
        {back}
        <p className="dsp-empty">This person is not on this device.</p>
      </section>
    );
  }

  const status = userStatus(user);
  const isSelf = user.id === viewer.id;
  const synced = lastSync?.get(user.id);
  return (
    <section className="dsp-page adm-page" aria-labelledby="adm-person-title">
      <header className="dsp-page-head">
        <div>
          {back}
          <h1 id="adm-person-title">
            {user.name}
            {isSelf ? <span className="dsp-muted"> (you)</span> : null}
          </h1>
          <p className="dsp-muted">{user.email}</p>
        </div>
      </header>
      <div className="adm-person-grid">
        <div className="dsp-box">
          <h2>Account</h2>
          <dl className="dsp-dl">
            <dt>Status</dt>
            <dd>
              <UserStatusBadge status={status} /> <PendingMark pending={user._pendingSeq} />
            </dd>
            <dt>Role</dt>
            <dd>{ROLE_LABEL[user.role]}</dd>
            {contractor ? (
              <>
                <dt>Trade</dt>
                <dd>
                  {humanize(contractor.trade)}
                  {contractor.skills.length ? (
                    <span className="dsp-muted"> · {contractor.skills.join(', ')}</span>
                  ) : null}{' '}
                  <a href={routeHref({ name: 'contractors', contractorId: contractor.id })}>Contractor details</a>
                </dd>
              </>
            ) : null}
            <dt>Invited</dt>
            <dd>{user.invitedAt ? formatDateTime(user.invitedAt, clock) : 'Founded the company'}</dd>
            <dt>Last signed in</dt>
            <dd>{user.lastSeenAt ? formatAgo(user.lastSeenAt) : 'Not yet'}</dd>
            <dt>Last device sync</dt>
            <dd>{lastSync === null ? '—' : synced ? formatAgo(synced) : <NoSyncYet />}</dd>
          </dl>
        </div>
        {canIssueLink(viewer, user) ? (
          <LinkBox
            user={user}
            reason={linkUnavailableReason({ online: state.online, status, inviteUnsent })}
            clock={clock}
          />
        ) : null}
        {canChangeRole(viewer, user) && status !== 'deactivated' ? <RoleBox user={user} /> : null}
        {canSetActive(viewer, user) ? <ActiveBox user={user} hasContractor={contractor !== undefined} /> : null}
      </div>
    </section>
  );
}

/** "Copy invite link" (or a password reset link for someone already in): made by the server, copied here. */
function LinkBox({
  user,
  reason,
  clock,
}: {
  user: LocalRow<'users'>;
  reason: string | null;
  clock: ReturnType<typeof useOrganization>;
}) {
  const client = useFieldsync();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<(InviteLinkResponse & { copied: boolean }) | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const invited = userStatus(user) === 'invited';
  const label = invited ? 'Copy invite link' : 'Copy password reset link';

  const issue = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = await client.request('POST', `/api/users/${encodeURIComponent(user.id)}/invite-link`);
      const parsed = inviteLinkResponseSchema.safeParse(body);
      if (!parsed.success) {
        setError('The server sent an answer this screen cannot read.');
        return;
      }
      let copied = false;
      try {
        await navigator.clipboard.writeText(parsed.data.url);
        copied = true;
      } catch {
        // No clipboard (permission, an insecure origin): the field below lets the person copy it by hand.
      }
      setLink({ ...parsed.data, copied });
      if (!copied) queueMicrotask(() => field.current?.select());
    } catch (caught) {
      setError(linkError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dsp-box">
      <h2>{invited ? 'Invite link' : 'Password reset'}</h2>
      <p className="dsp-muted">
        {invited
          ? `A single-use link for ${user.name} to choose a password, valid for 7 days. Asking again replaces the previous link.`
          : `A single-use link for ${user.name} to set a new password; it signs them out everywhere else. Valid for 7 days.`}
      </p>
      <div className="adm-actions">
        <button
          type="button"
          className="dsp-button dsp-button-primary"
          onClick={() => void issue()}
          disabled={busy || reason !== null}
          aria-describedby={reason ? 'adm-link-reason' : undefined}
        >
          {busy ? 'Making link…' : label}
        </button>
      </div>
      {reason ? (
        <p id="adm-link-reason" className="dsp-hint">
          {reason}
        </p>
      ) : null}
      {error ? (
        <p className="dsp-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {link ? (
        <div className="adm-link" role="status">
          <p>
            {link.copied ? <strong>Link copied. </strong> : <strong>Copy this link: </strong>}
            Valid until {formatDateTime(link.expiresAt, clock)}.{link.emailed ? ' Sent by e-mail.' : ''}
          </p>
          <label htmlFor="adm-link-url" className="dsp-visually-hidden">
            Link
          </label>
          <input
            id="adm-link-url"
            ref={field}
            className="adm-link-url"
            readOnly
            value={link.url}
            onFocus={(event) => event.target.select()}
          />
        </div>
      ) : null}
    </div>
  );
}

function linkError(caught: unknown): string {
  if (caught instanceof NetworkError) return 'Could not reach the server. Try again when this computer is online.';
  if (caught instanceof HttpError) {
    if (caught.status === 404) return 'The server does not know this person yet. Try again after the next sync.';
    if (caught.status === 403) return 'You may not send this person a link.';
    if (caught.status === 409) return 'This person is deactivated. Reactivate them first.';
  }
  return 'The link could not be made. Try again.';
}

/** Admin ↔ dispatcher; a contractor's account stays a contractor's. */
function RoleBox({ user }: { user: LocalRow<'users'> }) {
  const client = useFieldsync();
  const action = useAction('computer');
  const other: Role = user.role === 'admin' ? 'dispatcher' : 'admin';
  const change = () =>
    void action.run(() =>
      client.mutate('user.update', { id: user.id, patch: { role: other }, base: { role: user.role } }),
    );
  return (
    <div className="dsp-box">
      <h2>Role</h2>
      <p className="dsp-muted">
        {other === 'admin'
          ? 'An admin can also manage people and the company settings.'
          : 'A dispatcher runs jobs and contractors but not office staff or the company settings.'}
      </p>
      <div className="adm-actions">
        <button type="button" className="dsp-button" onClick={change} disabled={action.busy}>
          Make {ROLE_LABEL[other].toLowerCase()}
        </button>
      </div>
      {action.error ? (
        <p className="dsp-form-error" role="alert">
          {action.error}
        </p>
      ) : null}
    </div>
  );
}

/** Deactivate or reactivate, after saying what happens. */
function ActiveBox({ user, hasContractor }: { user: LocalRow<'users'>; hasContractor: boolean }) {
  const client = useFieldsync();
  const action = useAction('computer');
  const [confirming, setConfirming] = useState(false);
  const deactivate = user.active;
  const apply = async () => {
    if (await action.run(() => client.mutate('user.setActive', { id: user.id, active: !deactivate }))) {
      setConfirming(false);
    }
  };
  return (
    <div className={`dsp-box${deactivate ? ' adm-danger-box' : ''}`}>
      <h2>{deactivate ? 'Deactivate' : 'Reactivate'}</h2>
      {!confirming ? (
        <>
          <p className="dsp-muted">
            {deactivate
              ? `${user.name} can no longer sign in. Their history stays.`
              : `${user.name} cannot sign in while deactivated. Reactivating lets them sign in and sync again.`}
          </p>
          <div className="adm-actions">
            <button
              type="button"
              className={`dsp-button${deactivate ? ' dsp-button-danger' : ''}`}
              onClick={() => setConfirming(true)}
            >
              {deactivate ? 'Deactivate' : 'Reactivate'}
            </button>
          </div>
        </>
      ) : (
        <fieldset className="adm-confirm">
          <legend className="dsp-visually-hidden">
            {deactivate ? 'Confirm deactivation' : 'Confirm reactivation'}
          </legend>
          {deactivate ? (
            <ul>
              <li>{user.name} is signed out on every device within seconds and cannot sign in again.</li>
              {hasContractor ? <li>Their open jobs are flagged for reassignment.</li> : null}
              <li>Changes their phone has not sent stay on it; they can export them.</li>
            </ul>
          ) : (
            <p>{user.name} will be able to sign in and sync again.</p>
          )}
          <div className="adm-actions">
            <button
              type="button"
              className={`dsp-button ${deactivate ? 'dsp-button-danger' : 'dsp-button-primary'}`}
              onClick={() => void apply()}
              disabled={action.busy}
            >
              {deactivate ? `Yes, deactivate ${user.name}` : `Yes, reactivate ${user.name}`}
            </button>
            <button type="button" className="dsp-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
      {action.error ? (
        <p className="dsp-form-error" role="alert">
          {action.error}
        </p>
      ) : null}
    </div>
  );
}
