import fc from 'fast-check';
import { expect, test } from 'vitest';
import { deepEqualJson } from './deep-equal-json';
import { mergeFieldUpdate } from './merge-field-update';

const EARLY = '2026-11-21T09:00:00.000Z';
const LATE = '2026-11-21T10:00:00.000Z';

test('a field the server has not changed takes the new value', () => {
  const result = mergeFieldUpdate({
    current: { title: 'Tile bathroom', priority: 'low' },
    patch: { title: 'Tile kitchen' },
    base: { title: 'Tile bathroom' },
    incomingAt: EARLY,
    currentChangedAt: LATE,
  });
  expect(result).toEqual({ apply: { title: 'Tile kitchen' }, conflicts: [] });
});

test('the same edit on both sides is no conflict', () => {
  const result = mergeFieldUpdate({
    current: { title: 'B' },
    patch: { title: 'B' },
    base: { title: 'A' },
    incomingAt: EARLY,
    currentChangedAt: LATE,
  });
  expect(result).toEqual({ apply: {}, conflicts: [] });
});

test('concurrent edits: the later one wins and the loser is kept', () => {
  const input = { current: { title: 'Server' }, patch: { title: 'Phone' }, base: { title: 'Old' } };
  expect(mergeFieldUpdate({ ...input, incomingAt: LATE, currentChangedAt: EARLY })).toEqual({
    apply: { title: 'Phone' },
    conflicts: [{ field: 'title', winnerValue: 'Phone', loserValue: 'Server', incomingWon: true }],
  });
  expect(mergeFieldUpdate({ ...input, incomingAt: EARLY, currentChangedAt: LATE })).toEqual({
    apply: {},
    conflicts: [{ field: 'title', winnerValue: 'Server', loserValue: 'Phone', incomingWon: false }],
  });
});

test('a tie goes to the server', () => {
  const result = mergeFieldUpdate({
    current: { title: 'Server' },
    patch: { title: 'Phone' },
    base: { title: 'Old' },
    incomingAt: '2026-11-21T09:00:00Z',
    currentChangedAt: '2026-11-21T09:00:00.000Z',
  });
  expect(result.apply).toEqual({});
  expect(result.conflicts[0]?.incomingWon).toBe(false);
});

test('a field called __proto__ is data, not a prototype', () => {
  const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
  const result = mergeFieldUpdate({ current: {}, patch, base: {}, incomingAt: EARLY, currentChangedAt: LATE });
  expect(Object.hasOwn(result.apply, '__proto__')).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

// Generators: a small field vocabulary so current/patch/base overlap often.
const field = fc.constantFrom('title', 'priority', 'lat', 'notes', 'specialRequirements', 'durationMinutes');
const value = fc.oneof(fc.constantFrom<unknown>('a', 'b', 1, 2, null, true), fc.jsonValue({ maxDepth: 2 }));
const record = fc.dictionary(field, value, { maxKeys: 6 });
const time = fc.integer({ min: 0, max: 4 }).map((n) => new Date(Date.UTC(2026, 10, 21, 9, n)).toISOString());
const input = fc.record({ current: record, patch: record, base: record, incomingAt: time, currentChangedAt: time });

function applyTo(current: Record<string, unknown>, apply: Record<string, unknown>): Record<string, unknown> {
  return { ...current, ...apply };
}

function shuffleKeys(record: Record<string, unknown>, seed: number): Record<string, unknown> {
  const entries = Object.entries(record);
  const shuffled = entries
    .map((entry, index) => ({ entry, key: (index * 7919 + seed) % 101 }))
    .sort((a, b) => a.key - b.key)
    .map(({ entry }) => entry);
  return Object.fromEntries(shuffled);
}

test('property: fields outside the patch are never touched', () => {
  fc.assert(
    fc.property(input, (args) => {
      const { apply, conflicts } = mergeFieldUpdate(args);
      for (const key of Object.keys(apply)) expect(Object.hasOwn(args.patch, key)).toBe(true);
      for (const conflict of conflicts) expect(Object.hasOwn(args.patch, conflict.field)).toBe(true);
      const merged = applyTo(args.current, apply);
      for (const key of Object.keys(args.current)) {
        if (!Object.hasOwn(args.patch, key)) expect(merged[key]).toBe(args.current[key]);
      }
    }),
  );
});

test('property: when base equals current the whole patch applies with no conflicts', () => {
  fc.assert(
    fc.property(record, record, time, time, (current, patch, incomingAt, currentChangedAt) => {
      const result = mergeFieldUpdate({ current, patch, base: current, incomingAt, currentChangedAt });
      expect(result.conflicts).toEqual([]);
      expect(deepEqualJson(result.apply, patch)).toBe(true);
    }),
  );
});

test('property: the result does not depend on key order', () => {
  fc.assert(
    fc.property(input, fc.nat(), (args, seed) => {
      const reordered = {
        ...args,
        current: shuffleKeys(args.current, seed),
        patch: shuffleKeys(args.patch, seed + 1),
        base: shuffleKeys(args.base, seed + 2),
      };
      expect(mergeFieldUpdate(reordered)).toEqual(mergeFieldUpdate(args));
    }),
  );
});

test('property: each concurrently edited field yields exactly one conflict, with the right sides', () => {
  fc.assert(
    fc.property(input, (args) => {
      const { apply, conflicts } = mergeFieldUpdate(args);
      const concurrent = Object.keys(args.patch).filter(
        (key) =>
          !deepEqualJson(args.current[key], args.base[key]) && !deepEqualJson(args.current[key], args.patch[key]),
      );
      expect(conflicts.map((c) => c.field).sort()).toEqual([...concurrent].sort());
      const incomingWins = Date.parse(args.incomingAt) > Date.parse(args.currentChangedAt);
      for (const conflict of conflicts) {
        expect(conflict.incomingWon).toBe(incomingWins);
        const [winner, loser] = incomingWins
          ? [args.patch[conflict.field], args.current[conflict.field]]
          : [args.current[conflict.field], args.patch[conflict.field]];
        expect(conflict.winnerValue).toEqual(winner);
        expect(conflict.loserValue).toEqual(loser);
        expect(Object.hasOwn(apply, conflict.field)).toBe(incomingWins);
      }
    }),
  );
});

test('property: merging is idempotent — replaying the same update changes nothing more', () => {
  fc.assert(
    fc.property(input, (args) => {
      const once = applyTo(args.current, mergeFieldUpdate(args).apply);
      const twice = applyTo(once, mergeFieldUpdate({ ...args, current: once }).apply);
      expect(deepEqualJson(twice, once)).toBe(true);
    }),
  );
});
