import { expect, test } from 'vitest';
import { newAssignment, newContractor, newCustomer, newJob } from './created-rows';

test('a new customer is not archived, with what was left out empty', () => {
  expect(newCustomer({ id: 'k', name: 'Ada', phone: '0123' })).toEqual({
    id: 'k',
    name: 'Ada',
    phone: '0123',
    email: null,
    address: null,
    lat: null,
    lng: null,
    notes: null,
    archived: false,
  });
});

test('a new job is open, of medium priority unless given, with what was left out empty', () => {
  expect(newJob({ id: 'j', title: 'Fix tap', trade: 'tile', durationMinutes: 60 }, 'u')).toEqual({
    id: 'j',
    title: 'Fix tap',
    description: null,
    customerId: null,
    trade: 'tile',
    priority: 'medium',
    status: 'open',
    desiredDate: null,
    durationMinutes: 60,
    address: null,
    lat: null,
    lng: null,
    specialRequirements: [],
    requiredSkills: [],
    requiresSignature: false,
    parentJobId: null,
    agreedCostCents: null,
    actualCostCents: null,
    costDifferenceReason: null,
    createdBy: 'u',
  });
  expect(
    newJob({ id: 'j', title: 'Fix tap', trade: 'tile', durationMinutes: 60, priority: 'urgent', lat: 0 }, 'u'),
  ).toMatchObject({ priority: 'urgent', lat: 0, status: 'open' });
  expect(
    newJob(
      {
        id: 'j',
        title: 'Refinish',
        trade: 'flooring',
        durationMinutes: 240,
        requiredSkills: ['stairs'],
        requiresSignature: true,
      },
      'u',
    ),
  ).toMatchObject({ requiredSkills: ['stairs'], requiresSignature: true });
});

test('a new contractor is active and rated 0 unless given', () => {
  expect(newContractor({ id: 'c', name: 'Sam', trade: 'flooring' })).toEqual({
    id: 'c',
    userId: null,
    name: 'Sam',
    trade: 'flooring',
    skills: [],
    rating: 0,
    status: 'active',
    phone: null,
    email: null,
    baseAddress: null,
    baseLat: null,
    baseLng: null,
  });
  expect(newContractor({ id: 'c', name: 'Sam', trade: 'flooring', rating: 4.5, status: 'on_leave' })).toMatchObject({
    rating: 4.5,
    status: 'on_leave',
  });
});

test('a new assignment is pending, with the recommendation score when one was picked', () => {
  const booking = {
    id: 'a',
    jobId: 'j',
    contractorId: 'c',
    start: '2026-11-21T09:00:00Z',
    end: '2026-11-21T10:00:00Z',
  };
  expect(newAssignment(booking)).toEqual({
    id: 'a',
    jobId: 'j',
    contractorId: 'c',
    status: 'pending',
    scheduledStart: booking.start,
    scheduledEnd: booking.end,
    score: null,
    scoreBreakdown: null,
  });
  const breakdown = { distance: 1, availability: 1, rating: 1, weights: { distance: 1, availability: 1, rating: 1 } };
  expect(newAssignment({ ...booking, score: { total: 0.5, breakdown } })).toMatchObject({
    score: 0.5,
    scoreBreakdown: breakdown,
  });
});
