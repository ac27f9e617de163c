import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/database';
import { organizations } from '../db/schema';
import { DEMO_LOGINS, seedDemoCompany } from './demo-company';

/**
 * Seeds the demo company when the database has no organisation yet, and
 * prints how to sign in. Returns the password used (for tests), or undefined
 * when nothing was seeded.
 */
export async function seedIfEmpty(
  db: Db,
  options: { password: string | undefined; now: Date; logger: Logger },
): Promise<string | undefined> {
  const [existing] = await db.select({ id: organizations.id }).from(organizations).limit(1);
  if (existing) return undefined;
  const password = options.password ?? randomBytes(9).toString('base64url');
  const result = await seedDemoCompany(db, { passwordHash: await hashPassword(password), now: options.now });
  const generated = options.password ? '(from DEMO_PASSWORD)' : '(generated; set DEMO_PASSWORD to choose one)';
  // Printed, not logged: the demo password is meant to be read by the person starting the app.
  process.stdout.write(
    [
      '',
      `Seeded demo company: ${result.jobCount} jobs, ${result.customerCount} customers.`,
      `Sign in with any of these, password ${password} ${generated}:`,
      `  ${DEMO_LOGINS.admin}`,
      `  ${DEMO_LOGINS.dispatchers.join(', ')}`,
      `  contractor1@example.com … contractor12@example.com`,
      '',
    ].join('\n'),
  );
  return password;
}
