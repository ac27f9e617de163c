/**
 * The demo company's money: a price list, estimates in every status (a few
 * sent ones about to expire), and agreed and actual costs on completed jobs,
 * so the estimate screens, job costing and reports have something to show.
 *
 * Drawn from its own PRNG so the jobs seeded before it stay the same.
 */
import { randomUUID } from 'node:crypto';
import {
  addDaysToLocalDate,
  type EstimateLine,
  type EstimateLineKind,
  type EstimateStatus,
  formatEstimateNumber,
  newEstimate,
  randomJobNumberSuffix,
} from '@fieldsync/domain';
import type { customers, estimates, jobs, priceListItems } from '../db/schema';
import { mulberry32 } from './seed-helpers';

/** Denver's combined sales tax, 8.81 %. */
export const DEMO_TAX_RATE_BASIS_POINTS = 881;

const PRICE_LIST: Array<[name: string, kind: EstimateLineKind, unit: string, unitPriceCents: number]> = [
  ['Installer labor', 'labor', 'h', 6500],
  ['Helper labor', 'labor', 'h', 3800],
  ['Oak hardwood, 3/4"', 'material', 'sq ft', 799],
  ['Luxury vinyl plank', 'material', 'sq ft', 449],
  ['Porcelain tile 12x24', 'material', 'sq ft', 525],
  ['Underlayment', 'material', 'sq ft', 65],
  ['Carpet, plush', 'material', 'sq yd', 3200],
  ['Carpet pad', 'material', 'sq yd', 650],
  ['Sealcoat', 'material', 'gal', 1800],
  ['Floor sander rental', 'equipment', 'day', 9500],
  ['Tile saw rental', 'equipment', 'day', 6000],
  ['Haul-away and disposal', 'other', 'load', 17500],
];

type JobRow = typeof jobs.$inferInsert;

export function demoEstimates(input: {
  orgId: string;
  today: string;
  jobRows: JobRow[];
  customerRows: Array<typeof customers.$inferInsert>;
  officeUserIds: string[];
  seed: number;
}) {
  const random = mulberry32(input.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const priceListRows: Array<typeof priceListItems.$inferInsert> = PRICE_LIST.map(
    ([name, kind, unit, unitPriceCents]) => ({
      orgId: input.orgId,
      id: randomUUID(),
      name,
      kind,
      unit,
      unitPriceCents,
    }),
  );

  const randomLines = (): EstimateLine[] => {
    const count = 2 + Math.floor(random() * 3);
    return Array.from({ length: count }, () => {
      const [description, kind, unit, unitPriceCents] = pick(PRICE_LIST);
      const quantity =
        kind === 'labor' ? 2 + Math.floor(random() * 14) : kind === 'material' ? 40 + Math.floor(random() * 400) : 1;
      return { id: randomUUID(), kind, description, quantity, unit, unitPriceCents };
    });
  };

  // Completed jobs earned something: most were agreed up front, a few came out differently.
  for (const job of input.jobRows) {
    if (job.status !== 'completed' || random() < 0.25) continue;
    const agreed = (300 + Math.floor(random() * 5_000)) * 100;
    job.agreedCostCents = agreed;
    const roll = random();
    if (roll < 0.7) job.actualCostCents = agreed;
    else if (roll < 0.85) {
      job.actualCostCents = agreed + (150 + Math.floor(random() * 900)) * 100;
      job.costDifferenceReason = pick([
        'Rotten subfloor under the old floor',
        'Customer added the hallway',
        'Extra coat needed',
      ]);
    }
  }

  const usedNumbers = new Set<string>();
  const estimateRows: Array<typeof estimates.$inferInsert> = [];
  const plan: Array<{ status: EstimateStatus; sentDaysAgo: number; validDays: number }> = [
    ...Array.from({ length: 4 }, () => ({ status: 'draft' as const, sentDaysAgo: 0, validDays: 30 })),
    { status: 'sent', sentDaysAgo: 27, validDays: 29 },
    { status: 'sent', sentDaysAgo: 12, validDays: 14 },
    ...Array.from({ length: 4 }, () => ({ status: 'sent' as const, sentDaysAgo: 5, validDays: 30 })),
    ...Array.from({ length: 8 }, (_, index) => ({
      status: 'accepted' as const,
      sentDaysAgo: 10 + index * 9,
      validDays: 30,
    })),
    ...Array.from({ length: 4 }, (_, index) => ({
      status: 'rejected' as const,
      sentDaysAgo: 14 + index * 11,
      validDays: 30,
    })),
    ...Array.from({ length: 2 }, (_, index) => ({
      status: 'expired' as const,
      sentDaysAgo: 45 + index * 15,
      validDays: 30,
    })),
  ];
  const openJobs = input.jobRows.filter((job) => job.status === 'open' || job.status === 'scheduled');
  for (const step of plan) {
    const sentDay = addDaysToLocalDate(input.today, -step.sentDaysAgo);
    const createdDay = addDaysToLocalDate(sentDay, -1);
    const linkedJob = step.status === 'accepted' ? openJobs.pop() : undefined;
    const customer = linkedJob
      ? input.customerRows.find((row) => row.id === linkedJob.customerId)
      : pick(input.customerRows);
    if (!customer?.id) continue;
    const lines = randomLines();
    const estimate = newEstimate(
      {
        id: randomUUID(),
        customerId: customer.id,
        jobId: linkedJob?.id ?? null,
        title:
          linkedJob?.title ??
          pick(['Refinish hardwood floors', 'New carpet upstairs', 'Tile the kitchen', 'Reseal the driveway']),
        lines,
        taxRateBasisPoints: DEMO_TAX_RATE_BASIS_POINTS,
        validUntil: addDaysToLocalDate(sentDay, step.validDays),
        notes: random() < 0.4 ? 'Price includes moving furniture back.' : null,
      },
      { currency: 'USD', createdBy: pick(input.officeUserIds) },
    );
    let number: string;
    do {
      number = formatEstimateNumber(createdDay, randomJobNumberSuffix(random));
    } while (usedNumbers.has(number));
    usedNumbers.add(number);
    const sentAt = step.status === 'draft' ? null : `${sentDay}T17:00:00.000Z`;
    if (linkedJob) linkedJob.agreedCostCents = estimate.totalCents;
    estimateRows.push({
      ...estimate,
      orgId: input.orgId,
      number,
      status: step.status,
      sentAt,
      acceptedAt: step.status === 'accepted' ? `${addDaysToLocalDate(sentDay, 2)}T18:30:00.000Z` : null,
      rejectedReason: step.status === 'rejected' ? pick(['Went with another company', 'Over budget this year']) : null,
      createdAt: `${createdDay}T16:00:00.000Z`,
    });
  }
  return { priceListRows, estimateRows };
}
