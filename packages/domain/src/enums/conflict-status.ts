import { z } from 'zod';

/** A conflict stays `open` until a dispatcher keeps one side. */
export const CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];
export const conflictStatusSchema = z.enum(CONFLICT_STATUSES);

/** Which side of a conflict the dispatcher kept (`conflict.resolve { keep }`). */
export const CONFLICT_RESOLUTIONS = ['winner', 'loser'] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];
export const conflictResolutionSchema = z.enum(CONFLICT_RESOLUTIONS);
