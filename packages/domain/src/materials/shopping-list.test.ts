import { expect, test } from 'vitest';
import { buildShoppingList, type ShoppingListInput } from './shopping-list';

const ME = 'contractor-me';
const TZ = 'America/New_York';
// 30 Nov 2026 in New York; 05:00Z on the 1st is still the 30th there (UTC−5).
const TODAY = '2026-11-30';

type Status = ShoppingListInput['jobs'][number]['status'];

function job(id: string, status: Status = 'scheduled') {
  return { id, jobNumber: `SF-${id}`, title: `Job ${id}`, status };
}
function booked(
  jobId: string,
  scheduledStart: string,
  changes: Partial<ShoppingListInput['assignments'][number]> = {},
) {
  return { jobId, contractorId: ME, status: 'confirmed' as const, scheduledStart, ...changes };
}
let rowCounter = 0;
function material(jobId: string, itemName: string, quantity: number, unit: string, purchased = false) {
  rowCounter += 1;
  return {
    id: `m${String(rowCounter).padStart(3, '0')}`,
    jobId,
    itemName,
    quantity,
    unit,
    purchased,
    createdAt: `2026-11-01T00:00:${String(rowCounter % 60).padStart(2, '0')}.000Z`,
    deletedAt: null,
  };
}

function list(input: Partial<ShoppingListInput>) {
  return buildShoppingList({
    materials: [],
    assignments: [],
    jobs: [],
    contractorId: ME,
    timeZone: TZ,
    today: TODAY,
    ...input,
  });
}

test('one line per item and unit across jobs, first spelling kept, quantities summed exactly', () => {
  const a = material('1', 'Copper elbow', 0.1, 'each');
  const b = material('2', '  copper ELBOW ', 0.2, 'Each ');
  const c = material('2', 'Copper elbow', 1.005, 'box');
  const d = material('1', 'Copper elbow', 2.5, 'each');
  const result = list({
    jobs: [job('1'), job('2')],
    assignments: [booked('1', '2026-11-30T14:00:00Z'), booked('2', '2026-12-02T14:00:00Z')],
    materials: [b, c, a, d],
  });
  expect(result.bought).toEqual([]);
  expect(result.toBuy.map((line) => [line.itemName, line.unit, line.quantity])).toEqual([
    ['Copper elbow', 'each', 2.8],
    ['Copper elbow', 'box', 1.005],
  ]);
  const elbows = result.toBuy[0];
  expect(elbows?.materialIds.sort()).toEqual([a.id, b.id, d.id].sort());
  expect(elbows?.jobs).toEqual([
    { jobId: '1', jobNumber: 'SF-1', title: 'Job 1', date: '2026-11-30', quantity: 2.6 },
    { jobId: '2', jobNumber: 'SF-2', title: 'Job 2', date: '2026-12-02', quantity: 0.2 },
  ]);
});

test('bought rows make their own lines in the bought group; ticking a line means its rows', () => {
  const toBuy = material('1', 'Grout', 2, 'bag');
  const bought = material('1', 'grout', 1, 'bag', true);
  const result = list({
    jobs: [job('1')],
    assignments: [booked('1', '2026-11-30T14:00:00Z')],
    materials: [toBuy, bought],
  });
  expect(result.toBuy.map((line) => [line.quantity, line.materialIds])).toEqual([[2, [toBuy.id]]]);
  expect(result.bought.map((line) => [line.itemName, line.quantity, line.bought, line.materialIds])).toEqual([
    ['grout', 1, true, [bought.id]],
  ]);
});

test('only the contractor’s live bookings from today through the next six days, in the company’s days', () => {
  const jobs = [
    job('today'),
    job('late-evening'),
    job('day7'),
    job('day8'),
    job('yesterday'),
    job('started', 'waiting_on_materials'),
    job('done', 'completed'),
    job('cancelled', 'cancelled'),
    job('declined'),
    job('someone-else'),
  ];
  const assignments = [
    booked('today', '2026-11-30T14:00:00Z'),
    // 23:30 on the 30th in New York is the 1st in UTC: still today's.
    booked('late-evening', '2026-12-01T04:30:00Z'),
    booked('day7', '2026-12-06T15:00:00Z'),
    booked('day8', '2026-12-07T15:00:00Z'),
    booked('yesterday', '2026-11-29T15:00:00Z'),
    booked('started', '2026-11-27T15:00:00Z'),
    booked('done', '2026-11-30T15:00:00Z', { status: 'completed' }),
    booked('cancelled', '2026-11-30T15:00:00Z'),
    booked('declined', '2026-11-30T15:00:00Z', { status: 'declined' }),
    booked('someone-else', '2026-11-30T15:00:00Z', { contractorId: 'other' }),
  ];
  const materials = jobs.map((j) => material(j.id, `Item for ${j.id}`, 1, 'each'));
  const result = list({ jobs, assignments, materials });
  expect(result.toBuy.map((line) => [line.itemName, line.jobs[0]?.date])).toEqual([
    ['Item for started', '2026-11-27'],
    ['Item for late-evening', '2026-11-30'],
    ['Item for today', '2026-11-30'],
    ['Item for day7', '2026-12-06'],
  ]);
});

test('removed rows and rows of unknown jobs are left out; nothing to buy is an empty list', () => {
  const removed = { ...material('1', 'Nails', 1, 'box'), deletedAt: '2026-11-30T10:00:00.000Z' };
  const orphan = material('ghost', 'Nails', 1, 'box');
  expect(
    list({ jobs: [job('1')], assignments: [booked('1', '2026-11-30T14:00:00Z')], materials: [removed, orphan] }),
  ).toEqual({ toBuy: [], bought: [] });
  expect(list({})).toEqual({ toBuy: [], bought: [] });
});
