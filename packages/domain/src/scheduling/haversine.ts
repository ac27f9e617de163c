/** Mean earth radius in miles, as used by every distance in Fieldsync. */
export const EARTH_RADIUS_MILES = 3959;

/** A point on the earth in decimal degrees. */
export type LatLng = { lat: number; lng: number };

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in miles between two points (haversine formula, radius 3959 mi). */
export function haversineMiles(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  // min() guards against h creeping past 1 by rounding for antipodal points.
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}
