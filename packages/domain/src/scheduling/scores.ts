import type { ScoringSettings } from './scoring-settings';

/** The three component scores, each in 0 … 1. */
export type ComponentScores = { availability: number; rating: number; distance: number };

/**
 * Distance score used when the job has no location: halfway, so an unknown
 * distance neither helps nor sinks a contractor. Recommendations say so in
 * their explanation.
 */
export const UNKNOWN_DISTANCE_SCORE = 0.5;

/**
 * Availability = 1 − 0.1 × days between the desired date and the earliest
 * free slot, floored at 0 (and capped at 1 for a slot before the desired date).
 */
export function availabilityScore(dayOffset: number): number {
  // (10 − d) / 10 is 1 − 0.1 × d without 0.1's binary rounding error.
  return clamp01((10 - dayOffset) / 10);
}

/** Rating = stars / 5, for a rating on the 0 … 5 scale. */
export function ratingScore(rating: number): number {
  return clamp01(rating / 5);
}

/**
 * Distance = 1 − miles / cut-off, floored at 0; `null` miles (job without a
 * location) scores {@link UNKNOWN_DISTANCE_SCORE}.
 */
export function distanceScore(miles: number | null, maxDistanceMiles: number): number {
  if (miles === null) return UNKNOWN_DISTANCE_SCORE;
  if (maxDistanceMiles <= 0) return miles <= 0 ? 1 : 0;
  return clamp01(1 - miles / maxDistanceMiles);
}

/** Σ weight × score. Unrounded: rank by this, round only for display. */
export function totalScore(scores: ComponentScores, weights: ScoringSettings['weights']): number {
  return (
    weights.availability * scores.availability + weights.rating * scores.rating + weights.distance * scores.distance
  );
}

/** Rounds to 4 decimals, the precision scores are stored and shown with. */
export function roundScore(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
