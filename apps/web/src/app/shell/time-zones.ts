/**
 * The IANA time zones this browser knows, for the time zone picker. The
 * server checks a zone with the same `Intl` data (`isKnownTimeZone`), so a
 * zone from this list is one it accepts.
 */

let known: readonly string[] | undefined;

/** Every zone `Intl` lists, plus `UTC` (engines list only `Etc/*` aliases for it, or nothing). */
export function listTimeZones(): readonly string[] {
  if (!known) {
    const supportedValuesOf = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf;
    const zones = supportedValuesOf ? supportedValuesOf.call(Intl, 'timeZone') : [];
    known = zones.includes('UTC') ? zones : [...zones, 'UTC'];
  }
  return known;
}

/** The zone this device is set to, or `UTC` when the browser does not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const normalise = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_');

/**
 * The zone a person means by what they typed: the zone itself in any case,
 * with spaces for underscores (`america/new york`), or a city that names
 * exactly one zone (`berlin` → `Europe/Berlin`). Null when it is none or
 * several of them.
 */
export function resolveTimeZone(text: string, zones: readonly string[]): string | null {
  const wanted = normalise(text);
  if (!wanted) return null;
  const exact = zones.find((zone) => normalise(zone) === wanted);
  if (exact) return exact;
  const byCity = zones.filter((zone) => normalise(zone.split('/').pop() ?? '') === wanted);
  return byCity.length === 1 ? (byCity[0] ?? null) : null;
}

/** `Europe/Berlin` → `Berlin (GMT+1)`: what the list shows next to each zone. */
export function timeZoneLabel(zone: string, at: Date): string {
  const city = (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
  try {
    const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    return offset ? `${city} (${offset})` : city;
  } catch {
    return city;
  }
}
