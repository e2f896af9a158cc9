import { describe, expect, test } from 'vitest';
import type { SloWindow } from '@/lib/schemas';
import { calendarPeriod, floorToMinute, sloWindowRange, startOfZonedDay, wholeHours, windowStartAt, type CalendarUnit } from './window';

const iso = (d: Date) => d.toISOString();
const DAY = 1440;

describe('floorToMinute', () => {
  test.each([
    ['2026-03-15T10:42:59.999Z', '2026-03-15T10:42:00.000Z'],
    ['2026-03-15T10:42:00.000Z', '2026-03-15T10:42:00.000Z'],
    ['2026-03-15T10:42:00.001Z', '2026-03-15T10:42:00.000Z'],
    ['1969-12-31T23:59:30.000Z', '1969-12-31T23:59:00.000Z'],
  ])('%s -> %s', (at, want) => expect(iso(floorToMinute(new Date(at)))).toBe(want));
});

describe('wholeHours: the UTC hours inside a span, or none', () => {
  test.each([
    ['2026-12-01T10:15:00Z', '2026-12-01T13:40:00Z', '2026-12-01T11:00:00.000Z', '2026-12-01T13:00:00.000Z'],
    ['2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z', '2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z'],
    // Under an hour, or an hour across a boundary: minutes only.
    ['2026-12-01T10:15:00Z', '2026-12-01T11:10:00Z', '2026-12-01T11:10:00.000Z', '2026-12-01T11:10:00.000Z'],
    ['2026-12-01T10:55:00Z', '2026-12-01T11:00:00Z', '2026-12-01T11:00:00.000Z', '2026-12-01T11:00:00.000Z'],
    // A calendar window starting at a half-hour zone's midnight (India) reads its first 30 minutes as minutes.
    ['2026-11-30T18:30:00Z', '2026-12-02T09:00:00Z', '2026-11-30T19:00:00.000Z', '2026-12-02T09:00:00.000Z'],
  ])('[%s, %s) -> [%s, %s)', (start, end, from, to) => {
    const range = wholeHours(new Date(start), new Date(end));
    expect([iso(range.from), iso(range.to)]).toEqual([from, to]);
  });
});

describe('calendarPeriod', () => {
  test.each<{ name: string; unit: CalendarUnit; zone: string; at: string; from: string; to: string; minutes: number }>([
    // DST starts 2026-03-29: 31 days less an hour.
    {
      name: 'Berlin March (spring forward)',
      unit: 'month',
      zone: 'Europe/Berlin',
      at: '2026-03-15T12:00:00Z',
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
      minutes: 31 * DAY - 60,
    },
    // DST ends 2026-10-25: 31 days and an hour.
    {
      name: 'Berlin October (fall back)',
      unit: 'month',
      zone: 'Europe/Berlin',
      at: '2026-10-25T12:00:00Z',
      from: '2026-09-30T22:00:00.000Z',
      to: '2026-10-31T23:00:00.000Z',
      minutes: 31 * DAY + 60,
    },
    {
      name: 'Berlin week of the spring change',
      unit: 'week',
      zone: 'Europe/Berlin',
      at: '2026-03-29T12:00:00Z',
      from: '2026-03-22T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
      minutes: 7 * DAY - 60,
    },
    {
      name: 'UTC February, leap year',
      unit: 'month',
      zone: 'UTC',
      at: '2028-02-29T23:59:59.999Z',
      from: '2028-02-01T00:00:00.000Z',
      to: '2028-03-01T00:00:00.000Z',
      minutes: 29 * DAY,
    },
    {
      name: 'UTC February, common year',
      unit: 'month',
      zone: 'UTC',
      at: '2026-02-01T00:00:00.000Z',
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
      minutes: 28 * DAY,
    },
    {
      name: 'Etc/UTC December into the new year',
      unit: 'month',
      zone: 'Etc/UTC',
      at: '2026-12-31T23:00:00Z',
      from: '2026-12-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      minutes: 31 * DAY,
    },
    // +5:30; the local date (1 March) is ahead of the UTC date (28 February).
    {
      name: 'Kolkata, local date ahead of UTC',
      unit: 'month',
      zone: 'Asia/Kolkata',
      at: '2026-02-28T19:00:00Z',
      from: '2026-02-28T18:30:00.000Z',
      to: '2026-03-31T18:30:00.000Z',
      minutes: 31 * DAY,
    },
    {
      name: 'Kolkata, 1 ms before the local month ends',
      unit: 'month',
      zone: 'Asia/Kolkata',
      at: '2026-02-28T18:29:59.999Z',
      from: '2026-01-31T18:30:00.000Z',
      to: '2026-02-28T18:30:00.000Z',
      minutes: 28 * DAY,
    },
    // +5:45: Q3 = 92 days.
    {
      name: 'Kathmandu Q3',
      unit: 'quarter',
      zone: 'Asia/Kathmandu',
      at: '2026-06-30T18:20:00Z',
      from: '2026-06-30T18:15:00.000Z',
      to: '2026-09-30T18:15:00.000Z',
      minutes: 92 * DAY,
    },
    {
      name: 'Kathmandu Q2 until 18:15 UTC',
      unit: 'quarter',
      zone: 'Asia/Kathmandu',
      at: '2026-06-30T18:10:00Z',
      from: '2026-03-31T18:15:00.000Z',
      to: '2026-06-30T18:15:00.000Z',
      minutes: 91 * DAY,
    },
    // NZDT (+13) ends 2026-04-05: April starts at +13, ends at +12; UTC still says 31 March.
    {
      name: 'Auckland April, local date ahead of UTC',
      unit: 'month',
      zone: 'Pacific/Auckland',
      at: '2026-03-31T12:00:00Z',
      from: '2026-03-31T11:00:00.000Z',
      to: '2026-04-30T12:00:00.000Z',
      minutes: 30 * DAY + 60,
    },
    {
      name: 'Auckland Q4, NZDT from 27 September',
      unit: 'quarter',
      zone: 'Pacific/Auckland',
      at: '2026-11-01T00:00:00Z',
      from: '2026-09-30T11:00:00.000Z',
      to: '2026-12-31T11:00:00.000Z',
      minutes: 92 * DAY,
    },
    // Sunday 8 March 22:00 PDT is Monday in UTC, but locally still the week of Monday 2 March; DST starts 8 March.
    {
      name: 'Los Angeles week, local date behind UTC',
      unit: 'week',
      zone: 'America/Los_Angeles',
      at: '2026-03-09T05:00:00Z',
      from: '2026-03-02T08:00:00.000Z',
      to: '2026-03-09T07:00:00.000Z',
      minutes: 7 * DAY - 60,
    },
    {
      name: 'Los Angeles month, local date behind UTC',
      unit: 'month',
      zone: 'America/Los_Angeles',
      at: '2026-05-01T03:00:00Z',
      from: '2026-04-01T07:00:00.000Z',
      to: '2026-05-01T07:00:00.000Z',
      minutes: 30 * DAY,
    },
    {
      name: 'UTC ISO week across the new year (Thursday 1 January)',
      unit: 'week',
      zone: 'UTC',
      at: '2026-01-01T05:00:00Z',
      from: '2025-12-29T00:00:00.000Z',
      to: '2026-01-05T00:00:00.000Z',
      minutes: 7 * DAY,
    },
    {
      name: 'UTC week, last ms of its Sunday',
      unit: 'week',
      zone: 'UTC',
      at: '2026-03-08T23:59:59.999Z',
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-09T00:00:00.000Z',
      minutes: 7 * DAY,
    },
    {
      name: 'UTC week, first instant of its Monday',
      unit: 'week',
      zone: 'UTC',
      at: '2026-03-09T00:00:00Z',
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-16T00:00:00.000Z',
      minutes: 7 * DAY,
    },
    {
      name: 'UTC Q1 of a leap year',
      unit: 'quarter',
      zone: 'UTC',
      at: '2028-03-31T12:00:00Z',
      from: '2028-01-01T00:00:00.000Z',
      to: '2028-04-01T00:00:00.000Z',
      minutes: 91 * DAY,
    },
    {
      name: 'UTC Q4, at its first instant',
      unit: 'quarter',
      zone: 'UTC',
      at: '2026-10-01T00:00:00Z',
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      minutes: 92 * DAY,
    },
    // Chile ends DST at Saturday 24:00: April begins at -3 and ends at -4.
    {
      name: 'Santiago April, DST ends at midnight',
      unit: 'month',
      zone: 'America/Santiago',
      at: '2026-04-15T05:00:00Z',
      from: '2026-04-01T03:00:00.000Z',
      to: '2026-05-01T04:00:00.000Z',
      minutes: 30 * DAY + 60,
    },
  ])('$name', ({ unit, zone, at, from, to, minutes }) => {
    const got = calendarPeriod(unit, zone, new Date(at));
    expect(iso(got.from)).toBe(from);
    expect(iso(got.to)).toBe(to);
    expect((got.to.getTime() - got.from.getTime()) / 60_000).toBe(minutes);
  });

  test('rejects an unknown time zone', () => expect(() => calendarPeriod('month', 'Mars/Olympus_Mons', new Date('2026-01-01T00:00:00Z'))).toThrow(RangeError));
  test('rejects an invalid date', () => expect(() => calendarPeriod('month', 'UTC', new Date(Number.NaN))).toThrow(RangeError));

  // Every instant of a year, hour by hour, lies in [from, to) of its period, and periods tile without gaps.
  test.each<[CalendarUnit, string]>([
    ['week', 'Europe/Berlin'],
    ['month', 'Pacific/Auckland'],
    ['month', 'America/Santiago'],
    ['quarter', 'Asia/Kathmandu'],
  ])('%s periods in %s contain their instants and tile 2026', (unit, zone) => {
    let previous = calendarPeriod(unit, zone, new Date('2026-01-01T00:00:00Z'));
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_600_000) {
      const period = calendarPeriod(unit, zone, new Date(t));
      expect(period.from.getTime()).toBeLessThanOrEqual(t);
      expect(period.to.getTime()).toBeGreaterThan(t);
      if (period.from.getTime() !== previous.from.getTime()) expect(period.from.getTime()).toBe(previous.to.getTime());
      previous = period;
    }
  });
});

describe('startOfZonedDay', () => {
  test.each([
    ['UTC', '2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['Asia/Kathmandu', '2026-07-01', '2026-06-30T18:15:00.000Z'],
    // Midnight skipped by DST: the day starts at the jump, 01:00 local.
    ['America/Sao_Paulo', '2018-11-04', '2018-11-04T03:00:00.000Z'],
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'],
    ['Asia/Beirut', '2026-03-29', '2026-03-28T22:00:00.000Z'],
    // Midnight repeated by DST (Havana falls back 01:00 -> 00:00): its first occurrence.
    ['America/Havana', '2026-11-01', '2026-11-01T04:00:00.000Z'],
    // Samoa skipped 30 December 2011 entirely: that "day" and the next both begin at the jump.
    ['Pacific/Apia', '2011-12-30', '2011-12-30T10:00:00.000Z'],
    ['Pacific/Apia', '2011-12-31', '2011-12-30T10:00:00.000Z'],
  ])('%s %s begins at %s', (zone, date, want) => expect(iso(new Date(startOfZonedDay(zone, Date.parse(date))))).toBe(want));
});

describe('sloWindowRange', () => {
  const asOf = new Date('2026-03-15T10:42:00Z');

  test.each<{ name: string; window: SloWindow; from: string; periodEnd: string; periodMinutes: number }>([
    {
      name: 'rolling 30 days',
      window: { kind: 'rolling', days: 30 },
      from: '2026-02-13T10:42:00.000Z',
      periodEnd: '2026-03-15T10:42:00.000Z',
      periodMinutes: 43_200,
    },
    {
      name: 'rolling 28 days',
      window: { kind: 'rolling', days: 28 },
      from: '2026-02-15T10:42:00.000Z',
      periodEnd: '2026-03-15T10:42:00.000Z',
      periodMinutes: 40_320,
    },
    {
      name: 'rolling 1 day',
      window: { kind: 'rolling', days: 1 },
      from: '2026-03-14T10:42:00.000Z',
      periodEnd: '2026-03-15T10:42:00.000Z',
      periodMinutes: 1440,
    },
    {
      name: 'calendar month, Berlin',
      window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      from: '2026-02-28T23:00:00.000Z',
      periodEnd: '2026-03-31T22:00:00.000Z',
      periodMinutes: 44_580,
    },
    {
      name: 'calendar week, UTC',
      window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
      from: '2026-03-09T00:00:00.000Z',
      periodEnd: '2026-03-16T00:00:00.000Z',
      periodMinutes: 10_080,
    },
    {
      name: 'calendar quarter, Kolkata',
      window: { kind: 'calendar', unit: 'quarter', timeZone: 'Asia/Kolkata' },
      from: '2025-12-31T18:30:00.000Z',
      periodEnd: '2026-03-31T18:30:00.000Z',
      periodMinutes: 90 * DAY,
    },
  ])('$name', ({ window, from, periodEnd, periodMinutes }) => {
    const got = sloWindowRange(window, asOf);
    expect(iso(got.from)).toBe(from);
    expect(iso(got.to)).toBe(iso(asOf));
    expect(iso(got.periodEnd)).toBe(periodEnd);
    expect(got.periodMinutes).toBe(periodMinutes);
  });

  // At the boundary itself the budget has just reset: a new, empty period.
  test('calendar window exactly at a period boundary starts the new period', () => {
    const boundary = new Date('2026-03-31T22:00:00Z');
    const got = sloWindowRange({ kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' }, boundary);
    expect(iso(got.from)).toBe(iso(boundary));
    expect(iso(got.to)).toBe(iso(boundary));
    expect(iso(got.periodEnd)).toBe('2026-04-30T22:00:00.000Z');
    expect(got.periodMinutes).toBe(30 * DAY);
  });
});

describe('windowStartAt', () => {
  const monthUtc: SloWindow = { kind: 'calendar', unit: 'month', timeZone: 'UTC' };
  const monthBerlin: SloWindow = { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' };
  const weekLosAngeles: SloWindow = { kind: 'calendar', unit: 'week', timeZone: 'America/Los_Angeles' };

  test.each<[string, SloWindow, string, string]>([
    ['rolling 30 days', { kind: 'rolling', days: 30 }, '2026-03-15T10:42:00Z', '2026-02-13T10:42:00.000Z'],
    // Exactly on a boundary, t closes the period that just ended.
    ['UTC month, exactly at the boundary', monthUtc, '2026-04-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['UTC month, 1 ms after the boundary', monthUtc, '2026-04-01T00:00:00.001Z', '2026-04-01T00:00:00.000Z'],
    ['UTC month, mid-month', monthUtc, '2026-04-15T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['Berlin month, exactly at the boundary', monthBerlin, '2026-03-31T22:00:00.000Z', '2026-02-28T23:00:00.000Z'],
    ['Berlin month, 1 minute after', monthBerlin, '2026-03-31T22:01:00.000Z', '2026-03-31T22:00:00.000Z'],
    ['Los Angeles week, exactly at the boundary', weekLosAngeles, '2026-03-09T07:00:00.000Z', '2026-03-02T08:00:00.000Z'],
  ])('%s', (_name, window, t, want) => expect(iso(windowStartAt(window, new Date(t)))).toBe(want));
});
