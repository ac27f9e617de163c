import type { UserStatus } from '@fieldsync/domain';
import { USER_STATUS_LABEL } from './company-admin';

/** Invited / Active / Deactivated as a text badge (the colour only repeats the word). */
export function UserStatusBadge({ status }: { status: UserStatus }) {
  return <span className={`dsp-badge adm-status adm-status-${status}`}>{USER_STATUS_LABEL[status]}</span>;
}
