/**
 * Sync health of every device in the organisation, for the dispatcher's
 * "device sync health" screen: when each device last pushed and pulled, how
 * far its ledger got, and whether it has pulled the latest change to its
 * contractor's schedule.
 */
import { and, eq, isNull, max } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Db } from '../db/database';
import { assignments, contractors, syncClients, users } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';

export interface DeviceHealth {
  clientId: string;
  userId: string;
  userName: string;
  role: string;
  contractorId: string | null;
  lastSeq: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  lastSeenAt: string;
  lastPulledVersion: number;
  userAgent: string | null;
  /** Version of the newest change to this contractor's assignments; delivered when ≤ lastPulledVersion. */
  scheduleVersion: number | null;
  scheduleDelivered: boolean | null;
}

export async function listDeviceHealth(db: Db, user: AuthUser): Promise<DeviceHealth[]> {
  const rows = await db
    .select({
      clientId: syncClients.id,
      userId: syncClients.userId,
      userName: users.name,
      role: users.role,
      contractorId: contractors.id,
      lastSeq: syncClients.lastSeq,
      lastPushAt: syncClients.lastPushAt,
      lastPullAt: syncClients.lastPullAt,
      lastSeenAt: syncClients.lastSeenAt,
      lastPulledVersion: syncClients.lastPulledVersion,
      userAgent: syncClients.userAgent,
    })
    .from(syncClients)
    .innerJoin(users, and(eq(users.orgId, syncClients.orgId), eq(users.id, syncClients.userId)))
    .leftJoin(
      contractors,
      and(
        eq(contractors.orgId, syncClients.orgId),
        eq(contractors.userId, syncClients.userId),
        isNull(contractors.deletedAt),
      ),
    )
    .where(eq(syncClients.orgId, user.orgId))
    .orderBy(users.name, syncClients.lastSeenAt);

  const scheduleVersions = new Map(
    (
      await db
        .select({ contractorId: assignments.contractorId, version: max(assignments.version) })
        .from(assignments)
        .where(eq(assignments.orgId, user.orgId))
        .groupBy(assignments.contractorId)
    ).map((row) => [row.contractorId, Number(row.version)]),
  );

  return rows.map((row) => {
    const scheduleVersion = row.contractorId ? (scheduleVersions.get(row.contractorId) ?? null) : null;
    return {
      ...row,
      lastPushAt: row.lastPushAt ? toIsoTimestamp(row.lastPushAt) : null,
      lastPullAt: row.lastPullAt ? toIsoTimestamp(row.lastPullAt) : null,
      lastSeenAt: toIsoTimestamp(row.lastSeenAt),
      scheduleVersion,
      scheduleDelivered: scheduleVersion === null ? null : row.lastPulledVersion >= scheduleVersion,
    };
  });
}
