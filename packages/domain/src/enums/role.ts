import { z } from 'zod';

/** Who a user is in the organisation; decides what they may see and do. */
export const ROLES = ['admin', 'dispatcher', 'contractor'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);
