/**
 * The delivery worker: sends the `pending` rows of the alert outbox
 * (`alert_deliveries`) through their channel's sender and records the outcome.
 *
 * Claiming is one short transaction: due rows are picked with
 * `FOR UPDATE SKIP LOCKED`, their `attempts` counted up and `next_attempt_at`
 * pushed past the send timeout (a lease). Sending happens after that commit,
 * outside any transaction, and a second short transaction records the
 * outcome. So any number of instances can run the worker on one database:
 * a row locked or leased by one is invisible to the others, and a claim
 * whose instance died before recording becomes due again when its lease ends
 * (then it may be sent a second time — at least once, never twice at once;
 * webhook receivers de-duplicate by `X-Fieldsync-Delivery`).
 *
 * Why not pg-boss or graphile-worker: each brings a schema, migrations and
 * background maintenance of its own, and graphile-worker wakes up through
 * LISTEN on a dedicated connection — more than PGlite's one embedded
 * connection comfortably hosts (pg-boss can be given our executor, but still
 * owns its schema and its supervisor). Above all, our outbox row is written
 * by `raiseAlerts` in the change's own transaction as an ordinary synced row
 * the office pulls; a queue library would either duplicate it or need its
 * enqueue call threaded into that transaction. What alerts need — a due-index
 * scan once a second, an in-process `kick()` after a push, a lease for
 * crashes — is this file. Instances other than the one that took the push
 * pick rows up on their next poll.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, registerChangeWriter } from '../db/database';
import { alertDeliveries, alertRules } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import { notifyCommitted } from '../sync/push-service';
import { type ClaimedDelivery, DeliveryFailed, type DeliveryRule, type DeliverySender } from './delivery-sender';
import type { DeliveryPayload } from './raise-alerts';

export const RULE_REMOVED = 'The rule was removed.';

/** The channels the worker sends; `dashboard` rows are written as sent and never reach it. */
export type WorkerChannel = 'webhook' | 'push' | 'email';

export interface DeliveryWorkerOptions {
  now: () => Date;
  logger: Logger;
  senders: Record<WorkerChannel, DeliverySender>;
  /** `ALERT_RETRY_BASE_MS`: the wait after the first failure; each later wait doubles. */
  retryBaseMs: number;
  /** `ALERT_MAX_ATTEMPTS`: after this many failed attempts a delivery is `failed`. */
  maxAttempts: number;
  /** How often due rows are looked for when nothing kicks the worker. */
  pollMs?: number;
  /** Rows claimed (and sent side by side) per round. */
  batchSize?: number;
  /** How long a claim holds a row; must exceed the longest send (10 s timeouts). */
  leaseMs?: number;
  /** Told of each delivery recorded as sent, after the record commits (metrics: delivery latency). */
  onSent?: (sent: DeliverySent) => void;
}

/** A delivery the worker recorded as sent. */
export interface DeliverySent {
  channel: WorkerChannel;
  /** When the alert was raised (the row's `created_at`). */
  raisedAt: Date;
  sentAt: Date;
}

/** What one round did. */
export interface DeliveryRound {
  claimed: number;
  sent: number;
  /** Failed and scheduled for another attempt. */
  retrying: number;
  /** Failed for good (attempts used up, or the rule is gone). */
  failed: number;
}

export interface DeliveryWorker {
  /** Starts polling. */
  start(): void;
  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void>;
  /** Looks for due rows now (after a push queued some) rather than at the next poll. */
  kick(): void;
  /** One round: claim due rows, send them, record the outcomes. For tests and the loop itself. */
  runOnce(): Promise<DeliveryRound>;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_BATCH_SIZE = 20;
const DEFAULT_LEASE_MS = 60_000;
const LAST_ERROR_LIMIT = 300;

type Outcome = { kind: 'sent' } | { kind: 'failed'; reason: string; final: boolean };
/** A claimed row, with when it was raised (for `onSent`; senders ignore it). */
type Claimed = ClaimedDelivery & { createdAt: string };

export function createDeliveryWorker(db: Db, options: DeliveryWorkerOptions): DeliveryWorker {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const { logger } = options;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;

  async function runOnce(): Promise<DeliveryRound> {
    const claimedAt = options.now();
    const claimed = await claimDue(claimedAt);
    const round: DeliveryRound = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
    if (claimed.length === 0) return round;
    const rules = await rulesOf(claimed);
    const outcomes = await Promise.all(
      claimed.map(async (delivery) => ({ delivery, outcome: await deliver(delivery, rules) })),
    );
    await record(outcomes);
    for (const { outcome } of outcomes) {
      if (outcome.kind === 'sent') round.sent++;
      else if (outcome.final) round.failed++;
      else round.retrying++;
    }
    return round;
  }

  async function claimDue(at: Date): Promise<Claimed[]> {
    const due = sql`select org_id, id from alert_deliveries
      where status = 'pending' and next_attempt_at <= ${at.toISOString()}::timestamptz
      order by next_attempt_at
      limit ${batchSize}
      for update skip locked`;
    const rows = await db.transaction(async (tx) => {
      // The claim bumps the rows' versions (synced table): pulls must not pass it while it is open.
      await registerChangeWriter(tx);
      return tx
        .update(alertDeliveries)
        .set({
          attempts: sql`${alertDeliveries.attempts} + 1`,
          nextAttemptAt: new Date(at.getTime() + leaseMs).toISOString(),
        })
        .where(sql`(${alertDeliveries.orgId}, ${alertDeliveries.id}) in (${due})`)
        .returning({
          orgId: alertDeliveries.orgId,
          id: alertDeliveries.id,
          ruleId: alertDeliveries.ruleId,
          event: alertDeliveries.event,
          channel: alertDeliveries.channel,
          recipient: alertDeliveries.recipient,
          attempts: alertDeliveries.attempts,
          payload: alertDeliveries.payload,
          createdAt: alertDeliveries.createdAt,
        });
    });
    return rows.map((row) => ({ ...row, payload: row.payload as DeliveryPayload }));
  }

  async function rulesOf(claimed: ClaimedDelivery[]) {
    const rows = await db
      .select({
        orgId: alertRules.orgId,
        id: alertRules.id,
        name: alertRules.name,
        webhookUrl: alertRules.webhookUrl,
        webhookSecret: alertRules.webhookSecret,
        deletedAt: alertRules.deletedAt,
      })
      .from(alertRules)
      .where(inArray(alertRules.id, [...new Set(claimed.map((delivery) => delivery.ruleId))]));
    const rules = new Map<string, DeliveryRule>();
    for (const { orgId, deletedAt, ...rule } of rows) if (deletedAt === null) rules.set(`${orgId}:${rule.id}`, rule);
    return rules;
  }

  async function deliver(delivery: ClaimedDelivery, rules: Map<string, DeliveryRule>): Promise<Outcome> {
    const rule = rules.get(`${delivery.orgId}:${delivery.ruleId}`);
    if (!rule) return { kind: 'failed', reason: RULE_REMOVED, final: true };
    const sender = options.senders[delivery.channel as WorkerChannel];
    if (!sender)
      return { kind: 'failed', reason: `The ${delivery.channel} channel is not sent by the worker.`, final: true };
    try {
      await sender.send(delivery, { rule });
      return { kind: 'sent' };
    } catch (error) {
      const reason = error instanceof DeliveryFailed ? error.message : 'The server could not send this alert.';
      const hopeless = error instanceof DeliveryFailed && error.final;
      // The reason is plain words from the sender; the error object is only logged when it is not one of those.
      // A delivery with nobody to reach (no device turned notifications on) is expected, not a warning.
      logger[hopeless ? 'info' : 'warn'](
        {
          deliveryId: delivery.id,
          orgId: delivery.orgId,
          channel: delivery.channel,
          attempts: delivery.attempts,
          reason,
          ...(error instanceof DeliveryFailed ? {} : { err: error }),
        },
        'alert delivery failed',
      );
      return {
        kind: 'failed',
        reason: reason.slice(0, LAST_ERROR_LIMIT),
        final: hopeless || delivery.attempts >= options.maxAttempts,
      };
    }
  }

  async function record(outcomes: Array<{ delivery: Claimed; outcome: Outcome }>) {
    const at = options.now();
    const sent: Claimed[] = [];
    await db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      const touchedOrgs = new Set<string>();
      for (const { delivery, outcome } of outcomes) {
        const set =
          outcome.kind === 'sent'
            ? { status: 'sent', sentAt: at.toISOString(), lastError: null, nextAttemptAt: null }
            : outcome.final
              ? { status: 'failed', lastError: outcome.reason, nextAttemptAt: null }
              : {
                  lastError: outcome.reason,
                  nextAttemptAt: new Date(
                    at.getTime() + retryDelayMs(options.retryBaseMs, delivery.attempts),
                  ).toISOString(),
                };
        // Only while the claim is still ours: a lease that ran out and was claimed again counted attempts up.
        const updated = await tx
          .update(alertDeliveries)
          .set(set)
          .where(
            and(
              eq(alertDeliveries.orgId, delivery.orgId),
              eq(alertDeliveries.id, delivery.id),
              eq(alertDeliveries.status, 'pending'),
              eq(alertDeliveries.attempts, delivery.attempts),
            ),
          )
          .returning({ id: alertDeliveries.id });
        if (updated.length === 0) continue;
        touchedOrgs.add(delivery.orgId);
        if (outcome.kind === 'sent') sent.push(delivery);
      }
      // The office's delivery history is synced: tell its screens, not the contractors'.
      for (const orgId of touchedOrgs) await notifyCommitted(tx, { orgId, userIds: [] });
    });
    for (const delivery of sent) {
      const raisedAt = new Date(toIsoTimestamp(delivery.createdAt));
      options.onSent?.({ channel: delivery.channel as WorkerChannel, raisedAt, sentAt: at });
    }
  }

  function schedule(delayMs: number) {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void loop(), delayMs);
    timer.unref();
  }

  async function loop() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = (async () => {
      do {
        again = false;
        try {
          const round = await runOnce();
          // A full batch means more may be due: go on at once rather than wait a poll.
          if (round.claimed >= batchSize) again = true;
        } catch (error) {
          logger.warn({ err: error }, 'alert delivery round failed; trying again at the next poll');
          again = false;
        }
      } while (again && running);
    })();
    try {
      await inFlight;
    } finally {
      inFlight = undefined;
      schedule(pollMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
    },
    kick() {
      if (!running) return;
      if (inFlight) again = true;
      else schedule(0);
    },
    runOnce,
  };
}

/** The wait before the next attempt after `attempts` failed ones: base, 2 × base, 4 × base, … */
export function retryDelayMs(baseMs: number, attempts: number): number {
  return baseMs * 2 ** Math.max(0, attempts - 1);
}
