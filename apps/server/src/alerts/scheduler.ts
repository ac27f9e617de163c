/**
 * The time-based alert events, which no change raises: `job.overdue` (a live
 * assignment's start passed by the company's `overdueMinutes` and its job not
 * started) and `device.stale` (a contractor with work today whose devices have
 * not synced for the company's `staleDeviceHours`).
 *
 * Every instance runs the check. Each event first takes its mark in
 * `alert_marks` — an insert that only one transaction can win — and is raised
 * in that same transaction, so an overdue assignment alerts once however many
 * instances look at the same moment. The mark names the assignment's start:
 * an assignment moved later and missed again alerts again.
 *
 * The same round expires sent estimates past their validity
 * (`expireLapsedEstimates`), which raises `estimate.status_changed`.
 */

import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { registerChangeWriter, rowsOf } from '../db/database';
import { alertMarks } from '../db/schema';
import { expireLapsedEstimates } from '../estimates/expire-estimates';
import { notifyCommitted } from '../sync/push-service';
import { type RaisedEvent, raiseAlerts } from './raise-alerts';

/** Assignments that started more than this long ago are history, not news: never alerted late. */
const OVERDUE_LOOKBACK_HOURS = 24;

export interface AlertSchedulerOptions {
  now: () => Date;
  logger: Logger;
  /** How often to check; the first check runs at start. */
  intervalMs: number;
  /** Something was raised that the delivery worker may have to send. */
  onRaised?: () => void;
}

/** A pending time-based event of one company, with the mark that makes it happen once. */
interface DueEvent {
  orgId: string;
  markKey: string;
  event: RaisedEvent;
}

export function createAlertScheduler(db: Db, options: AlertSchedulerOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  /** Raises what is due now; returns how many events were raised (by this instance). */
  async function runOnce(): Promise<number> {
    const now = options.now();
    const due = [...(await overdueAssignments(db, now)), ...(await staleDevices(db, now))];
    const byOrg = new Map<string, DueEvent[]>();
    for (const item of due) byOrg.set(item.orgId, [...(byOrg.get(item.orgId) ?? []), item]);
    let raised = 0;
    let queued = 0;
    for (const [orgId, items] of byOrg) {
      const outcome = await db.transaction(async (tx) => {
        await registerChangeWriter(tx);
        const won = await tx
          .insert(alertMarks)
          .values(items.map((item) => ({ orgId, event: item.event.event, markKey: item.markKey })))
          .onConflictDoNothing()
          .returning({ event: alertMarks.event, markKey: alertMarks.markKey });
        const wonKeys = new Set(won.map((mark) => `${mark.event}|${mark.markKey}`));
        const events = items
          .filter((item) => wonKeys.has(`${item.event.event}|${item.markKey}`))
          .map((item) => item.event);
        const result = await raiseAlerts(tx, orgId, events, now);
        if (result.notifiedUserIds.length > 0) {
          await notifyCommitted(tx, { orgId, userIds: result.notifiedUserIds });
        }
        return { raised: events.length, queued: result.queued };
      });
      raised += outcome.raised;
      queued += outcome.queued;
    }
    // Sent estimates whose validity passed expire on the same clock (exactly once across instances too).
    const expiry = await expireLapsedEstimates(db, now);
    raised += expiry.expired;
    queued += expiry.queued;
    if (queued > 0) options.onRaised?.();
    return raised;
  }

  async function tick() {
    try {
      running = runOnce();
      const raised = await running;
      if (raised > 0) options.logger.info({ raised }, 'alerts: time-based events raised');
    } catch (error) {
      options.logger.error({ err: error }, 'alerts: the time-based check failed; trying again next round');
    } finally {
      running = undefined;
    }
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type AlertScheduler = ReturnType<typeof createAlertScheduler>;

/** Live, unstarted assignments whose start passed by the company's `overdueMinutes`, where a rule listens. */
async function overdueAssignments(db: Db, now: Date): Promise<DueEvent[]> {
  const at = now.toISOString();
  const rows = rowsOf(
    await db.execute(sql`
      select a.org_id as "orgId", a.id as "assignmentId", a.job_id as "jobId", a.scheduled_start as "scheduledStart",
             j.status as "jobStatus",
             floor(extract(epoch from (${at}::timestamptz - a.scheduled_start)) / 60)::int as "minutesLate"
      from assignments a
      join jobs j on j.org_id = a.org_id and j.id = a.job_id
      join organizations o on o.id = a.org_id
      where a.deleted_at is null and a.status in ('pending', 'confirmed')
        and j.deleted_at is null and j.status in ('open', 'scheduled')
        and a.scheduled_start + make_interval(mins => o.overdue_minutes) <= ${at}::timestamptz
        and a.scheduled_start > ${at}::timestamptz - make_interval(hours => ${OVERDUE_LOOKBACK_HOURS})
        and exists (select 1 from alert_rules r where r.org_id = a.org_id and r.event = 'job.overdue'
                      and r.active and r.deleted_at is null)
      order by a.org_id, a.scheduled_start`),
  ) as Array<{
    orgId: string;
    assignmentId: string;
    jobId: string;
    scheduledStart: string | Date;
    jobStatus: string;
    minutesLate: number;
  }>;
  return rows.map((row) => {
    const scheduledStart = new Date(row.scheduledStart).toISOString();
    return {
      orgId: row.orgId,
      markKey: `${row.assignmentId}@${scheduledStart}`,
      event: {
        event: 'job.overdue',
        occurredAt: now.toISOString(),
        source: 'system',
        jobId: row.jobId,
        assignmentId: row.assignmentId,
        // The job's status, not the assignment's: a job event.
        data: { status: row.jobStatus, scheduledStart, minutesLate: Number(row.minutesLate) },
      },
    };
  });
}

/**
 * Contractors with live work today (on the company's clock) whose devices
 * last synced `staleDeviceHours` ago or more, where a rule listens. Only
 * contractors with at least one device count: one who never installed the
 * app is not a phone gone quiet.
 */
async function staleDevices(db: Db, now: Date): Promise<DueEvent[]> {
  const at = now.toISOString();
  const rows = rowsOf(
    await db.execute(sql`
      select k.org_id as "orgId", k.id as "contractorId", k.name as "contractorName", k.trade,
             (${at}::timestamptz at time zone o.time_zone)::date::text as "localDate",
             synced.last_seen as "lastSyncedAt",
             (select count(*)::int from assignments a
               where a.org_id = k.org_id and a.contractor_id = k.id and a.deleted_at is null
                 and a.status in ('pending', 'confirmed', 'in_progress')
                 and (a.scheduled_start at time zone o.time_zone)::date = (${at}::timestamptz at time zone o.time_zone)::date
             ) as "assignmentsToday"
      from contractors k
      join organizations o on o.id = k.org_id
      join lateral (
        select max(c.last_seen_at) as last_seen from sync_clients c where c.org_id = k.org_id and c.user_id = k.user_id
      ) synced on true
      where k.deleted_at is null and k.user_id is not null and synced.last_seen is not null
        and synced.last_seen <= ${at}::timestamptz - make_interval(hours => o.stale_device_hours)
        and exists (select 1 from alert_rules r where r.org_id = k.org_id and r.event = 'device.stale'
                      and r.active and r.deleted_at is null)`),
  ) as Array<{
    orgId: string;
    contractorId: string;
    contractorName: string;
    trade: string;
    localDate: string;
    lastSyncedAt: string | Date;
    assignmentsToday: number;
  }>;
  return rows
    .filter((row) => Number(row.assignmentsToday) > 0)
    .map((row) => {
      const lastSyncedAt = new Date(row.lastSyncedAt).toISOString();
      return {
        orgId: row.orgId,
        markKey: `${row.contractorId}@${row.localDate}`,
        event: {
          event: 'device.stale',
          occurredAt: now.toISOString(),
          source: 'system',
          data: {
            contractorId: row.contractorId,
            contractorName: row.contractorName,
            trade: row.trade,
            lastSyncedAt,
            hoursSinceSync: Math.floor((now.getTime() - Date.parse(lastSyncedAt)) / 3_600_000),
            assignmentsToday: Number(row.assignmentsToday),
          },
        },
      };
    });
}
