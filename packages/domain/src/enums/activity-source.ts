import { z } from 'zod';

/** Where a change recorded in the activity log came from. */
export const ACTIVITY_SOURCES = ['mobile_app', 'dispatcher_web', 'api', 'system'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];
export const activitySourceSchema = z.enum(ACTIVITY_SOURCES);
