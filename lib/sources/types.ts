import type { SliSpec } from '../schemas';
import type { SourceFault } from '../slo/data-quality';

/** One whole minute of an SLO's events. `start` is aligned to the minute. */
export interface MinuteBucket {
  start: Date;
  good: number;
  total: number;
  /** A fault the source found in this minute's data (it is then listed, and left out of every figure). */
  fault?: SourceFault;
  /** Set when the minute also holds the events counted across a gap in the backend's samples that began then. */
  carriedFrom?: Date;
}

/**
 * A source Umpire pulls SLI events from. Adapters (demo, Prometheus) implement it; the maths and the UI only
 * ever see the minute buckets it returns, so a new source plugs in here and nowhere else.
 */
export interface PullSource<S extends SliSpec = SliSpec> {
  readonly kind: S['source'];
  /** Buckets for the whole minutes in [from, to); minutes the source has no data for are left out. */
  fetchBuckets(spec: S, range: { from: Date; to: Date }, options?: { signal?: AbortSignal }): Promise<MinuteBucket[]>;
  /**
   * For sources that count a counter's increase across gaps in its samples (docs/slo-math.md, "Gaps in the backend's
   * samples"). `bucket` is the first minute with data after minutes without any since `gapStart`, as fetchBuckets
   * gave it or as stored. Returns it holding every event counted since gapStart, with carriedFrom = gapStart (read
   * again when fetchBuckets could not reach that far back), or as it is when this SLI's buckets do not carry gaps.
   */
  fetchCarried?(spec: S, gap: { gapStart: Date; bucket: MinuteBucket }, options?: { signal?: AbortSignal }): Promise<MinuteBucket>;
  /**
   * Days of history one evaluator pass may fill for one SLO (default 7, to spare a backend). A source that costs
   * no backend fills more, as long as the pass is young (lib/use-cases/evaluation/evaluate-slo.ts).
   */
  readonly backfillDaysPerPass?: number;
}
