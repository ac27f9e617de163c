/**
 * The lapse of time on estimates: a sent estimate whose last valid day
 * (`validUntil`, a day on the company's calendar) has passed becomes
 * `expired` (the SQL form of `isEstimateLapsed`), by the system, with an activity line and
 * the `estimate.status_changed` event, in the transaction that expires it.
 *
 * Every server instance sweeps. Each batch is one `UPDATE … RETURNING` over
 * rows claimed `FOR UPDATE SKIP LOCKED` and still `sent`: an estimate is
 * expired by exactly one transaction, however many sweep at once, and only
 * that one writes its activity and raises its event.
 */
import { randomUUID } from 'node:crypto';
import type { ActivitySource } from '@fieldsync/domain';
import { sql } from 'drizzle-orm';
import { type RaisedEvent, raiseAlerts } from '../alerts/raise-alerts';
import type { Db, Tx } from '../db/database';
import { registerChangeWriter, rowsOf } from '../db/database';
import { activityLog } from '../db/schema';
import { notifyCommitted } from '../sync/push-service';
import { estimateEventData } from './estimate-events';

/** Estimates expired per transaction; a larger backlog takes several. */
const BATCH_SIZE = 200;

/** What a sweep did. */
export interface ExpirySweep {
  /** Estimates this sweep expired (each one, across all instances, is counted by one sweep only). */
  expired: number;
  /** Alert deliveries waiting for the delivery worker. */
  queued: number;
}

interface ExpiredRow {
  orgId: string;
  id: string;
  number: string;
  title: string;
  customerId: string;
  customerName: string | null;
  jobId: string | null;
  totalCents: string | number;
  currency: string;
  validUntil: string;
}

/** Expires every sent estimate whose validity ended before today on its company's calendar. */
export async function expireLapsedEstimates(db: Db, now: Date): Promise<ExpirySweep> {
  const sweep: ExpirySweep = { expired: 0, queued: 0 };
  for (;;) {
    const batch = await db.transaction((tx) => expireBatch(tx, now));
    sweep.expired += batch.expired;
    sweep.queued += batch.queued;
    if (batch.claimed < BATCH_SIZE) return sweep;
  }
}

async function expireBatch(tx: Tx, now: Date) {
  const at = now.toISOString();
  await registerChangeWriter(tx);
  const rows = rowsOf(
    await tx.execute(sql`
      with lapsed as (
        select e.org_id, e.id from estimates e
        join organizations o on o.id = e.org_id
        where e.status = 'sent' and e.deleted_at is null
          and e.valid_until < (${at}::timestamptz at time zone o.time_zone)::date
        order by e.valid_until
        limit ${BATCH_SIZE}
        for update of e skip locked
      )
      update estimates e set status = 'expired'
      from lapsed
      where e.org_id = lapsed.org_id and e.id = lapsed.id and e.status = 'sent'
      returning e.org_id as "orgId", e.id, e.number, e.title, e.customer_id as "customerId", e.job_id as "jobId",
        e.total_cents as "totalCents", e.currency, e.valid_until::text as "validUntil",
        (select c.name from customers c where c.org_id = e.org_id and c.id = e.customer_id) as "customerName"`),
  ) as ExpiredRow[];
  const byOrg = new Map<string, ExpiredRow[]>();
  for (const row of rows) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row]);
  let queued = 0;
  for (const [orgId, lapsed] of byOrg) {
    const source: ActivitySource = 'system';
    await tx.insert(activityLog).values(
      lapsed.map((row) => ({
        orgId,
        id: randomUUID(),
        entityType: 'estimate',
        entityId: row.id,
        action: 'estimate.status_changed',
        details: { from: 'sent', to: 'expired', validUntil: row.validUntil },
        userId: null,
        jobId: row.jobId,
        source,
        createdAt: at,
      })),
    );
    const events: RaisedEvent[] = lapsed.map((row) => ({
      event: 'estimate.status_changed',
      occurredAt: at,
      source: 'system',
      data: estimateEventData({ ...row, totalCents: Number(row.totalCents), status: 'expired' }, row.customerName, {
        fromStatus: 'sent',
        toStatus: 'expired',
      }),
    }));
    const raised = await raiseAlerts(tx, orgId, events, now);
    queued += raised.queued;
    const customerIds = [...new Set(lapsed.map((row) => row.customerId))];
    const contractorUserIds = await contractorUsersOfCustomers(tx, orgId, customerIds);
    await notifyCommitted(tx, { orgId, userIds: [...new Set([...contractorUserIds, ...raised.notifiedUserIds])] });
  }
  return { claimed: rows.length, expired: rows.length, queued };
}

/** The users of contractors with work for these customers: their phones hold the customers' estimates. */
async function contractorUsersOfCustomers(tx: Tx, orgId: string, customerIds: readonly string[]): Promise<string[]> {
  const rows = rowsOf(
    await tx.execute(sql`
      select distinct k.user_id as "userId" from assignments a
      join jobs j on j.org_id = a.org_id and j.id = a.job_id
      join contractors k on k.org_id = a.org_id and k.id = a.contractor_id
      where a.org_id = ${orgId} and a.deleted_at is null and k.user_id is not null
        and j.customer_id = any(array[${sql.join(
          customerIds.map((id) => sql`${id}`),
          sql`, `,
        )}]::uuid[])`),
  ) as Array<{ userId: string }>;
  return rows.map((row) => row.userId);
}
