import { addDaysToLocalDate, isLiveAssignment, TRADES, weekdayOfLocalDate } from '@fieldsync/domain';
import { type PointerEvent as ReactPointerEvent, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useJobs } from './dispatcher-data';
import { formatDateTime, formatLocalDate, formatWallTime, humanize, todayIn } from './format';
import { contractorsForPicking, type Placement, type PlacementValues } from './PlacementForm';
import { checkPlacement } from './placement-check';
import { routeHref } from './route';
import { ScheduleDialog, type ScheduleDialogSubject } from './ScheduleDialog';
import { type DropPreview, ScheduleGrid } from './ScheduleGrid';
import {
  minutesBetween,
  minutesToTime,
  type ScheduleMode,
  scheduleDays,
  slotInterval,
  visibleRange,
  type WallSlot,
  wallSlotOf,
} from './schedule-layout';
import { PriorityTag } from './ui';
import { useScheduleActions } from './use-schedule-actions';
import { type DragItem, type DropTarget, useScheduleDrag } from './use-schedule-drag';
import { VirtualList } from './VirtualList';
import './schedule.css';

const EMPTY: never[] = [];

type Notice = { tone: 'ok' | 'error'; text: string };
type DialogState = { subject: ScheduleDialogSubject; initial: PlacementValues; confirming: boolean };

function groupByContractor<T extends { contractorId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.contractorId);
    if (list) list.push(row);
    else map.set(row.contractorId, [row]);
  }
  return map;
}

/**
 * The dispatcher's day or week: a row per contractor on the company's
 * clock, their working hours shaded and their visits as blocks, with the
 * jobs nobody is on beside it. Jobs are dragged onto a row to propose them,
 * visits dragged along their row to reschedule or onto another row to hand
 * them over; "Schedule…" and "Move…" do the same from the keyboard. Every
 * change is queued on this computer, so all of it works offline.
 */
export function ScheduleView() {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const { timeZone } = clock;
  const contractors = useContractors();
  const jobs = useJobs();
  const assignments = useLiveQuery(() => db.assignments.toArray(), [db], EMPTY);
  const workingHours = useLiveQuery(() => db.workingHours.toArray(), [db], EMPTY);
  const actions = useScheduleActions();
  const [mode, setMode] = useState<ScheduleMode>('day');
  const [anchor, setAnchor] = useState(() => todayIn(clock));
  const [trade, setTrade] = useState<string>('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);

  const today = todayIn(clock);
  const days = useMemo(() => scheduleDays(mode, anchor), [mode, anchor]);
  const jobById = useMemo(() => new Map(jobs.map((job) => [job.id, job])), [jobs]);
  const contractorById = useMemo(() => new Map(contractors.map((c) => [c.id, c])), [contractors]);
  const hoursByContractor = useMemo(() => groupByContractor(workingHours), [workingHours]);
  const assignmentsByContractor = useMemo(() => groupByContractor(assignments), [assignments]);

  const rows = useMemo(
    () => contractorsForPicking(contractors).filter((c) => trade === '' || c.trade === trade || c.trade === 'multi'),
    [contractors, trade],
  );
  const range = useMemo(
    () => visibleRange(rows.flatMap((c) => hoursByContractor.get(c.id) ?? [])),
    [rows, hoursByContractor],
  );
  const unassigned = useMemo(() => {
    const staffed = new Set(assignments.filter((a) => isLiveAssignment(a.status)).map((a) => a.jobId));
    return jobs
      .filter((job) => job.status === 'open' && !staffed.has(job.id) && (trade === '' || job.trade === trade))
      .sort(
        (a, b) => (a.desiredDate ?? '9999').localeCompare(b.desiredDate ?? '9999') || a.title.localeCompare(b.title),
      );
  }, [jobs, assignments, trade]);

  /** Where an item would land, and what the schedule says about it. */
  const evaluate = (item: DragItem, contractorId: string, slot: WallSlot) => {
    const contractor = contractorById.get(contractorId);
    if (!contractor) return null;
    const duration =
      item.kind === 'assignment'
        ? minutesBetween(item.assignment.scheduledStart, item.assignment.scheduledEnd)
        : item.job.durationMinutes;
    const interval = slotInterval(slot, duration, timeZone);
    const check = checkPlacement({
      booking: { id: item.kind === 'assignment' ? item.assignment.id : '', jobId: item.job.id, ...interval },
      jobStatus: item.job.status,
      jobTrade: item.job.trade,
      contractor,
      theirs: assignmentsByContractor.get(contractorId) ?? [],
      workingHours: hoursByContractor.get(contractorId) ?? [],
      timeZone,
      nowMs: Date.now(),
      formatWallTime: (time) => formatWallTime(time, clock),
    });
    const handOver = item.kind === 'assignment' && item.assignment.contractorId !== contractorId;
    return { contractor, interval, check, handOver };
  };

  /** Queues the change; answers whether it was queued. */
  const commit = async (subject: ScheduleDialogSubject, placement: Placement): Promise<boolean> => {
    const { contractor, interval } = placement;
    const when = formatDateTime(interval.start, clock);
    let queued: boolean;
    let text: string;
    if (subject.kind === 'job') {
      queued = await actions.propose(subject.job, contractor.id, interval);
      text = `Proposed “${subject.job.title}” to ${contractor.name} for ${when}. They confirm on their phone.`;
    } else if (subject.assignment.contractorId === contractor.id) {
      queued = await actions.reschedule(subject.assignment, interval);
      text = `Moved “${subject.job.title}” to ${when}.`;
    } else {
      queued = await actions.moveToContractor(subject.assignment, contractor, interval);
      text = `Proposed “${subject.job.title}” to ${contractor.name} for ${when}; ${contractorById.get(subject.assignment.contractorId)?.name ?? 'the earlier contractor'}'s visit cancelled.`;
    }
    if (queued) setNotice({ tone: 'ok', text });
    return queued;
  };

  const onDrop = (item: DragItem, target: DropTarget) => {
    setNotice(null);
    actions.clearError();
    const result = evaluate(item, target.contractorId, target.slot);
    if (!result) return;
    const { check, contractor, interval } = result;
    if (check.kind === 'refused') {
      setNotice({ tone: 'error', text: `Not ${item.kind === 'job' ? 'scheduled' : 'moved'}: ${check.message}` });
      return;
    }
    if (
      item.kind === 'assignment' &&
      !result.handOver &&
      Date.parse(interval.start) === Date.parse(item.assignment.scheduledStart)
    ) {
      return;
    }
    if (result.handOver || check.warnings.length > 0) {
      setDialog({
        subject: item,
        initial: { contractorId: contractor.id, date: target.slot.date, time: minutesToTime(target.slot.minutes) },
        confirming: true,
      });
      return;
    }
    void commit(item, { contractor, interval });
  };

  const drag = useScheduleDrag({ days, range, timeZone, onDrop });

  const preview: DropPreview | null = (() => {
    if (!drag.dragging || !drag.target) return null;
    const result = evaluate(drag.dragging, drag.target.contractorId, drag.target.slot);
    if (!result) return null;
    const from = drag.dragging.kind === 'assignment' ? contractorById.get(drag.dragging.assignment.contractorId) : null;
    return {
      contractorId: result.contractor.id,
      interval: result.interval,
      check: result.check,
      note: result.handOver ? `Moves from ${from?.name ?? 'its contractor'} to ${result.contractor.name}` : null,
    };
  })();

  const openSchedule = (job: LocalRow<'jobs'>) => {
    actions.clearError();
    const date = job.desiredDate && job.desiredDate >= today ? job.desiredDate : (days[0] ?? today);
    const contractor =
      rows.find((c) => c.status === 'active' && (c.trade === job.trade || c.trade === 'multi')) ?? rows[0];
    const window = contractor
      ? hoursByContractor.get(contractor.id)?.find((row) => row.dayOfWeek === weekdayOfLocalDate(date))
      : undefined;
    setDialog({
      subject: { kind: 'job', job },
      initial: { contractorId: contractor?.id ?? '', date, time: window?.startTime.slice(0, 5) ?? '08:00' },
      confirming: false,
    });
  };

  const openMove = (assignment: LocalRow<'assignments'>, job: LocalRow<'jobs'>) => {
    actions.clearError();
    const slot = wallSlotOf(assignment.scheduledStart, timeZone);
    setDialog({
      subject: { kind: 'assignment', assignment, job },
      initial: { contractorId: assignment.contractorId, date: slot.date, time: minutesToTime(slot.minutes) },
      confirming: false,
    });
  };

  const step = mode === 'day' ? 1 : 7;
  const label =
    mode === 'day'
      ? formatLocalDate(anchor)
      : `${formatLocalDate(days[0])} – ${formatLocalDate(days[days.length - 1])}`;
  const startDrag = (event: ReactPointerEvent<HTMLElement>, item: DragItem) => drag.onPointerDown(event, item);

  return (
    <section
      className={`dsp-page dsp-schedule${drag.dragging ? ' dsp-sch-dragging' : ''}`}
      aria-labelledby="dsp-schedule-title"
    >
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-schedule-title">Schedule</h1>
          <p className="dsp-muted">
            {label} · times in {timeZone.replaceAll('_', ' ')}
          </p>
        </div>
        <div className="dsp-toolbar">
          <label className="dsp-sch-filter">
            <span className="dsp-visually-hidden">Trade</span>
            <select value={trade} onChange={(event) => setTrade(event.target.value)}>
              <option value="">All trades</option>
              {TRADES.filter((t) => t !== 'multi').map((t) => (
                <option key={t} value={t}>
                  {humanize(t)}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="dsp-segmented" aria-label="Range">
            <button type="button" aria-pressed={mode === 'day'} onClick={() => setMode('day')}>
              Day
            </button>
            <button type="button" aria-pressed={mode === 'week'} onClick={() => setMode('week')}>
              Week
            </button>
          </fieldset>
          <button type="button" className="dsp-button" onClick={() => setAnchor(addDaysToLocalDate(anchor, -step))}>
            <span aria-hidden="true">←</span> Previous
          </button>
          <button type="button" className="dsp-button" onClick={() => setAnchor(today)}>
            Today
          </button>
          <button type="button" className="dsp-button" onClick={() => setAnchor(addDaysToLocalDate(anchor, step))}>
            Next <span aria-hidden="true">→</span>
          </button>
        </div>
      </header>

      {notice || (actions.error && !dialog) ? (
        <p
          className={`dsp-notice dsp-notice-${notice?.tone ?? 'error'}`}
          role={notice?.tone === 'ok' ? 'status' : 'alert'}
          data-testid="schedule-notice"
        >
          {notice?.text ?? actions.error}
        </p>
      ) : null}

      <div className="dsp-sch-layout">
        <ScheduleGrid
          mode={mode}
          days={days}
          range={range}
          today={today}
          nowIso={new Date().toISOString()}
          clock={clock}
          contractors={rows}
          hoursByContractor={hoursByContractor}
          assignmentsByContractor={assignmentsByContractor}
          jobById={jobById}
          dragging={drag.dragging}
          preview={preview}
          onPointerDown={startDrag}
          onMove={openMove}
        />

        <aside className="dsp-sch-tray" aria-labelledby="dsp-sch-tray-title">
          <h2 id="dsp-sch-tray-title">
            Unassigned <span className="dsp-count">{unassigned.length.toLocaleString()}</span>
          </h2>
          <p className="dsp-sch-tray-hint dsp-muted">Drag a job onto a row, or use Schedule…</p>
          <VirtualList
            items={unassigned}
            rowHeight={92}
            label="Unassigned jobs"
            getKey={(job) => job.id}
            empty={<p className="dsp-muted dsp-sch-tray-empty">Everyone is on something.</p>}
            renderRow={(job) => (
              <div
                className={`dsp-sch-job${drag.dragging?.kind === 'job' && drag.dragging.job.id === job.id ? ' dsp-sch-job-dragged' : ''}`}
                data-testid="unassigned-job"
                data-job-id={job.id}
                onPointerDown={(event) => startDrag(event, { kind: 'job', job })}
              >
                <span className="dsp-sch-grip" aria-hidden="true">
                  ⠿
                </span>
                <a href={routeHref({ name: 'job', jobId: job.id })} className="dsp-sch-job-title" draggable={false}>
                  {job.title}
                </a>
                <span className="dsp-sch-job-meta dsp-muted">
                  {formatLocalDate(job.desiredDate)} · {humanize(job.trade)} · {job.durationMinutes} min{' '}
                  <PriorityTag priority={job.priority} />
                </span>
                <span className="dsp-sch-job-actions">
                  <button type="button" className="dsp-link-button" onClick={() => openSchedule(job)}>
                    Schedule…
                  </button>
                  <a
                    className="dsp-link-button"
                    draggable={false}
                    href={routeHref({ name: 'job', jobId: job.id, panel: 'assign' })}
                  >
                    Recommend…
                  </a>
                </span>
              </div>
            )}
          />
        </aside>
      </div>

      <ScheduleDialog
        subject={dialog?.subject ?? null}
        initial={dialog?.initial ?? { contractorId: '', date: today, time: '08:00' }}
        confirming={dialog?.confirming ?? false}
        contractors={contractors}
        workingHours={workingHours}
        assignments={assignments}
        busy={actions.busy}
        error={actions.error}
        onSubmit={async (subject, placement) => {
          setNotice(null);
          const queued = await commit(subject, placement);
          if (queued) setDialog(null);
          return queued;
        }}
        onClose={() => {
          setDialog(null);
          actions.clearError();
        }}
      />
    </section>
  );
}
