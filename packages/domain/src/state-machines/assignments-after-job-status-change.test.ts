import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ASSIGNMENT_STATUSES, type AssignmentStatus } from '../enums/assignment-status';
import { JOB_STATUSES } from '../enums/job-status';
import { ROLES } from '../enums/role';
import { checkAssignmentTransition } from './assignment-transitions';
import { type AssignmentOfJob, assignmentsAfterJobStatusChange } from './assignments-after-job-status-change';
import { jobTransitions } from './job-transitions';

const ANA = 'contractor-ana';
const BEN = 'contractor-ben';

function assignment(id: string, contractorId: string, status: AssignmentStatus): AssignmentOfJob {
  return { id, contractorId, status };
}

/** The statuses after applying the follow-ups in order, checking each starts where the last left off. */
function applied(
  assignments: readonly AssignmentOfJob[],
  followUps: ReturnType<typeof assignmentsAfterJobStatusChange>,
) {
  const status = new Map(assignments.map((a) => [a.id, a.status]));
  for (const step of followUps) {
    expect(status.get(step.assignmentId)).toBe(step.from);
    status.set(step.assignmentId, step.to);
  }
  return assignments.map((a) => ({ ...a, status: status.get(a.id) as AssignmentStatus }));
}

test('a contractor starting the job starts their confirmed assignment, nobody else’s', () => {
  const assignments = [assignment('a1', ANA, 'confirmed'), assignment('b1', BEN, 'confirmed')];
  expect(
    assignmentsAfterJobStatusChange({
      from: 'scheduled',
      to: 'in_progress',
      actor: { role: 'contractor', contractorId: ANA },
      assignments,
    }),
  ).toEqual([{ assignmentId: 'a1', contractorId: ANA, from: 'confirmed', to: 'in_progress' }]);
});

test('starting the work accepts a still pending assignment on the way', () => {
  expect(
    assignmentsAfterJobStatusChange({
      from: 'on_hold',
      to: 'in_progress',
      actor: { role: 'contractor', contractorId: ANA },
      assignments: [assignment('a1', ANA, 'pending')],
    }),
  ).toEqual([
    { assignmentId: 'a1', contractorId: ANA, from: 'pending', to: 'confirmed' },
    { assignmentId: 'a1', contractorId: ANA, from: 'confirmed', to: 'in_progress' },
  ]);
});

test('the office starting a job, or reopening one, moves no assignment', () => {
  const assignments = [assignment('a1', ANA, 'confirmed')];
  for (const role of ['dispatcher', 'admin'] as const) {
    expect(
      assignmentsAfterJobStatusChange({ from: 'scheduled', to: 'in_progress', actor: { role }, assignments }),
    ).toEqual([]);
  }
  expect(
    assignmentsAfterJobStatusChange({
      from: 'completed',
      to: 'in_progress',
      actor: { role: 'dispatcher' },
      assignments: [assignment('a1', ANA, 'completed')],
    }),
  ).toEqual([]);
});

test('completing the job completes every live assignment and leaves ended ones alone', () => {
  const assignments = [
    assignment('a1', ANA, 'in_progress'),
    assignment('b1', BEN, 'confirmed'),
    assignment('c1', 'contractor-cy', 'pending'),
    assignment('d1', 'contractor-dee', 'declined'),
    assignment('e1', 'contractor-eve', 'cancelled'),
    assignment('f1', 'contractor-fay', 'completed'),
  ];
  const followUps = assignmentsAfterJobStatusChange({
    from: 'in_progress',
    to: 'completed',
    actor: { role: 'contractor', contractorId: ANA },
    assignments,
  });
  expect(followUps.filter((step) => step.to === 'completed').map((step) => step.assignmentId)).toEqual([
    'a1',
    'b1',
    'c1',
  ]);
  expect(applied(assignments, followUps).map((a) => a.status)).toEqual([
    'completed',
    'completed',
    'completed',
    'declined',
    'cancelled',
    'completed',
  ]);
});

test('other job moves have no follow-ups', () => {
  const assignments = [assignment('a1', ANA, 'confirmed'), assignment('b1', BEN, 'in_progress')];
  for (const to of ['waiting_on_materials', 'on_hold', 'cancelled', 'open', 'scheduled'] as const) {
    expect(
      assignmentsAfterJobStatusChange({
        from: 'in_progress',
        to,
        actor: { role: 'contractor', contractorId: ANA },
        assignments,
      }),
    ).toEqual([]);
  }
});

const jobMove = fc
  .constantFrom(...JOB_STATUSES)
  .chain((from) => fc.record({ from: fc.constant(from), to: fc.constantFrom(...JOB_STATUSES) }))
  .filter(({ from, to }) => jobTransitions[from].includes(to));
const contractorId = fc.constantFrom(ANA, BEN, 'contractor-cy');
const jobAssignments = fc.uniqueArray(fc.record({ contractorId, status: fc.constantFrom(...ASSIGNMENT_STATUSES) }), {
  selector: (a) => a.contractorId,
  maxLength: 3,
});
const actor = fc.oneof(
  fc.record({ role: fc.constant('contractor' as const), contractorId }),
  fc.record({ role: fc.constantFrom(...ROLES) }),
);

test('property: every step is a state-machine move, ended assignments never move, asking again answers nothing', () => {
  fc.assert(
    fc.property(jobMove, actor, jobAssignments, ({ from, to }, who, rows) => {
      const assignments = rows.map((row, i) => assignment(`x${i}`, row.contractorId, row.status));
      const followUps = assignmentsAfterJobStatusChange({ from, to, actor: who, assignments });
      for (const step of followUps) {
        expect(checkAssignmentTransition({ from: step.from, to: step.to, role: 'system', isOwn: false }).ok).toBe(true);
      }
      const after = applied(assignments, followUps);
      after.forEach((row, i) => {
        const before = assignments[i] as AssignmentOfJob;
        if (['declined', 'cancelled', 'completed'].includes(before.status)) expect(row.status).toBe(before.status);
        if (to === 'completed' && before.status !== 'declined' && before.status !== 'cancelled') {
          expect(row.status).toBe('completed');
        }
        if (to !== 'completed' && row.status !== before.status) {
          expect(who).toMatchObject({ role: 'contractor', contractorId: row.contractorId });
          expect(row.status).toBe('in_progress');
        }
      });
      expect(assignmentsAfterJobStatusChange({ from, to, actor: who, assignments: after })).toEqual([]);
    }),
  );
});
