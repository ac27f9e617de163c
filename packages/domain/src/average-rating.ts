/** The mean of 1–5 star ratings, rounded to 2 decimals; null when there are none. */
export function averageRating(stars: readonly number[]): number | null {
  if (stars.length === 0) return null;
  const sum = stars.reduce((total, value) => total + value, 0);
  return Math.round((sum / stars.length) * 100) / 100;
}
