import { type FieldsyncDatabase, readMeta } from '../database';
import { AccountDisabled, type Session, SignInRequired } from '../session';

/**
 * Tokens for requests that are not JSON (tus uploads, file downloads), with
 * the same rules as `session.request`: `accessToken` throws `SignInRequired`
 * or `AccountDisabled` when there is no usable session; `refreshAfter` is
 * called after a 401 with the token that failed.
 */
export interface UploadAuth {
  accessToken(): Promise<string>;
  refreshAfter(failedAccessToken: string): Promise<void>;
}

export function createUploadAuth(db: FieldsyncDatabase, session: Pick<Session, 'refreshAfter'>): UploadAuth {
  return {
    async accessToken() {
      const stored = await readMeta(db, 'session');
      if (!stored || stored.needsSignIn) throw new SignInRequired();
      if (stored.accountDisabled) throw new AccountDisabled();
      return stored.accessToken;
    },
    refreshAfter: (failedAccessToken) => session.refreshAfter(failedAccessToken),
  };
}
