/**
 * Test-only helpers for the delivery tests (`alerts/*.pg.test.ts`): a local
 * HTTP receiver standing in for a webhook target or a push service, and rules
 * and deliveries written straight into the database for worker-only tests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { type Db, registerChangeWriter } from '../db/database';
import { alertDeliveries, alertRules } from '../db/schema';
import type { DeliveryPayload } from './raise-alerts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: Buffer;
}

export interface ReceiverAnswer {
  status: number;
  /** Wait this long before answering (a slow or hung receiver). */
  delayMs?: number;
  headers?: Record<string, string>;
}

/** An HTTP server on a free loopback port that keeps every request and answers as told (200 by default). */
export async function startReceiver(answer: (request: ReceivedRequest) => ReceiverAnswer = () => ({ status: 200 })) {
  const received: ReceivedRequest[] = [];
  let respond = answer;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: ReceivedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        raw: Buffer.concat(chunks),
      };
      received.push(entry);
      const { status, delayMs = 0, headers = {} } = respond(entry);
      const reply = setTimeout(() => {
        if (!response.destroyed) response.writeHead(status, headers).end();
      }, delayMs);
      response.on('close', () => clearTimeout(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith(next: (request: ReceivedRequest) => ReceiverAnswer) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A rule written directly (no checks): for worker tests that need a target the push API would refuse. */
export async function insertRule(
  db: Db,
  orgId: string,
  rule: { channels: string[]; webhookUrl?: string; webhookSecret?: string; name?: string },
) {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await registerChangeWriter(tx);
    await tx.insert(alertRules).values({
      orgId,
      id,
      name: rule.name ?? `Rule ${id.slice(0, 8)}`,
      event: 'job.created',
      channels: rule.channels,
      recipients: [],
      webhookUrl: rule.webhookUrl ?? null,
      webhookSecret: rule.webhookSecret ?? null,
    });
  });
  return id;
}

/** A pending delivery, due at `dueAt`, as `raiseAlerts` writes one. */
export async function insertDelivery(
  db: Db,
  orgId: string,
  delivery: {
    ruleId: string;
    channel: 'webhook' | 'push' | 'email';
    recipient: string;
    dueAt: Date;
    payload?: Partial<DeliveryPayload>;
  },
) {
  const id = randomUUID();
  const jobId = randomUUID();
  const payload: DeliveryPayload = {
    title: 'Job J-1 was created',
    body: 'Job J-1 for Ada Lovelace: Fix the floor.',
    occurredAt: delivery.dueAt.toISOString(),
    rule: { id: delivery.ruleId, name: 'A rule' },
    data: { jobId, jobNumber: 'J-1', title: 'Fix the floor', source: 'office_app' },
    url: `/#/jobs/${jobId}`,
    ...delivery.payload,
  };
  await db.transaction(async (tx) => {
    await registerChangeWriter(tx);
    await tx.insert(alertDeliveries).values({
      orgId,
      id,
      ruleId: delivery.ruleId,
      event: 'job.created',
      entityId: jobId,
      channel: delivery.channel,
      recipient: delivery.recipient,
      status: 'pending',
      nextAttemptAt: delivery.dueAt.toISOString(),
      title: payload.title,
      jobId,
      payload,
      createdAt: delivery.dueAt.toISOString(),
    });
  });
  return { id, jobId, payload };
}

export interface DeliveryState {
  status: string;
  attempts: number;
  lastError: string | null;
  /** Epoch milliseconds, or null. */
  nextAttemptAt: number | null;
  sentAt: number | null;
}

export async function deliveryState(db: Db, id: string): Promise<DeliveryState> {
  const result = await db.execute(sql`
    select status, attempts, last_error as "lastError",
           (extract(epoch from next_attempt_at) * 1000)::float8 as "nextAttemptAt",
           (extract(epoch from sent_at) * 1000)::float8 as "sentAt"
    from alert_deliveries where id = ${id}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as DeliveryState[];
  const [row] = rows;
  if (!row) throw new Error(`no delivery ${id}`);
  return {
    ...row,
    nextAttemptAt: row.nextAttemptAt === null ? null : Math.round(Number(row.nextAttemptAt)),
    sentAt: row.sentAt === null ? null : Math.round(Number(row.sentAt)),
  };
}

/** Ends every pending delivery and pauses every rule, so the next test starts with an empty queue. */
export async function clearAlerts(db: Db) {
  await db.transaction(async (tx) => {
    await registerChangeWriter(tx);
    await tx.execute(
      sql`update alert_deliveries set status = 'failed', next_attempt_at = null where status = 'pending'`,
    );
    await tx.execute(sql`update alert_rules set active = false where active`);
  });
}
