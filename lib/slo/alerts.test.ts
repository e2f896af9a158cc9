import { describe, expect, test } from 'vitest';
import type { AlertTier } from '@/lib/schemas';
import {
  budgetConsumedAtFiring,
  DEFAULT_TIER_SPECS,
  defaultAlertTiers,
  detectionTimeSeconds,
  evaluateAlerts,
  tierWindows,
} from './alerts';

const DAYS_30 = 30 * 1440;
const DAYS_28 = 28 * 1440;

describe('DEFAULT_TIER_SPECS', () => {
  test('are the four tiers of SLO-MATH.md, short window = long / 12', () => {
    expect(DEFAULT_TIER_SPECS).toEqual([
      { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetConsumed: 0.02 },
      { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetConsumed: 0.05 },
      { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetConsumed: 0.1 },
      { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetConsumed: 0.1 },
    ]);
  });
});

describe('defaultAlertTiers', () => {
  // SRE Workbook ch. 5 for 30 days; the same budget fractions scaled to other periods.
  test.each([
    ['30 days', DAYS_30, [14.4, 6, 3, 1]],
    ['28 days', DAYS_28, [13.44, 5.6, 2.8, 0.9333]],
    ['31 days', 31 * 1440, [14.88, 6.2, 3.1, 1.033]],
    ['1 week', 7 * 1440, [3.36, 1.4, 0.7, 0.2333]],
    ['Berlin March 2026 (44,580 min)', 44_580, [14.86, 6.192, 3.096, 1.032]],
    ['90 days', 90 * 1440, [43.2, 18, 9, 3]],
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

  // A long window longer than the period could never be measured within it.
  test.each([
    [3 * 1440, ['1h', '6h', '1d', '3d']],
    [2 * 1440, ['1h', '6h', '1d']],
    [1440, ['1h', '6h', '1d']],
    [360, ['1h', '6h']],
    [60, ['1h']],
    [59, []],
  ])('period %d min keeps long windows %j', (period, want) =>
    expect(defaultAlertTiers(period).map((tier) => tier.longWindow)).toEqual(want),
  );
});

describe('budgetConsumedAtFiring', () => {
  test.each([
    ['30 days', DAYS_30],
    ['28 days', DAYS_28],
    ['1 week', 7 * 1440],
  ])('%s: 2%%, 5%%, 10%%, 10%%', (_name, period) => {
    const got = defaultAlertTiers(period).map((tier) => budgetConsumedAtFiring(tier, period));
    [0.02, 0.05, 0.1, 0.1].forEach((want, i) => expect(got[i]).toBeCloseTo(want, 4));
  });

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

  test('keys that are not durations are ignored, not fatal', () =>
    expect(evaluateAlerts([page], { nonsense: 99, '1h': 20, '5m': 20 })[0]?.firing).toBe(true));

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
  ])('%s: %d on %d = %d s', (_name, tier, errorRatio, objective, want) =>
    expect(detectionTimeSeconds(tier, errorRatio, objective)).toBeCloseTo(want, 6),
  );

  test.each<[string, AlertTier, number]>([
    ['just under the 1h threshold', tier1h, 0.0143],
    ['at budget pace, 1h tier', tier1h, 0.001],
    ['under the 3d threshold', tier3d, 0.0009],
    ['no errors', tier1h, 0],
  ])('%s (e = %d): never fires, null', (_name, tier, errorRatio) =>
    expect(detectionTimeSeconds(tier, errorRatio, 0.999)).toBeNull(),
  );

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
