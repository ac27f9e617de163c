import { mutationArgsSchemas } from '@fieldsync/protocol';
import { describe, expect, test } from 'vitest';
import {
  applyPriceListItem,
  basisPointsToPercent,
  centsToInput,
  changeLineKind,
  checkDraft,
  createArgs,
  draftFromEstimate,
  draftTotals,
  duplicateLine,
  type EstimateDraft,
  emptyLine,
  type LineDraft,
  lineProblemKey,
  materialsToAdd,
  moveLine,
  newDraft,
  parseQuantity,
  parseTaxRate,
  parseUnitPrice,
  removeLine,
  updateArgs,
} from './estimate-draft';
import { pickSignatureJob } from './estimate-jobs';
import { estimateNumberText, taxRateText } from './estimate-words';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TODAY = '2026-11-30';

function line(n: number, over: Partial<LineDraft> = {}): LineDraft {
  return { ...emptyLine(ID(n)), description: `Line ${n}`, quantity: '1', unitPrice: '10', ...over };
}

function draft(over: Partial<EstimateDraft> = {}): EstimateDraft {
  return {
    title: 'Kitchen floor',
    lines: [line(1)],
    taxRate: '8.25',
    validUntil: '2026-12-30',
    notes: '',
    forJob: true,
    ...over,
  };
}

describe('numbers as typed', () => {
  test('quantities: more than 0, at most three decimals, a comma read as a decimal point', () => {
    expect(parseQuantity('2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseQuantity('2,125')).toEqual({ ok: true, value: 2.125 });
    expect(parseQuantity(' 3 ')).toEqual({ ok: true, value: 3 });
    expect(parseQuantity('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseQuantity('')).toEqual({ ok: false, problem: 'Enter a quantity.' });
    expect(parseQuantity('0')).toEqual({ ok: false, problem: 'Quantity must be more than 0.' });
    expect(parseQuantity('-2')).toEqual({ ok: false, problem: 'Quantity must be more than 0.' });
    expect(parseQuantity('1.2345')).toMatchObject({ ok: false, problem: expect.stringMatching(/at most 3 decimals/) });
    expect(parseQuantity('two')).toMatchObject({ ok: false, problem: expect.stringMatching(/must be a number/) });
    expect(parseQuantity('100001')).toMatchObject({ ok: false, problem: 'Quantity can be at most 100,000.' });
  });

  test('unit prices are money in cents; a negative one is a discount', () => {
    expect(parseUnitPrice('45.5')).toEqual({ ok: true, value: 4550 });
    expect(parseUnitPrice('$1,200')).toEqual({ ok: true, value: 120000 });
    expect(parseUnitPrice('-25')).toEqual({ ok: true, value: -2500 });
    expect(parseUnitPrice('')).toMatchObject({ ok: false, problem: expect.stringMatching(/Enter a unit price/) });
    expect(parseUnitPrice('4.555')).toMatchObject({ ok: false, problem: expect.stringMatching(/at most 2 decimals/) });
    expect(parseUnitPrice('100000.01')).toMatchObject({ ok: false, problem: expect.stringMatching(/at most 100,000/) });
  });

  test('tax rates are percentages with two decimals, kept as basis points', () => {
    expect(parseTaxRate('8.25')).toEqual({ ok: true, value: 825 });
    expect(parseTaxRate('8.25 %')).toEqual({ ok: true, value: 825 });
    expect(parseTaxRate('0')).toEqual({ ok: true, value: 0 });
    expect(parseTaxRate('100')).toEqual({ ok: true, value: 10_000 });
    expect(parseTaxRate('100.01')).toMatchObject({ ok: false });
    expect(parseTaxRate('8.255')).toMatchObject({ ok: false, problem: expect.stringMatching(/at most 2 decimals/) });
    expect(parseTaxRate('')).toMatchObject({ ok: false });
    expect(parseTaxRate('-1')).toMatchObject({ ok: false });
  });

  test('saved numbers come back as editable text', () => {
    expect(centsToInput(4550)).toBe('45.50');
    expect(centsToInput(-310)).toBe('-3.10');
    expect(basisPointsToPercent(825)).toBe('8.25');
    expect(basisPointsToPercent(800)).toBe('8');
    expect(taxRateText(850)).toBe('8.5%');
  });
});

describe('draft ⇄ estimate', () => {
  test('a new draft has one empty line, the company tax rate and the validity given', () => {
    const fresh = newDraft({ lineId: ID(1), taxRateBasisPoints: 825, validUntil: '2026-12-30', forJob: true });
    expect(fresh).toEqual({
      title: '',
      lines: [{ id: ID(1), kind: 'labor', description: '', quantity: '1', unit: 'hour', unitPrice: '' }],
      taxRate: '8.25',
      validUntil: '2026-12-30',
      notes: '',
      forJob: true,
    });
  });

  test('a checked draft makes valid estimate.create args', () => {
    const { problems, values } = checkDraft(
      draft({ lines: [line(1, { quantity: '3.5', unitPrice: '65', description: '  Install  ' })], notes: 'Side door' }),
      { today: TODAY },
    );
    expect(problems).toEqual({});
    const args = createArgs(values!, { id: ID(9), customerId: ID(8), jobId: null });
    expect(args).toEqual({
      id: ID(9),
      customerId: ID(8),
      jobId: null,
      title: 'Kitchen floor',
      lines: [{ id: ID(1), kind: 'labor', description: 'Install', quantity: 3.5, unit: 'hour', unitPriceCents: 6500 }],
      taxRateBasisPoints: 825,
      validUntil: '2026-12-30',
      notes: 'Side door',
    });
    expect(mutationArgsSchemas['estimate.create'].safeParse(args).success).toBe(true);
  });

  test('blank notes are not sent with a new estimate', () => {
    const { values } = checkDraft(draft({ notes: '   ' }), { today: TODAY });
    expect(createArgs(values!, { id: ID(9), customerId: ID(8), jobId: ID(7) })).not.toHaveProperty('notes');
  });

  test('an update sends only the changed fields, with the values the device saw as base', () => {
    const saved = {
      id: ID(9),
      jobId: ID(7),
      title: 'Kitchen floor',
      lines: [
        {
          id: ID(1),
          kind: 'labor' as const,
          description: 'Install',
          quantity: 3.5,
          unit: 'hour',
          unitPriceCents: 6500,
        },
      ],
      taxRateBasisPoints: 825,
      validUntil: '2026-12-30',
      notes: null,
    };
    const edited = draftFromEstimate(saved);
    expect(edited.lines[0]).toMatchObject({ quantity: '3.5', unitPrice: '65.00' });
    const unchanged = checkDraft(edited, { today: TODAY }).values!;
    expect(updateArgs(saved, unchanged, ID(7))).toBeNull();

    const changed = checkDraft({ ...edited, title: 'Kitchen and hall floor', taxRate: '0' }, { today: TODAY }).values!;
    const args = updateArgs(saved, changed, null);
    expect(args).toEqual({
      id: ID(9),
      patch: { title: 'Kitchen and hall floor', taxRateBasisPoints: 0, jobId: null },
      base: { title: 'Kitchen floor', taxRateBasisPoints: 825, jobId: ID(7) },
    });
    expect(mutationArgsSchemas['estimate.update'].safeParse(args).success).toBe(true);
  });

  test('a changed line sends the whole list of lines', () => {
    const saved = {
      id: ID(9),
      jobId: null,
      title: 'Deck',
      lines: [
        {
          id: ID(1),
          kind: 'material' as const,
          description: 'Boards',
          quantity: 10,
          unit: 'piece',
          unitPriceCents: 1200,
        },
      ],
      taxRateBasisPoints: 0,
      validUntil: '2026-12-30',
      notes: 'x',
    };
    const edited = draftFromEstimate(saved);
    const { values } = checkDraft(
      { ...edited, lines: [{ ...edited.lines[0]!, quantity: '12' }], notes: '' },
      { today: TODAY },
    );
    expect(updateArgs(saved, values!, null)).toEqual({
      id: ID(9),
      patch: { lines: [{ ...saved.lines[0], quantity: 12 }], notes: null },
      base: { lines: saved.lines, notes: 'x' },
    });
  });
});

describe('checking a draft', () => {
  test('says what is wrong with each field of each line, in plain words, and keeps what was typed', () => {
    const typed = draft({
      title: ' ',
      lines: [line(1, { description: '', quantity: '0', unitPrice: 'abc', unit: '' }), line(2)],
      taxRate: '8.255',
    });
    const { problems, values } = checkDraft(typed, { today: TODAY });
    expect(values).toBeNull();
    expect(problems).toEqual({
      title: 'Give the estimate a title, e.g. “Kitchen floor”.',
      [lineProblemKey(ID(1), 'description')]: 'Each line needs a description.',
      [lineProblemKey(ID(1), 'quantity')]: 'Quantity must be more than 0.',
      [lineProblemKey(ID(1), 'unitPrice')]: 'Unit price must be an amount, like 45 or 45.50 (at most 2 decimals).',
      [lineProblemKey(ID(1), 'unit')]: 'Enter a unit, e.g. hour or sq ft.',
      taxRate: 'Tax rate can have at most 2 decimals, like 8.25.',
    });
    expect(typed.lines[0]?.unitPrice).toBe('abc');
  });

  test('an estimate needs a line', () => {
    expect(checkDraft(draft({ lines: [] }), { today: TODAY }).problems).toEqual({ lines: 'Add at least one line.' });
  });

  test('a new last valid day may not be in the past, but a saved one stays', () => {
    expect(checkDraft(draft({ validUntil: '2026-11-29' }), { today: TODAY }).problems).toEqual({
      validUntil: 'The last valid day cannot be in the past.',
    });
    expect(
      checkDraft(draft({ validUntil: '2026-11-29' }), { today: TODAY, savedValidUntil: '2026-11-29' }).problems,
    ).toEqual({});
    expect(checkDraft(draft({ validUntil: '' }), { today: TODAY }).problems).toEqual({
      validUntil: 'Choose the last day the price holds.',
    });
  });
});

describe('running totals', () => {
  test('use the domain arithmetic and leave out lines that are not numbers yet', () => {
    const totals = draftTotals({
      lines: [
        line(1, { quantity: '3.5', unitPrice: '65' }),
        line(2, { quantity: '120.5', unitPrice: '3.99' }),
        line(3, { quantity: '', unitPrice: '10' }),
      ],
      taxRate: '8.25',
    });
    expect(totals).toEqual({
      lineTotalsCents: [22750, 48080, null],
      subtotalCents: 70830,
      // 70830 × 825 / 10000 = 5843.475 → 5843
      taxCents: 5843,
      totalCents: 76673,
      complete: false,
    });
  });

  test('an unreadable tax rate counts as no tax until fixed', () => {
    expect(draftTotals({ lines: [line(1)], taxRate: 'x' })).toMatchObject({
      taxCents: 0,
      totalCents: 1000,
      complete: false,
    });
    expect(draftTotals({ lines: [line(1)], taxRate: '10' })).toMatchObject({
      taxCents: 100,
      totalCents: 1100,
      complete: true,
    });
  });
});

describe('lines', () => {
  const three = [line(1), line(2), line(3)];

  test('move up and down, not past either end', () => {
    expect(moveLine(three, 2, -1).map((l) => l.id)).toEqual([ID(1), ID(3), ID(2)]);
    expect(moveLine(three, 0, 1).map((l) => l.id)).toEqual([ID(2), ID(1), ID(3)]);
    expect(moveLine(three, 0, -1).map((l) => l.id)).toEqual([ID(1), ID(2), ID(3)]);
    expect(moveLine(three, 2, 1).map((l) => l.id)).toEqual([ID(1), ID(2), ID(3)]);
  });

  test('a duplicate gets a new id and sits right after the original', () => {
    const copied = duplicateLine(three, 0, ID(4));
    expect(copied.map((l) => l.id)).toEqual([ID(1), ID(4), ID(2), ID(3)]);
    expect(copied[1]).toEqual({ ...three[0], id: ID(4) });
  });

  test('remove takes out that line only', () => {
    expect(removeLine(three, ID(2)).map((l) => l.id)).toEqual([ID(1), ID(3)]);
  });

  test('a picked price-list item fills kind, unit and unit price', () => {
    const picked = applyPriceListItem(line(1), {
      name: 'Oak flooring',
      kind: 'material',
      unit: 'sq ft',
      unitPriceCents: 799,
    });
    expect(picked).toMatchObject({
      description: 'Oak flooring',
      kind: 'material',
      unit: 'sq ft',
      unitPrice: '7.99',
      quantity: '1',
    });
  });

  test('changing the kind changes a default unit but keeps one the person typed', () => {
    expect(changeLineKind(emptyLine(ID(1)), 'material').unit).toBe('piece');
    expect(changeLineKind({ ...emptyLine(ID(1)), unit: 'visit' }, 'material').unit).toBe('visit');
  });
});

test('material lines not on the job yet become material.add items, each once', () => {
  const lines = [
    {
      id: ID(1),
      kind: 'material' as const,
      description: 'Oak flooring',
      quantity: 120.5,
      unit: 'sq ft',
      unitPriceCents: 799,
    },
    { id: ID(2), kind: 'labor' as const, description: 'Install', quantity: 8, unit: 'hour', unitPriceCents: 6500 },
    { id: ID(3), kind: 'material' as const, description: 'Underlay ', quantity: 2, unit: 'roll', unitPriceCents: 3000 },
    {
      id: ID(4),
      kind: 'material' as const,
      description: 'oak FLOORING',
      quantity: 5,
      unit: 'sq ft',
      unitPriceCents: 799,
    },
    { id: ID(5), kind: 'material' as const, description: 'Nails', quantity: 1, unit: 'box', unitPriceCents: 900 },
  ];
  const onJob = [{ itemName: ' underlay' }, { itemName: 'Nails', deletedAt: '2026-11-01T00:00:00Z' }];
  expect(materialsToAdd(lines, onJob)).toEqual([
    { itemName: 'Oak flooring', quantity: 120.5, unit: 'sq ft' },
    { itemName: 'Nails', quantity: 1, unit: 'box' },
  ]);
});

test('the signature goes on the estimate’s own job, else the customer’s job under way or nearest in time', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const job = (id: number, customerId: string, status = 'scheduled') => ({ id: ID(id), customerId, status });
  const candidates = [
    { job: job(1, 'c1'), scheduledStart: '2026-12-05T09:00:00Z' },
    { job: job(2, 'c1'), scheduledStart: '2026-11-30T15:00:00Z' },
    { job: job(3, 'c2'), scheduledStart: '2026-11-30T12:00:00Z' },
    { job: job(4, 'c1', 'cancelled'), scheduledStart: '2026-11-30T12:00:00Z' },
  ];
  expect(pickSignatureJob({ customerId: 'c1', jobId: ID(1) }, candidates, now)?.job.id).toBe(ID(1));
  expect(pickSignatureJob({ customerId: 'c1', jobId: null }, candidates, now)?.job.id).toBe(ID(2));
  expect(
    pickSignatureJob({ customerId: 'c1', jobId: null }, [...candidates, { job: job(5, 'c1', 'in_progress') }], now)?.job
      .id,
  ).toBe(ID(5));
  expect(pickSignatureJob({ customerId: 'c9', jobId: null }, candidates, now)).toBeUndefined();
});

test('an estimate without a number yet says so', () => {
  expect(estimateNumberText('')).toBe('Not sent to the office yet');
  expect(estimateNumberText('EST-20261130-AB12CD')).toBe('EST-20261130-AB12CD');
});
