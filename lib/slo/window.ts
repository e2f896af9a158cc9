import type { SloWindow } from '@/lib/schemas';
import { MINUTE_MS } from './duration';

/** A half-open span of time [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

export type CalendarUnit = 'week' | 'month' | 'quarter';

const DAY_MS = 1440 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

export function floorToMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * The whole UTC hours inside [start, end), as hourly sums hold them; [end, end) when there are none (then the
 * minutes cover the whole span).
 */
export function wholeHours(start: Date, end: Date): TimeRange {
  const from = Math.ceil(start.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS;
  return from < to ? { from: new Date(from), to: new Date(to) } : { from: end, to: end };
}

// Intl is the only time zone database we rely on; one formatter per zone, since building one is slow.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at instant `t`, expressed as if it were a UTC epoch (ms, whole seconds). */
function wallClock(timeZone: string, t: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(t))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = NaN } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** UTC offset of `timeZone` at instant `t`, in ms (Kathmandu: +5:45 = 20_700_000). */
function offsetAt(timeZone: string, t: number): number {
  const seconds = Math.floor(t / 1000) * 1000;
  return wallClock(timeZone, seconds) - seconds;
}

/**
 * The instant a local date begins in `timeZone`: the earliest instant whose wall clock reads `date` 00:00 or
 * later. `date` is the local date as a UTC midnight epoch. Where DST skips midnight (America/Sao_Paulo,
 * 2018-11-04) the day begins at the jump; where midnight repeats, at its first occurrence.
 */
export function startOfZonedDay(timeZone: string, date: number): number {
  const wall = Math.floor(date / DAY_MS) * DAY_MS;
  const key = `${timeZone}|${wall}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    // Memoised: series call this per point, and only a few distinct period starts ever occur.
    if (dayStarts.size >= 10_000) dayStarts.clear();
    start = computeStartOfZonedDay(timeZone, wall);
    dayStarts.set(key, start);
  }
  return start;
}

const dayStarts = new Map<string, number>();

function computeStartOfZonedDay(timeZone: string, wall: number): number {
  // Offsets lie within -12h..+14h, so the answer lies in [wall - 14h, wall + 12h].
  const offsets = new Set([offsetAt(timeZone, wall - 14 * HOUR_MS), offsetAt(timeZone, wall + 14 * HOUR_MS)]);
  for (const o of [...offsets]) offsets.add(offsetAt(timeZone, wall - o));
  const candidates = [...offsets].map((o) => wall - o).sort((a, b) => a - b);
  const exact = candidates.find((t) => t + offsetAt(timeZone, t) === wall);
  if (exact !== undefined) return exact;

  // Midnight does not exist (a DST gap): binary-search, in whole seconds, the jump over it.
  let lo = Math.floor((candidates[0] ?? wall) / 1000); // wall clock still before midnight
  let hi = Math.ceil((candidates[candidates.length - 1] ?? wall) / 1000); // wall clock past midnight
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid * 1000 + offsetAt(timeZone, mid * 1000) >= wall) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** Local calendar dates as UTC-midnight epochs: the first day of the period containing `date`, and of the next. */
function periodDates(unit: CalendarUnit, date: number): [number, number] {
  const d = new Date(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  switch (unit) {
    case 'week': {
      // ISO 8601 weeks start on Monday; getUTCDay() is 0 for Sunday.
      const monday = date - ((d.getUTCDay() + 6) % 7) * DAY_MS;
      return [monday, monday + 7 * DAY_MS];
    }
    case 'month':
      return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
    case 'quarter': {
      const first = month - (month % 3);
      return [Date.UTC(year, first, 1), Date.UTC(year, first + 3, 1)];
    }
  }
}

/**
 * The calendar week (ISO, from Monday), month or quarter containing `at`, in `timeZone`, as [from, to):
 * `to` is when the next period (and a fresh budget) begins. Lengths follow DST and the calendar.
 */
export function calendarPeriod(unit: CalendarUnit, timeZone: string, at: Date): TimeRange {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('calendarPeriod needs a valid date');
  let date = Math.floor(wallClock(timeZone, t) / DAY_MS) * DAY_MS;
  // Two passes at most: when a repeated hour straddles a boundary, the wall clock's date can be one period off.
  for (let pass = 0; ; pass++) {
    const [first, next] = periodDates(unit, date);
    const from = startOfZonedDay(timeZone, first);
    const to = startOfZonedDay(timeZone, next);
    if ((t >= from && t < to) || pass >= 2) return { from: new Date(from), to: new Date(to) };
    date = t < from ? first - DAY_MS : next;
  }
}

/**
 * The SLO window as of `asOf`. Rolling: the last N days, so `periodEnd` = `asOf`. Calendar: from the start of
 * the current period to `asOf`; `periodEnd` is when the budget resets, `periodMinutes` the period's true length.
 */
export function sloWindowRange(window: SloWindow, asOf: Date): { from: Date; to: Date; periodEnd: Date; periodMinutes: number } {
  if (window.kind === 'rolling') {
    return {
      from: new Date(asOf.getTime() - window.days * DAY_MS),
      to: new Date(asOf.getTime()),
      periodEnd: new Date(asOf.getTime()),
      periodMinutes: window.days * 1440,
    };
  }
  const period = calendarPeriod(window.unit, window.timeZone, asOf);
  return {
    from: period.from,
    to: new Date(asOf.getTime()),
    periodEnd: period.to,
    periodMinutes: (period.to.getTime() - period.from.getTime()) / MINUTE_MS,
  };
}

/**
 * Start of the SLO window that ends at `t` (a series point describes the time before it). Calendar: the period
 * containing t - 1 ms, so a point exactly on a boundary closes the period that just ended.
 */
export function windowStartAt(window: SloWindow, t: Date): Date {
  if (window.kind === 'rolling') return new Date(t.getTime() - window.days * DAY_MS);
  return calendarPeriod(window.unit, window.timeZone, new Date(t.getTime() - 1)).from;
}
