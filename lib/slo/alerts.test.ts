import { describe, expect, test } from 'vitest';
import type { AlertTier, SloWindow } from '@/lib/schemas';
import { budgetConsumedAtFiring, DEFAULT_TIER_SPECS, defaultAlertTiers, detectionTimeSeconds, evaluateAlerts, tierThreshold, tierWindows } from './alerts';
import { durationToMinutes } from './duration';
import { sloWindowRange } from './window';

const DAY = 1440;
const DAYS_30 = 30 * DAY;
const DAYS_28 = 28 * DAY;

describe('DEFAULT_TIER_SPECS', () => {
  test('the windows of docs/slo-math.md, short window = long / 12', () => {
    expect(DEFAULT_TIER_SPECS.map((s) => [s.severity, s.longWindow, s.shortWindow])).toEqual([
      ['page', '1h', '5m'],
      ['page', '6h', '30m'],
      ['ticket', '1d', '2h'],
      ['ticket', '3d', '6h'],
    ]);
    for (const s of DEFAULT_TIER_SPECS) expect(durationToMinutes(s.shortWindow) * 12).toBe(durationToMinutes(s.longWindow));
  });

  test('budget fractions: the SRE Workbook’s table for long periods, Sloth’s 7-day table for short ones', () => {
    expect(DEFAULT_TIER_SPECS.map((s) => s.budgetConsumed.long)).toEqual([0.02, 0.05, 0.1, 0.1]);
    expect(DEFAULT_TIER_SPECS.map((s) => s.budgetConsumed.short)).toEqual([0.08, 0.125, 0.2, 0.42]);
  });
});

describe('defaultAlertTiers', () => {
  // Checked by hand: max(1, fraction x period / long window), 4 significant digits. Fractions: 8/12.5/20/42% up to
  // 7 days, 2/5/10/10% from 28 days; between, the thresholds go linearly from the 7-day ones to the 28-day ones.
  test.each([
    // 8% x 24h/1h = 1.92; 12.5% x 24h/6h = 0.5 -> 1; 20% x 1d/1d = 0.2 -> 1; no 3d window in a day.
    ['1 day', DAY, [1.92, 1, 1]],
    // 8% x 48 = 3.84; 12.5% x 8 = 1; 20% x 2 = 0.4 -> 1.
    ['2 days', 2 * DAY, [3.84, 1, 1]],
    // 8% x 72 = 5.76; 12.5% x 12 = 1.5; 20% x 3 = 0.6 -> 1; 42% x 1 = 0.42 -> 1.
    ['3 days', 3 * DAY, [5.76, 1.5, 1, 1]],
    // Sloth's 7-day table: 8% x 168 = 13.44; 12.5% x 28 = 3.5; 20% x 7 = 1.4; 42% x 7/3 = 0.98 -> 1.
    ['7 days', 7 * DAY, [13.44, 3.5, 1.4, 1]],
    // A third of the way from 7 days (13.44, 3.5, 1.4, 1) to 28 (13.44, 5.6, 2.8, 1): 13.44, 4.2, 1.867, 1.
    ['14 days', 14 * DAY, [13.44, 4.2, 1.867, 1]],
    // Midway: 13.44, 4.55, 2.1, 1.
    ['17.5 days', 17.5 * DAY, [13.44, 4.55, 2.1, 1]],
    // 2% x 672 = 13.44; 5% x 112 = 5.6; 10% x 28 = 2.8; 10% x 28/3 = 0.9333 -> 1.
    ['28 days', DAYS_28, [13.44, 5.6, 2.8, 1]],
    // SRE Workbook ch. 5.
    ['30 days', DAYS_30, [14.4, 6, 3, 1]],
    ['31 days', 31 * DAY, [14.88, 6.2, 3.1, 1.033]],
    ['90 days', 90 * DAY, [43.2, 18, 9, 3]],
  ])('%s: burn rates %j', (_name, period, want) => {
    expect(defaultAlertTiers(period).map((tier) => tier.burnRate)).toEqual(want);
  });

  test('30 days: the whole policy', () =>
    expect(defaultAlertTiers(DAYS_30)).toEqual([
      { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 },
      { severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6 },
      { severity: 'ticket', longWindow: '1d', shortWindow: '2h', burnRate: 3 },
      { severity: 'ticket', longWindow: '3d', shortWindow: '6h', burnRate: 1 },
    ]));

  // Calendar SLOs use the current period's true length (effectiveTiers); these are those lengths.
  test.each<[string, SloWindow, string, number, number[]]>([
    ['February 2026, UTC', { kind: 'calendar', unit: 'month', timeZone: 'UTC' }, '2026-02-10T00:00:00Z', 28 * DAY, [13.44, 5.6, 2.8, 1]],
    ['January 2026, UTC', { kind: 'calendar', unit: 'month', timeZone: 'UTC' }, '2026-01-10T00:00:00Z', 31 * DAY, [14.88, 6.2, 3.1, 1.033]],
    // 2% x 743h = 14.86; 5% x 743/6 = 6.192; 10% x 743/24 = 3.096; 10% x 743/72 = 1.032.
    [
      'Berlin March 2026 (spring forward)',
      { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      '2026-03-10T00:00:00Z',
      31 * DAY - 60,
      [14.86, 6.192, 3.096, 1.032],
    ],
    // Under 7 days, Sloth's table: 8% x 167 = 13.36; 12.5% x 167/6 = 3.479; 20% x 167/24 = 1.392; 42% x 167/72 = 0.974 -> 1.
    [
      'Berlin week of 23 March 2026, 167 h',
      { kind: 'calendar', unit: 'week', timeZone: 'Europe/Berlin' },
      '2026-03-25T12:00:00Z',
      7 * DAY - 60,
      [13.36, 3.479, 1.392, 1],
    ],
    // An hour past 7 days, 1/504 of the way to 28: 13.44; 3.5 + 2.1/504 = 3.504; 1.4 + 1.4/504 = 1.403; 1.
    [
      'Berlin week of 19 October 2026, 169 h',
      { kind: 'calendar', unit: 'week', timeZone: 'Europe/Berlin' },
      '2026-10-21T12:00:00Z',
      7 * DAY + 60,
      [13.44, 3.504, 1.403, 1],
    ],
    // 2% x 2208 = 44.16; 5% x 368 = 18.4; 10% x 92 = 9.2; 10% x 92/3 = 3.067.
    ['Q3 2026 (92 days), UTC', { kind: 'calendar', unit: 'quarter', timeZone: 'UTC' }, '2026-08-01T00:00:00Z', 92 * DAY, [44.16, 18.4, 9.2, 3.067]],
  ])('%s: %d min, burn rates %j', (_name, window, asOf, minutes, want) => {
    const { periodMinutes } = sloWindowRange(window, new Date(asOf));
    expect(periodMinutes).toBe(minutes);
    expect(defaultAlertTiers(periodMinutes).map((tier) => tier.burnRate)).toEqual(want);
  });

  // A long window longer than the period could never be measured within it.
  test.each([
    [3 * 1440, ['1h', '6h', '1d', '3d']],
    [2 * 1440, ['1h', '6h', '1d']],
    [1440, ['1h', '6h', '1d']],
    [360, ['1h', '6h']],
    [60, ['1h']],
    [59, []],
  ])('period %d min keeps long windows %j', (period, want) => expect(defaultAlertTiers(period).map((tier) => tier.longWindow)).toEqual(want));

  // Every hour from 1 to 90 days: rolling periods and every calendar length (DST weeks, months, quarters).
  const periods = Array.from({ length: 89 * 24 + 1 }, (_, i) => DAY + i * 60);

  test('never below 1x: a burn of 1 or less cannot exhaust the budget within the period', () => {
    for (const period of periods) {
      for (const tier of defaultAlertTiers(period)) {
        expect(tier.burnRate, `${period} min, ${tier.longWindow}`).toBeGreaterThanOrEqual(1);
        const spec = DEFAULT_TIER_SPECS.find((s) => s.longWindow === tier.longWindow)!;
        expect(tier.burnRate, `${period} min, ${tier.longWindow}`).toBe(Number(tierThreshold(spec, period).toPrecision(4)));
        // Outside the interpolated span the threshold is the table's fraction scaled to the period.
        if (period <= 7 * DAY || period >= 28 * DAY) {
          const fraction = period <= 7 * DAY ? spec.budgetConsumed.short : spec.budgetConsumed.long;
          const scaled = (fraction * period) / durationToMinutes(tier.longWindow);
          expect(tier.burnRate, `${period} min, ${tier.longWindow}`).toBe(Number(Math.max(1, scaled).toPrecision(4)));
        }
      }
    }
  });

  test('between the two tables no threshold leaves the range they span', () => {
    for (const period of periods.filter((p) => p > 7 * DAY && p < 28 * DAY)) {
      for (const spec of DEFAULT_TIER_SPECS) {
        const [a, b] = [tierThreshold(spec, 7 * DAY), tierThreshold(spec, 28 * DAY)];
        const got = tierThreshold(spec, period);
        expect(got).toBeGreaterThanOrEqual(Math.min(a, b) - 1e-12);
        expect(got).toBeLessThanOrEqual(Math.max(a, b) + 1e-12);
      }
    }
  });

  test('pages are never less sensitive to a burn than tickets: thresholds do not rise from tier to tier', () => {
    for (const period of periods) {
      const tiers = defaultAlertTiers(period);
      const pages = tiers.filter((t) => t.severity === 'page').map((t) => t.burnRate);
      const tickets = tiers.filter((t) => t.severity === 'ticket').map((t) => t.burnRate);
      tiers.slice(1).forEach((tier, i) => expect(tier.burnRate, `${period} min`).toBeLessThanOrEqual(tiers[i]!.burnRate));
      // The 1h page is always above every ticket; the 6h page too once it is off the floor (12.5% x 48h / 6h = 1).
      expect(pages[0], `${period} min`).toBeGreaterThan(Math.max(...tickets));
      if (period > 2 * DAY) expect(Math.min(...pages), `${period} min`).toBeGreaterThan(Math.max(...tickets));
    }
  });
});

describe('budgetConsumedAtFiring', () => {
  test.each([
    ['30 days', DAYS_30, [0.02, 0.05, 0.1, 0.1]],
    ['90 days', 90 * DAY, [0.02, 0.05, 0.1, 0.1]],
    // The floored 3d tier (0.9333 -> 1) fires at 1 x 3d / 28d of the budget.
    ['28 days', DAYS_28, [0.02, 0.05, 0.1, 3 / 28]],
    // Sloth's table, but the floored 3d tier (0.98 -> 1) fires at 3/7 = 42.9% of the budget, not 42%.
    ['7 days', 7 * DAY, [0.08, 0.125, 0.2, 3 / 7]],
    // Floored 6h and 1d tiers: 25% and the whole day's budget.
    ['1 day', DAY, [0.08, 0.25, 1]],
  ])('%s: %j', (_name, period, want) => {
    const got = defaultAlertTiers(period).map((tier) => budgetConsumedAtFiring(tier, period));
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 4));
  });

  test('7 days: the floored 3d tier reports 42.9%', () =>
    expect((budgetConsumedAtFiring(defaultAlertTiers(7 * DAY)[3]!, 7 * DAY) * 100).toFixed(1)).toBe('42.9'));

  test.each<[AlertTier, number]>([
    [{ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }, 0.02],
    [{ severity: 'page', longWindow: '60m', shortWindow: '5m', burnRate: 14.4 }, 0.02],
    [{ severity: 'ticket', longWindow: '3d', shortWindow: '6h', burnRate: 1 }, 0.1],
    [{ severity: 'ticket', longWindow: '1d', shortWindow: '2h', burnRate: 10 }, 1 / 3],
  ])('%o on 30 days = %d', (tier, want) => expect(budgetConsumedAtFiring(tier, DAYS_30)).toBeCloseTo(want, 12));
});

describe('tierWindows', () => {
  test('default tiers: every distinct window, shortest first', () =>
    expect(tierWindows(defaultAlertTiers(DAYS_30))).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']));

  test('spellings of the same window collapse to the canonical one', () =>
    expect(
      tierWindows([
        { severity: 'page', longWindow: '60m', shortWindow: '5m', burnRate: 14.4 },
        { severity: 'page', longWindow: '1h', shortWindow: '300m', burnRate: 14.4 },
        { severity: 'ticket', longWindow: '24h', shortWindow: '90m', burnRate: 3 },
      ]),
    ).toEqual(['5m', '1h', '90m', '5h', '1d']));

  test('no tiers, no windows', () => expect(tierWindows([])).toEqual([]));
});

describe('evaluateAlerts', () => {
  const page: AlertTier = { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 };

  // The multi-window truth table: both windows strictly over the threshold, or no alert.
  test.each<[string, number | null | undefined, number | null | undefined, boolean]>([
    ['both over', 15, 20, true],
    ['both far over', 1000, 1000, true],
    ['only long over', 15, 14, false],
    ['only short over (recovered)', 14, 15, false],
    ['long equal to threshold', 14.4, 15, false],
    ['short equal to threshold', 15, 14.4, false],
    ['both equal to threshold', 14.4, 14.4, false],
    ['both under', 1, 2, false],
    ['no data in long window', null, 15, false],
    ['no data in short window', 15, null, false],
    ['no data at all', null, null, false],
    ['long window missing from the record', undefined, 15, false],
  ])('%s (long %s, short %s): firing = %s', (_name, long, short, firing) => {
    const burnRates: Record<string, number | null> = {};
    if (long !== undefined) burnRates['1h'] = long;
    if (short !== undefined) burnRates['5m'] = short;
    expect(evaluateAlerts([page], burnRates)).toEqual([
      {
        severity: 'page',
        longWindow: '1h',
        shortWindow: '5m',
        threshold: 14.4,
        longBurnRate: long ?? null,
        shortBurnRate: short ?? null,
        longEvents: 0,
        guarded: false,
        firing,
      },
    ]);
  });

  test.each<[string, AlertTier, Record<string, number | null>]>([
    ['record keyed 60m, tier says 1h', page, { '60m': 20, '5m': 20 }],
    ['record keyed 1h, tier says 60m', { ...page, longWindow: '60m' }, { '1h': 20, '5m': 20 }],
    ['record keyed 1440m, tier says 1d', { ...page, longWindow: '1d', shortWindow: '120m' }, { '1440m': 20, '2h': 20 }],
  ])('%s: same window, fires', (_name, tier, burnRates) => {
    const [status] = evaluateAlerts([tier], burnRates);
    expect(status?.longBurnRate).toBe(20);
    expect(status?.shortBurnRate).toBe(20);
    expect(status?.firing).toBe(true);
  });

  test('keys that are not durations are ignored, not fatal', () => expect(evaluateAlerts([page], { nonsense: 99, '1h': 20, '5m': 20 })[0]?.firing).toBe(true));

  test('tiers are evaluated independently, in order', () => {
    const tiers = defaultAlertTiers(DAYS_30);
    // A slow burn at 4x: the 1d/2h ticket fires, the pages and the 3d ticket's 6h window do not.
    const burnRates = { '5m': 4, '30m': 4, '1h': 4, '2h': 4, '6h': 0.5, '1d': 4, '3d': 2 };
    expect(evaluateAlerts(tiers, burnRates).map((s) => [s.longWindow, s.threshold, s.firing])).toEqual([
      ['1h', 14.4, false],
      ['6h', 6, false],
      ['1d', 3, true],
      ['3d', 1, false],
    ]);
  });
});

describe('the minimum-events guard', () => {
  const page: AlertTier = { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 };
  const burning = { '1h': 50, '5m': 50 };
  test.each<[string, Record<string, number>, number, boolean, boolean]>([
    ['enough events: fires', { '1h': 500, '5m': 40 }, 100, false, true],
    ['exactly the minimum: fires', { '1h': 100 }, 100, false, true],
    ['one short of the minimum: guarded, silent', { '1h': 99 }, 100, true, false],
    // Only the long window is guarded: a quiet short window must not silence a real outage of a slow service.
    ['a quiet short window does not guard', { '1h': 120, '5m': 3 }, 100, false, true],
    ['events keyed in another spelling', { '60m': 500 }, 100, false, true],
    ['no events known: guarded', {}, 100, true, false],
    ['a guard of 0 never holds back', {}, 0, false, true],
  ])('%s', (_name, events, minEvents, guarded, firing) => {
    const [status] = evaluateAlerts([page], burning, { events, minEvents });
    expect(status?.guarded).toBe(guarded);
    expect(status?.firing).toBe(firing);
    expect(status?.longEvents).toBe(events['1h'] ?? events['60m'] ?? 0);
  });
});

describe('detectionTimeSeconds', () => {
  const [tier1h, tier6h, tier1d, tier3d] = defaultAlertTiers(DAYS_30) as [AlertTier, AlertTier, AlertTier, AlertTier];

  test.each<[string, AlertTier, number, number, number]>([
    // SRE Workbook ch. 5: 100% errors on 99.9% trip the 1h/14.4 alert in 0.864 min, "about 52 s".
    ['1h at 14.4, 100% errors', tier1h, 1, 0.999, 51.84],
    ['6h at 6, 100% errors', tier6h, 1, 0.999, 129.6],
    ['1d at 3, 100% errors', tier1d, 1, 0.999, 259.2],
    ['3d at 1, 100% errors', tier3d, 1, 0.999, 259.2],
    ['1h at 14.4, 10% errors', tier1h, 0.1, 0.999, 518.4],
    // Exactly at the threshold the whole long window must fill.
    ['1h at 14.4, error ratio exactly 0.0144', tier1h, 0.0144, 0.999, 3600],
    ['3d at 1, error ratio exactly 0.001', tier3d, 0.001, 0.999, 3 * 86_400],
    ['1h at 14.4 on 99%, 100% errors', tier1h, 1, 0.99, 518.4],
    // Both windows must cross: with an unusual short window longer than the long one, the short one decides.
    ['custom 5m/1h at 14.4, 100% errors', { severity: 'page', longWindow: '5m', shortWindow: '1h', burnRate: 14.4 }, 1, 0.999, 51.84],
  ])('%s: %d on %d = %d s', (_name, tier, errorRatio, objective, want) => expect(detectionTimeSeconds(tier, errorRatio, objective)).toBeCloseTo(want, 6));

  test.each<[string, AlertTier, number]>([
    ['just under the 1h threshold', tier1h, 0.0143],
    ['at budget pace, 1h tier', tier1h, 0.001],
    ['under the 3d threshold', tier3d, 0.0009],
    ['no errors', tier1h, 0],
  ])('%s (e = %d): never fires, null', (_name, tier, errorRatio) => expect(detectionTimeSeconds(tier, errorRatio, 0.999)).toBeNull());

  test('rejects an objective without a budget', () => expect(() => detectionTimeSeconds(tier1h, 1, 1)).toThrow(RangeError));
});

describe('summation noise at a threshold', () => {
  test('a burn of exactly the threshold, computed with float noise, does not fire and reads as the threshold', () => {
    const page: AlertTier = { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 };
    const atThreshold = 0.0144 / (1 - 0.999); // 14.399999999999986 or 14.400000000000002 depending on the path
    const [status] = evaluateAlerts([page], { '1h': 14.400000000000002, '5m': atThreshold });
    expect(status?.firing).toBe(false);
    const [above] = evaluateAlerts([page], { '1h': 14.4001, '5m': 14.4001 });
    expect(above?.firing).toBe(true);
  });
});
