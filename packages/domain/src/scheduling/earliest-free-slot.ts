import {
  formatInterval,
  freeSlotsMs,
  type MsInterval,
  parseInterval,
  type TimeInterval,
  type WorkingHoursWindow,
} from './free-slots';
import {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  type LocalDate,
  parseInstant,
  utcToLocalDateTime,
} from './local-time';

/** Arguments of {@link earliestFreeSlot}. */
export type EarliestFreeSlotInput = {
  desiredDate: LocalDate;
  timeZone: string;
  workingHours: readonly WorkingHoursWindow[];
  busy: readonly TimeInterval[];
  durationMinutes: number;
  /** Days searched after the first searchable day; 10 unless told (day 0 … day 10). */
  searchDays?: number;
  /** Step between candidate starts; 30 unless told. */
  slotMinutes?: number;
  /** ISO instant; no slot starting before it is proposed. Omit to search from the desired date. */
  now?: string;
  /** How many slots to list for display; 3 unless told. */
  maxSlots?: number;
};

/** The first free slot found and a few more to offer. */
export type EarliestFreeSlot = {
  slot: TimeInterval;
  /** Local date of `slot` in the organization's time zone. */
  date: LocalDate;
  /** Calendar days from the desired date to `date` (0 = on the desired day). */
  dayOffset: number;
  /** Up to `maxSlots` free slots from `slot` onwards (may run into later days), earliest first. */
  slots: TimeInterval[];
};

/** Same as {@link EarliestFreeSlot} with epoch-ms intervals. */
export type EarliestFreeSlotMs = Omit<EarliestFreeSlot, 'slot' | 'slots'> & {
  slot: MsInterval;
  slots: MsInterval[];
};

/**
 * The earliest free slot from the desired date on, or `null` when there is
 * none within the search window.
 *
 * The window is `searchDays + 1` local days starting at the desired date, or
 * at today when the desired date has already passed (`now`), and no slot
 * starting before `now` is offered. `dayOffset` is always counted from the
 * desired date, so a late job keeps losing availability score the later it
 * runs, but can still be placed: an overdue job would otherwise have nobody
 * to recommend.
 */
export function earliestFreeSlot(input: EarliestFreeSlotInput): EarliestFreeSlot | null {
  const found = earliestFreeSlotMs({
    ...input,
    busy: input.busy.map(parseInterval),
    nowMs: input.now === undefined ? undefined : parseInstant(input.now),
  });
  if (!found) return null;
  return { ...found, slot: formatInterval(found.slot), slots: found.slots.map(formatInterval) };
}

/** {@link earliestFreeSlot} on pre-parsed busy intervals and `now` in epoch ms. */
export function earliestFreeSlotMs(
  input: Omit<EarliestFreeSlotInput, 'busy' | 'now'> & { busy: readonly MsInterval[]; nowMs?: number | undefined },
): EarliestFreeSlotMs | null {
  const searchDays = input.searchDays ?? 10;
  const slotMinutes = input.slotMinutes ?? 30;
  const maxSlots = Math.max(1, input.maxSlots ?? 3);
  const nowMs = input.nowMs;
  const firstOffset = firstSearchedDayOffset(input.desiredDate, input.timeZone, nowMs);

  let first: { slot: MsInterval; date: LocalDate; dayOffset: number } | undefined;
  const slots: MsInterval[] = [];
  for (let dayOffset = firstOffset; dayOffset <= firstOffset + searchDays; dayOffset++) {
    const date = addDaysToLocalDate(input.desiredDate, dayOffset);
    const daySlots = freeSlotsMs(
      date,
      input.timeZone,
      input.workingHours,
      input.busy,
      input.durationMinutes,
      slotMinutes,
    );
    for (const slot of daySlots) {
      if (nowMs !== undefined && slot.start < nowMs) continue;
      first ??= { slot, date, dayOffset };
      slots.push(slot);
      if (slots.length >= maxSlots) return { ...first, slots };
    }
  }
  return first ? { ...first, slots } : null;
}

/**
 * The day (counted from the desired date) the slot search starts on: 0, or
 * today's offset when the desired date has passed. No slot is ever found
 * earlier, so it bounds the availability score from above.
 */
export function firstSearchedDayOffset(desiredDate: LocalDate, timeZone: string, nowMs: number | undefined): number {
  if (nowMs === undefined) return 0;
  return Math.max(0, daysBetweenLocalDates(desiredDate, utcToLocalDateTime(nowMs, timeZone).date));
}
