import { DEFAULT_SCORING_SETTINGS, scoringSettingsOf } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { type LocalRankingInput, rankingSettingsOf, rankJobOnDevice } from './local-ranking';

// Denver; one contractor ~7 miles north, one ~35 miles south.
const job = {
  id: 'job-1',
  trade: 'plumbing',
  desiredDate: '2026-11-23',
  durationMinutes: 60,
  lat: 39.7392,
  lng: -104.9903,
};
const near = {
  id: 'c-near',
  name: 'Near',
  trade: 'plumbing',
  status: 'active' as const,
  rating: 3,
  baseLat: 39.84,
  baseLng: -104.99,
};
const far = {
  id: 'c-far',
  name: 'Far',
  trade: 'plumbing',
  status: 'active' as const,
  rating: 5,
  baseLat: 39.24,
  baseLng: -104.99,
};
const weekdays = [1, 2, 3, 4, 5].flatMap((dayOfWeek) =>
  [near, far].map((c) => ({ contractorId: c.id, dayOfWeek, startTime: '08:00', endTime: '17:00' })),
);
const organization = {
  scoringWeights: { availability: 0.1, rating: 0.8, distance: 0.1 },
  maxDistanceMiles: 20,
};

function input(overrides: Partial<LocalRankingInput>): LocalRankingInput {
  return {
    job,
    contractors: [near, far],
    workingHours: weekdays,
    assignments: [],
    settings: DEFAULT_SCORING_SETTINGS,
    timeZone: 'America/Denver',
    today: '2026-11-22',
    now: '2026-11-22T12:00:00Z',
    ...overrides,
  };
}

test("the company's settings are used once its row has synced, the defaults before", () => {
  expect(rankingSettingsOf(undefined)).toEqual(DEFAULT_SCORING_SETTINGS);
  expect(rankingSettingsOf(organization)).toEqual(scoringSettingsOf(organization));
  expect(rankingSettingsOf(organization).weights).toEqual(organization.scoringWeights);
});

test("the company's radius leaves out a contractor the default radius keeps", () => {
  const byDefault = rankJobOnDevice(input({}));
  expect(byDefault.recommendations.map((r) => r.contractorId).sort()).toEqual(['c-far', 'c-near']);

  const withCompany = rankJobOnDevice(input({ settings: rankingSettingsOf(organization) }));
  expect(withCompany.recommendations.map((r) => r.contractorId)).toEqual(['c-near']);
  expect(withCompany.excluded).toEqual([
    expect.objectContaining({ contractorId: 'c-far', reason: expect.stringMatching(/too far .* limit 20/) }),
  ]);
});

test("the company's weights decide the order and are shown in the breakdown", () => {
  const wide = { ...organization, maxDistanceMiles: 100 };
  const ranked = rankJobOnDevice(input({ settings: rankingSettingsOf(wide) }));
  // Rating counts 80 %: the five-star contractor further away wins.
  expect(ranked.recommendations.map((r) => r.contractorId)).toEqual(['c-far', 'c-near']);
  expect(ranked.recommendations[0]?.breakdown.weights).toEqual(wide.scoringWeights);
});

test("a job's own assignments do not make its contractor busy, other live ones do", () => {
  const allDay = (jobId: string, day: string) => ({
    jobId,
    contractorId: 'c-near',
    status: 'confirmed' as const,
    scheduledStart: `${day}T15:00:00Z`,
    scheduledEnd: `${day}T23:59:00Z`,
  });
  const own = rankJobOnDevice(input({ assignments: [allDay('job-1', '2026-11-23')] }));
  expect(own.recommendations.find((r) => r.contractorId === 'c-near')?.slots[0]?.start).toBe(
    '2026-11-23T15:00:00.000Z',
  );

  const other = rankJobOnDevice(input({ assignments: [allDay('job-2', '2026-11-23')] }));
  expect(other.recommendations.find((r) => r.contractorId === 'c-near')?.slots[0]?.start).not.toMatch(/^2026-11-23/);

  const cancelled = rankJobOnDevice(
    input({ assignments: [{ ...allDay('job-2', '2026-11-23'), status: 'cancelled' }] }),
  );
  expect(cancelled.recommendations.find((r) => r.contractorId === 'c-near')?.slots[0]?.start).toBe(
    '2026-11-23T15:00:00.000Z',
  );
});

test('a job without a desired date is ranked from the company today', () => {
  const ranked = rankJobOnDevice(input({ job: { ...job, desiredDate: null }, today: '2026-11-24' }));
  expect(ranked.recommendations[0]?.slots[0]?.start.startsWith('2026-11-24')).toBe(true);
});

test("the job's required skills leave out a contractor lacking one, on the device as on the server", () => {
  const skilled = { ...near, skills: ['Hardwood refinishing'] };
  const unskilled = { ...far, skills: ['laminate', 'carpet', 'tile'] };
  const ranked = rankJobOnDevice(
    input({ job: { ...job, requiredSkills: ['hardwood refinishing'] }, contractors: [skilled, unskilled] }),
  );
  expect(ranked.recommendations.map((r) => r.contractorId)).toEqual(['c-near']);
  expect(ranked.recommendations[0]?.explanation).toMatch(/has hardwood refinishing$/);
  expect(ranked.excluded).toEqual([
    expect.objectContaining({ contractorId: 'c-far', code: 'missing_skills', missingSkills: ['hardwood refinishing'] }),
  ]);
  // A job row pulled before jobs had required skills ranks everyone.
  const older = rankJobOnDevice(input({ contractors: [skilled, unskilled] }));
  expect(older.recommendations).toHaveLength(2);
});
