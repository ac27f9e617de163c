/**
 * `GET /metrics`: off without METRICS_TOKEN, guarded by it otherwise, and the
 * numbers moving with real pushes, requests, event streams and alert rows.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ErrorBody } from '@fieldsync/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { clearAlerts, insertDelivery, insertRule, startReceiver } from '../alerts/delivery-test-kit';
import { createApp } from '../app';
import { UNKNOWN_MUTATION, UNMATCHED_ROUTE } from '../http/metrics';
import { listen } from '../testing/listen';
import { createJobFixture, type Device, openDevice, push } from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample in Prometheus text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe.each(kinds)('metrics on %s', (kind) => {
  let server: TestServer;
  let office: Device;

  beforeAll(async () => {
    server = await createTestServer(kind, { metricsToken: METRICS_TOKEN, allowPrivateTargets: true });
    office = await openDevice(server, 'dispatcher1@example.com');
  });
  afterAll(() => server.close());

  async function scrape() {
    const response = await server.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  test('without METRICS_TOKEN the endpoint is off: 404', async () => {
    const response = await createApp(server.deps).request('/metrics');
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('not_found');
  });

  test('without the token, or with a wrong one, 401 with the usual error body', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const response = await server.app.request('/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status, authorization ?? 'no header').toBe(401);
      expect(((await response.json()) as ErrorBody).error.code).toBe('unauthorized');
    }
  });

  test('with the token: 200 in Prometheus text format, process metrics included', async () => {
    const response = await server.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE fieldsync_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE fieldsync_mutations_total counter');
    expect(sample(text, 'fieldsync_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  test('a push counts its mutations by name and outcome; names outside the catalogue are "unknown"', async () => {
    const before = await scrape();
    const count = (text: string, name: string, outcome: string) =>
      sample(text, 'fieldsync_mutations_total', { name, outcome }) ?? 0;
    const { results } = await push(server, office, [
      { name: 'customer.create', args: { id: randomUUID(), name: 'Metrics customer one' } },
      { name: 'customer.create', args: { id: randomUUID(), name: 'Metrics customer two' } },
      { name: 'customer.create', args: { id: randomUUID() } },
      { name: 'job.frobnicate', args: {} },
    ]);
    expect(results.map((result) => result.outcome)).toEqual(['applied', 'applied', 'rejected', 'rejected']);

    const after = await scrape();
    expect(count(after, 'customer.create', 'applied') - count(before, 'customer.create', 'applied')).toBe(2);
    expect(count(after, 'customer.create', 'rejected') - count(before, 'customer.create', 'rejected')).toBe(1);
    expect(count(after, UNKNOWN_MUTATION, 'rejected') - count(before, UNKNOWN_MUTATION, 'rejected')).toBe(1);
    expect(after).not.toContain('job.frobnicate');
  });

  test('a pull counts itself and the rows it sent', async () => {
    const before = await scrape();
    const response = await server.call('GET', `/api/sync/pull?clientId=${randomUUID()}&limit=5`, {
      token: office.token,
    });
    expect(response.status).toBe(200);
    const sent = Object.values(response.json.changes as Record<string, unknown[]>).reduce(
      (n, rows) => n + rows.length,
      0,
    );
    const after = await scrape();
    const rows = (text: string) => sample(text, 'fieldsync_pull_rows_total', { kind: 'changed' }) ?? 0;
    const pulls = (text: string) => sample(text, 'fieldsync_pulls_total', { outcome: 'has_more' }) ?? 0;
    expect(rows(after) - rows(before)).toBe(sent);
    expect(pulls(after) - pulls(before)).toBe(1);
  });

  test('a request is timed under its route pattern, never its raw path', async () => {
    const fixture = await createJobFixture(server, office);
    const response = await server.call('GET', `/api/jobs/${fixture.jobId}/recommendations`, { token: office.token });
    expect(response.status).toBe(200);
    const missing = await server.call('GET', `/api/no-such-thing/${fixture.jobId}`, { token: office.token });
    expect(missing.status).toBe(404);

    const text = await scrape();
    const labels = { method: 'GET', route: '/api/jobs/:id/recommendations', status: '200' };
    expect(sample(text, 'fieldsync_http_request_duration_seconds_count', labels)).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'fieldsync_http_request_duration_seconds_count', { route: UNMATCHED_ROUTE, status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(fixture.jobId);
  });

  test('open event streams are counted while they are open', async () => {
    const instance = await listen(server.deps);
    try {
      const session = await server.login('contractor1@example.com');
      const controller = new AbortController();
      const stream = await fetch(`${instance.url}/api/sync/events`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      const open = async () => sample(await scrape(), 'fieldsync_sse_connections');
      await vi.waitFor(async () => expect(await open()).toBe(1));
      controller.abort();
      await stream.body?.cancel().catch(() => {});
      await vi.waitFor(async () => expect(await open()).toBe(0), { timeout: 5000 });
    } finally {
      await instance.close();
    }
  });

  test('the alert queue depth reflects pending rows; a sent one is timed from raised to sent', async () => {
    const receiver = await startReceiver();
    try {
      const { orgId } = server.orgA;
      await clearAlerts(server.database.db);
      expect(sample(await scrape(), 'fieldsync_alert_queue_depth')).toBe(0);

      const hook = `${receiver.url}/hook`;
      const ruleId = await insertRule(server.database.db, orgId, {
        channels: ['webhook'],
        webhookUrl: hook,
        webhookSecret: 'metrics-test-webhook-secret',
      });
      const raisedAt = new Date(server.clock.now().getTime() - 90_000);
      for (let i = 0; i < 3; i++) {
        await insertDelivery(server.database.db, orgId, {
          ruleId,
          channel: 'webhook',
          recipient: hook,
          dueAt: raisedAt,
        });
      }
      expect(sample(await scrape(), 'fieldsync_alert_queue_depth')).toBe(3);

      const round = await server.deps.alerts.worker.runOnce();
      expect(round.sent).toBe(3);
      const text = await scrape();
      expect(sample(text, 'fieldsync_alert_queue_depth')).toBe(0);
      expect(sample(text, 'fieldsync_alert_delivery_latency_seconds_count', { channel: 'webhook' })).toBe(3);
      // Raised 90 s before the test clock's now, sent at now.
      expect(sample(text, 'fieldsync_alert_delivery_latency_seconds_sum', { channel: 'webhook' })).toBeCloseTo(270);
      expect(sample(text, 'fieldsync_alert_delivery_latency_seconds_bucket', { channel: 'webhook', le: '60' })).toBe(0);
      expect(sample(text, 'fieldsync_alert_delivery_latency_seconds_bucket', { channel: 'webhook', le: '300' })).toBe(
        3,
      );
    } finally {
      await receiver.close();
    }
  });

  test('database connections are read from pg_stat_activity on Postgres, absent on PGlite', async () => {
    const connections = sample(await scrape(), 'fieldsync_database_connections');
    if (kind === 'postgres') expect(connections).toBeGreaterThanOrEqual(1);
    else expect(connections).toBeUndefined();
  });

  test('the token never reaches the logs', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = createApp({ ...server.deps, logger }, { metricsToken: METRICS_TOKEN });
    const headers = { authorization: `Bearer ${METRICS_TOKEN}` };
    expect((await app.request('/metrics', { headers })).status).toBe(200);
    expect(
      (await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}-wrong` } })).status,
    ).toBe(401);
    // An API call with the metrics token as its bearer is refused and logged, without the token.
    expect((await app.request('/api/sync/clients', { headers })).status).toBe(401);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(METRICS_TOKEN);
  });
});
