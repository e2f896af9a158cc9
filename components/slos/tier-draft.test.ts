import { describe, expect, test } from 'vitest';
import {
  tierDraftOf,
  tierRows,
  windowDefaultTiers,
  windowPeriodMinutes,
  withPolicy,
  withTierAdded,
  withTierChanged,
  withTierRemoved,
  withWindow,
  withWindowDefaults,
  type PeriodContext,
  type TierDraft,
  type WindowFields,
} from './tier-draft';

const DAY = 1440;
// A Wednesday in the Berlin week that loses an hour (clocks go forward on Sunday 29 March 2026).
const ctx: PeriodContext = { asOf: new Date('2026-03-25T12:00:00Z'), browserZone: 'Europe/Berlin' };
const rolling = (days: string): WindowFields => ({ windowKind: 'rolling', rollingDays: days, calendarUnit: 'month', timeZone: null });

/** A new SLO's draft: rolling 30 days, default policy, rows seeded from its window. */
function newDraft(window: WindowFields = rolling('30')): TierDraft {
  return { ...window, policy: 'default', tiers: tierRows(windowDefaultTiers(window, ctx), 0), tiersEdited: false, seq: 100 };
}

const rates = (d: TierDraft) => d.tiers.map((t) => t.burnRate);

describe('windowPeriodMinutes', () => {
  test.each<[string, WindowFields, number | null]>([
    ['rolling 7 days', rolling('7'), 7 * DAY],
    ['rolling 90 days', rolling(' 90 '), 90 * DAY],
    ['rolling, empty while typing', rolling(''), null],
    ['rolling 0 days', rolling('0'), null],
    ['rolling 91 days', rolling('91'), null],
    ['rolling 7.5 days', rolling('7.5'), null],
    ['calendar week, zone from the browser', { windowKind: 'calendar', rollingDays: '30', calendarUnit: 'week', timeZone: null }, 7 * DAY - 60],
    ['calendar week, UTC', { windowKind: 'calendar', rollingDays: '30', calendarUnit: 'week', timeZone: 'UTC' }, 7 * DAY],
    ['calendar month, Berlin March', { windowKind: 'calendar', rollingDays: '30', calendarUnit: 'month', timeZone: 'Europe/Berlin' }, 31 * DAY - 60],
    ['calendar quarter, UTC', { windowKind: 'calendar', rollingDays: '30', calendarUnit: 'quarter', timeZone: 'UTC' }, 90 * DAY],
    ['calendar, a zone being typed', { windowKind: 'calendar', rollingDays: '30', calendarUnit: 'week', timeZone: 'Europe/Ber' }, null],
  ])('%s: %s', (_name, fields, want) => expect(windowPeriodMinutes(fields, ctx)).toBe(want));
});

describe('Custom starts from the defaults of the window chosen in the form', () => {
  test('30 days: the Workbook’s tiers', () => {
    const d = withPolicy(newDraft(), 'custom', ctx);
    expect(d.policy).toBe('custom');
    expect(rates(d)).toEqual(['14.4', '6', '3', '1']);
  });

  test('7 days, chosen before Custom: Sloth’s 7-day tiers, not the 30-day ones', () => {
    const d = withPolicy(withWindow(newDraft(), { rollingDays: '7' }, ctx), 'custom', ctx);
    expect(d.tiers.map((t) => [t.severity, t.longWindow, t.shortWindow, t.burnRate])).toEqual([
      ['page', '1h', '5m', '13.44'],
      ['page', '6h', '30m', '3.5'],
      ['ticket', '1d', '2h', '1.4'],
      ['ticket', '3d', '6h', '1'],
    ]);
  });

  test('a calendar week uses the current week’s length (167 h in Berlin this week)', () => {
    const d = withPolicy(withWindow(newDraft(), { windowKind: 'calendar', calendarUnit: 'week' }, ctx), 'custom', ctx);
    expect(rates(d)).toEqual(['13.36', '3.479', '1.392', '1']);
  });

  test('rows not yet edited follow the window, one keystroke at a time', () => {
    let d = withPolicy(newDraft(), 'custom', ctx);
    d = withWindow(d, { rollingDays: '' }, ctx);
    expect(rates(d)).toEqual(['14.4', '6', '3', '1']); // an invalid window keeps the rows
    d = withWindow(d, { rollingDays: '1' }, ctx);
    expect(rates(d)).toEqual(['1.92', '1', '1']); // no 3d tier in a 1-day period
    d = withWindow(d, { rollingDays: '14' }, ctx);
    expect(rates(d)).toEqual(['13.44', '4.2', '1.867', '1']);
    expect(d.tiersEdited).toBe(false);
    expect(new Set(d.tiers.map((t) => t.key)).size).toBe(4);
    expect(Math.min(...d.tiers.map((t) => t.key))).toBeGreaterThanOrEqual(100); // keys never reused
  });

  test('once a row is edited, changing the window leaves every row alone', () => {
    const custom = withPolicy(withWindow(newDraft(), { rollingDays: '7' }, ctx), 'custom', ctx);
    const edited = withTierChanged(custom, custom.tiers[0]!.key, { burnRate: '20' });
    expect(edited.tiersEdited).toBe(true);
    const moved = withWindow(edited, { rollingDays: '28' }, ctx);
    expect(moved.rollingDays).toBe('28');
    expect(moved.tiers).toEqual(edited.tiers);
  });

  test.each<[string, (d: TierDraft) => TierDraft]>([
    ['adding a row', (d) => withTierAdded(d)],
    ['removing a row', (d) => withTierRemoved(d, d.tiers[3]!.key)],
  ])('%s makes the rows the user’s own too', (_name, edit) => {
    const d = edit(withPolicy(newDraft(), 'custom', ctx));
    expect(d.tiersEdited).toBe(true);
    expect(withWindow(d, { rollingDays: '7' }, ctx).tiers).toEqual(d.tiers);
  });

  test('an added row is blank, keyed after every key used', () => {
    const d = withTierAdded(withPolicy(newDraft(), 'custom', ctx));
    expect(d.tiers.at(-1)).toEqual({ key: d.seq - 1, severity: 'ticket', longWindow: '', shortWindow: '', burnRate: '', for: '' });
    expect(new Set(d.tiers.map((t) => t.key)).size).toBe(d.tiers.length);
  });

  test('Reset gives the rows back to the window: its defaults, following it again', () => {
    let d = withWindow(withPolicy(newDraft(), 'custom', ctx), { rollingDays: '7' }, ctx);
    d = withTierChanged(d, d.tiers[0]!.key, { burnRate: '99' });
    d = withWindow(d, { rollingDays: '28' }, ctx);
    expect(rates(d)[0]).toBe('99');
    d = withWindowDefaults(d, ctx);
    expect(rates(d)).toEqual(['13.44', '5.6', '2.8', '1']);
    expect(d.tiersEdited).toBe(false);
    expect(rates(withWindow(d, { rollingDays: '90' }, ctx))).toEqual(['43.2', '18', '9', '3']);
  });

  test('Reset while the window is not valid keeps the rows', () => {
    const custom = withPolicy(newDraft(), 'custom', ctx);
    const d = withTierChanged(custom, custom.tiers[0]!.key, { burnRate: '99' });
    const invalid = withWindow(d, { rollingDays: '0' }, ctx);
    expect(withWindowDefaults(invalid, ctx)).toEqual(invalid);
  });

  test('Default and back to Custom keeps edited rows', () => {
    const custom = withPolicy(newDraft(), 'custom', ctx);
    const edited = withTierChanged(custom, custom.tiers[0]!.key, { burnRate: '20' });
    const back = withPolicy(withPolicy(edited, 'default', ctx), 'custom', ctx);
    expect(back.tiers).toEqual(edited.tiers);
  });
});

describe('an existing SLO', () => {
  const tiers = [
    { severity: 'page' as const, longWindow: '1h', shortWindow: '5m', burnRate: 20 },
    { severity: 'ticket' as const, longWindow: '1d', shortWindow: '2h', burnRate: 2 },
  ];

  test('with custom tiers: they are the user’s own, a window change leaves them alone', () => {
    const d: TierDraft = { ...rolling('30'), ...tierDraftOf({ isDefault: false, tiers }), seq: 100 };
    expect(d).toMatchObject({ policy: 'custom', tiersEdited: true });
    expect(rates(withWindow(d, { rollingDays: '7' }, ctx))).toEqual(['20', '2']);
  });

  test('with the default policy: its tiers follow the window, and Custom starts from the new window’s', () => {
    const d: TierDraft = { ...rolling('30'), ...tierDraftOf({ isDefault: true, tiers }), seq: 100 };
    expect(d).toMatchObject({ policy: 'default', tiersEdited: false });
    expect(rates(withPolicy(withWindow(d, { rollingDays: '7' }, ctx), 'custom', ctx))).toEqual(['13.44', '3.5', '1.4', '1']);
  });
});
