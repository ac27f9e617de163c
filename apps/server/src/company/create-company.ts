import { randomUUID } from 'node:crypto';
import { DEFAULT_ALERT_RULES, DEFAULT_ORGANIZATION_SETTINGS, defaultTimeFormat } from '@fieldsync/domain';
import { type DbOrTx, registerChangeWriter } from '../db/database';
import { alertRules, organizations, users } from '../db/schema';
import { ApiError } from '../errors';
import { pgErrorCode } from '../sync/pg-error-code';

export interface NewCompany {
  companyName: string;
  /** An IANA zone; the caller has checked it (`timeZoneSchema`). */
  timeZone: string;
  adminName: string;
  email: string;
  /** argon2id hash of the admin's password. */
  passwordHash: string;
  /** When the admin was last signed in: now for a sign-up, absent for a seed. */
  lastSeenAt?: string;
  /** Fixed ids, for a seed that builds its rows before inserting; new ones otherwise. */
  orgId?: string;
  adminId?: string;
}

export interface CreatedCompany {
  orgId: string;
  adminId: string;
}

export const EMAIL_TAKEN_MESSAGE = 'An account with this email already exists. Sign in instead, or use another email.';

/**
 * Creates a company with the default settings, default alert rules and its first admin: what
 * sign-up and the demo seed both do. Runs in its own transaction, or in a
 * savepoint of the caller's, so a refused email leaves nothing behind.
 *
 * Throws `ApiError('email_taken')` when any account of the deployment already
 * uses the email, in any case. The unique index decides, so two sign-ups
 * racing for one email cannot both win.
 */
export async function createCompany(db: DbOrTx, company: NewCompany): Promise<CreatedCompany> {
  const orgId = company.orgId ?? randomUUID();
  const adminId = company.adminId ?? randomUUID();
  try {
    await db.transaction(async (tx) => {
      // Both rows are synced: pulls must not hand out versions past this transaction until it ends.
      await registerChangeWriter(tx);
      await tx.insert(organizations).values({
        id: orgId,
        name: company.companyName,
        timeZone: company.timeZone,
        timeFormat: defaultTimeFormat(company.timeZone),
        ...DEFAULT_ORGANIZATION_SETTINGS,
      });
      await tx.insert(users).values({
        orgId,
        id: adminId,
        email: company.email,
        name: company.adminName,
        role: 'admin',
        passwordHash: company.passwordHash,
        lastSeenAt: company.lastSeenAt ?? null,
      });
      await tx.insert(alertRules).values(defaultAlertRuleRows(orgId));
    });
  } catch (error) {
    if (isEmailTaken(error)) throw new ApiError('email_taken', EMAIL_TAKEN_MESSAGE);
    throw error;
  }
  return { orgId, adminId };
}

/** The alert rules every company starts with, all on; the office can switch each off. */
function defaultAlertRuleRows(orgId: string): Array<typeof alertRules.$inferInsert> {
  return DEFAULT_ALERT_RULES.map((rule) => ({
    orgId,
    id: randomUUID(),
    key: rule.key,
    name: rule.name,
    event: rule.event,
    conditions: rule.conditions,
    channels: [...rule.channels],
    recipients: [...rule.recipients],
    throttleMinutes: rule.throttleMinutes,
    active: rule.active ?? true,
    template: rule.template ?? null,
  }));
}

/** Whether a failed insert broke the deployment-wide unique email. */
export function isEmailTaken(error: unknown): boolean {
  return pgErrorCode(error) === '23505' && constraintOf(error) === 'users_email_lower_key';
}

/** The violated constraint's name, whichever driver threw (drizzle wraps the driver's error). */
function constraintOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const record = current as { constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    const name = record.constraint_name ?? record.constraint;
    if (typeof name === 'string') return name;
    current = record.cause;
  }
  return undefined;
}
