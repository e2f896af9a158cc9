import { describe, expect, test } from 'vitest';
import { advanceCumulative, advanceDelta, FRESH_SERIES_NS, RECENT_POINTS, type PointValues, type SeriesState } from './series';

const S = 1_000_000_000n;
const T0 = 1_780_000_000n * S;
const point = (start: bigint, time: bigint, count: number, buckets: number[] = [], bounds: number[] = []): PointValues => ({
  startNs: start,
  timeNs: time,
  count,
  buckets,
  bounds,
});

/** Feeds points in order; returns the steps. */
function run(advance: typeof advanceCumulative, points: PointValues[], initial: SeriesState | null = null) {
  let state = initial;
  return points.map((p) => {
    const next = advance(state, p);
    state = next.state;
    return next.step;
  });
}

describe('advanceCumulative', () => {
  test('a fresh series counts from zero, then increases between points', () => {
    expect(run(advanceCumulative, [point(T0, T0 + 60n * S, 10), point(T0, T0 + 120n * S, 25), point(T0, T0 + 180n * S, 25)])).toEqual([
      { kind: 'increase', count: 10, buckets: [] },
      { kind: 'increase', count: 15, buckets: [] },
      { kind: 'increase', count: 0, buckets: [] },
    ]);
  });

  test('a series first seen long after its start is a baseline, not a burst of old events', () => {
    const start = T0 - FRESH_SERIES_NS - S;
    expect(run(advanceCumulative, [point(start, T0, 1_000_000), point(start, T0 + 60n * S, 1_000_010)])).toEqual([
      { kind: 'baseline' },
      { kind: 'increase', count: 10, buckets: [] },
    ]);
  });

  test('exactly FRESH_SERIES_NS after start still counts from zero; unknown start (0) is a baseline', () => {
    expect(run(advanceCumulative, [point(T0, T0 + FRESH_SERIES_NS, 5)])).toEqual([{ kind: 'increase', count: 5, buckets: [] }]);
    expect(run(advanceCumulative, [point(0n, T0, 5)])).toEqual([{ kind: 'baseline' }]);
  });

  test('a new start time is a restart: its counts are all new, never negative traffic', () => {
    const restart = T0 + 200n * S;
    expect(run(advanceCumulative, [point(T0, T0 + 60n * S, 100), point(restart, restart + 30n * S, 7), point(restart, restart + 90n * S, 9)])).toEqual([
      { kind: 'increase', count: 100, buckets: [] },
      { kind: 'increase', count: 7, buckets: [] },
      { kind: 'increase', count: 2, buckets: [] },
    ]);
  });

  test('counts going down under the same start (senders without start times) are a reset', () => {
    expect(run(advanceCumulative, [point(0n, T0, 50), point(0n, T0 + 60n * S, 60), point(0n, T0 + 120n * S, 4)])).toEqual([
      { kind: 'baseline' },
      { kind: 'increase', count: 10, buckets: [] },
      { kind: 'increase', count: 4, buckets: [] },
    ]);
  });

  test('redelivered and out-of-order points add nothing', () => {
    const a = point(T0, T0 + 60n * S, 10);
    const b = point(T0, T0 + 120n * S, 30);
    expect(run(advanceCumulative, [a, b, b, a])).toEqual([
      { kind: 'increase', count: 10, buckets: [] },
      { kind: 'increase', count: 20, buckets: [] },
      { kind: 'duplicate' },
      { kind: 'duplicate' },
    ]);
  });

  test('a late point from before a restart adds nothing', () => {
    const restart = T0 + 300n * S;
    expect(run(advanceCumulative, [point(T0, T0 + 60n * S, 10), point(restart, restart + 60n * S, 3), point(T0, T0 + 120n * S, 20)])).toEqual([
      { kind: 'increase', count: 10, buckets: [] },
      { kind: 'increase', count: 3, buckets: [] },
      { kind: 'duplicate' },
    ]);
  });

  test('histograms: bucket increases; re-bucketing without restart becomes a baseline', () => {
    const bounds = [0.1, 0.5];
    expect(
      run(advanceCumulative, [
        point(T0, T0 + 60n * S, 10, [6, 3, 1], bounds),
        point(T0, T0 + 120n * S, 16, [10, 4, 2], bounds),
        point(T0, T0 + 180n * S, 20, [12, 8], [0.25]),
        point(T0, T0 + 240n * S, 23, [13, 10], [0.25]),
      ]),
    ).toEqual([
      { kind: 'increase', count: 10, buckets: [6, 3, 1] },
      { kind: 'increase', count: 6, buckets: [4, 1, 1] },
      { kind: 'baseline' },
      { kind: 'increase', count: 3, buckets: [1, 2] },
    ]);
  });

  test('a bucket count going down is a reset even when the total did not', () => {
    const bounds = [0.1];
    expect(run(advanceCumulative, [point(0n, T0, 10, [5, 5], bounds), point(0n, T0 + 60n * S, 12, [4, 8], bounds)])).toEqual([
      { kind: 'baseline' },
      { kind: 'increase', count: 12, buckets: [4, 8] },
    ]);
  });
});

describe('advanceDelta', () => {
  test('each point is its own increase; a redelivery is recognised', () => {
    const a = point(T0, T0 + 60n * S, 4);
    const b = point(T0 + 60n * S, T0 + 120n * S, 6);
    expect(run(advanceDelta, [a, b, a, b])).toEqual([
      { kind: 'increase', count: 4, buckets: [] },
      { kind: 'increase', count: 6, buckets: [] },
      { kind: 'duplicate' },
      { kind: 'duplicate' },
    ]);
  });

  test('a late point not seen before is taken once', () => {
    const late = point(T0, T0 + 60n * S, 4);
    const steps = run(advanceDelta, [point(T0 + 60n * S, T0 + 120n * S, 6), late, late]);
    expect(steps).toEqual([{ kind: 'increase', count: 6, buckets: [] }, { kind: 'increase', count: 4, buckets: [] }, { kind: 'duplicate' }]);
  });

  test(`a point older than the last ${RECENT_POINTS} remembered is refused, not guessed`, () => {
    const points = Array.from({ length: RECENT_POINTS }, (_, i) => point(0n, T0 + BigInt(i + 10) * 60n * S, 1));
    const steps = run(advanceDelta, [...points, point(0n, T0 + 60n * S, 1), point(0n, T0 + 10n * 60n * S, 1)]);
    expect(steps.slice(-2)).toEqual([{ kind: 'too_old' }, { kind: 'duplicate' }]);
    expect(steps.slice(0, -2).every((s) => s.kind === 'increase')).toBe(true);
  });

  test('memory keeps the newest points', () => {
    let state: SeriesState | null = null;
    for (let i = 0; i < RECENT_POINTS + 10; i++) state = advanceDelta(state, point(0n, T0 + BigInt(i) * S, 1)).state;
    expect(state!.recentNs).toHaveLength(RECENT_POINTS);
    expect(state!.recentNs[0]).toBe(T0 + 10n * S);
    expect(state!.lastNs).toBe(T0 + BigInt(RECENT_POINTS + 9) * S);
  });
});
