import { expect, test } from 'vitest';
import { rowSchemas } from './row-schemas';
import { SYNCED_TABLES } from './synced-table';

const sync = {
  id: '0193a1b2-0000-7000-8000-000000000001',
  version: 42,
  createdAt: '2026-11-21T09:00:00.000Z',
  updatedAt: '2026-11-21T09:03:00.000Z',
  deletedAt: null,
};

const job = {
  ...sync,
  jobNumber: 'JOB-20261121-AB12CD',
  title: 'Tile the bathroom floor',
  description: null,
  customerId: '0193a1b2-0000-7000-8000-000000000002',
  trade: 'tile',
  priority: 'high',
  status: 'scheduled',
  desiredDate: '2026-11-24',
  durationMinutes: 240,
  address: '1 Main St',
  lat: 40.7,
  lng: -74,
  specialRequirements: ['bring wet saw'],
  requiredSkills: ['large-format tile'],
  requiresSignature: true,
  parentJobId: null,
  agreedCostCents: 250000,
  actualCostCents: null,
  costDifferenceReason: null,
  createdBy: null,
};

test('every synced table has a row schema', () => {
  expect(Object.keys(rowSchemas).sort()).toEqual([...SYNCED_TABLES].sort());
});

test('a job row parses; bad duration, date and job number do not', () => {
  expect(rowSchemas.jobs.parse(job)).toEqual(job);
  expect(rowSchemas.jobs.safeParse({ ...job, durationMinutes: 20 }).success).toBe(false);
  expect(rowSchemas.jobs.safeParse({ ...job, durationMinutes: 500 }).success).toBe(false);
  expect(rowSchemas.jobs.safeParse({ ...job, durationMinutes: 90.5 }).success).toBe(false);
  expect(rowSchemas.jobs.safeParse({ ...job, desiredDate: '2026-02-30' }).success).toBe(false);
  expect(rowSchemas.jobs.safeParse({ ...job, jobNumber: 'JOB-2026-1' }).success).toBe(false);
  expect(rowSchemas.jobs.safeParse({ ...job, status: 'done' }).success).toBe(false);
});

test('working hours: end after start, at most 16 hours', () => {
  const hours = { ...sync, contractorId: sync.id, dayOfWeek: 1, startTime: '08:00', endTime: '17:00' };
  expect(rowSchemas.workingHours.safeParse(hours).success).toBe(true);
  expect(rowSchemas.workingHours.safeParse({ ...hours, startTime: '06:00', endTime: '22:00' }).success).toBe(true);
  expect(rowSchemas.workingHours.safeParse({ ...hours, startTime: '06:00', endTime: '22:01' }).success).toBe(false);
  expect(rowSchemas.workingHours.safeParse({ ...hours, endTime: '08:00' }).success).toBe(false);
  expect(rowSchemas.workingHours.safeParse({ ...hours, dayOfWeek: 7 }).success).toBe(false);
  expect(rowSchemas.workingHours.safeParse({ ...hours, startTime: '8:00' }).success).toBe(false);
});

test('materials: purchasedAt is set exactly when purchased', () => {
  const material = {
    ...sync,
    jobId: sync.id,
    itemName: 'Grout',
    quantity: 2.5,
    unit: 'kg',
    purchased: false,
    purchasedBy: null,
    purchasedAt: null,
    notes: null,
    addedBy: null,
    recordedAfterCancellation: false,
  };
  expect(rowSchemas.materials.safeParse(material).success).toBe(true);
  expect(rowSchemas.materials.safeParse({ ...material, purchased: true }).success).toBe(false);
  expect(
    rowSchemas.materials.safeParse({ ...material, purchased: true, purchasedAt: sync.updatedAt, purchasedBy: sync.id })
      .success,
  ).toBe(true);
  expect(rowSchemas.materials.safeParse({ ...material, quantity: 0 }).success).toBe(false);
});

test('conflict values may be any JSON', () => {
  const conflict = {
    ...sync,
    entity: 'jobs',
    entityId: sync.id,
    field: 'specialRequirements',
    winnerValue: ['a', { b: 1 }],
    loserValue: null,
    winnerBy: null,
    loserBy: null,
    winnerAt: sync.updatedAt,
    loserAt: sync.createdAt,
    mutationClientId: null,
    mutationSeq: 3,
    status: 'open',
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
  };
  expect(rowSchemas.conflicts.parse(conflict)).toEqual(conflict);
});

test('an estimate row parses with integer cents; a fractional cent or unknown status does not', () => {
  const estimate = {
    ...sync,
    number: 'EST-20261130-AB12CD',
    customerId: sync.id,
    jobId: null,
    title: 'Oak floor',
    lines: [{ id: sync.id, kind: 'labor', description: 'Install', quantity: 3.5, unit: 'h', unitPriceCents: 6500 }],
    taxRateBasisPoints: 825,
    subtotalCents: 22750,
    taxCents: 1877,
    totalCents: 24627,
    currency: 'USD',
    status: 'sent',
    validUntil: '2026-12-30',
    notes: null,
    sentAt: '2026-11-30T17:00:00.000Z',
    acceptedAt: null,
    rejectedReason: null,
    signatureAttachmentId: null,
    createdBy: null,
  };
  expect(rowSchemas.estimates.parse(estimate)).toEqual(estimate);
  expect(rowSchemas.estimates.safeParse({ ...estimate, totalCents: 246.5 }).success).toBe(false);
  expect(rowSchemas.estimates.safeParse({ ...estimate, status: 'pending' }).success).toBe(false);
  expect(rowSchemas.estimates.safeParse({ ...estimate, number: 'EST-1' }).success).toBe(false);
});
