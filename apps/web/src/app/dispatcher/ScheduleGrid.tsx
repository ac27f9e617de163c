import { isLiveAssignment, weekdayOfLocalDate } from '@fieldsync/domain';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { LocalRow } from '../../sync';
import type { CompanyClock } from '../shell/format';
import { formatHourMark, formatLocalDate, formatTime, formatWallTime, humanize } from './format';
import type { PlacementCheck } from './placement-check';
import { routeHref } from './route';
import {
  type Interval,
  intervalBoxes,
  type ScheduleMode,
  trackMinutes,
  type VisibleRange,
  windowBox,
} from './schedule-layout';
import { PendingMark } from './ui';
import type { DragItem } from './use-schedule-drag';

/** Visits that may still move: not started, not finished. */
export function isMovable(assignment: { status: string }): boolean {
  return assignment.status === 'pending' || assignment.status === 'confirmed';
}

/** The drop preview on the row under the pointer. */
export type DropPreview = {
  contractorId: string;
  interval: Interval;
  check: PlacementCheck;
  /** "Moves to Ken" when a visit changes hands. */
  note: string | null;
};

type ScheduleGridProps = {
  mode: ScheduleMode;
  days: readonly string[];
  range: VisibleRange;
  today: string;
  nowIso: string;
  clock: CompanyClock;
  contractors: readonly LocalRow<'contractors'>[];
  hoursByContractor: ReadonlyMap<string, LocalRow<'workingHours'>[]>;
  /** Live assignments per contractor. */
  assignmentsByContractor: ReadonlyMap<string, LocalRow<'assignments'>[]>;
  jobById: ReadonlyMap<string, LocalRow<'jobs'>>;
  dragging: DragItem | null;
  preview: DropPreview | null;
  onPointerDown: (event: ReactPointerEvent<HTMLElement>, item: DragItem) => void;
  onMove: (assignment: LocalRow<'assignments'>, job: LocalRow<'jobs'>) => void;
};

const percent = (fraction: number) => `${fraction * 100}%`;

/**
 * Places a box on its track. Boxes near the right end are anchored by
 * their right edge, so a block that widens to show its words on hover (and
 * the drop preview's words) grow into the grid, not past it.
 */
function boxStyle(box: { left: number; width: number }) {
  return box.left + box.width > 0.7
    ? { right: percent(Math.max(0, 1 - box.left - box.width)), width: percent(box.width) }
    : { left: percent(box.left), width: percent(box.width) };
}

/**
 * Rows of contractors against the company's clock: working hours shaded,
 * live visits as blocks, and while something is dragged, where it would
 * land and what the schedule thinks of it, in words.
 *
 * Every row's track (`data-schedule-track`) spans `data-days` days of
 * `data-range-start` … `data-range-end` wall-clock minutes each, side by
 * side, so a point `x` px into the track is minute
 * `x / width × days × (end − start)` of the grid.
 */
export function ScheduleGrid(props: ScheduleGridProps) {
  const { days, range, clock, mode } = props;
  const total = trackMinutes(range, days.length);
  const hours = Array.from({ length: (range.end - range.start) / 60 + 1 }, (_, index) => range.start / 60 + index);
  const nowBox = intervalBoxes({ start: props.nowIso, end: props.nowIso }, days, range, clock.timeZone);
  const nowLeft = nowBox[0]?.left;
  const trackData = {
    'data-schedule-track': '',
    'data-days': days.length,
    'data-first-date': days[0],
    'data-range-start': range.start,
    'data-range-end': range.end,
  };

  return (
    <div
      className={`dsp-sch-grid dsp-sch-mode-${mode}`}
      style={{ ['--sch-hours' as string]: (range.end - range.start) / 60 }}
    >
      <div className="dsp-sch-row dsp-sch-head">
        <div className="dsp-sch-name">Contractor</div>
        <div className="dsp-sch-track dsp-sch-scale" aria-hidden={mode === 'day'}>
          {mode === 'day'
            ? hours.map((hour, index) => (
                <span
                  key={hour}
                  className={`dsp-sch-hour${index === 0 ? ' dsp-sch-hour-first' : index === hours.length - 1 ? ' dsp-sch-hour-last' : ''}`}
                  style={{ left: percent((hour * 60 - range.start) / total) }}
                >
                  {formatHourMark(hour, clock)}
                </span>
              ))
            : days.map((day, index) => (
                <span
                  key={day}
                  className={`dsp-sch-day${day === props.today ? ' dsp-sch-today' : ''}`}
                  style={{ left: percent(index / days.length), width: percent(1 / days.length) }}
                >
                  {formatLocalDate(day)}
                </span>
              ))}
        </div>
      </div>

      {props.contractors.length === 0 ? <p className="dsp-empty">No contractors match.</p> : null}
      {props.contractors.map((contractor) => {
        const preview = props.preview?.contractorId === contractor.id ? props.preview : null;
        const windows = props.hoursByContractor.get(contractor.id) ?? [];
        const visits = (props.assignmentsByContractor.get(contractor.id) ?? []).filter((a) =>
          isLiveAssignment(a.status),
        );
        return (
          <div
            key={contractor.id}
            className={`dsp-sch-row${contractor.status !== 'active' ? ' dsp-sch-row-inactive' : ''}${preview ? ' dsp-sch-row-target' : ''}`}
            data-testid="schedule-row"
            data-contractor-id={contractor.id}
          >
            <div className="dsp-sch-name">
              <a href={routeHref({ name: 'contractors', contractorId: contractor.id })}>{contractor.name}</a>
              <span className="dsp-muted">
                {humanize(contractor.trade)}
                {contractor.status !== 'active' ? ` · ${humanize(contractor.status)}` : ''}
              </span>
            </div>
            <div className="dsp-sch-track" data-contractor-id={contractor.id} {...trackData}>
              {days.map((day, index) => {
                const window = windows.find((row) => row.dayOfWeek === weekdayOfLocalDate(day));
                const box = window ? windowBox(window, index, days.length, range) : null;
                if (!window || !box) return null;
                return (
                  <span
                    key={day}
                    className="dsp-sch-hours"
                    title={`Works ${formatWallTime(window.startTime, clock)}–${formatWallTime(window.endTime, clock)}`}
                    style={{ left: percent(box.left), width: percent(box.width) }}
                  />
                );
              })}
              {nowLeft !== undefined ? (
                <span className="dsp-sch-now" style={{ left: percent(nowLeft) }} aria-hidden="true" />
              ) : null}
              {visits.map((assignment) => (
                <VisitBlock
                  key={assignment.id}
                  assignment={assignment}
                  job={props.jobById.get(assignment.jobId)}
                  days={days}
                  range={range}
                  clock={clock}
                  dragged={props.dragging?.kind === 'assignment' && props.dragging.assignment.id === assignment.id}
                  onPointerDown={props.onPointerDown}
                  onMove={props.onMove}
                />
              ))}
              {preview ? <DropGhost preview={preview} days={days} range={range} clock={clock} /> : null}
            </div>
          </div>
        );
      })}

      <p className="dsp-legend">
        <span className="dsp-legend-hours" /> working hours <span className="dsp-legend-block dsp-astatus-pending" />{' '}
        pending <span className="dsp-legend-block dsp-astatus-confirmed" /> confirmed{' '}
        <span className="dsp-legend-block dsp-astatus-in_progress" /> in progress{' '}
        <span className="dsp-legend-block dsp-astatus-completed" /> completed
      </p>
    </div>
  );
}

function VisitBlock(props: {
  assignment: LocalRow<'assignments'>;
  job: LocalRow<'jobs'> | undefined;
  days: readonly string[];
  range: VisibleRange;
  clock: CompanyClock;
  dragged: boolean;
  onPointerDown: ScheduleGridProps['onPointerDown'];
  onMove: ScheduleGridProps['onMove'];
}) {
  const { assignment, job, clock } = props;
  const boxes = intervalBoxes(
    { start: assignment.scheduledStart, end: assignment.scheduledEnd },
    props.days,
    props.range,
    clock.timeZone,
  );
  const [first, ...rest] = boxes;
  if (!first) return null;
  const title = job?.title ?? 'Job not on this device';
  const time = `${formatTime(assignment.scheduledStart, clock)}–${formatTime(assignment.scheduledEnd, clock)}`;
  const movable = job !== undefined && isMovable(assignment);
  const pending = assignment._pendingSeq !== undefined;
  const className = `dsp-sch-block dsp-astatus-${assignment.status}${pending ? ' dsp-sch-block-pending' : ''}${props.dragged ? ' dsp-sch-block-dragged' : ''}${movable ? ' dsp-sch-block-movable' : ''}`;
  return (
    <>
      <div
        className={className}
        data-testid="schedule-block"
        data-assignment-id={assignment.id}
        data-job-id={assignment.jobId}
        data-status={assignment.status}
        style={boxStyle(first)}
        title={`${title} · ${time} · ${humanize(assignment.status)}${pending ? ' · not sent yet' : ''}`}
        onPointerDown={
          movable && job ? (event) => props.onPointerDown(event, { kind: 'assignment', assignment, job }) : undefined
        }
      >
        <a
          href={routeHref({ name: 'job', jobId: assignment.jobId })}
          draggable={false}
          aria-label={`${title}, ${time}, ${humanize(assignment.status)}${pending ? ', not sent yet' : ''}`}
        >
          <span className="dsp-sch-block-time">{time}</span>
          <span className="dsp-sch-block-title">{title}</span>
        </a>
        <PendingMark pending={assignment._pendingSeq} />
        {movable && job ? (
          <button
            type="button"
            className="dsp-sch-move"
            aria-label={`Move ${title}, ${time}`}
            onClick={() => props.onMove(assignment, job)}
          >
            Move…
          </button>
        ) : null}
      </div>
      {rest.map((box) => (
        <span
          key={box.left}
          aria-hidden="true"
          className={`dsp-sch-block dsp-sch-block-continued dsp-astatus-${assignment.status}`}
          style={{ left: percent(box.left), width: percent(box.width) }}
        />
      ))}
    </>
  );
}

function DropGhost(props: { preview: DropPreview; days: readonly string[]; range: VisibleRange; clock: CompanyClock }) {
  const { preview, clock } = props;
  const [box] = intervalBoxes(preview.interval, props.days, props.range, clock.timeZone);
  const tone =
    preview.check.kind === 'refused' ? 'refused' : preview.check.warnings.length > 0 || preview.note ? 'warn' : 'ok';
  const words = [
    `${formatTime(preview.interval.start, clock)}–${formatTime(preview.interval.end, clock)}`,
    ...(preview.note ? [preview.note] : []),
    ...(preview.check.kind === 'refused' ? [preview.check.message] : preview.check.warnings),
  ];
  return (
    <div
      className={`dsp-sch-ghost dsp-sch-ghost-${tone}${(box?.left ?? 0) + (box?.width ?? 0) > 0.7 ? ' dsp-sch-ghost-end' : ''}`}
      data-testid="drop-preview"
      data-tone={tone}
      style={boxStyle(box ?? { left: 0, width: 0 })}
    >
      <p className="dsp-sch-ghost-words" role="status">
        {tone === 'refused' ? (
          <span aria-hidden="true">✕ </span>
        ) : tone === 'warn' ? (
          <span aria-hidden="true">⚠ </span>
        ) : null}
        {words.join(' · ')}
      </p>
    </div>
  );
}
