/**
 * Raising alerts: the events of a change are matched against the company's
 * active rules inside the change's own transaction, and what must be sent is
 * written there as `alert_deliveries` rows (a durable outbox) — the alert and
 * the change commit together or not at all. The `dashboard` channel is
 * delivered on the spot (a `notifications` row per recipient); the others wait
 * for the delivery worker.
 *
 * Matching, rendering, throttling and recipients are the domain's pure
 * functions; this module only gathers the event's fields from the database
 * and writes the outcome.
 */
import { randomUUID } from 'node:crypto';
import {
  ALERT_EVENT_ENTITY,
  type AlertDeliveryChannel,
  type AlertEventName,
  type AlertEventSource,
  type AlertTemplate,
  DEFAULT_ALERT_TEMPLATES,
  formatAlertTime,
  LIVE_ASSIGNMENT_STATUSES,
  matchesConditions,
  parseAlertRecipient,
  renderTemplate,
  TEXT_LIMITS,
  type TimeFormat,
  throttleOutcome,
} from '@fieldsync/domain';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/database';
import { alertDeliveries, alertRules, notifications, organizations } from '../db/schema';

/** One event as a change raises it; the job's and assignment's fields are filled in by `raiseAlerts`. */
export interface RaisedEvent {
  event: AlertEventName;
  /** When it happened (the device's time for a change, the check's time for a time-based event). */
  occurredAt: string;
  source: AlertEventSource;
  /** The job it concerns: its number, title, customer and contractor join the data. */
  jobId?: string | null;
  /** The assignment it concerns: its status, times and contractor join the data (and win over the job's). */
  assignmentId?: string | null;
  /** The event's own fields (a status move, a reason, a conflict's values); they win over looked-up ones. */
  data: Record<string, unknown>;
}

/** What raising left to do outside the transaction. */
export interface RaiseOutcome {
  /** Users who got a notification: their phones are poked with the commit. */
  notifiedUserIds: string[];
  /** Deliveries waiting for the worker (webhook, push, e-mail). */
  queued: number;
}

const NOTHING_RAISED: RaiseOutcome = { notifiedUserIds: [], queued: 0 };

/** What the worker sends for a delivery, kept on its row (never synced). */
export interface DeliveryPayload {
  title: string;
  body: string;
  occurredAt: string;
  rule: { id: string; name: string };
  data: Record<string, unknown>;
  /** Where a tap on a phone notification goes, when the event concerns a job. */
  url?: string;
}

type RuleRow = typeof alertRules.$inferSelect;
type DeliveryRow = typeof alertDeliveries.$inferInsert;
type NotificationRow = typeof notifications.$inferInsert;

/**
 * Matches `events` against the organisation's active rules and writes their
 * deliveries and notifications in `tx`. Cheap when no rule listens: one query.
 */
export async function raiseAlerts(
  tx: Tx,
  orgId: string,
  events: readonly RaisedEvent[],
  now: Date,
): Promise<RaiseOutcome> {
  if (events.length === 0) return NOTHING_RAISED;
  const names = [...new Set(events.map((event) => event.event))];
  const rules = await tx
    .select()
    .from(alertRules)
    .where(
      and(
        eq(alertRules.orgId, orgId),
        eq(alertRules.active, true),
        isNull(alertRules.deletedAt),
        inArray(alertRules.event, names),
      ),
    )
    .orderBy(alertRules.createdAt, alertRules.id);
  if (rules.length === 0) return NOTHING_RAISED;
  const listened = events.filter((event) => rules.some((rule) => rule.event === event.event));
  if (listened.length === 0) return NOTHING_RAISED;

  const context = await loadEventContext(tx, orgId, listened);
  const people = await loadRecipients(tx, orgId, rules, listened, context);
  const createdAt = now.toISOString();
  const deliveries: DeliveryRow[] = [];
  const feed: NotificationRow[] = [];
  // Deliveries of this call are inserted at the end: the throttle must see them too (a phone's
  // offline day replays several moves of one job in one push).
  const deliveredNow = new Set<string>();

  for (const raised of listened) {
    const data = eventData(raised, context);
    const { entityType, idField } = ALERT_EVENT_ENTITY[raised.event];
    const entityId = typeof data[idField] === 'string' ? (data[idField] as string) : undefined;
    if (entityId === undefined) continue;
    const jobId = typeof data.jobId === 'string' ? data.jobId : null;
    for (const rule of rules) {
      if (rule.event !== raised.event || !matchesConditions(data, rule.conditions)) continue;
      const userIds = recipientUserIds(rule, data, people);
      const channels = rule.channels as AlertDeliveryChannel[];
      const throttleKey = `${rule.id}|${entityId}`;
      const throttled =
        rule.throttleMinutes > 0 &&
        (deliveredNow.has(throttleKey) || (await throttleFor(tx, orgId, rule, entityId, now)) === 'throttled');
      if (!throttled) deliveredNow.add(throttleKey);
      const template = (rule.template as AlertTemplate | null) ?? DEFAULT_ALERT_TEMPLATES[raised.event];
      const title = limit(renderTemplate(template.title, data, { escape: 'none' }), TEXT_LIMITS.address);
      const body = limit(renderTemplate(template.body, data, { escape: 'none' }), TEXT_LIMITS.longText);
      const payload: DeliveryPayload = {
        title,
        body,
        occurredAt: raised.occurredAt,
        rule: { id: rule.id, name: rule.name },
        data,
        ...(jobId ? { url: `/#/jobs/${jobId}` } : {}),
      };
      const delivery = (channel: AlertDeliveryChannel, recipient: string, sent: boolean): DeliveryRow => ({
        orgId,
        id: randomUUID(),
        ruleId: rule.id,
        event: raised.event,
        entityId,
        channel,
        recipient,
        status: throttled ? 'throttled' : sent ? 'sent' : 'pending',
        nextAttemptAt: throttled || sent ? null : createdAt,
        sentAt: !throttled && sent ? createdAt : null,
        title,
        jobId,
        payload,
        createdAt,
      });
      for (const channel of channels) {
        if (channel === 'webhook') {
          if (rule.webhookUrl) deliveries.push(delivery('webhook', rule.webhookUrl, false));
          continue;
        }
        for (const userId of userIds) {
          deliveries.push(delivery(channel, `user:${userId}`, channel === 'dashboard'));
          if (channel === 'dashboard' && !throttled) {
            feed.push({
              orgId,
              id: randomUUID(),
              userId,
              event: raised.event,
              title,
              body,
              entityType,
              entityId,
              jobId,
              createdAt,
            });
          }
        }
      }
    }
  }

  if (deliveries.length > 0) await tx.insert(alertDeliveries).values(deliveries);
  if (feed.length > 0) await tx.insert(notifications).values(feed);
  return {
    notifiedUserIds: [...new Set(feed.map((row) => row.userId))],
    queued: deliveries.filter((row) => row.status === 'pending').length,
  };
}

function limit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Throttle per rule and entity. The advisory lock makes two changes to the
 * same entity at once take turns, so both cannot see "nothing sent yet".
 */
async function throttleFor(tx: Tx, orgId: string, rule: RuleRow, entityId: string, now: Date) {
  if (rule.throttleMinutes <= 0) return 'send' as const;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`alert:${rule.id}:${entityId}`}, 0))`);
  const [last] = rowsOf(
    await tx.execute(
      sql`select max(created_at) as at from alert_deliveries
          where org_id = ${orgId} and rule_id = ${rule.id} and entity_id = ${entityId} and status <> 'throttled'`,
    ),
  ) as Array<{ at: string | Date | null }>;
  const at = last?.at ?? null;
  return throttleOutcome({
    lastDeliveredAt: at === null ? null : new Date(at),
    now,
    throttleMinutes: rule.throttleMinutes,
  });
}

interface JobContext {
  jobId: string;
  jobNumber: string;
  title: string;
  priority: string;
  trade: string;
  status: string;
  customerName: string | null;
  contractorId: string | null;
  contractorName: string | null;
  contractorUserId: string | null;
}

interface AssignmentContext {
  assignmentId: string;
  jobId: string;
  status: string;
  scheduledStart: string;
  scheduledEnd: string;
  contractorId: string;
  contractorName: string | null;
  contractorUserId: string | null;
}

interface EventContext {
  jobs: Map<string, JobContext>;
  assignments: Map<string, AssignmentContext>;
  clock: { timeZone: string; timeFormat: TimeFormat };
}

/** The jobs and assignments the events concern, with names, and the company's clock: three queries at most. */
async function loadEventContext(tx: Tx, orgId: string, events: readonly RaisedEvent[]): Promise<EventContext> {
  const assignmentIds = [...new Set(events.flatMap((event) => (event.assignmentId ? [event.assignmentId] : [])))];
  const assignments = new Map<string, AssignmentContext>();
  if (assignmentIds.length > 0) {
    const rows = rowsOf(
      await tx.execute(sql`
        select a.id as "assignmentId", a.job_id as "jobId", a.status, a.scheduled_start as "scheduledStart",
               a.scheduled_end as "scheduledEnd", a.contractor_id as "contractorId",
               k.name as "contractorName", k.user_id as "contractorUserId"
        from assignments a
        left join contractors k on k.org_id = a.org_id and k.id = a.contractor_id
        where a.org_id = ${orgId} and a.id = any(${sqlUuidArray(assignmentIds)})`),
    ) as AssignmentContext[];
    for (const row of rows) {
      assignments.set(row.assignmentId, {
        ...row,
        scheduledStart: new Date(row.scheduledStart).toISOString(),
        scheduledEnd: new Date(row.scheduledEnd).toISOString(),
      });
    }
  }
  const jobIds = [
    ...new Set(
      events.flatMap((event) => {
        const jobId = event.jobId ?? (event.assignmentId ? assignments.get(event.assignmentId)?.jobId : undefined);
        return jobId ? [jobId] : [];
      }),
    ),
  ];
  const jobs = new Map<string, JobContext>();
  if (jobIds.length > 0) {
    const live = sql.join(
      LIVE_ASSIGNMENT_STATUSES.map((status) => sql`${status}`),
      sql`, `,
    );
    const rows = rowsOf(
      await tx.execute(sql`
        select j.id as "jobId", j.job_number as "jobNumber", j.title, j.priority, j.trade, j.status,
               c.name as "customerName", held.contractor_id as "contractorId", k.name as "contractorName",
               k.user_id as "contractorUserId"
        from jobs j
        left join customers c on c.org_id = j.org_id and c.id = j.customer_id
        left join lateral (
          select a.contractor_id from assignments a
          where a.org_id = j.org_id and a.job_id = j.id and a.deleted_at is null and a.status in (${live})
          order by a.scheduled_start limit 1
        ) held on true
        left join contractors k on k.org_id = j.org_id and k.id = held.contractor_id
        where j.org_id = ${orgId} and j.id = any(${sqlUuidArray(jobIds)})`),
    ) as JobContext[];
    for (const row of rows) jobs.set(row.jobId, row);
  }
  const [org] = await tx
    .select({ timeZone: organizations.timeZone, timeFormat: organizations.timeFormat })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return {
    jobs,
    assignments,
    clock: { timeZone: org?.timeZone ?? 'UTC', timeFormat: (org?.timeFormat ?? '24h') as TimeFormat },
  };
}

/** A uuid[] parameter that both postgres.js and PGlite accept. */
function sqlUuidArray(ids: readonly string[]) {
  return sql`array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
}

/** The event's flat fields: the job's, then the assignment's, then the event's own. */
function eventData(raised: RaisedEvent, context: EventContext): Record<string, unknown> {
  const assignment = raised.assignmentId ? context.assignments.get(raised.assignmentId) : undefined;
  const jobId = raised.jobId ?? assignment?.jobId;
  const job = jobId ? context.jobs.get(jobId) : undefined;
  const data: Record<string, unknown> = {};
  if (job) {
    Object.assign(data, {
      jobId: job.jobId,
      jobNumber: job.jobNumber,
      title: job.title,
      priority: job.priority,
      trade: job.trade,
      status: job.status,
      customerName: job.customerName,
      contractorId: job.contractorId,
      contractorName: job.contractorName,
      assigned: job.contractorId !== null,
    });
  }
  if (assignment) {
    Object.assign(data, {
      assignmentId: assignment.assignmentId,
      jobStatus: job?.status ?? null,
      status: assignment.status,
      scheduledStart: assignment.scheduledStart,
      scheduledEnd: assignment.scheduledEnd,
      scheduledStartLocal: formatAlertTime(assignment.scheduledStart, context.clock.timeZone, context.clock.timeFormat),
      contractorId: assignment.contractorId,
      contractorName: assignment.contractorName,
    });
  }
  Object.assign(data, raised.data, { source: raised.source });
  if (typeof raised.data.scheduledStart === 'string' && raised.data.scheduledStartLocal === undefined) {
    data.scheduledStartLocal = formatAlertTime(
      raised.data.scheduledStart,
      context.clock.timeZone,
      context.clock.timeFormat,
    );
  }
  // Nulls and undefined are "missing" to conditions and templates alike; keep the data small and plain.
  for (const [field, value] of Object.entries(data)) if (value === undefined || value === null) delete data[field];
  return data;
}

interface Person {
  id: string;
  role: string;
}

interface People {
  byRole: Map<string, string[]>;
  active: Set<string>;
  contractorUsers: Map<string, string>;
}

/** The active people the rules may name: the office, and the contractors and users they point at. */
async function loadRecipients(
  tx: Tx,
  orgId: string,
  rules: readonly RuleRow[],
  events: readonly RaisedEvent[],
  context: EventContext,
) {
  const named = new Set<string>();
  for (const rule of rules) {
    for (const text of rule.recipients as string[]) {
      const parsed = parseAlertRecipient(text);
      if (parsed.ok && parsed.recipient.kind === 'user') named.add(parsed.recipient.userId);
    }
  }
  const contractorUsers = new Map<string, string>();
  for (const job of context.jobs.values()) {
    if (job.contractorId && job.contractorUserId) contractorUsers.set(job.contractorId, job.contractorUserId);
  }
  for (const assignment of context.assignments.values()) {
    if (assignment.contractorUserId) contractorUsers.set(assignment.contractorId, assignment.contractorUserId);
  }
  // Events that name a contractor without a job (device.stale) or one not looked up yet.
  const unknownContractors = [
    ...new Set(
      events.flatMap((event) =>
        typeof event.data.contractorId === 'string' && !contractorUsers.has(event.data.contractorId)
          ? [event.data.contractorId]
          : [],
      ),
    ),
  ];
  if (unknownContractors.length > 0) {
    const rows = rowsOf(
      await tx.execute(
        sql`select id, user_id as "userId" from contractors
            where org_id = ${orgId} and id = any(${sqlUuidArray(unknownContractors)}) and user_id is not null`,
      ),
    ) as Array<{ id: string; userId: string }>;
    for (const row of rows) contractorUsers.set(row.id, row.userId);
  }
  for (const userId of contractorUsers.values()) named.add(userId);
  const rows = rowsOf(
    await tx.execute(sql`
      select id, role from users
      where org_id = ${orgId} and is_active and deleted_at is null
        and (role <> 'contractor'${named.size > 0 ? sql` or id = any(${sqlUuidArray([...named])})` : sql``})`),
  ) as Person[];
  const byRole = new Map<string, string[]>();
  for (const row of rows) byRole.set(row.role, [...(byRole.get(row.role) ?? []), row.id]);
  return { byRole, active: new Set(rows.map((row) => row.id)), contractorUsers } satisfies People;
}

/** The active users a rule's recipients name for this event, each once. */
function recipientUserIds(rule: RuleRow, data: Record<string, unknown>, people: People): string[] {
  const userIds = new Set<string>();
  for (const text of rule.recipients as string[]) {
    const parsed = parseAlertRecipient(text);
    if (!parsed.ok) continue;
    const { recipient } = parsed;
    if (recipient.kind === 'role') for (const id of people.byRole.get(recipient.role) ?? []) userIds.add(id);
    if (recipient.kind === 'user' && people.active.has(recipient.userId)) userIds.add(recipient.userId);
    if (recipient.kind === 'assigned_contractor' && typeof data.contractorId === 'string') {
      const userId = people.contractorUsers.get(data.contractorId);
      if (userId && people.active.has(userId)) userIds.add(userId);
    }
  }
  return [...userIds];
}
