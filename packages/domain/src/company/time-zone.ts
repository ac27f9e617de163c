import { z } from 'zod';

/**
 * Whether `timeZone` is an IANA zone this runtime knows (`Europe/Berlin`,
 * `UTC`). Asked of `Intl`, so the server and the app agree on the same list
 * their runtimes ship.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, { message: 'must be an IANA time zone such as America/Denver or Europe/Berlin' });

export const TIME_FORMATS = ['12h', '24h'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];
export const timeFormatSchema = z.enum(TIME_FORMATS);

/**
 * Zones whose people read the clock in 12 hours (the United States and
 * Canada, Mexico, Australia, New Zealand, India, Pakistan, the Philippines,
 * Egypt, Saudi Arabia …). Every other zone defaults to 24 hours.
 */
const TWELVE_HOUR_ZONES =
  /^(America\/(New_York|Chicago|Denver|Phoenix|Los_Angeles|Anchorage|Boise|Detroit|Indiana\/.*|Kentucky\/.*|North_Dakota\/.*|Menominee|Juneau|Sitka|Yakutat|Nome|Adak|Metlakatla|Toronto|Vancouver|Edmonton|Winnipeg|Regina|Halifax|St_Johns|Moncton|Glace_Bay|Goose_Bay|Whitehorse|Dawson|Dawson_Creek|Fort_Nelson|Creston|Iqaluit|Rankin_Inlet|Resolute|Cambridge_Bay|Inuvik|Swift_Current|Atikokan|Blanc-Sablon|Mexico_City|Monterrey|Merida|Cancun|Chihuahua|Hermosillo|Mazatlan|Tijuana|Matamoros|Ojinaga|Bahia_Banderas|Puerto_Rico|El_Salvador|Tegucigalpa)|US\/.*|Canada\/.*|Australia\/.*|Pacific\/(Honolulu|Auckland|Chatham|Guam|Saipan)|Asia\/(Kolkata|Calcutta|Karachi|Manila|Dhaka|Riyadh)|Africa\/Cairo)$/;

/** The clock a company in `timeZone` most likely reads: 12 hours or 24. Changeable in the company settings. */
export function defaultTimeFormat(timeZone: string): TimeFormat {
  return TWELVE_HOUR_ZONES.test(timeZone) ? '12h' : '24h';
}
