import fc from 'fast-check';
import { expect, test } from 'vitest';
import { EARTH_RADIUS_MILES } from './haversine';
import {
  type ContractorBusyInterval,
  type ContractorWorkingHours,
  type RankableContractor,
  type RankContractorsInput,
  rankContractors,
  rankContractorsOnDemand,
} from './rank-contractors';
import { recommendationResultSchema } from './recommendation';
import { DEFAULT_SCORING_SETTINGS } from './scoring-settings';

const NY = 'America/New_York';
// Along a meridian haversine distance is exactly R × Δφ, which keeps the
// hand arithmetic below honest: 0.1° of latitude = 6.909759 mi.
const MILES_PER_DEGREE = (EARTH_RADIUS_MILES * Math.PI) / 180;
const JOB_LAT = 40.7128;
const JOB_LNG = -74.006;

// Tue 24 Nov 2026, two hours of tile work in New York.
const job = { id: 'job-1', trade: 'tile', desiredDate: '2026-11-24', durationMinutes: 120, lat: JOB_LAT, lng: JOB_LNG };

function contractor(id: string, over: Partial<RankableContractor> & { north?: number } = {}): RankableContractor {
  const { north = 0.1, ...rest } = over;
  return {
    id,
    name: id,
    trade: 'tile',
    status: 'active',
    rating: 4,
    baseLat: JOB_LAT + north,
    baseLng: JOB_LNG,
    ...rest,
  };
}

const weekdaysFor = (contractorId: string): ContractorWorkingHours[] =>
  [1, 2, 3, 4, 5].map((dayOfWeek) => ({ contractorId, dayOfWeek, startTime: '08:00', endTime: '16:00' }));

function input(contractors: RankableContractor[], over: Partial<RankContractorsInput> = {}): RankContractorsInput {
  return {
    job,
    contractors,
    workingHours: contractors.flatMap((c) => (c.id === 'hal' ? [] : weekdaysFor(c.id))),
    busy: [],
    settings: DEFAULT_SCORING_SETTINGS,
    timeZone: NY,
    ...over,
  };
}

test('hand-computed ranking with every exclusion reason', () => {
  const contractors = [
    contractor('ben', { name: 'Ben', trade: 'multi', rating: 5, north: 0.3 }),
    contractor('ana', { name: 'Ana', rating: 4.6, north: 0.1 }),
    contractor('cat', { name: 'Cat', status: 'on_leave' }),
    contractor('dan', { name: 'Dan', trade: 'flooring' }),
    contractor('eve', { name: 'Eve', north: 0.9 }),
    contractor('fay', { name: 'Fay', status: 'inactive' }),
    contractor('gus', { name: 'Gus', baseLat: null, baseLng: null }),
    contractor('hal', { name: 'Hal' }),
  ];
  // Ben is booked all of Tue 24 and Wed 25 Nov (local), so he is free Thu 26 at 08:00.
  const busy = [{ contractorId: 'ben', start: '2026-11-24T05:00:00Z', end: '2026-11-26T05:00:00Z' }];
  const result = rankContractors(input(contractors, { busy }));

  // Ana: 0.1° = 6.909759 mi; availability 1 (day 0), rating 4.6 / 5 = 0.92,
  // distance 1 − 6.909759 / 50 = 0.861805
  // total 0.40 × 1 + 0.35 × 0.92 + 0.25 × 0.861805 = 0.4 + 0.322 + 0.215451 = 0.937451
  const anaMiles = 0.1 * MILES_PER_DEGREE;
  const anaTotal = 0.4 * 1 + 0.35 * (4.6 / 5) + 0.25 * (1 - anaMiles / 50);
  expect(anaTotal).toBeCloseTo(0.937451, 6);
  // Ben: 0.3° = 20.729276 mi; availability 1 − 0.1 × 2 = 0.8, rating 1,
  // distance 1 − 20.729276 / 50 = 0.585414
  // total 0.40 × 0.8 + 0.35 × 1 + 0.25 × 0.585414 = 0.32 + 0.35 + 0.146354 = 0.816354
  const benMiles = 0.3 * MILES_PER_DEGREE;

  expect(result.jobId).toBe('job-1');
  expect(result.recommendations).toEqual([
    {
      contractorId: 'ana',
      name: 'Ana',
      score: 0.9375,
      breakdown: {
        availability: 1,
        rating: 0.92,
        distance: 0.8618,
        weights: { availability: 0.4, rating: 0.35, distance: 0.25 },
      },
      explanation: '4.6★, 6.9 mi away, free at 08:00 on the desired day',
      distanceMiles: Math.round(anaMiles * 100) / 100, // 6.91
      slots: [
        { start: '2026-11-24T13:00:00.000Z', end: '2026-11-24T15:00:00.000Z' },
        { start: '2026-11-24T13:30:00.000Z', end: '2026-11-24T15:30:00.000Z' },
        { start: '2026-11-24T14:00:00.000Z', end: '2026-11-24T16:00:00.000Z' },
      ],
    },
    {
      contractorId: 'ben',
      name: 'Ben',
      score: 0.8164,
      breakdown: {
        availability: 0.8,
        rating: 1,
        distance: 0.5854,
        weights: { availability: 0.4, rating: 0.35, distance: 0.25 },
      },
      explanation: '5.0★, 20.7 mi away, free at 08:00 on Thu 26 Nov (2 days late)',
      distanceMiles: Math.round(benMiles * 100) / 100, // 20.73
      slots: [
        { start: '2026-11-26T13:00:00.000Z', end: '2026-11-26T15:00:00.000Z' },
        { start: '2026-11-26T13:30:00.000Z', end: '2026-11-26T15:30:00.000Z' },
        { start: '2026-11-26T14:00:00.000Z', end: '2026-11-26T16:00:00.000Z' },
      ],
    },
  ]);
  // 0.9° = 62.19 mi
  expect(result.excluded).toEqual([
    { contractorId: 'cat', name: 'Cat', reason: 'on leave', code: 'on_leave' },
    { contractorId: 'dan', name: 'Dan', reason: 'wrong trade (flooring)', code: 'wrong_trade' },
    { contractorId: 'eve', name: 'Eve', reason: 'too far (62.2 mi, limit 50)', code: 'too_far' },
    { contractorId: 'fay', name: 'Fay', reason: 'inactive', code: 'inactive' },
    { contractorId: 'gus', name: 'Gus', reason: 'no base location', code: 'no_base_location' },
    { contractorId: 'hal', name: 'Hal', reason: 'no free slot within 10 days', code: 'no_free_slot' },
  ]);
  expect(recommendationResultSchema.parse(result)).toEqual(result);
});

test('a contractor lacking a required skill is excluded with the missing skills named', () => {
  const skilled = { ...job, requiredSkills: ['Hardwood refinishing', 'stairs'] };
  const result = rankContractors(
    input(
      [
        contractor('ana', { name: 'Ana', skills: [' hardwood  REFINISHING', 'Stairs', 'tile'] }),
        contractor('ben', { name: 'Ben', skills: ['laminate', 'carpet', 'tile'] }),
        contractor('cat', { name: 'Cat', skills: ['stairs'] }),
        contractor('dan', { name: 'Dan' }),
      ],
      { job: skilled },
    ),
  );
  expect(result.recommendations.map((r) => r.contractorId)).toEqual(['ana']);
  expect(result.recommendations[0]?.explanation).toBe(
    '4.0★, 6.9 mi away, free at 08:00 on the desired day, has Hardwood refinishing, stairs',
  );
  expect(result.excluded).toEqual([
    {
      contractorId: 'ben',
      name: 'Ben',
      code: 'missing_skills',
      reason: 'missing skills (Hardwood refinishing, stairs)',
      missingSkills: ['Hardwood refinishing', 'stairs'],
    },
    {
      contractorId: 'cat',
      name: 'Cat',
      code: 'missing_skills',
      reason: 'missing skills (Hardwood refinishing)',
      missingSkills: ['Hardwood refinishing'],
    },
    {
      contractorId: 'dan',
      name: 'Dan',
      code: 'missing_skills',
      reason: 'missing skills (Hardwood refinishing, stairs)',
      missingSkills: ['Hardwood refinishing', 'stairs'],
    },
  ]);
  expect(recommendationResultSchema.parse(result)).toEqual(result);
});

test('a job without required skills ranks as before and explains nothing about skills', () => {
  const plain = rankContractors(input([contractor('ana', { skills: ['stairs'] })]));
  const empty = rankContractors(
    input([contractor('ana', { skills: ['stairs'] })], { job: { ...job, requiredSkills: [] } }),
  );
  expect(empty).toEqual(plain);
  expect(plain.recommendations[0]?.explanation).not.toContain('has');
});

test('a wrong trade is reported before missing skills', () => {
  const result = rankContractors(
    input([contractor('dan', { trade: 'flooring' })], { job: { ...job, requiredSkills: ['grout repair'] } }),
  );
  expect(result.excluded[0]?.code).toBe('wrong_trade');
});

test('exactly at the cut-off is eligible, with distance score 0', () => {
  const settings = { ...DEFAULT_SCORING_SETTINGS, maxDistanceMiles: 0.5 * MILES_PER_DEGREE + 1e-9 };
  const result = rankContractors(input([contractor('a', { north: 0.5 })], { settings }));
  expect(result.recommendations[0]?.breakdown.distance).toBe(0);
});

test('settings change the weights, the cut-off and the window', () => {
  const settings = {
    weights: { availability: 0.5, rating: 0.5, distance: 0 },
    maxDistanceMiles: 5,
    searchDays: 3,
    slotMinutes: 60,
  };
  const result = rankContractors(
    input([contractor('near', { north: 0.05 }), contractor('far', { north: 0.1 })], { settings }),
  );
  // near: 0.05° = 3.45 mi ≤ 5; total 0.5 × 1 + 0.5 × 0.8 + 0 × 0.309 = 0.9
  expect(result.recommendations.map((r) => [r.contractorId, r.score])).toEqual([['near', 0.9]]);
  expect(result.recommendations[0]?.slots.map((s) => s.start)).toEqual([
    '2026-11-24T13:00:00.000Z',
    '2026-11-24T14:00:00.000Z',
    '2026-11-24T15:00:00.000Z',
  ]);
  expect(result.excluded).toEqual([
    { contractorId: 'far', name: 'far', reason: 'too far (6.9 mi, limit 5)', code: 'too_far' },
  ]);
  // Booked Tue 24 – Thu 26 Nov: Fri 27 is day 3, just inside a 3-day window.
  const busy = [{ contractorId: 'near', start: '2026-11-24T05:00:00Z', end: '2026-11-27T05:00:00Z' }];
  const late = rankContractors(input([contractor('near', { north: 0.05 })], { settings, busy }));
  expect(late.recommendations[0]?.slots[0]?.start).toBe('2026-11-27T13:00:00.000Z');
  // Booked through Friday too: Mon 30 Nov is day 6, out of reach.
  const booked = [{ contractorId: 'near', start: '2026-11-24T05:00:00Z', end: '2026-11-28T05:00:00Z' }];
  const none = rankContractors(input([contractor('near', { north: 0.05 })], { settings, busy: booked }));
  expect(none.excluded).toEqual([
    { contractorId: 'near', name: 'near', reason: 'no free slot within 3 days', code: 'no_free_slot' },
  ]);
});

test('a job without a location: distance unknown, score 0.5, no cut-off, no base needed', () => {
  const noLocation = { ...job, lat: null, lng: null };
  const result = rankContractors(
    input([contractor('far', { north: 5 }), contractor('nobase', { baseLat: null, baseLng: null })], {
      job: noLocation,
    }),
  );
  // total 0.40 × 1 + 0.35 × 0.8 + 0.25 × 0.5 = 0.4 + 0.28 + 0.125 = 0.805 for both; tie → name
  expect(result.recommendations.map((r) => [r.contractorId, r.score, r.distanceMiles, r.breakdown.distance])).toEqual([
    ['far', 0.805, null, 0.5],
    ['nobase', 0.805, null, 0.5],
  ]);
  expect(result.recommendations[0]?.explanation).toBe(
    '4.0★, distance unknown (job has no location), free at 08:00 on the desired day',
  );
  expect(result.excluded).toEqual([]);
});

test('ties: equal totals go to the nearer, then by name, then by id', () => {
  // Distance weight 0, so distance cannot change the total, only break the tie.
  const settings = { ...DEFAULT_SCORING_SETTINGS, weights: { availability: 0.5, rating: 0.5, distance: 0 } };
  const result = rankContractors(
    input(
      [
        contractor('id-3', { name: 'Zoe', north: 0.1 }),
        contractor('id-2', { name: 'Amy', north: 0.2 }),
        contractor('id-1', { name: 'Amy', north: 0.2 }),
        contractor('id-0', { name: 'Bob', north: 0.2 }),
      ],
      { settings },
    ),
  );
  expect(result.recommendations.map((r) => r.contractorId)).toEqual(['id-3', 'id-1', 'id-2', 'id-0']);
});

test('ranks by the unrounded total even when the rounded scores are equal', () => {
  // 0.35 × 0.0001 / 5 = 0.000007: invisible at 4 decimals, but Zed is better.
  const result = rankContractors(
    input([contractor('amy', { name: 'Amy', rating: 4 }), contractor('zed', { name: 'Zed', rating: 4.0001 })]),
  );
  const [first, second] = result.recommendations;
  expect(first?.score).toBe(second?.score);
  expect(result.recommendations.map((r) => r.name)).toEqual(['Zed', 'Amy']);
});

test('limit cuts the recommendations, never the exclusions', () => {
  const all = [contractor('a'), contractor('b'), contractor('c'), contractor('x', { status: 'inactive' })];
  const result = rankContractors(input(all, { limit: 2 }));
  expect(result.recommendations.map((r) => r.contractorId)).toEqual(['a', 'b']);
  expect(result.excluded).toHaveLength(1);
  expect(rankContractors(input(all)).recommendations).toHaveLength(3);
});

test('now: no slot in the past; availability still counts from the desired date', () => {
  // Now Wed 25 Nov 2026 12:10 EST (17:10Z); desired Tue 24: first slot Wed 12:30 (17:30Z), day 1.
  const result = rankContractors(input([contractor('a', { rating: 5, north: 0 })], { now: '2026-11-25T17:10:00Z' }));
  const [rec] = result.recommendations;
  expect(rec?.slots[0]?.start).toBe('2026-11-25T17:30:00.000Z');
  // 0.40 × 0.9 + 0.35 × 1 + 0.25 × 1 = 0.36 + 0.35 + 0.25 = 0.96
  expect(rec?.score).toBe(0.96);
  expect(rec?.explanation).toBe('5.0★, 0.0 mi away, free at 12:30 on Wed 25 Nov (1 day late)');
});

const arbitraryContractor = fc.record({
  id: fc.uuid(),
  name: fc.constantFrom('Ana', 'Ben', 'Cat', 'Dan'),
  trade: fc.constantFrom('tile', 'multi', 'flooring'),
  status: fc.constantFrom('active' as const, 'active' as const, 'on_leave' as const, 'inactive' as const),
  rating: fc.constantFrom(3, 4, 4.5, 5),
  baseLat: fc.constantFrom(JOB_LAT, JOB_LAT + 0.1, JOB_LAT + 0.2, JOB_LAT + 1),
  baseLng: fc.constant(JOB_LNG),
});

test('property: the result does not depend on the order of the input', () => {
  fc.assert(
    fc.property(
      fc
        .uniqueArray(arbitraryContractor, { selector: (c) => c.id, maxLength: 8 })
        .chain((cs) =>
          fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })),
        ),
      ([contractors, shuffled]) => {
        expect(rankContractors(input(shuffled))).toEqual(rankContractors(input(contractors)));
      },
    ),
    { numRuns: 50 },
  );
});

test('property: moving a contractor farther never raises its score; a better rating never lowers it', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 0.7, noNaN: true }),
      fc.double({ min: 0, max: 0.7, noNaN: true }),
      fc.double({ min: 0, max: 5, noNaN: true }),
      fc.double({ min: 0, max: 5, noNaN: true }),
      (north1, north2, rating1, rating2) => {
        const score = (north: number, rating: number) =>
          rankContractors(input([contractor('a', { north, rating })])).recommendations[0]?.score ?? -1;
        const [near, far] = north1 <= north2 ? [north1, north2] : [north2, north1];
        const [low, high] = rating1 <= rating2 ? [rating1, rating2] : [rating2, rating1];
        expect(score(far, rating1)).toBeLessThanOrEqual(score(near, rating1));
        expect(score(north1, low)).toBeLessThanOrEqual(score(north1, high));
      },
    ),
    { numRuns: 50 },
  );
});

/** `rankContractorsOnDemand` on the calendars of `input`, recording what it asked for. */
async function onDemand(full: RankContractorsInput, firstBatch?: number) {
  const asked: string[][] = [];
  const { workingHours, busy, ...rest } = full;
  const result = await rankContractorsOnDemand({
    ...rest,
    firstBatch,
    loadCalendars: async (ids) => {
      asked.push([...ids]);
      const wanted = new Set(ids);
      return {
        workingHours: workingHours.filter((row) => wanted.has(row.contractorId)),
        busy: busy.filter((row) => wanted.has(row.contractorId)),
      };
    },
  });
  return { result, asked };
}

/** Booked all working day (08:00–16:00 New York) this many days after Tue 24 Nov 2026. */
const bookedDay = (contractorId: string, dayOffset: number): ContractorBusyInterval => {
  const day = new Date(Date.UTC(2026, 10, 24 + dayOffset)).toISOString().slice(0, 10);
  return { contractorId, start: `${day}T13:00:00.000Z`, end: `${day}T21:00:00.000Z` };
};

test('on demand: reads only the best ceilings when they are free at once', async () => {
  // Ratings 5.0, 4.9, … so ceilings fall with the index; everyone is free on the desired day.
  const all = Array.from({ length: 30 }, (_, i) =>
    contractor(`c${String(i).padStart(2, '0')}`, { rating: 5 - i / 10 }),
  );
  const full = input(all, { limit: 3 });
  const { result, asked } = await onDemand(full, 5);
  expect(asked).toEqual([['c00', 'c01', 'c02', 'c03', 'c04']]);
  expect(result).toEqual(rankContractors(full));
});

test('on demand: keeps reading while a booked contractor leaves room, and lists who has no slot', async () => {
  // c00 and c01 are booked for the whole window; c02 is booked on the desired day, and a day late
  // (−0.04) weighs more than 0.1 star (−0.007): the top two are c03 and c04.
  const all = Array.from({ length: 8 }, (_, i) => contractor(`c0${i}`, { rating: 5 - i / 10 }));
  const busy = [
    ...Array.from({ length: 14 }, (_, d) => [bookedDay('c00', d), bookedDay('c01', d)]).flat(),
    bookedDay('c02', 0),
  ];
  const full = input(all, { limit: 2, busy });
  const { result, asked } = await onDemand(full, 2);
  expect(asked).toEqual([
    ['c00', 'c01'],
    ['c02', 'c03', 'c04', 'c05'],
  ]);
  expect(result.recommendations.map((r) => r.contractorId)).toEqual(['c03', 'c04']);
  expect(result.excluded.map((row) => [row.contractorId, row.code])).toEqual([
    ['c00', 'no_free_slot'],
    ['c01', 'no_free_slot'],
  ]);
  expect(result.recommendations).toEqual(rankContractors(full).recommendations);
});

test('on demand: a ceiling equal to the last place is still read, and the tie goes by name', async () => {
  const full = input([contractor('id-1', { name: 'Zoe' }), contractor('id-2', { name: 'Amy' })], { limit: 1 });
  const { result, asked } = await onDemand(full, 1);
  expect(asked).toHaveLength(2);
  expect(result.recommendations.map((r) => r.name)).toEqual(['Amy']);
});

test('on demand: limit 0 reads no calendar', async () => {
  const { result, asked } = await onDemand(input([contractor('a')], { limit: 0 }));
  expect(asked).toEqual([]);
  expect(result.recommendations).toEqual([]);
});

test('property: on demand gives the same recommendations, and the same exclusions but unread calendars', async () => {
  const arbitraryCase = fc.record({
    contractors: fc.uniqueArray(arbitraryContractor, { selector: (c) => c.id, maxLength: 14 }),
    // Per contractor: the days (0 … 13 after the desired date) booked all day.
    bookedDays: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 13 }), { maxLength: 14 }), {
      minLength: 14,
      maxLength: 14,
    }),
    limit: fc.integer({ min: 0, max: 6 }),
    firstBatch: fc.integer({ min: 1, max: 4 }),
    now: fc.constantFrom(undefined, '2026-11-25T17:10:00Z', '2026-11-27T12:00:00Z'),
  });
  await fc.assert(
    fc.asyncProperty(arbitraryCase, async ({ contractors, bookedDays, limit, firstBatch, now }) => {
      const busy = contractors.flatMap((c, i) => (bookedDays[i] ?? []).map((d) => bookedDay(c.id, d)));
      const full = input(contractors, { busy, limit, now });
      const eager = rankContractors(full);
      const { result, asked } = await onDemand(full, firstBatch);
      expect(result.recommendations).toEqual(eager.recommendations);
      const read = new Set(asked.flat());
      expect(result.excluded).toEqual(
        eager.excluded.filter((row) => row.code !== 'no_free_slot' || read.has(row.contractorId)),
      );
    }),
    { numRuns: 200 },
  );
});
