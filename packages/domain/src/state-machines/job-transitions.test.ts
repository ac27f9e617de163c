import fc from 'fast-check';
import { expect, test } from 'vitest';
import { JOB_STATUSES, type JobStatus } from '../enums/job-status';
import { ROLES } from '../enums/role';
import { allowedJobTransitions, checkJobTransition, jobTransitions } from './job-transitions';

const status = fc.constantFrom(...JOB_STATUSES);
const actor = fc.constantFrom(...ROLES, 'system' as const);

test('the field flow works for a contractor', () => {
  const path: JobStatus[] = [
    'scheduled',
    'in_progress',
    'waiting_on_materials',
    'in_progress',
    'on_hold',
    'in_progress',
    'completed',
  ];
  for (let i = 1; i < path.length; i++) {
    expect(
      checkJobTransition({ from: path[i - 1] as JobStatus, to: path[i] as JobStatus, role: 'contractor' }),
    ).toEqual({ ok: true });
  }
});

test('a cancelled job cannot be completed', () => {
  expect(checkJobTransition({ from: 'cancelled', to: 'completed', role: 'dispatcher' })).toEqual({
    ok: false,
    code: 'invalid_transition',
    message: 'A cancelled job cannot be completed',
  });
});

test('only the office reopens a completed job', () => {
  expect(checkJobTransition({ from: 'completed', to: 'in_progress', role: 'contractor' })).toEqual({
    ok: false,
    code: 'forbidden',
    message: 'A completed job can only be reopened by the office',
  });
  expect(checkJobTransition({ from: 'completed', to: 'in_progress', role: 'dispatcher' }).ok).toBe(true);
  expect(checkJobTransition({ from: 'completed', to: 'in_progress', role: 'admin' }).ok).toBe(true);
});

test('a contractor cannot cancel; the office can cancel anything but a completed job', () => {
  expect(checkJobTransition({ from: 'in_progress', to: 'cancelled', role: 'contractor' })).toMatchObject({
    ok: false,
    code: 'forbidden',
  });
  for (const from of JOB_STATUSES) {
    const expected = from !== 'completed' && from !== 'cancelled';
    expect(checkJobTransition({ from, to: 'cancelled', role: 'dispatcher' }).ok).toBe(expected);
  }
});

test('open ⇄ scheduled happens through assignments only', () => {
  for (const role of ROLES) {
    expect(checkJobTransition({ from: 'open', to: 'scheduled', role })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    expect(checkJobTransition({ from: 'scheduled', to: 'open', role })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
  }
  expect(checkJobTransition({ from: 'open', to: 'scheduled', role: 'system' }).ok).toBe(true);
  expect(checkJobTransition({ from: 'scheduled', to: 'open', role: 'system' }).ok).toBe(true);
});

test('allowed transitions per role', () => {
  expect(allowedJobTransitions('in_progress', 'contractor')).toEqual(['waiting_on_materials', 'on_hold', 'completed']);
  expect(allowedJobTransitions('in_progress', 'dispatcher')).toEqual([
    'waiting_on_materials',
    'on_hold',
    'completed',
    'cancelled',
  ]);
  expect(allowedJobTransitions('open', 'dispatcher')).toEqual(['cancelled']);
  expect(allowedJobTransitions('completed', 'contractor')).toEqual([]);
  expect(allowedJobTransitions('cancelled', 'admin')).toEqual([]);
});

test('property: a check passes exactly for the moves allowedJobTransitions lists', () => {
  fc.assert(
    fc.property(status, status, actor, (from, to, role) => {
      const result = checkJobTransition({ from, to, role });
      expect(result.ok).toBe(allowedJobTransitions(from, role).includes(to));
      if (from === to) expect(result.ok).toBe(false);
      if (!jobTransitions[from].includes(to)) expect(result).toMatchObject({ ok: false, code: 'invalid_transition' });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }),
  );
});

test('property: a contractor can do no more than a dispatcher', () => {
  fc.assert(
    fc.property(status, (from) => {
      const office = allowedJobTransitions(from, 'dispatcher');
      for (const to of allowedJobTransitions(from, 'contractor')) expect(office).toContain(to);
      expect(allowedJobTransitions(from, 'admin')).toEqual(office);
    }),
  );
});
