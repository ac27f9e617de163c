import { useState } from 'react';
import { useSyncState } from '../../sync/react';
import { AccountSheet } from './AccountSheet';
import { NotificationBell } from './NotificationBell';
import { SignOutButton } from './SignOutButton';
import { SyncStatusBar } from './SyncStatusBar';
import { UpdatePrompt } from './UpdatePrompt';

/**
 * The sticky top of every screen: who is signed in (their account sheet), the
 * notification bell, sign out, the sync status and app banners.
 */
export function AppHeader() {
  const { session } = useSyncState();
  const [accountOpen, setAccountOpen] = useState(false);
  return (
    <header className="fs-header">
      <div className="fs-header__bar">
        <span className="fs-header__brand">Fieldsync</span>
        <span className="fs-header__user">
          {session ? (
            <button
              type="button"
              className="fs-header__account"
              aria-haspopup="dialog"
              onClick={() => setAccountOpen(true)}
            >
              {session.user.name}
              <span className="fs-sr-only">: your account and password</span>
            </button>
          ) : null}
        </span>
        {session ? <NotificationBell /> : null}
        <SignOutButton className="fs-button fs-button--header" />
      </div>
      <SyncStatusBar />
      <UpdatePrompt />
      <AccountSheet open={accountOpen} onClose={() => setAccountOpen(false)} />
    </header>
  );
}
