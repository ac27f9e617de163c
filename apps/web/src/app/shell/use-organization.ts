import { defaultTimeFormat, type Organization, type TimeFormat } from '@fieldsync/domain';
import { useMemo } from 'react';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import type { CompanyClock } from './format';

/** The signed-in person's company and the clock its screens read. */
export type OrganizationView = CompanyClock & {
  /** The company row; undefined until it has synced to this device. */
  organization: Organization | undefined;
  timeZone: string;
  timeFormat: TimeFormat;
};

// Only before any session exists (nothing shows a time then); a signed-in session always names its zone.
const NO_SESSION_TIME_ZONE = 'UTC';

/**
 * The user's organisation, live from the local copy (the one row pull sends),
 * and its clock. Until that row has synced, the zone is the session's and the
 * format the zone's usual one, so times show right from the first screen.
 *
 * The result is itself a {@link CompanyClock}: pass it straight to
 * `formatTime(instant, clock)`. It keeps its identity while nothing changes,
 * so it is safe in dependency lists.
 */
export function useOrganization(): OrganizationView {
  const { db } = useFieldsync();
  const organization = useLiveQuery(() => db.organizations.toCollection().first(), [db]);
  const sessionZone = useSyncState().session?.user.timeZone;
  return useMemo(() => {
    const timeZone = organization?.timeZone ?? (sessionZone || NO_SESSION_TIME_ZONE);
    const timeFormat = organization?.timeFormat ?? defaultTimeFormat(timeZone);
    return { organization, timeZone, timeFormat };
  }, [organization, sessionZone]);
}
