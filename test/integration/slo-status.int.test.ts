import { describe, expect, test } from 'vitest';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { computeSloSeries } from '../../lib/use-cases/slos/get-slo-series';
import { writeBuckets } from '../../lib/db/buckets';
import { db } from '../../lib/db/client';
import { SeriesQuery } from '../../lib/schemas';
import { constantBuckets, makeSloWithBuckets } from '../factories';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Half a minute past: status is "as of" the last whole minute, 12:00.
const NOW = new Date('2026-11-26T12:00:30Z');
const AS_OF = new Date('2026-11-26T12:00:00Z');

describe('SLO status from stored buckets', () => {
  test('steady 0.1% errors on a 99.9% SLO spends exactly the budget: burn 1 everywhere, nothing fires', async () => {
    const slo = await makeSloWithBuckets(constantBuckets(new Date(AS_OF.getTime() - 30 * DAY), AS_OF, 1000, 0.001));
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.asOf).toBe(AS_OF.toISOString());
    expect(status.window.from).toBe('2026-10-27T12:00:00.000Z');
    expect(status.window.to).toBe(AS_OF.toISOString());
    expect(status.total).toBe(30 * 1440 * 1000);
    expect(status.sli).toBeCloseTo(0.999, 10);
    expect(status.errorBudget.consumed).toBeCloseTo(1, 6);
    expect(status.errorBudget.remaining).toBeCloseTo(0, 6);
    expect(status.errorBudget.allowedMinutes).toBeCloseTo(43.2, 6);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) expect(status.burnRates[w]).toBeCloseTo(1, 6);
    expect(status.alerts.map((a) => [a.longWindow, a.shortWindow, a.threshold])).toEqual([
      ['1h', '5m', 14.4],
      ['6h', '30m', 6],
      ['1d', '2h', 3],
      ['3d', '6h', 1],
    ]);
    // Burn rate 1 is not above the 3d tier's threshold of 1: the Workbook's rule is strictly greater.
    expect(status.alerts.every((a) => !a.firing)).toBe(true);
    expect(status.dataState).toBe('ok');
  });

  test('an outage in the last hour fires the fast page tier and leaves the slow ones quiet', async () => {
    const history = constantBuckets(new Date(AS_OF.getTime() - 30 * DAY), new Date(AS_OF.getTime() - HOUR), 1000, 0);
    const outage = constantBuckets(new Date(AS_OF.getTime() - HOUR), AS_OF, 1000, 0.5);
    const slo = await makeSloWithBuckets([...history, ...outage]);
    const status = await computeSloStatus(slo, { now: NOW });
    // 30,000 bad of 43.2M events: consumed = (30000/43.2e6) / 0.001.
    expect(status.errorBudget.consumed).toBeCloseTo(30_000 / 43_200_000 / 0.001, 6);
    expect(status.burnRates['1h']).toBeCloseTo(500, 6);
    expect(status.burnRates['5m']).toBeCloseTo(500, 6);
    expect(status.burnRates['6h']).toBeCloseTo(500 / 6, 6);
    const firing = status.alerts.filter((a) => a.firing).map((a) => a.longWindow);
    expect(firing).toEqual(
      ['1h', '6h', '1d', '3d'].filter((w) => {
        const tier = status.alerts.find((a) => a.longWindow === w)!;
        return tier.longBurnRate! > tier.threshold && tier.shortBurnRate! > tier.threshold;
      }),
    );
    expect(firing).toContain('1h');
    // 6h tier: short window 30m is all outage (burn 500 > 6), long 6h burns 83.3 > 6: fires too.
    expect(firing).toContain('6h');
    // Remaining budget at the last hour's burn of 500: remaining x 30 days / 500.
    const remaining = status.errorBudget.remaining!;
    expect(status.timeToExhaustion).toBeCloseTo((remaining * 30 * 86400) / 500, 3);
  });

  test('a window without events is no data: never 0% or 100%, nothing fires', async () => {
    const slo = await makeSloWithBuckets([]);
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.dataState).toBe('no_data');
    expect(status.sli).toBeNull();
    expect(status.errorBudget.consumed).toBeNull();
    expect(status.errorBudget.remaining).toBeNull();
    expect(Object.values(status.burnRates).every((b) => b === null)).toBe(true);
    expect(status.alerts.some((a) => a.firing)).toBe(false);
    expect(status.timeToExhaustion).toBeNull();
    expect(status.dataSince).toBeNull();
  });

  test('data covering only part of the window is partial, with the time data starts', async () => {
    const since = new Date(AS_OF.getTime() - 10 * DAY);
    const slo = await makeSloWithBuckets(constantBuckets(since, AS_OF, 10, 0));
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.dataState).toBe('partial');
    expect(status.dataSince).toBe(since.toISOString());
    expect(status.sli).toBe(1);
    expect(status.errorBudget.remaining).toBe(1);
  });

  test('the SLI is weighted by traffic, not an average of per-minute ratios', async () => {
    // One busy minute with 10% errors and 99 quiet minutes without: weighted SLI = 1 - 100/(1000+99).
    const start = new Date(AS_OF.getTime() - 100 * MINUTE);
    const buckets = [{ start, good: 900, total: 1000 }, ...constantBuckets(new Date(start.getTime() + MINUTE), AS_OF, 1, 0)];
    const slo = await makeSloWithBuckets(buckets, { window: { kind: 'rolling', days: 1 } });
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.sli).toBeCloseTo(1 - 100 / 1099, 12);
    expect(status.sli).not.toBeCloseTo(1 - 0.1 / 100, 4);
  });

  test('timeslices: a slice is good when its own SLI meets the threshold; empty slices do not count', async () => {
    const from = new Date(AS_OF.getTime() - 60 * MINUTE);
    const buckets = constantBuckets(from, AS_OF, 100, 0);
    // Minutes 0-4 (slice 1): 5% errors, below the 99% threshold. Minutes 10-14 (slice 3): no events.
    for (let i = 0; i < 5; i++) buckets[i] = { start: buckets[i]!.start, good: 95, total: 100 };
    for (let i = 10; i < 15; i++) buckets[i] = { start: buckets[i]!.start, good: 0, total: 0 };
    const slo = await makeSloWithBuckets(buckets, {
      objective: 0.9,
      window: { kind: 'rolling', days: 1 },
      budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 0.99 },
    });
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.budgeting).toBe('timeslices');
    expect(status.slices).toEqual({ good: 10, total: 11 });
    expect(status.sli).toBeCloseTo(10 / 11, 12);
    expect(status.errorBudget.consumed).toBeCloseTo(1 / 11 / 0.1, 10);
    expect(status.total).toBe(5500);
    expect(status.good).toBe(5475);
  });

  test('a calendar window starts at the period boundary in its time zone', async () => {
    const slo = await makeSloWithBuckets(constantBuckets(new Date('2026-10-20T00:00:00Z'), AS_OF, 10, 0), {
      window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
    });
    const status = await computeSloStatus(slo, { now: NOW });
    // 1 Nov 00:00 in Berlin (CET, UTC+1) is 31 Oct 23:00 UTC; the month has 30 days.
    expect(status.window.from).toBe('2026-10-31T23:00:00.000Z');
    expect(status.window.periodEnd).toBe('2026-11-30T23:00:00.000Z');
    expect(status.window.periodMinutes).toBe(30 * 1440);
    const minutes = (AS_OF.getTime() - Date.parse('2026-10-31T23:00:00Z')) / MINUTE;
    expect(status.total).toBe(minutes * 10);
    expect(status.dataState).toBe('ok');
  });

  test('writing the same minute twice replaces it instead of counting it twice', async () => {
    const start = new Date(AS_OF.getTime() - 5 * MINUTE);
    const slo = await makeSloWithBuckets([{ start, good: 90, total: 100 }]);
    await writeBuckets(slo.id, [{ start, good: 90, total: 100 }]);
    await writeBuckets(slo.id, [{ start, good: 99, total: 100 }]);
    const rows = await db().sliBucket.findMany({ where: { sloId: slo.id } });
    expect(rows).toHaveLength(1);
    const status = await computeSloStatus(slo, { now: NOW });
    expect(status.total).toBe(100);
    expect(status.good).toBe(99);
  });

  test("the series' last point agrees with the status, and each step's SLI is its own", async () => {
    const history = constantBuckets(new Date(AS_OF.getTime() - 31 * DAY), new Date(AS_OF.getTime() - 2 * HOUR), 100, 0.0005);
    const recent = constantBuckets(new Date(AS_OF.getTime() - 2 * HOUR), AS_OF, 100, 0.02);
    const slo = await makeSloWithBuckets([...history, ...recent]);
    const status = await computeSloStatus(slo, { now: NOW });
    const query = SeriesQuery.parse({ from: new Date(AS_OF.getTime() - 6 * HOUR).toISOString(), to: AS_OF.toISOString(), step: '1h' });
    const series = await computeSloSeries(slo, query, NOW);
    expect(series.points).toHaveLength(6);
    const last = series.points.at(-1)!;
    expect(last.t).toBe(AS_OF.toISOString());
    // SQL and prefix sums add 43,200 fractional counts in different orders; budget amplifies that by 1000.
    expect(last.windowSli).toBeCloseTo(status.sli!, 10);
    expect(last.budgetRemaining).toBeCloseTo(status.errorBudget.remaining!, 7);
    expect(last.burnRates['1h']).toBeCloseTo(status.burnRates['1h']!, 10);
    expect(last.burnRates['6h']).toBeCloseTo(status.burnRates['6h']!, 10);
    expect(last.sli).toBeCloseTo(0.98, 12);
    expect(series.points[0]!.sli).toBeCloseTo(0.9995, 12);
    // Budget remaining falls as the recent errors accumulate.
    expect(series.points[5]!.budgetRemaining!).toBeLessThan(series.points[3]!.budgetRemaining!);
  });
});
