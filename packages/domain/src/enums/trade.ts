import { z } from 'zod';

/** The kind of work a job needs and a contractor does; `multi` matches every trade. */
export const TRADES = ['flooring', 'tile', 'carpet', 'paving', 'general', 'multi'] as const;
export type Trade = (typeof TRADES)[number];
export const tradeSchema = z.enum(TRADES);
