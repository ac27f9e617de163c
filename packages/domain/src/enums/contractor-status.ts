import { z } from 'zod';

/** Only `active` contractors are recommended for new work. */
export const CONTRACTOR_STATUSES = ['active', 'inactive', 'on_leave'] as const;
export type ContractorStatus = (typeof CONTRACTOR_STATUSES)[number];
export const contractorStatusSchema = z.enum(CONTRACTOR_STATUSES);
