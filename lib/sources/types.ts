import type { SliPreviewResult, SliSpec } from '../schemas';
import type { PrometheusClient } from './prometheus/client';
import type { SliGroup } from './prometheus/grouped';
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

/** What adapters need from outside that only a use-case may provide (it owns the database). */
export interface SourceDeps {
  /** A client for the Prometheus-compatible data source with this slug (NotFoundError when there is none). */
  prometheusClient: (datasource: string) => Promise<PrometheusClient>;
}

/** What validating an SLI needs, looked up by a use-case. */
export interface ValidateContext {
  /** The Prometheus-compatible data source with this slug (NotFoundError when there is none); its client made only when asked for. */
  prometheusDataSource: (datasource: string) => Promise<{ client: () => PrometheusClient }>;
  /** An OTLP metric as Umpire last catalogued it, or null when none has arrived under this name. */
  otelMetric: (name: string) => Promise<{ type: string; monotonic: boolean } | null>;
}

/** What a kind's lifecycle hook may ask the use-cases to do once an SLO's definition changed. */
export interface SloChangeContext {
  /** Ingest re-reads which pushed SLOs exist (lib/use-cases/ingest/ingest-otlp.ts). */
  invalidateOtelSloIndex: () => void;
}

/** SLIs of one kind read together: one query per side for the whole group (Prometheus: lib/sources/prometheus/grouped.ts). */
export interface BatchGroup<K> {
  /** The data source the group reads. */
  datasource: string;
  /** Each member's value of the label that tells them apart; members sharing a value share one answer. */
  members: Array<{ key: K; value: string }>;
}

/**
 * Carries gaps in a Prometheus group's samples across its read, from the minutes stored before `range`
 * (lib/use-cases/evaluation/carry-gaps.ts: a use-case, as it reads the database).
 */
export type GroupGapCarrier = <K extends { id: string }>(
  client: PrometheusClient,
  group: SliGroup<K>,
  read: ReadonlyMap<K, MinuteBucket[]>,
  range: { from: Date; to: Date },
  since: (key: K) => Date,
) => Promise<Map<K, MinuteBucket[]>>;

/** Many SLOs of a kind caught up at once instead of SLO by SLO; the evaluator's batched pass uses it. */
export interface BatchEvaluator<S extends SliSpec = SliSpec> {
  /** The data source an SLI is batched within, or null when it is always read on its own. */
  poolOf(sli: S): string | null;
  /** The SLIs (of one pool, reading the same minutes) put in groups, and those read on their own. */
  plan<K>(items: Array<{ key: K; sli: S }>): { groups: Array<BatchGroup<K>>; single: K[] };
  /**
   * A group's minutes in [from, to), per member, a minute ending a gap in the samples carrying it; `since(key)` is
   * where that member's stored minutes start (a gap may begin before `from`), `carry` what carries gaps from them.
   */
  read<K extends { id: string }>(
    group: BatchGroup<K>,
    range: { from: Date; to: Date },
    deps: SourceDeps,
    since: (key: K) => Date,
    carry: GroupGapCarrier,
  ): Promise<Map<K, MinuteBucket[]>>;
}

/**
 * Everything Umpire knows about one kind of SLI source (the `source` of an SLI spec): one entry per kind in
 * lib/sources/registry.ts, each in its own folder (lib/sources/<kind>/kind.ts). Use-cases and the evaluator ask
 * the entry instead of switching on the kind.
 */
export interface SourceKind<S extends SliSpec = SliSpec> {
  readonly kind: S['source'];
  /** How the UI and the API name the kind. */
  readonly describe: { label: string; help: string };
  /** Pushed to Umpire (ingest writes the buckets): the evaluator never reads these, and nothing can be read again. */
  readonly pushed: boolean;
  /** Refuses, with field errors (UnprocessableError), what the schema cannot check: a missing data source, say. */
  validate(sli: S, context: ValidateContext): Promise<void>;
  /** The per-SLO reader of minute counts the evaluator uses; absent for pushed kinds. */
  evaluate?(deps: SourceDeps): PullSource<S>;
  /** Many SLOs of this kind read at once (optional: the evaluator goes SLO by SLO without it). */
  readonly evaluateBatch?: BatchEvaluator<S>;
  /** Refuses (UnprocessableError) a request to read an SLO's whole history again when its source cannot. */
  backfill(sli: S): void;
  /** The SLO form's preview: the SLI over the last hour and day before `at`, or why it cannot run. */
  preview(sli: S, at: Date, deps: SourceDeps): Promise<SliPreviewResult>;
  /** The data source an SLI reads, for the evaluator's failure reports; absent for kinds that read none. */
  datasourceOf?(sli: S): string;
  /** After an SLO of this kind was created or deleted, or its SLI changed to or from this kind. */
  onSloChanged?(context: SloChangeContext): void;
}
