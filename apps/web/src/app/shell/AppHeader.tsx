import { useSyncState } from '../../sync/react';
import { SignOutButton } from './SignOutButton';
import { SyncStatusBar } from './SyncStatusBar';
import { UpdatePrompt } from './UpdatePrompt';

/** The sticky top of every screen: who is signed in, sign out, the sync status and app banners. */
export function AppHeader() {
  const { session } = useSyncState();
  return (
    <header className="fs-header">
      <div className="fs-header__bar">
        <span className="fs-header__brand">Fieldsync</span>
        <span className="fs-header__user">{session?.user.name}</span>
        <SignOutButton className="fs-button fs-button--header" />
      </div>
      <SyncStatusBar />
      <UpdatePrompt />
    </header>
  );
}
