import { type PointerEvent as ReactPointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { LocalRow } from '../../sync';
import {
  gridMinutesAtFraction,
  gridMinutesOfInstant,
  slotAtGridMinutes,
  trackMinutes,
  type VisibleRange,
  type WallSlot,
} from './schedule-layout';

/** What is being dragged: a job from the Unassigned list, or a visit on the grid. */
export type DragItem =
  | { kind: 'job'; job: LocalRow<'jobs'> }
  | { kind: 'assignment'; assignment: LocalRow<'assignments'>; job: LocalRow<'jobs'> };

/** The row and wall-clock slot under the pointer. */
export type DropTarget = { contractorId: string; slot: WallSlot };

/** Pixels the pointer travels before a press becomes a drag, so clicks stay clicks. */
const DRAG_THRESHOLD_PX = 5;

type Press = {
  item: DragItem;
  pointerId: number;
  x: number;
  y: number;
  /** Grid minutes between the pointer and the item's start, kept while dragging. */
  grabOffset: number;
  active: boolean;
};

/** The row's track under a viewport point, if any. */
function trackAt(x: number, y: number): HTMLElement | null {
  const row = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-testid="schedule-row"]');
  return row?.querySelector<HTMLElement>('[data-schedule-track]') ?? null;
}

/**
 * Dragging jobs and visits onto the schedule with pointer events (mouse,
 * pen and touch alike; HTML5 drag events do not fire for touch and cannot
 * tell the pointer's place to a drop target before the drop). A press
 * becomes a drag after a few pixels; Escape or leaving the grid cancels it.
 * The slot under the pointer is the item's new start, keeping where on the
 * block it was grabbed, snapped to quarter hours.
 */
export function useScheduleDrag(options: {
  days: readonly string[];
  range: VisibleRange;
  timeZone: string;
  onDrop: (item: DragItem, target: DropTarget) => void;
}) {
  const [dragging, setDragging] = useState<DragItem | null>(null);
  const [target, setTarget] = useState<DropTarget | null>(null);
  const press = useRef<Press | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const listeners = useRef<(() => void) | null>(null);

  const targetAt = useCallback((x: number, y: number, grabOffset: number): DropTarget | null => {
    const track = trackAt(x, y);
    const contractorId = track?.dataset.contractorId;
    if (!track || !contractorId) return null;
    const { days, range } = latest.current;
    const rect = track.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (x - rect.left) / rect.width));
    const slot = slotAtGridMinutes(gridMinutesAtFraction(fraction, days.length, range) - grabOffset, days, range);
    return { contractorId, slot };
  }, []);

  const end = useCallback(() => {
    listeners.current?.();
    listeners.current = null;
    press.current = null;
    setDragging(null);
    setTarget(null);
  }, []);

  useEffect(() => end, [end]);

  const onPointerDown = useCallback(
    (event: ReactPointerEvent<HTMLElement>, item: DragItem) => {
      if (event.button !== 0 || (event.target as HTMLElement).closest('button')) return;
      end();
      let grabOffset = 0;
      if (item.kind === 'assignment') {
        const track = event.currentTarget.closest<HTMLElement>('[data-schedule-track]');
        const { days, range, timeZone } = latest.current;
        const start = gridMinutesOfInstant(item.assignment.scheduledStart, days, range, timeZone);
        if (track && start !== null) {
          const rect = track.getBoundingClientRect();
          grabOffset = ((event.clientX - rect.left) / rect.width) * trackMinutes(range, days.length) - start;
        }
      }
      press.current = {
        item,
        pointerId: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        grabOffset,
        active: false,
      };

      const move = (moved: PointerEvent) => {
        const current = press.current;
        if (!current || moved.pointerId !== current.pointerId) return;
        if (!current.active) {
          if (Math.hypot(moved.clientX - current.x, moved.clientY - current.y) < DRAG_THRESHOLD_PX) return;
          current.active = true;
          setDragging(current.item);
        }
        moved.preventDefault();
        setTarget(targetAt(moved.clientX, moved.clientY, current.grabOffset));
      };
      const up = (released: PointerEvent) => {
        const current = press.current;
        if (!current || released.pointerId !== current.pointerId) return;
        if (current.active) {
          // The click that follows a drag must not open the job under the pointer.
          const swallow = (click: MouseEvent) => {
            click.preventDefault();
            click.stopPropagation();
          };
          window.addEventListener('click', swallow, { capture: true, once: true });
          requestAnimationFrame(() => window.removeEventListener('click', swallow, { capture: true }));
          const dropped = targetAt(released.clientX, released.clientY, current.grabOffset);
          end();
          if (dropped) latest.current.onDrop(current.item, dropped);
        } else {
          end();
        }
      };
      const key = (pressed: KeyboardEvent) => {
        if (pressed.key === 'Escape') end();
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
      window.addEventListener('pointercancel', end);
      window.addEventListener('keydown', key);
      listeners.current = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        window.removeEventListener('pointercancel', end);
        window.removeEventListener('keydown', key);
      };
    },
    [end, targetAt],
  );

  return { dragging, target, onPointerDown };
}
