/**
 * Scheduling and scoring: free slots from working hours and live
 * assignments, in the organization's time zone, and the weighted ranking of
 * contractors for a job. Pure: no IO, no clock (pass `now`).
 */
export {
  type EarliestFreeSlot,
  type EarliestFreeSlotInput,
  type EarliestFreeSlotMs,
  earliestFreeSlot,
  earliestFreeSlotMs,
  firstSearchedDayOffset,
} from './earliest-free-slot';
export { type ExplanationFacts, explainRecommendation } from './explanation';
export {
  type FreeSlotsInput,
  formatInterval,
  freeSlots,
  freeSlotsMs,
  type MsInterval,
  parseInterval,
  type TimeInterval,
  type WorkingHoursWindow,
} from './free-slots';
export { EARTH_RADIUS_MILES, haversineMiles, type LatLng } from './haversine';
export {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  type LocalDate,
  type LocalDateTime,
  type LocalTime,
  localDateTimeToUtc,
  localDateTimeToUtcMs,
  minutesOfLocalTime,
  parseInstant,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from './local-time';
export {
  type ContractorBusyInterval,
  type ContractorCalendars,
  type ContractorWorkingHours,
  MULTI_TRADE,
  type RankableContractor,
  type RankableJob,
  type RankContractorsInput,
  type RankContractorsOnDemandInput,
  rankContractors,
  rankContractorsOnDemand,
} from './rank-contractors';
export {
  EXCLUSION_CODES,
  type ExcludedContractor,
  type ExclusionCode,
  excludedContractorSchema,
  exclusionCodeSchema,
  type Recommendation,
  type RecommendationResult,
  recommendationResultSchema,
  recommendationSchema,
  type Slot,
  slotSchema,
} from './recommendation';
export {
  availabilityScore,
  type ComponentScores,
  distanceScore,
  ratingScore,
  roundScore,
  totalScore,
  UNKNOWN_DISTANCE_SCORE,
} from './scores';
export {
  DEFAULT_SCORING_SETTINGS,
  type ScoringSettings,
  scoringSettingsOf,
  scoringSettingsSchema,
} from './scoring-settings';
export { matchSkills, type SkillMatch, skillKey } from './skills';
