import { expect, test } from 'vitest';
import { priceListCreateArgs, priceListItemChange, priceListOrder, priceListTyped } from './price-list-form';

const ID = '00000000-0000-4000-8000-0000000001a1';

test('a new item reads its price as cents and trims the words', () => {
  expect(priceListCreateArgs(ID, { name: ' Tiling labor ', kind: 'labor', unit: ' hour ', unitPrice: '$65' })).toEqual({
    ok: true,
    args: { id: ID, name: 'Tiling labor', kind: 'labor', unit: 'hour', unitPriceCents: 6500 },
  });
  // A negative price is a discount line.
  expect(
    priceListCreateArgs(ID, { name: 'Loyalty discount', kind: 'other', unit: 'each', unitPrice: '-25' }),
  ).toMatchObject({
    ok: true,
    args: { unitPriceCents: -2500 },
  });
});

test('every problem of a new item is named next to its field, in plain words', () => {
  const result = priceListCreateArgs(ID, { name: ' ', kind: 'material', unit: '', unitPrice: 'cheap' });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.issues.unitPrice).toBe('Write the unit price as an amount, such as 65 or 3.99.');
  expect(result.issues.name).toMatch(/^Name /);
  expect(result.issues.unit).toMatch(/^Unit /);
  const blank = priceListCreateArgs(ID, { name: 'Grout', kind: 'material', unit: 'bag', unitPrice: '' });
  expect(blank).toEqual({ ok: false, issues: { unitPrice: 'Give the unit price, such as 65 or 3.99.' } });
  const dear = priceListCreateArgs(ID, { name: 'Crane', kind: 'equipment', unit: 'day', unitPrice: '100000.01' });
  expect(dear.ok === false && dear.issues.unitPrice).toMatch(/^Unit price /);
});

test('an edit sends only the fields that changed, with what they were', () => {
  const item = { id: ID, name: 'Tiling labor', kind: 'labor' as const, unit: 'hour', unitPriceCents: 6500 };
  expect(priceListItemChange(item, priceListTyped(item))).toEqual({ kind: 'unchanged' });
  expect(priceListItemChange(item, { ...priceListTyped(item), unitPrice: '70.50' })).toEqual({
    kind: 'change',
    patch: { unitPriceCents: 7050 },
    base: { unitPriceCents: 6500 },
  });
  expect(priceListItemChange(item, { ...priceListTyped(item), name: '' })).toMatchObject({
    kind: 'invalid',
    issues: { name: expect.stringMatching(/^Name /) },
  });
});

test('the table lists live items by name, archived ones last and only when asked', () => {
  const items = [
    { id: '1', name: 'tile adhesive', archived: false },
    { id: '2', name: 'Old grout', archived: true },
    { id: '3', name: 'Labor', archived: false },
    { id: '4', name: 'Removed', archived: false, deletedAt: '2026-11-01T00:00:00.000Z' },
  ];
  expect(priceListOrder(items, false).map((item) => item.id)).toEqual(['3', '1']);
  expect(priceListOrder(items, true).map((item) => item.id)).toEqual(['3', '1', '2']);
});
