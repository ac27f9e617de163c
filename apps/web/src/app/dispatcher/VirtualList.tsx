import {
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

type VirtualListProps<T> = {
  items: readonly T[];
  /** Every row is exactly this tall (px); that is what makes windowing cheap. */
  rowHeight: number;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan?: number;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number, style: CSSProperties) => ReactNode;
  className?: string;
  /** Accessible name of the scrolling region. */
  label: string;
  empty?: ReactNode;
};

/**
 * A fixed-row-height windowed list: only the rows in view (plus `overscan`)
 * are in the DOM, absolutely placed inside a spacer as tall as all rows, so
 * 10,000 jobs scroll like 30. Arrow keys, Home and End move focus between
 * rows (the first focusable element of each row). Rows are list items:
 * a windowed ARIA table would announce wrong row counts and positions.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  overscan = 8,
  getKey,
  renderRow,
  className,
  label,
  empty,
}: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const pendingFocus = useRef<number | null>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setViewport(element.clientHeight || 600);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight || 600));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // A filter that shrinks the list must not leave the window past its end.
  useEffect(() => {
    const element = scroller.current;
    if (element && element.scrollTop > items.length * rowHeight) {
      element.scrollTop = 0;
      setScrollTop(0);
    }
  }, [items.length, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);

  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
    const target = row?.querySelector<HTMLElement>('a, button, [tabindex]') ?? row;
    if (target) {
      pendingFocus.current = null;
      target.focus({ preventScroll: true });
    }
  });

  const moveFocus = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp'];
    if (!keys.includes(event.key)) return;
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!current) return;
    const index = Number(current.dataset.rowIndex);
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    const next = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: items.length - 1,
      PageDown: index + page,
      PageUp: index - page,
    }[event.key];
    if (next === undefined) return;
    const target = Math.max(0, Math.min(items.length - 1, next));
    event.preventDefault();
    const element = scroller.current;
    if (element) {
      const top = target * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight)
        element.scrollTop = top + rowHeight - element.clientHeight;
      setScrollTop(element.scrollTop);
    }
    pendingFocus.current = target;
    setScrollTop((value) => value + 0); // re-render so the effect above can focus the row
  };

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as T;
    rows.push(
      <div
        key={getKey(item)}
        data-row-index={index}
        className="dsp-vrow"
        style={{ top: index * rowHeight, height: rowHeight }}
      >
        {renderRow(item, index, { height: rowHeight })}
      </div>,
    );
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move focus between the rows' own links and buttons
    <div
      ref={scroller}
      className={`dsp-vlist ${className ?? ''}`}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={moveFocus}
    >
      {items.length === 0 && empty ? <div className="dsp-vlist-empty">{empty}</div> : null}
      <ul className="dsp-vlist-spacer" aria-label={label} style={{ height: items.length * rowHeight }}>
        {rows}
      </ul>
    </div>
  );
}
