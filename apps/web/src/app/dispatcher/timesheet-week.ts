/**
 * The desktop timesheet's week: the report's rows (one per day, contractor
 * and job) laid out as a contractor × day grid with totals. Pure, so the
 * grid adds up to exactly what the CSV export says.
 */
import { addDaysToLocalDate, type TimesheetRow, weekdayOfLocalDate } from '@fieldsync/domain';

/** Minutes of the three kinds of time on site. */
export interface TimeTotals {
  working: number;
  waiting: number;
  onHold: number;
}

export interface ContractorWeek {
  contractorId: string;
  contractorName: string;
  /** Per day of the week, in order; zeros on days without time. */
  days: TimeTotals[];
  total: TimeTotals;
}

export interface TimesheetWeek {
  /** The seven company days, Monday first. */
  days: string[];
  contractors: ContractorWeek[];
  dayTotals: TimeTotals[];
  total: TimeTotals;
}

const zero = (): TimeTotals => ({ working: 0, waiting: 0, onHold: 0 });

function add(into: TimeTotals, row: TimesheetRow): void {
  into.working += row.workingMinutes;
  into.waiting += row.waitingMinutes;
  into.onHold += row.onHoldMinutes;
}

/** The Monday of the week `day` is in (weeks run Monday to Sunday). */
export function weekStartOf(day: string): string {
  return addDaysToLocalDate(day, -((weekdayOfLocalDate(day) + 6) % 7));
}

/** The seven days from `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, index) => addDaysToLocalDate(monday, index));
}

/** The grid of one week: contractors by name, each day's minutes, and the totals both ways. */
export function timesheetWeek(monday: string, rows: readonly TimesheetRow[]): TimesheetWeek {
  const days = weekDays(monday);
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const byContractor = new Map<string, ContractorWeek>();
  const dayTotals = days.map(zero);
  const total = zero();
  for (const row of rows) {
    const index = dayIndex.get(row.date);
    if (index === undefined) continue;
    let week = byContractor.get(row.contractorId);
    if (!week) {
      week = {
        contractorId: row.contractorId,
        contractorName: row.contractorName,
        days: days.map(zero),
        total: zero(),
      };
      byContractor.set(row.contractorId, week);
    }
    add(week.days[index] as TimeTotals, row);
    add(week.total, row);
    add(dayTotals[index] as TimeTotals, row);
    add(total, row);
  }
  const contractors = [...byContractor.values()].sort(
    (a, b) => a.contractorName.localeCompare(b.contractorName) || a.contractorId.localeCompare(b.contractorId),
  );
  return { days, contractors, dayTotals, total };
}

/** Whether any time at all was recorded. */
export function hasTime(totals: TimeTotals): boolean {
  return totals.working + totals.waiting + totals.onHold > 0;
}
