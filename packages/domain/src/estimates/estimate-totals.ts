import type { EstimateLine } from './estimate';

/** What an estimate comes to, in integer cents. */
export interface EstimateTotals {
  /** Each line's total, in the order of the lines. */
  lineTotalsCents: number[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

/**
 * `numerator / denominator` rounded to a whole number, halves away from zero
 * (2.5 → 3, −2.5 → −3). `denominator` is positive.
 */
function divideRoundingHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}

/** A quantity as whole thousandths: quantities keep three decimals, and decimals are not exact in binary. */
function quantityInThousandths(quantity: number): bigint {
  return BigInt(Math.round(quantity * 1000));
}

/** `quantity × unitPriceCents`, rounded half away from zero to a whole cent. */
export function lineTotalCents(line: Pick<EstimateLine, 'quantity' | 'unitPriceCents'>): number {
  return Number(
    divideRoundingHalfAwayFromZero(quantityInThousandths(line.quantity) * BigInt(line.unitPriceCents), 1000n),
  );
}

/**
 * The contract's arithmetic: each line rounded to the cent, the subtotal their
 * sum, tax `subtotal × basis points / 10000` rounded half away from zero, the
 * total their sum. Exact: the products are computed as big integers. The
 * server stores these and ignores totals a client sends.
 */
export function estimateTotals(
  lines: ReadonlyArray<Pick<EstimateLine, 'quantity' | 'unitPriceCents'>>,
  taxRateBasisPoints: number,
): EstimateTotals {
  const lineTotalsCents = lines.map(lineTotalCents);
  const subtotalCents = lineTotalsCents.reduce((sum, cents) => sum + cents, 0);
  const taxCents = Number(divideRoundingHalfAwayFromZero(BigInt(subtotalCents) * BigInt(taxRateBasisPoints), 10_000n));
  return { lineTotalsCents, subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
}

/**
 * Cents as money for a person, in the company's currency: `formatCents(123456, 'USD')`
 * is "$1,234.56". `locale` defaults to the runtime's.
 */
export function formatCents(cents: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/**
 * What a person typed as money ("12", "12.5", "$1,234.56", "-3.10") in whole
 * cents, or undefined when it is not an amount. At most two decimals.
 */
export function parseMoneyToCents(typed: string): number | undefined {
  const cleaned = typed.replace(/[\s,$€£]/g, '');
  const match = /^(-)?(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return undefined;
  return match[1] ? -cents : cents;
}
