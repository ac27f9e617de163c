import type { LoginResponse, SignupRequest } from '@fieldsync/protocol';
import { and, eq } from 'drizzle-orm';
import type { AuthService } from '../auth/auth-service';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/database';
import { users } from '../db/schema';
import { ApiError } from '../errors';
import { createCompany } from './create-company';

export interface SignUpDeps {
  db: Db;
  auth: AuthService;
  /** `SIGNUP=open`. */
  signupOpen: boolean;
  now: () => Date;
}

/**
 * A new company and its admin, signed in. `signup_closed` when the server turned
 * sign-up off, `rate_limited` when the address made `loginMaxFailures` sign-ups
 * within the login window (every attempt counts, so `email_taken` cannot be used
 * to probe for accounts quickly), `email_taken` when the email is in use.
 */
export async function signUpCompany(
  deps: SignUpDeps,
  request: SignupRequest,
  clientAddress: string,
): Promise<LoginResponse> {
  if (!deps.signupOpen)
    throw new ApiError('signup_closed', 'This server does not take new companies. Ask its operator for an invite.');
  if (!(await deps.auth.admitAddress('signup', clientAddress, true))) {
    throw new ApiError('rate_limited', 'Too many sign-ups from this address. Wait a few minutes and try again.');
  }
  const { orgId, adminId } = await createCompany(deps.db, {
    companyName: request.companyName,
    timeZone: request.timeZone,
    adminName: request.adminName,
    email: request.email,
    passwordHash: await hashPassword(request.password),
    lastSeenAt: deps.now().toISOString(),
  });
  const [admin] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, adminId)));
  if (!admin) throw new Error('the new admin vanished');
  return deps.auth.startSession(admin);
}
