// The shared app shell: pieces both the contractor and the dispatcher screens use.

export { AcceptInviteScreen } from './AcceptInviteScreen';
export { AccountSheet } from './AccountSheet';
export { AppHeader } from './AppHeader';
export { compareInstants, formatDateTime, formatDayLabel, formatTime, localDayKey, plural } from './format';
export { Icon } from './Icon';
export { ASSIGNMENT_STATUS_LABEL, describeChange, JOB_STATUS_LABEL } from './labels';
export { Sheet } from './Sheet';
export { SignInScreen } from './SignInScreen';
export { SignOutButton } from './SignOutButton';
export { SignUpScreen } from './SignUpScreen';
export { SyncSheet } from './SyncSheet';
export { SyncStatusBar } from './SyncStatusBar';
export {
  acceptUpdate,
  getServiceWorkerState,
  registerServiceWorker,
  requestBackgroundSync,
  type ServiceWorkerState,
  subscribeServiceWorker,
} from './service-worker';
export { UpdatePrompt } from './UpdatePrompt';
export { useAction } from './use-action';
export { type OrganizationView, useOrganization } from './use-organization';
