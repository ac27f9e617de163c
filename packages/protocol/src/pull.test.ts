import { expect, test } from 'vitest';
import { DEFAULT_PULL_LIMIT, pullQuerySchema, pullResponseSchema } from './pull';

const clientId = '0193a1b2-0000-7000-8000-00000000c1e1';
const sync = {
  version: 12,
  createdAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T09:03:00.000Z',
  deletedAt: null,
};
const job = {
  ...sync,
  id: '0193a1b2-0000-7000-8000-000000000001',
  jobNumber: 'JOB-20261121-AB12CD',
  title: 'Lay oak floor',
  description: 'Living room',
  customerId: '0193a1b2-0000-7000-8000-000000000002',
  trade: 'flooring',
  priority: 'medium',
  status: 'in_progress',
  desiredDate: '2026-11-21',
  durationMinutes: 480,
  address: '1 Main St',
  lat: null,
  lng: null,
  specialRequirements: [],
  requiredSkills: ['hardwood refinishing'],
  requiresSignature: false,
  parentJobId: null,
  agreedCostCents: 1250000,
  actualCostCents: null,
  costDifferenceReason: null,
  createdBy: '0193a1b2-0000-7000-8000-000000000003',
};
const customer = {
  ...sync,
  id: '0193a1b2-0000-7000-8000-000000000002',
  name: 'Ada',
  phone: '555-0100',
  email: null,
  address: '1 Main St',
  lat: null,
  lng: null,
  notes: null,
  archived: false,
};

// docs/sync-protocol.md's example with the "…" placeholders filled in.
const example = {
  cursor: 'v12',
  hasMore: false,
  lastSeq: 9,
  serverTime: '2026-11-21T09:05:00.000Z',
  changes: { jobs: [job], customers: [customer] },
  removed: { jobs: ['0193a1b2-0000-7000-8000-0000000000ff'] },
};

test('accepts the docs/sync-protocol.md pull response', () => {
  expect(pullResponseSchema.parse(example)).toEqual(example);
  expect(pullResponseSchema.parse({ ...example, changes: {}, removed: {} }).changes).toEqual({});
});

test('rejects a bad row and a bad removed id', () => {
  expect(pullResponseSchema.safeParse({ ...example, changes: { jobs: [{ ...job, status: 'done' }] } }).success).toBe(
    false,
  );
  expect(pullResponseSchema.safeParse({ ...example, removed: { jobs: ['nope'] } }).success).toBe(false);
  expect(pullResponseSchema.safeParse({ ...example, serverTime: 'now' }).success).toBe(false);
});

test('a table this build does not know is dropped, not an error', () => {
  const parsed = pullResponseSchema.parse({ ...example, changes: { ...example.changes, invoices: [{ id: 1 }] } });
  expect(Object.keys(parsed.changes).sort()).toEqual(['customers', 'jobs']);
});

test('query: limit is coerced from the query string, with a default and bounds', () => {
  expect(pullQuerySchema.parse({ clientId })).toEqual({ clientId, limit: DEFAULT_PULL_LIMIT });
  expect(pullQuerySchema.parse({ clientId, cursor: 'v12', limit: '250' })).toEqual({
    clientId,
    cursor: 'v12',
    limit: 250,
  });
  expect(pullQuerySchema.safeParse({ clientId, limit: '0' }).success).toBe(false);
  expect(pullQuerySchema.safeParse({ clientId, limit: '5001' }).success).toBe(false);
  expect(pullQuerySchema.safeParse({ clientId, limit: '1.5' }).success).toBe(false);
  expect(pullQuerySchema.safeParse({ clientId: 'x' }).success).toBe(false);
});
