import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS } from '@fieldsync/protocol';
import { expect, test } from 'vitest';
import type { OutboxEntry } from './database';
import { fittingInOnePush, PUSH_BATCH_SIZE } from './sync-engine';

function note(seq: number, bodyLength: number): OutboxEntry {
  return {
    seq,
    name: 'note.add',
    args: { id: `note-${seq}`, jobId: 'job-1', body: 'x'.repeat(bodyLength) },
    occurredAt: '2026-11-30T09:00:00.000Z',
    attempts: 0,
    lastError: null,
  };
}

/** The push body as `pushOutbox` sends it. */
function bodyBytes(entries: readonly OutboxEntry[]): number {
  const mutations = entries.map(({ seq, name, occurredAt, args }) => ({ seq, name, occurredAt, args }));
  return new TextEncoder().encode(JSON.stringify({ clientId: 'c', mutations })).length;
}

test('a week of small changes goes out in batches as large as the server takes', () => {
  expect(PUSH_BATCH_SIZE).toBe(MAX_PUSH_MUTATIONS);
  const entries = Array.from({ length: MAX_PUSH_MUTATIONS }, (_, index) => note(index + 1, 40));
  expect(fittingInOnePush(entries)).toHaveLength(MAX_PUSH_MUTATIONS);
});

test('long notes are cut into batches under the server body limit, in seq order', () => {
  const entries = Array.from({ length: 100 }, (_, index) => note(index + 1, 20_000));
  const batch = fittingInOnePush(entries);
  expect(batch.length).toBeGreaterThan(1);
  expect(batch.length).toBeLessThan(entries.length);
  expect(batch.map((entry) => entry.seq)).toEqual(entries.slice(0, batch.length).map((entry) => entry.seq));
  expect(bodyBytes(batch)).toBeLessThan(MAX_PUSH_BYTES);
  // One more entry would not have fitted in the budget it packs to.
  expect(bodyBytes(entries.slice(0, batch.length + 1))).toBeGreaterThan(MAX_PUSH_BYTES * 0.75);
});

test('one entry larger than the budget still goes alone (the server answers for it)', () => {
  const entries = [note(1, MAX_PUSH_BYTES), note(2, 10)];
  expect(fittingInOnePush(entries).map((entry) => entry.seq)).toEqual([1]);
});
