import { DEFAULT_ALERT_TEMPLATES, matchesConditions, renderTemplate } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { type AlertSampleSources, alertEventSamples } from './alert-samples';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const options = { now: NOW, overdueMinutes: 30, formatLocal: (iso: string) => `local ${iso.slice(11, 16)}` };

function sources(): AlertSampleSources {
  return {
    jobs: [
      {
        id: 'j1',
        jobNumber: 'SF-1001',
        title: 'Fix the sink',
        priority: 'urgent',
        trade: 'tile',
        status: 'scheduled',
        customerId: 'cu1',
        createdAt: '2026-11-20T08:00:00.000Z',
        createdBy: 'office',
      },
      {
        id: 'j2',
        jobNumber: '',
        title: 'Lay the patio',
        priority: 'low',
        trade: 'paving',
        status: 'in_progress',
        customerId: null,
        createdAt: '2026-11-21T07:00:00.000Z',
        createdBy: 'office',
      },
    ],
    statusHistory: [
      {
        id: 'h1',
        jobId: 'j2',
        fromStatus: null,
        toStatus: 'open',
        reason: null,
        occurredAt: '2026-11-21T07:00:00.000Z',
        changedBy: 'office',
      },
      {
        id: 'h2',
        jobId: 'j2',
        fromStatus: 'scheduled',
        toStatus: 'in_progress',
        reason: 'On site',
        occurredAt: '2026-11-21T09:00:00.000Z',
        changedBy: 'carl',
      },
    ],
    assignments: [
      {
        id: 'a1',
        jobId: 'j1',
        contractorId: 'c1',
        status: 'confirmed',
        scheduledStart: '2026-11-21T09:00:00.000Z',
        scheduledEnd: '2026-11-21T11:00:00.000Z',
        score: 0.8,
        createdAt: '2026-11-20T09:00:00.000Z',
        updatedAt: '2026-11-20T09:30:00.000Z',
      },
    ],
    customers: [{ id: 'cu1', name: 'Acme Homes' }],
    contractors: [{ id: 'c1', name: 'Carl', trade: 'tile' }],
    conflicts: [],
    ratings: [],
    users: [
      { id: 'office', name: 'Dana', role: 'dispatcher' },
      { id: 'carl', name: 'Carl', role: 'contractor' },
    ],
  };
}

test('job creations carry the job context, newest first, as the server names the fields', () => {
  const samples = alertEventSamples('job.created', sources(), options);
  expect(samples.map((s) => s.key)).toEqual(['j2', 'j1']);
  expect(samples[1]?.data).toMatchObject({
    jobId: 'j1',
    jobNumber: 'SF-1001',
    title: 'Fix the sink',
    priority: 'urgent',
    trade: 'tile',
    customerName: 'Acme Homes',
    contractorId: 'c1',
    contractorName: 'Carl',
    status: 'open',
    toStatus: 'open',
    source: 'office_app',
  });
  // A job not numbered yet has no number rather than an empty one.
  expect(samples[0]?.data.jobNumber).toBeNull();
});

test('status changes come from the history (not the creation row), with reason and where the change came from', () => {
  const samples = alertEventSamples('job.status_changed', sources(), options);
  expect(samples).toHaveLength(1);
  expect(samples[0]?.data).toMatchObject({
    fromStatus: 'scheduled',
    toStatus: 'in_progress',
    status: 'in_progress',
    reason: 'On site',
    source: 'mobile_app',
  });
  expect(samples[0]?.label).toBe('Lay the patio moved to in progress');
});

test('an assignment that should have started is an overdue sample with minutes late; a rule previews on it', () => {
  const [sample, ...rest] = alertEventSamples('job.overdue', sources(), options);
  expect(rest).toEqual([]);
  expect(sample?.data).toMatchObject({ jobId: 'j1', minutesLate: 60, scheduledStartLocal: 'local 09:00' });
  expect(matchesConditions(sample?.data, { minutesLate: { '>=': 45 }, priority: { '>=': 'high' } })).toBe(true);
  expect(renderTemplate(DEFAULT_ALERT_TEMPLATES['job.overdue'].title, sample?.data, { escape: 'none' })).toBe(
    'Job SF-1001 has not started',
  );
  expect(alertEventSamples('job.overdue', sources(), { ...options, now: Date.parse('2026-11-21T09:20:00Z') })).toEqual(
    [],
  );
});

test('assignment events carry the booking and the score; the limit keeps the newest', () => {
  const [created] = alertEventSamples('assignment.created', sources(), options);
  expect(created?.data).toMatchObject({
    assignmentId: 'a1',
    status: 'confirmed',
    jobStatus: 'scheduled',
    score: 0.8,
    scheduledStart: '2026-11-21T09:00:00.000Z',
    scheduledStartLocal: 'local 09:00',
  });
  expect(alertEventSamples('job.created', sources(), { ...options, limit: 1 }).map((s) => s.key)).toEqual(['j2']);
  expect(alertEventSamples('rating.added', sources(), options)).toEqual([]);
});

function withEstimates(): AlertSampleSources {
  const estimate = {
    number: 'EST-20261120-AB12CD',
    title: 'New bathroom',
    customerId: 'cu1',
    jobId: null,
    currency: 'USD',
    sentAt: null,
    acceptedAt: null,
    rejectedReason: null,
    signatureAttachmentId: null,
    createdBy: 'office',
  };
  return {
    ...sources(),
    estimates: [
      {
        ...estimate,
        id: 'e1',
        totalCents: 1_250_000,
        status: 'sent',
        sentAt: '2026-11-20T10:00:00.000Z',
        createdAt: '2026-11-20T09:00:00.000Z',
        updatedAt: '2026-11-20T10:00:00.000Z',
      },
      {
        ...estimate,
        id: 'e2',
        number: '',
        title: 'Fix a tap',
        totalCents: 9_500,
        status: 'draft',
        createdBy: 'carl',
        createdAt: '2026-11-21T08:00:00.000Z',
        updatedAt: '2026-11-21T08:00:00.000Z',
      },
      {
        ...estimate,
        id: 'e3',
        totalCents: 400_000,
        status: 'rejected',
        rejectedReason: 'Too dear',
        sentAt: '2026-11-18T10:00:00.000Z',
        createdAt: '2026-11-18T09:00:00.000Z',
        updatedAt: '2026-11-19T10:00:00.000Z',
      },
    ],
  };
}

test('estimate creations carry the estimate’s fields as the server names them; a "large estimate" rule previews on them', () => {
  const samples = alertEventSamples('estimate.created', withEstimates(), options);
  expect(samples.map((s) => s.key)).toEqual(['e2', 'e1', 'e3']);
  expect(samples[1]?.data).toMatchObject({
    estimateId: 'e1',
    number: 'EST-20261120-AB12CD',
    title: 'New bathroom',
    customerId: 'cu1',
    customerName: 'Acme Homes',
    totalCents: 1_250_000,
    currency: 'USD',
    status: 'draft',
    fromStatus: 'draft',
    toStatus: 'draft',
    source: 'office_app',
  });
  expect(samples[1]?.data.total).toMatch(/12,500\.00/);
  // Not numbered yet on this device: no number rather than an empty one; drawn up on a contractor's phone.
  expect(samples[0]?.data).toMatchObject({ number: null, source: 'mobile_app' });
  const large = samples.filter((sample) => matchesConditions(sample.data, { totalCents: { '>=': 1_000_000 } }));
  expect(large.map((sample) => sample.key)).toEqual(['e1']);
});

test('estimate status changes show each estimate’s latest move, with the reason of a rejection', () => {
  const samples = alertEventSamples('estimate.status_changed', withEstimates(), options);
  expect(samples.map((s) => [s.key, s.data.fromStatus, s.data.toStatus, s.data.reason])).toEqual([
    ['e1', 'draft', 'sent', null],
    ['e3', 'sent', 'rejected', 'Too dear'],
  ]);
  expect(samples[0]?.at).toBe('2026-11-20T10:00:00.000Z');
  expect(matchesConditions(samples[1]?.data, { toStatus: { '=': 'rejected' } })).toBe(true);
  // Without estimates on the device there is simply nothing to preview.
  expect(alertEventSamples('estimate.status_changed', sources(), options)).toEqual([]);
});
