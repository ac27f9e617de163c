import { expect, test } from 'vitest';
import { MAX_PUSH_MUTATIONS, pushRequestSchema, pushResponseSchema } from './push';

const clientId = '0193a1b2-0000-7000-8000-00000000c1e1';
const jobId = '0193a1b2-0000-7000-8000-000000000001';
const conflictId = '0193a1b2-0000-7000-8000-00000000cf01';

// docs/sync-protocol.md's examples with the "…" placeholders filled in.
const exampleRequest = {
  clientId,
  mutations: [
    {
      seq: 7,
      name: 'job.setStatus',
      occurredAt: '2026-11-21T09:03:00Z',
      args: { jobId, from: 'scheduled', to: 'in_progress' },
    },
  ],
};

const exampleResponse = {
  lastSeq: 9,
  results: [
    { seq: 7, outcome: 'applied' },
    { seq: 8, outcome: 'conflict', conflictId },
    {
      seq: 9,
      outcome: 'rejected',
      error: { code: 'invalid_transition', message: 'A cancelled job cannot be completed' },
    },
  ],
};

test('accepts the docs/sync-protocol.md push request and response', () => {
  expect(pushRequestSchema.parse(exampleRequest)).toEqual(exampleRequest);
  expect(pushResponseSchema.parse(exampleResponse)).toEqual(exampleResponse);
  expect(pushResponseSchema.parse({ ...exampleResponse, expectedSeq: 10 }).expectedSeq).toBe(10);
});

test('an empty push is fine (it asks for lastSeq)', () => {
  expect(pushRequestSchema.safeParse({ clientId, mutations: [] }).success).toBe(true);
});

test('rejects unknown envelope fields, at the top and on a mutation', () => {
  expect(pushRequestSchema.safeParse({ ...exampleRequest, extra: 1 }).success).toBe(false);
  const mutation = { ...exampleRequest.mutations[0], userId: 'x' };
  expect(pushRequestSchema.safeParse({ clientId, mutations: [mutation] }).success).toBe(false);
});

test('rejects more than 500 mutations', () => {
  const mutation = exampleRequest.mutations[0];
  const many = (count: number) => Array.from({ length: count }, (_, i) => ({ ...mutation, seq: i + 1 }));
  expect(pushRequestSchema.safeParse({ clientId, mutations: many(MAX_PUSH_MUTATIONS) }).success).toBe(true);
  expect(pushRequestSchema.safeParse({ clientId, mutations: many(MAX_PUSH_MUTATIONS + 1) }).success).toBe(false);
});

test('rejects wrong envelope types', () => {
  const mutation = exampleRequest.mutations[0];
  for (const bad of [
    { clientId: 'not-a-uuid', mutations: [] },
    { clientId, mutations: [{ ...mutation, seq: 0 }] },
    { clientId, mutations: [{ ...mutation, seq: 1.5 }] },
    { clientId, mutations: [{ ...mutation, occurredAt: 'yesterday' }] },
    { clientId, mutations: [{ ...mutation, name: '' }] },
    { clientId },
  ]) {
    expect(pushRequestSchema.safeParse(bad).success).toBe(false);
  }
});

test('bad args do not fail the envelope: they are checked per mutation', () => {
  const mutation = { ...exampleRequest.mutations[0], args: { nonsense: true } };
  expect(pushRequestSchema.safeParse({ clientId, mutations: [mutation] }).success).toBe(true);
});

test('a response may carry fields this build does not know', () => {
  expect(pushResponseSchema.safeParse({ ...exampleResponse, serverTime: '2026-11-21T09:03:00Z' }).success).toBe(true);
  expect(pushResponseSchema.safeParse({ ...exampleResponse, results: [{ seq: 7, outcome: 'maybe' }] }).success).toBe(
    false,
  );
});
