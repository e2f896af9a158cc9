import { describe, expect, test } from 'vitest';
import { DemoSli } from '../../schemas';
import { generateDemoBuckets, incidentsBetween } from './generator';

const spec = (over: Partial<DemoSli> = {}) => DemoSli.parse({ source: 'demo', profile: 'availability', ...over });
const DAY = 86_400_000;
const T0 = new Date('2026-08-28T00:00:00Z');

describe('demo generator', () => {
  test('is deterministic and the same whichever way a range is split', () => {
    const whole = generateDemoBuckets(spec(), T0, new Date(T0.getTime() + DAY));
    const parts = [
      ...generateDemoBuckets(spec(), T0, new Date(T0.getTime() + 7 * 3_600_000)),
      ...generateDemoBuckets(spec(), new Date(T0.getTime() + 7 * 3_600_000), new Date(T0.getTime() + DAY)),
    ];
    expect(whole).toHaveLength(1440);
    expect(parts).toEqual(whole);
    expect(generateDemoBuckets(spec(), T0, new Date(T0.getTime() + DAY))).toEqual(whole);
    expect(generateDemoBuckets(spec({ seed: 'other' }), T0, new Date(T0.getTime() + DAY))).not.toEqual(whole);
  });

  test('writes whole minutes with whole counts, good never above total', () => {
    const buckets = generateDemoBuckets(spec(), new Date(T0.getTime() + 30_000), new Date(T0.getTime() + 90 * DAY));
    expect(buckets[0]!.start.getTime()).toBe(T0.getTime() + 60_000);
    // Checked in plain code, then asserted once: 130k buckets x several expects is slow for no gain.
    const bad = buckets.filter(
      (b) => b.start.getTime() % 60_000 !== 0 || !Number.isInteger(b.good) || !Number.isInteger(b.total) || b.good > b.total || b.good < 0,
    );
    expect(buckets).toHaveLength(90 * 1440 - 1);
    expect(bad).toEqual([]);
  });

  test('has a daily cycle: afternoon traffic well above night traffic', () => {
    const day = generateDemoBuckets(spec({ eventsPerMinute: 1000 }), new Date('2026-11-25T00:00:00Z'), new Date('2026-11-26T00:00:00Z'));
    const hour = (h: number) => day.slice(h * 60, h * 60 + 60).reduce((n, b) => n + b.total, 0);
    expect(hour(16)).toBeGreaterThan(2 * hour(4));
  });

  test('outside incidents the error ratio is the baseline on average', () => {
    const s = spec({ baselineErrorRatio: 0.001, eventsPerMinute: 1000 });
    const from = T0.getTime();
    const to = from + 90 * DAY;
    const incidents = incidentsBetween(s, from / 60_000, to / 60_000);
    const quiet = generateDemoBuckets(s, new Date(from), new Date(to)).filter(
      (b) => !incidents.some((i) => b.start.getTime() / 60_000 >= i.start && b.start.getTime() / 60_000 < i.end),
    );
    const bad = quiet.reduce((n, b) => n + b.total - b.good, 0);
    const total = quiet.reduce((n, b) => n + b.total, 0);
    expect(bad / total).toBeGreaterThan(0.0009);
    expect(bad / total).toBeLessThan(0.0011);
  });

  test('90 days hold incidents of every shape, and an outage really fails most requests', () => {
    const from = T0.getTime() / 60_000;
    const to = from + 90 * 1440;
    const shapes = new Set(
      ['a', 'b', 'c', 'd'].flatMap((seed) =>
        (['availability', 'latency'] as const).flatMap((profile) => incidentsBetween(spec({ seed, profile }), from, to).map((i) => i.shape)),
      ),
    );
    expect([...shapes].sort()).toEqual(['latency-regression', 'outage', 'slow-burn']);

    const outage = incidentsBetween(spec(), from, to).find((i) => i.shape === 'outage')!;
    const during = generateDemoBuckets(spec(), new Date(outage.start * 60_000), new Date(outage.end * 60_000));
    const ratio = during.reduce((n, b) => n + b.total - b.good, 0) / during.reduce((n, b) => n + b.total, 0);
    expect(ratio).toBeGreaterThan(outage.peak * 0.8);
  });
});
