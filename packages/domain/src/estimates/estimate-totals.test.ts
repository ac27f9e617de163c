import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_LINE_QUANTITY, MAX_UNIT_PRICE_CENTS } from './estimate';
import { estimateTotals, formatCents, lineTotalCents, parseMoneyToCents } from './estimate-totals';

describe('lineTotalCents', () => {
  test('rounds halves away from zero', () => {
    expect(lineTotalCents({ quantity: 0.5, unitPriceCents: 5 })).toBe(3);
    expect(lineTotalCents({ quantity: 0.5, unitPriceCents: -5 })).toBe(-3);
    expect(lineTotalCents({ quantity: 1.5, unitPriceCents: 1 })).toBe(2);
    expect(lineTotalCents({ quantity: 0.499, unitPriceCents: 1 })).toBe(0);
  });

  test('reads decimal quantities exactly, not as binary fractions', () => {
    // 1.005 is 1.00499999… as a double: a naive Math.round(1.005 * 100) gives 100.
    expect(lineTotalCents({ quantity: 1.005, unitPriceCents: 100 })).toBe(101);
    expect(lineTotalCents({ quantity: 2.675, unitPriceCents: 100 })).toBe(268);
  });
});

describe('estimateTotals', () => {
  test('sums the rounded lines and rounds the tax on the subtotal', () => {
    const totals = estimateTotals(
      [
        { quantity: 3.5, unitPriceCents: 6500 },
        { quantity: 120.5, unitPriceCents: 399 },
        { quantity: 1, unitPriceCents: -2500 },
      ],
      825,
    );
    expect(totals.lineTotalsCents).toEqual([22750, 48080, -2500]);
    expect(totals.subtotalCents).toBe(68330);
    // 68330 × 825 / 10000 = 5637.225 → 5637
    expect(totals.taxCents).toBe(5637);
    expect(totals.totalCents).toBe(73967);
  });

  test('no lines and no tax come to zero', () => {
    expect(estimateTotals([], 0)).toEqual({ lineTotalsCents: [], subtotalCents: 0, taxCents: 0, totalCents: 0 });
  });

  // An independent computation: quantities as decimal strings, amounts as exact rationals.
  function referenceTotals(lines: Array<{ milli: bigint; price: bigint }>, basisPoints: bigint) {
    const round = (numerator: bigint, denominator: bigint) => {
      const quotient = numerator / denominator; // truncates toward zero
      const remainder = numerator - quotient * denominator;
      const twice = (remainder < 0n ? -remainder : remainder) * 2n;
      if (twice >= denominator) return quotient + (numerator < 0n ? -1n : 1n);
      return quotient;
    };
    const lineTotals = lines.map((line) => round(line.milli * line.price, 1000n));
    const subtotal = lineTotals.reduce((sum, total) => sum + total, 0n);
    const tax = round(subtotal * basisPoints, 10_000n);
    return { subtotal, tax, total: subtotal + tax };
  }

  test('equals an exact big-integer computation for random lines', () => {
    const line = fc.record({
      milli: fc.bigInt({ min: 1n, max: BigInt(MAX_LINE_QUANTITY) * 1000n }),
      price: fc.bigInt({ min: -BigInt(MAX_UNIT_PRICE_CENTS), max: BigInt(MAX_UNIT_PRICE_CENTS) }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 100 }), fc.integer({ min: 0, max: 10_000 }), (lines, basisPoints) => {
        // The quantity reaches the function as a person's decimal number, e.g. "2.675".
        const asTyped = lines.map((l) => ({
          quantity: Number(`${l.milli / 1000n}.${(l.milli % 1000n).toString().padStart(3, '0')}`),
          unitPriceCents: Number(l.price),
        }));
        const totals = estimateTotals(asTyped, basisPoints);
        const expected = referenceTotals(lines, BigInt(basisPoints));
        expect(BigInt(totals.subtotalCents)).toBe(expected.subtotal);
        expect(BigInt(totals.taxCents)).toBe(expected.tax);
        expect(BigInt(totals.totalCents)).toBe(expected.total);
      }),
      { numRuns: 500 },
    );
  });
});

describe('money for people', () => {
  test('formats cents in the currency', () => {
    expect(formatCents(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatCents(-250, 'USD', 'en-US')).toBe('-$2.50');
  });

  test('reads typed amounts as cents', () => {
    expect(parseMoneyToCents('12')).toBe(1200);
    expect(parseMoneyToCents('12.5')).toBe(1250);
    expect(parseMoneyToCents('$1,234.56')).toBe(123456);
    expect(parseMoneyToCents('-3.10')).toBe(-310);
    expect(parseMoneyToCents('1.234')).toBeUndefined();
    expect(parseMoneyToCents('abc')).toBeUndefined();
    expect(parseMoneyToCents('')).toBeUndefined();
  });
});
