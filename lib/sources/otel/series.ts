// How a pushed OTLP series turns into increases that are each counted once, whatever its temporality, and
// however often or late its points are delivered. Pure: the use-case loads and saves the state.

/** Where a series stands; stored per series (otel_series). */
export interface SeriesState {
  /** Cumulative: the start time of `count`/`buckets`. Delta: the first point's start time (informational). */
  startNs: bigint;
  /** The newest point time taken. */
  lastNs: bigint;
  /** Delta: times of the most recent points taken, newest last, at most RECENT_POINTS. */
  recentNs: bigint[];
  /** Cumulative: the histogram count or the sum's value at lastNs. */
  count: number;
  /** Cumulative histograms: bucket counts at lastNs (empty for sums), for these bounds. */
  buckets: number[];
  bounds: number[];
}

/** One point reduced to what increases are made of: a sum's value is its `count`; sums have no buckets. */
export interface PointValues {
  startNs: bigint;
  timeNs: bigint;
  count: number;
  buckets: number[];
  bounds: number[];
}

export type Step =
  /** New events between the previous point taken and this one (or since the series started). */
  | { kind: 'increase'; count: number; buckets: number[] }
  /** The first point of a cumulative series that has been running a while: its counts are the baseline. */
  | { kind: 'baseline' }
  /** Already taken (a redelivery), or older than what was taken: nothing new. */
  | { kind: 'duplicate' }
  /** A delta point older than every point remembered: whether it was taken cannot be told, so it is refused. */
  | { kind: 'too_old' };

/** Delta points remembered per series to recognise redeliveries and take late points once. */
export const RECENT_POINTS = 64;
/**
 * A cumulative series first seen at most this long after its start time is counted from zero (a service that
 * just started); one running longer before Umpire saw it has counts from before, which become its baseline.
 */
export const FRESH_SERIES_NS = 15n * 60n * 1_000_000_000n;

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function stateOf(point: PointValues): SeriesState {
  return { startNs: point.startNs, lastNs: point.timeNs, recentNs: [], count: point.count, buckets: point.buckets, bounds: point.bounds };
}

const full = (point: PointValues): Step => ({ kind: 'increase', count: point.count, buckets: point.buckets });

/**
 * Cumulative temporality: the increase since the previous point taken. A new start time is a restart (the
 * counts are all new, not negative traffic); counts going down under the same start time are treated the same
 * way (senders that do not set start times). Points not newer than the last one taken add nothing.
 */
export function advanceCumulative(state: SeriesState | null, point: PointValues): { state: SeriesState | null; step: Step } {
  if (!state) {
    const fresh = point.startNs > 0n && point.timeNs >= point.startNs && point.timeNs - point.startNs <= FRESH_SERIES_NS;
    return { state: stateOf(point), step: fresh ? full(point) : { kind: 'baseline' } };
  }
  if (point.startNs !== 0n && point.startNs !== state.startNs) {
    // A late point from before a restart, or a restart: the newer start time wins.
    if (point.startNs < state.startNs || point.timeNs <= state.lastNs) return { state, step: { kind: 'duplicate' } };
    return { state: stateOf(point), step: full(point) };
  }
  if (point.timeNs <= state.lastNs) return { state, step: { kind: 'duplicate' } };
  if (!sameBounds(point.bounds, state.bounds)) {
    // Re-bucketed without a restart: bucket increases cannot be taken across different bounds.
    return { state: stateOf(point), step: { kind: 'baseline' } };
  }
  const count = point.count - state.count;
  const buckets = point.buckets.map((b, i) => b - (state.buckets[i] ?? 0));
  if (count < 0 || buckets.some((b) => b < 0)) return { state: stateOf(point), step: full(point) };
  return { state: stateOf(point), step: { kind: 'increase', count, buckets } };
}

/**
 * Delta temporality: each point is its own increase. A point is identified within its series by its time: one
 * seen among the recent points is a redelivery; one older than all of them (with the memory full) is refused.
 */
export function advanceDelta(state: SeriesState | null, point: PointValues): { state: SeriesState | null; step: Step } {
  if (!state) {
    return { state: { ...stateOf(point), count: 0, buckets: [], bounds: [], recentNs: [point.timeNs] }, step: full(point) };
  }
  if (state.recentNs.includes(point.timeNs)) return { state, step: { kind: 'duplicate' } };
  const oldest = state.recentNs.reduce((a, b) => (b < a ? b : a), state.recentNs[0] ?? point.timeNs);
  if (state.recentNs.length >= RECENT_POINTS && point.timeNs < oldest) return { state, step: { kind: 'too_old' } };
  const recent = [...state.recentNs, point.timeNs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(-RECENT_POINTS);
  return {
    state: { ...state, lastNs: point.timeNs > state.lastNs ? point.timeNs : state.lastNs, recentNs: recent },
    step: full(point),
  };
}
