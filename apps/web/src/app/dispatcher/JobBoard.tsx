import {
  JOB_STATUSES,
  type JobStatus,
  needsReassignment,
  PRIORITIES,
  type ReassignmentReason,
  reassignmentMessage,
  TRADES,
} from '@fieldsync/domain';
import { memo, type ReactNode, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { formatDayLabel } from '../shell/format';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { jobTakesAssignments } from './AssignmentsSection';
import { photoCountsByJob, photoCountText } from './attachment-gallery';
import { compareByDay, comparePriority, type DayGroup, dayGroup } from './board-order';
import { useContractors, useCustomersById, useJobs, useLiveAssignmentsByJob, useUsersById } from './dispatcher-data';
import { formatLocalDate, humanize, todayIn } from './format';
import { routeHref } from './route';
import { JobNumber, PendingMark, PriorityTag, StatusBadge } from './ui';
import { VirtualList } from './VirtualList';
import './attachments.css';

type BoardRow = {
  job: LocalRow<'jobs'>;
  customerName: string;
  customerPhone: string;
  contractorNames: string;
  contractorIds: string[];
  /** Each contractor on the job who can no longer work it, why, and the flag's words. */
  reassignments: Reassignment[];
  /** Lower-cased job number, title, customer, address and phone, for instant search. */
  haystack: string;
  /** Digits of the phone numbers, so "555 0102" finds "(555) 010-2…". */
  digits: string;
  /** Where the job falls from the company's today, for the board's default order. */
  day: DayGroup;
  /** Photos on the job (not signatures or documents, not removed ones). */
  photoCount: number;
  /** A contractor created it on site as a follow-up of another job. */
  fromField: boolean;
};

type Reassignment = { name: string; reason: ReassignmentReason; message: string };

/** The reason in the few words the board's narrow contractor column has room for. */
const REASON_WORDS: Record<ReassignmentReason, string> = {
  access_removed: 'access removed',
  contractor_inactive: 'no longer active',
};

type Filters = {
  statuses: JobStatus[];
  from: string;
  to: string;
  trade: string;
  priority: string;
  contractorId: string;
  unassigned: boolean;
  needsReassignment: boolean;
};

const NO_FILTERS: Filters = {
  statuses: [],
  from: '',
  to: '',
  trade: '',
  priority: '',
  contractorId: '',
  unassigned: false,
  needsReassignment: false,
};

/** `day` is the default: today's work on top (`compareByDay`); `desiredDate` is plain date order. */
type SortKey = 'day' | 'jobNumber' | 'title' | 'customer' | 'desiredDate' | 'priority' | 'status';
type Sort = { key: SortKey; descending: boolean };
const DEFAULT_SORT: Sort = { key: 'day', descending: false };
const STATUS_RANK = Object.fromEntries(JOB_STATUSES.map((status, index) => [status, index])) as Record<
  JobStatus,
  number
>;

const ROW_HEIGHT = 48;
const CARD_HEIGHT = 116;

function compareRows(key: SortKey, a: BoardRow, b: BoardRow, today: string): number {
  switch (key) {
    case 'jobNumber':
      return (a.job.jobNumber ?? '').localeCompare(b.job.jobNumber ?? '');
    case 'title':
      return a.job.title.localeCompare(b.job.title);
    case 'customer':
      return a.customerName.localeCompare(b.customerName);
    case 'priority':
      return comparePriority(a.job, b.job);
    case 'status':
      return STATUS_RANK[a.job.status] - STATUS_RANK[b.job.status];
    case 'desiredDate':
      // Jobs without a date go last.
      return (a.job.desiredDate ?? '9999').localeCompare(b.job.desiredDate ?? '9999');
    case 'day':
      return compareByDay(a.job, b.job, today);
  }
}

/** Clicking the date header: today first → earliest first → latest first → today first. */
function nextDateSort(sort: Sort): Sort {
  if (sort.key === 'day') return { key: 'desiredDate', descending: false };
  if (sort.key === 'desiredDate' && !sort.descending) return { key: 'desiredDate', descending: true };
  return DEFAULT_SORT;
}

const NO_ATTACHMENTS: never[] = [];

/**
 * Photos per job (live), counted in one pass over the attachments: the board
 * reads each row's count from the map instead of querying per row.
 */
function usePhotoCountsByJob(): Map<string, number> {
  const { db } = useFieldsync();
  const attachments = useLiveQuery(() => db.attachments.toArray(), [db], NO_ATTACHMENTS);
  return useMemo(() => photoCountsByJob(attachments), [attachments]);
}

/** The job board: every job on the device, filtered and searched instantly, as a table or by status. */
export function JobBoard() {
  const jobs = useJobs();
  const customers = useCustomersById();
  const contractors = useContractors();
  const assignmentsByJob = useLiveAssignmentsByJob();
  const users = useUsersById();
  const photoCounts = usePhotoCountsByJob();
  const clock = useOrganization();
  const today = todayIn(clock);
  const [view, setView] = useState<'table' | 'columns'>(
    () => (sessionStorage.getItem('dsp-board-view') as 'table' | 'columns' | null) ?? 'table',
  );
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const searchBox = useRef<HTMLInputElement>(null);
  const deferredQuery = useDeferredValue(query);

  useEffect(() => sessionStorage.setItem('dsp-board-view', view), [view]);

  // "/" jumps to search, as in most desktop tools; ignored while typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key === '/' && !typing && !event.metaKey && !event.ctrlKey) {
        event.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const contractorById = useMemo(
    () => new Map(contractors.map((contractor) => [contractor.id, contractor])),
    [contractors],
  );

  const rows = useMemo<BoardRow[]>(
    () =>
      jobs.map((job) => {
        const customer = job.customerId ? customers.get(job.customerId) : undefined;
        const live = assignmentsByJob.get(job.id) ?? [];
        const contractorIds = live.map((assignment) => assignment.contractorId);
        const contractorNames = contractorIds.map((id) => contractorById.get(id)?.name ?? 'Unknown').join(', ');
        const reassignments = live.flatMap((assignment) => {
          const contractor = contractorById.get(assignment.contractorId);
          const user = contractor?.userId ? users.get(contractor.userId) : undefined;
          const reason = needsReassignment(assignment, contractor, user);
          return reason && contractor
            ? [{ name: contractor.name, reason, message: reassignmentMessage(reason, contractor.name) }]
            : [];
        });
        const customerName = customer?.name ?? '';
        const customerPhone = customer?.phone ?? '';
        return {
          job,
          customerName,
          customerPhone,
          contractorNames,
          contractorIds,
          reassignments,
          haystack: [
            job.jobNumber ?? '',
            job.title,
            customerName,
            job.address ?? '',
            customer?.address ?? '',
            customerPhone,
          ]
            .join('\u0000')
            .toLowerCase(),
          digits: customerPhone.replace(/\D/g, ''),
          day: dayGroup(job, today),
          photoCount: photoCounts.get(job.id) ?? 0,
          // A follow-up the office made itself is not news from the field.
          fromField: Boolean(job.parentJobId) && users.get(job.createdBy ?? '')?.role === 'contractor',
        };
      }),
    [jobs, customers, assignmentsByJob, contractorById, users, today, photoCounts],
  );

  const visible = useMemo(() => {
    const needle = deferredQuery.trim().toLowerCase();
    const needleDigits = needle.replace(/\D/g, '');
    const statusSet = new Set(filters.statuses);
    const matched = rows.filter((row) => {
      const { job } = row;
      if (statusSet.size > 0 && !statusSet.has(job.status)) return false;
      if (filters.trade && job.trade !== filters.trade) return false;
      if (filters.priority && job.priority !== filters.priority) return false;
      if (filters.from && (!job.desiredDate || job.desiredDate < filters.from)) return false;
      if (filters.to && (!job.desiredDate || job.desiredDate > filters.to)) return false;
      if (filters.unassigned && row.contractorIds.length > 0) return false;
      if (filters.needsReassignment && row.reassignments.length === 0) return false;
      if (filters.contractorId && !row.contractorIds.includes(filters.contractorId)) return false;
      if (needle) {
        const textHit = row.haystack.includes(needle);
        const phoneHit = needleDigits.length >= 3 && row.digits.includes(needleDigits);
        if (!textHit && !phoneHit) return false;
      }
      return true;
    });
    const direction = sort.descending ? -1 : 1;
    matched.sort(
      (a, b) =>
        direction * compareRows(sort.key, a, b, today) ||
        (a.job.jobNumber ?? a.job.id).localeCompare(b.job.jobNumber ?? b.job.id),
    );
    return matched;
  }, [rows, deferredQuery, filters, sort, today]);

  const reassignCount = useMemo(() => rows.filter((row) => row.reassignments.length > 0).length, [rows]);
  const filtered = query !== '' || JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const toggleStatus = (status: JobStatus) =>
    setFilter(
      'statuses',
      filters.statuses.includes(status) ? filters.statuses.filter((s) => s !== status) : [...filters.statuses, status],
    );

  return (
    <section className="dsp-board" aria-labelledby="dsp-board-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-board-title">Jobs</h1>
          <p className="dsp-muted" aria-live="polite">
            {visible.length === rows.length
              ? `${rows.length.toLocaleString()} ${rows.length === 1 ? 'job' : 'jobs'}`
              : `${visible.length.toLocaleString()} of ${rows.length.toLocaleString()} jobs`}
            {sort.key === 'day' ? ' · overdue and today first' : ''}
          </p>
        </div>
        <div className="dsp-toolbar">
          <div className="dsp-search">
            <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16">
              <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
              <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            <input
              ref={searchBox}
              type="search"
              placeholder="Search number, title, customer, address, phone"
              aria-label="Search jobs"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            <span className="dsp-kbd" aria-hidden="true">
              /
            </span>
          </div>
          <fieldset className="dsp-segmented" aria-label="Board layout">
            <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
              Table
            </button>
            <button type="button" aria-pressed={view === 'columns'} onClick={() => setView('columns')}>
              By status
            </button>
          </fieldset>
          <a className="dsp-button" href={routeHref({ name: 'new-customer' })}>
            New customer
          </a>
          <a className="dsp-button dsp-button-primary" href={routeHref({ name: 'new-job' })}>
            New job
          </a>
        </div>
      </header>

      {reassignCount > 0 && !filters.needsReassignment ? (
        <p className="dsp-notice dsp-notice-warn" role="status">
          {reassignCount === 1 ? '1 job is' : `${reassignCount.toLocaleString()} jobs are`} booked with a contractor who
          can no longer work.{' '}
          <button type="button" className="dsp-link-button" onClick={() => setFilter('needsReassignment', true)}>
            Show {reassignCount === 1 ? 'it' : 'them'}
          </button>
        </p>
      ) : null}

      <fieldset className="dsp-filters">
        <legend className="dsp-visually-hidden">Filters</legend>
        <fieldset className="dsp-chips">
          <legend className="dsp-visually-hidden">Status</legend>
          {JOB_STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className={`dsp-chip dsp-chip-${status}`}
              aria-pressed={filters.statuses.includes(status)}
              onClick={() => toggleStatus(status)}
            >
              {JOB_STATUS_LABEL[status]}
            </button>
          ))}
        </fieldset>
        <div className="dsp-filter-row">
          <label>
            From
            <input type="date" value={filters.from} onChange={(event) => setFilter('from', event.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={filters.to} onChange={(event) => setFilter('to', event.target.value)} />
          </label>
          <label>
            Trade
            <select value={filters.trade} onChange={(event) => setFilter('trade', event.target.value)}>
              <option value="">Any</option>
              {TRADES.map((trade) => (
                <option key={trade} value={trade}>
                  {humanize(trade)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority
            <select value={filters.priority} onChange={(event) => setFilter('priority', event.target.value)}>
              <option value="">Any</option>
              {PRIORITIES.map((priority) => (
                <option key={priority} value={priority}>
                  {humanize(priority)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Contractor
            <select
              value={filters.contractorId}
              disabled={filters.unassigned}
              onChange={(event) => setFilter('contractorId', event.target.value)}
            >
              <option value="">Anyone</option>
              {contractors.map((contractor) => (
                <option key={contractor.id} value={contractor.id}>
                  {contractor.name}
                </option>
              ))}
            </select>
          </label>
          <label className="dsp-check">
            <input
              type="checkbox"
              checked={filters.unassigned}
              onChange={(event) => setFilter('unassigned', event.target.checked)}
            />
            Unassigned only
          </label>
          <label className="dsp-check">
            <input
              type="checkbox"
              checked={filters.needsReassignment}
              onChange={(event) => setFilter('needsReassignment', event.target.checked)}
            />
            Needs reassignment{reassignCount > 0 ? ` (${reassignCount.toLocaleString()})` : ''}
          </label>
          {filtered ? (
            <button
              type="button"
              className="dsp-link-button"
              onClick={() => {
                setFilters(NO_FILTERS);
                setQuery('');
              }}
            >
              Clear all
            </button>
          ) : null}
        </div>
      </fieldset>

      {view === 'table' ? (
        <JobTable
          rows={visible}
          sort={sort}
          setSort={setSort}
          today={today}
          empty={<EmptyBoard jobCount={jobs.length} />}
        />
      ) : (
        <>
          {jobs.length === 0 ? (
            <div className="dsp-muted">
              <EmptyBoard jobCount={0} />
            </div>
          ) : null}
          <JobColumns
            rows={visible}
            today={today}
            statuses={filters.statuses.length > 0 ? filters.statuses : [...JOB_STATUSES]}
          />
        </>
      )}
    </section>
  );
}

// The address sits under the title and the trade under the priority, so the title has the room at 1440 px.
const COLUMNS: Array<{ key: SortKey | null; label: string }> = [
  { key: 'jobNumber', label: 'Job' },
  { key: 'title', label: 'Title & address' },
  { key: 'customer', label: 'Customer' },
  { key: 'desiredDate', label: 'Date' },
  { key: 'priority', label: 'Priority' },
  { key: 'status', label: 'Status' },
  { key: null, label: 'Contractor' },
];

/** What the table says with no row to show: still loading, no jobs at all, or none that match. */
function EmptyBoard({ jobCount }: { jobCount: number }) {
  const { lastSyncedAt } = useSyncState();
  if (jobCount === 0 && lastSyncedAt === null) {
    return <p>Loading your company’s jobs… They appear here as they arrive.</p>;
  }
  if (jobCount === 0) return <p>No jobs yet. Add one with “New job”.</p>;
  return <p>No jobs match. Try clearing a filter.</p>;
}

function JobTable({
  rows,
  sort,
  setSort,
  today,
  empty,
}: {
  rows: BoardRow[];
  sort: Sort;
  setSort: (sort: Sort) => void;
  today: string;
  empty: ReactNode;
}) {
  return (
    <div className="dsp-table">
      <div className="dsp-table-head">
        {COLUMNS.map((column) => {
          const isDate = column.key === 'desiredDate';
          const todayFirst = isDate && sort.key === 'day';
          const active = column.key !== null && (sort.key === column.key || todayFirst);
          const now = todayFirst ? ', now today first' : sort.descending ? ', now descending' : ', now ascending';
          return (
            <div key={column.label}>
              {column.key ? (
                <button
                  type="button"
                  className="dsp-sort"
                  aria-label={`Sort by ${column.label}${active ? now : ''}`}
                  onClick={() =>
                    setSort(
                      isDate
                        ? nextDateSort(sort)
                        : { key: column.key as SortKey, descending: active ? !sort.descending : false },
                    )
                  }
                >
                  {column.label}
                  <span aria-hidden="true" className="dsp-sort-arrow">
                    {todayFirst ? '●' : active ? (sort.descending ? '▼' : '▲') : ''}
                  </span>
                </button>
              ) : (
                column.label
              )}
            </div>
          );
        })}
      </div>
      <VirtualList
        items={rows}
        rowHeight={ROW_HEIGHT}
        label="Job rows"
        getKey={(row) => row.job.id}
        empty={empty}
        renderRow={(row) => <JobRow row={row} today={today} />}
      />
    </div>
  );
}

function JobColumns({ rows, statuses, today }: { rows: BoardRow[]; statuses: JobStatus[]; today: string }) {
  const byStatus = useMemo(() => {
    const groups = new Map<JobStatus, BoardRow[]>(statuses.map((status) => [status, []]));
    for (const row of rows) groups.get(row.job.status)?.push(row);
    return groups;
  }, [rows, statuses]);
  return (
    <div className="dsp-columns">
      {statuses.map((status) => {
        const list = byStatus.get(status) ?? [];
        return (
          <section key={status} className={`dsp-column dsp-column-${status}`} aria-label={JOB_STATUS_LABEL[status]}>
            <h2>
              {JOB_STATUS_LABEL[status]} <span className="dsp-count">{list.length.toLocaleString()}</span>
            </h2>
            <VirtualList
              items={list}
              rowHeight={CARD_HEIGHT}
              label={`${JOB_STATUS_LABEL[status]} jobs`}
              getKey={(row) => row.job.id}
              empty={<p className="dsp-muted">None</p>}
              renderRow={(row) => <JobCard row={row} today={today} />}
            />
          </section>
        );
      })}
    </div>
  );
}

/** One table row; memoised so scrolling re-renders only the rows that enter the window. */
const JobRow = memo(function JobRow({ row, today }: { row: BoardRow; today: string }) {
  return (
    // The title link stretches over the whole row (CSS), so the row is one big target with no click handler.
    <div className="dsp-table-row" data-job-id={row.job.id}>
      <div className="dsp-cell-stack">
        <span className="dsp-cell-line">
          <JobNumber jobNumber={row.job.jobNumber} />
        </span>
        {row.fromField || row.photoCount > 0 ? (
          <span className="dsp-cell-line dsp-board-marks">
            <BoardMarks row={row} />
          </span>
        ) : null}
      </div>
      <div className="dsp-cell-title">
        <span className="dsp-cell-line">
          <a href={routeHref({ name: 'job', jobId: row.job.id })} title={row.job.title}>
            {row.job.title}
          </a>
          <PendingMark pending={row.job._pendingSeq} />
        </span>
        {row.job.address ? (
          <span className="dsp-cell-line dsp-cell-sub" title={row.job.address}>
            {row.job.address}
          </span>
        ) : null}
      </div>
      <div>{row.customerName || <span className="dsp-muted">—</span>}</div>
      <div className="dsp-cell-date">
        <DayText row={row} today={today} />
      </div>
      <div className="dsp-cell-stack">
        <span className="dsp-cell-line">
          <PriorityTag priority={row.job.priority} />
        </span>
        <span className="dsp-cell-line dsp-cell-sub">{humanize(row.job.trade)}</span>
      </div>
      <div>
        <StatusBadge status={row.job.status} />
      </div>
      <div>
        {row.reassignments.length > 0 ? (
          <ReassignFlag jobId={row.job.id} reassignments={row.reassignments} />
        ) : (
          row.contractorNames ||
          (jobTakesAssignments(row.job.status) ? (
            <a className="dsp-unassigned" href={routeHref({ name: 'job', jobId: row.job.id, panel: 'assign' })}>
              Assign…
            </a>
          ) : (
            <span className="dsp-muted">—</span>
          ))
        )}
      </div>
    </div>
  );
});

/** One card of the by-status view; memoised like {@link JobRow}. */
const JobCard = memo(function JobCard({ row, today }: { row: BoardRow; today: string }) {
  return (
    <a className="dsp-card" href={routeHref({ name: 'job', jobId: row.job.id })} data-job-id={row.job.id}>
      <span className="dsp-card-top">
        <JobNumber jobNumber={row.job.jobNumber} />
        <PriorityTag priority={row.job.priority} />
      </span>
      <span className="dsp-card-title-line">
        <span className="dsp-card-title">{row.job.title}</span>
        {row.fromField || row.photoCount > 0 ? (
          <span className="dsp-board-marks">
            <BoardMarks row={row} />
          </span>
        ) : null}
      </span>
      <span className="dsp-card-meta">
        {row.customerName || 'No customer'} · <DayText row={row} today={today} />
      </span>
      {row.reassignments.length > 0 ? (
        <span className="dsp-card-meta dsp-reassign" data-testid="needs-reassignment">
          <span aria-hidden="true">⚠ </span>
          {row.reassignments.map((r) => r.message).join('; ')}
        </span>
      ) : (
        <span className="dsp-card-meta">{row.contractorNames || 'Unassigned'}</span>
      )}
    </a>
  );
});

/** "From the field" for a contractor's follow-up job, and how many photos the job has. */
function BoardMarks({ row }: { row: BoardRow }) {
  return (
    <>
      {row.fromField ? (
        <span className="dsp-field-badge" title="Created by a contractor on site, as a follow-up of another job">
          From the field
        </span>
      ) : null}
      {row.photoCount > 0 ? (
        <span className="dsp-photo-count" title={photoCountText(row.photoCount)} data-testid="photo-count">
          <svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="12" height="12">
            <path
              fill="currentColor"
              d="M5.5 2 4.4 3.5H2.5A1.5 1.5 0 0 0 1 5v7.5A1.5 1.5 0 0 0 2.5 14h11a1.5 1.5 0 0 0 1.5-1.5V5a1.5 1.5 0 0 0-1.5-1.5h-1.9L10.5 2zM8 5.5a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm0 1.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"
            />
          </svg>
          <span aria-hidden="true">{row.photoCount.toLocaleString()}</span>
          <span className="dsp-visually-hidden">{photoCountText(row.photoCount)}</span>
        </span>
      ) : null}
    </>
  );
}

/** "Today", "Tomorrow", "Mon, Nov 24"; undone work from an earlier day is marked overdue. */
function DayText({ row, today }: { row: BoardRow; today: string }) {
  const date = row.job.desiredDate;
  if (!date) return <span className="dsp-muted">No date</span>;
  return (
    <>
      <span title={formatLocalDate(date)}>{formatDayLabel(date, today)}</span>
      {row.day === 'overdue' ? <span className="dsp-overdue">Overdue</span> : null}
    </>
  );
}

/**
 * A contractor on the job can no longer work it: "Needs reassignment" and
 * who and why underneath (the column is narrow; the full sentence is the
 * link's name and tooltip). It opens the recommendations to give the job to
 * someone else.
 */
function ReassignFlag({ jobId, reassignments }: { jobId: string; reassignments: Reassignment[] }) {
  const text = reassignments.map((r) => r.message).join('; ');
  return (
    <a
      className="dsp-reassign-flag"
      href={routeHref({ name: 'job', jobId, panel: 'assign' })}
      title={text}
      aria-label={text}
      data-testid="needs-reassignment"
    >
      <span className="dsp-reassign-flag-head">Needs reassignment</span>
      <span className="dsp-reassign-flag-why">
        {reassignments.map((r) => `${r.name} — ${REASON_WORDS[r.reason]}`).join('; ')}
      </span>
    </a>
  );
}
