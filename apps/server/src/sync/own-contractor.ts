/** Who a signed-in contractor is as a contractor row: read by pushes (access checks) and pulls (scope). */
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database';
import { contractors } from '../db/schema';

/** The contractor row linked to the signed-in user, if any. */
export async function contractorIdOfUser(tx: Tx, orgId: string, userId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: contractors.id })
    .from(contractors)
    .where(and(eq(contractors.orgId, orgId), eq(contractors.userId, userId), isNull(contractors.deletedAt)));
  return row?.id;
}
