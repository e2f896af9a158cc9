import {
  metrics,
  ValueType,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type GaugeMetricData,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';

/**
 * Umpire's own metrics: every instrument is defined here and nowhere else. Instruments come from the global
 * MeterProvider, so they are no-ops until lib/telemetry/sdk.ts starts the SDK (and in unit tests).
 */
export const METER_NAME = 'umpire';

/** The semantic conventions' advice for http.server.request.duration, in seconds. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Evaluator passes take from milliseconds (steady state) to minutes (backfilling thousands of SLOs). */
const EVALUATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

interface Instruments {
  provider: MeterProvider;
  httpServerDuration: Histogram;
  evaluationDuration: Histogram;
  evaluationLag: ObservableGauge;
  evaluationSlos: ObservableGauge;
  backendErrors: Counter;
  backendRequestDuration: Histogram;
  ingestPoints: Counter;
}

/** Last values the observable gauges report; on globalThis because Next bundles this module more than once. */
interface Observed {
  /** Lag measured at `at` (ms since epoch), seconds null when no SLO is evaluated; null before the first pass. */
  lag: { seconds: number | null; at: number } | null;
  slos: { ok: number; failed: number } | null;
}

const holder = globalThis as typeof globalThis & { umpireInstruments?: Instruments; umpireObserved?: Observed };

function observed(): Observed {
  return (holder.umpireObserved ??= { lag: null, slos: null });
}

/**
 * The instruments of the current global MeterProvider. The API has no proxy meter: an instrument created
 * before the SDK starts stays a no-op, so they are (re)created when the provider changes.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (holder.umpireInstruments?.provider === provider) return holder.umpireInstruments;
  const meter = provider.getMeter(METER_NAME);
  const created: Instruments = {
    provider,
    httpServerDuration: meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      description: 'Duration of HTTP server requests.',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
    }),
    evaluationDuration: meter.createHistogram('umpire.evaluation.duration', {
      description: 'Wall time of an evaluator pass over the SLOs.',
      unit: 's',
      advice: { explicitBucketBoundaries: EVALUATION_BUCKETS },
    }),
    evaluationLag: meter.createObservableGauge('umpire.evaluation.lag', {
      description: 'How far behind now the least fresh SLO (not OpenTelemetry-sourced) is.',
      unit: 's',
    }),
    evaluationSlos: meter.createObservableGauge('umpire.evaluation.slos', {
      description: "SLOs in the evaluator's last full pass, by outcome.",
      unit: '{slo}',
      valueType: ValueType.INT,
    }),
    backendErrors: meter.createCounter('umpire.backend.errors', {
      description: 'SLO evaluations that failed, by data source and kind of failure.',
      unit: '{error}',
      valueType: ValueType.INT,
    }),
    backendRequestDuration: meter.createHistogram('umpire.backend.request.duration', {
      description: 'Duration of requests to metrics backends (data sources).',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
    }),
    ingestPoints: meter.createCounter('umpire.ingest.points', {
      description: 'Data points received by the OTLP receiver, by outcome.',
      unit: '{point}',
      valueType: ValueType.INT,
    }),
  };
  created.evaluationLag.addCallback(observeLag);
  created.evaluationSlos.addCallback(observeSlos);
  holder.umpireInstruments = created;
  return created;
}

function observeLag(result: ObservableResult): void {
  const lag = observed().lag;
  if (!lag) return;
  // No SLO to evaluate: nothing is behind. (A gauge cannot vanish: the SDK would keep the last value.)
  if (lag.seconds === null) return result.observe(0);
  // Between passes the least fresh SLO falls further behind by the time elapsed, so the gauge keeps growing
  // when the evaluator stalls instead of showing its last reassuring value.
  result.observe(lag.seconds + Math.max(0, Date.now() - lag.at) / 1000);
}

function observeSlos(result: ObservableResult): void {
  const slos = observed().slos;
  if (!slos) return;
  result.observe(slos.ok, { outcome: 'ok' });
  result.observe(slos.failed, { outcome: 'failed' });
}

/** Registers the observable gauges with the current provider; the SDK calls it once it has started. */
export function registerInstruments(): void {
  instruments();
}

/**
 * One evaluator pass. `scope` says whether it went over every SLO or only ones just created or changed (only
 * full passes set the SLO gauge); `error` means the pass itself failed, rather than some SLOs in it.
 */
export function recordEvaluationPass(pass: { seconds: number; slos: number; failed: number; scope?: 'all' | 'requested'; error?: boolean }): void {
  const scope = pass.scope ?? 'all';
  const outcome = pass.error ? 'error' : pass.failed > 0 ? 'failures' : 'ok';
  instruments().evaluationDuration.record(pass.seconds, { scope, outcome });
  if (scope === 'all' && !pass.error) observed().slos = { ok: Math.max(0, pass.slos - pass.failed), failed: pass.failed };
}

/** Seconds between now and the oldest "fresh until" of the evaluated SLOs; null when there is none (reported as 0). */
export function recordEvaluationLag(seconds: number | null, now: number = Date.now()): void {
  instruments();
  observed().lag = { seconds, at: now };
}

/** An SLO whose evaluation failed; `kind` is the failure's class (timeout, unreachable, bad_query, ...). */
export function recordBackendError(error: { datasource: string; kind: string }): void {
  instruments().backendErrors.add(1, { datasource: error.datasource, [ATTR_ERROR_TYPE]: error.kind });
}

/** One request to a data source; `outcome` is ok, an HTTP status class (4xx, 5xx) or the error's class. */
export function recordBackendRequest(request: { datasource: string; seconds: number; outcome: string }): void {
  instruments().backendRequestDuration.record(request.seconds, { datasource: request.datasource, outcome: request.outcome });
}

/** Points from one OTLP export request, split by what became of them. */
export function recordIngest(points: { accepted: number; rejected: number; dropped: number }): void {
  const { ingestPoints } = instruments();
  for (const outcome of ['accepted', 'rejected', 'dropped'] as const) {
    if (points[outcome] > 0) ingestPoints.add(points[outcome], { outcome });
  }
}

/** An HTTP request Umpire served. Attributes must stay low-cardinality: the route template, never the URL. */
export function recordHttpServerRequest(request: { seconds: number; method: string; route?: string; status?: number; errorType?: string }): void {
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: request.method };
  if (request.route) attributes[ATTR_HTTP_ROUTE] = request.route;
  if (request.status) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = request.status;
  if (request.errorType) attributes[ATTR_ERROR_TYPE] = request.errorType;
  instruments().httpServerDuration.record(request.seconds, attributes);
}

// ---- Per-SLO series from the stored states (slo_states) ----
//
// Not observable gauges: the SDK keeps every attribute set an observable gauge ever reported (cumulative
// temporality) and caps each instrument at 2000 of them, so an SLO deleted or dropped by the cap would go on being
// exported with its last value, and 10,000 SLOs would overflow. A MetricProducer on the readers builds these
// series afresh from one snapshot at each collection instead: what is exported is exactly the stored states now.

/** One SLO's stored state, as far as its series need it. */
export interface SloStateSample {
  service: string;
  slo: string;
  team: string;
  /** The minute its figures are as of. */
  asOf: Date;
  dataState: 'ok' | 'partial' | 'no_data';
  budgetRemaining: number | null;
  sli: number | null;
  /** Burn rate per window the stored status has; null when the window had no events. */
  burnRates: Record<string, number | null>;
  alerts: Array<{ severity: string; longWindow: string; shortWindow: string; firing: boolean }>;
}

/** The states exposed (at most UMPIRE_METRICS_MAX_SLOS, least budget left first) and how many were left out. */
export interface SloStateSnapshot {
  samples: SloStateSample[];
  dropped: number;
}

/** The per-SLO series: names as the OpenTelemetry instruments would be named; the unit gives the Prometheus suffix. */
export const SLO_SERIES = {
  budgetRemaining: { name: 'umpire.slo.budget_remaining', unit: '1', description: 'Share of the error budget left (1 = untouched, below 0 = overspent).' },
  sli: { name: 'umpire.slo.sli', unit: '1', description: 'The SLI over the SLO window.' },
  burnRate: { name: 'umpire.slo.burn_rate', unit: '1', description: 'Burn rate over each window of the stored status (1 = the budget lasts the window).' },
  alertFiring: { name: 'umpire.slo.alert_firing', unit: '{alert}', description: 'Whether each burn-rate tier fires (1) or not (0).' },
  dataState: { name: 'umpire.slo.data_state', unit: '{state}', description: "The SLO's data state: 1 for the current one of ok, partial, no_data." },
  stateAge: { name: 'umpire.slo.state.age', unit: 's', description: "Time since the minute the SLO's stored figures are as of." },
  seriesDropped: {
    name: 'umpire.slo.series_dropped',
    unit: '{slo}',
    description: 'SLOs with a stored state left out of the per-SLO series (UMPIRE_METRICS_MAX_SLOS).',
  },
} as const;

const DATA_STATES = ['ok', 'partial', 'no_data'] as const;

/** The per-SLO series of a snapshot, as metric data of the `umpire` scope. */
export function sloStateMetrics(snapshot: SloStateSnapshot, now: number = Date.now()): MetricData[] {
  const time = millisToHrTime(now);
  const gauge = (key: keyof typeof SLO_SERIES, points: Array<[Attributes, number]>, valueType = ValueType.DOUBLE): GaugeMetricData => ({
    descriptor: { name: SLO_SERIES[key].name, description: SLO_SERIES[key].description, unit: SLO_SERIES[key].unit, valueType },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points.map(([attributes, value]) => ({ attributes, value, startTime: time, endTime: time })),
  });
  const budget: Array<[Attributes, number]> = [];
  const sli: Array<[Attributes, number]> = [];
  const burn: Array<[Attributes, number]> = [];
  const firing: Array<[Attributes, number]> = [];
  const state: Array<[Attributes, number]> = [];
  const age: Array<[Attributes, number]> = [];
  for (const s of snapshot.samples) {
    const id = { service: s.service, slo: s.slo };
    if (s.budgetRemaining !== null) budget.push([{ ...id, team: s.team }, s.budgetRemaining]);
    if (s.sli !== null) sli.push([{ ...id, team: s.team }, s.sli]);
    for (const [window, rate] of Object.entries(s.burnRates)) if (rate !== null) burn.push([{ ...id, window }, rate]);
    for (const a of s.alerts) firing.push([{ ...id, severity: a.severity, long_window: a.longWindow, short_window: a.shortWindow }, a.firing ? 1 : 0]);
    for (const d of DATA_STATES) state.push([{ ...id, state: d }, s.dataState === d ? 1 : 0]);
    age.push([id, Math.max(0, (now - s.asOf.getTime()) / 1000)]);
  }
  return [
    gauge('budgetRemaining', budget),
    gauge('sli', sli),
    gauge('burnRate', burn),
    gauge('alertFiring', firing, ValueType.INT),
    gauge('dataState', state, ValueType.INT),
    gauge('stateAge', age),
    gauge('seriesDropped', [[{}, snapshot.dropped]], ValueType.INT),
  ].filter((m) => m.dataPoints.length > 0);
}

/** Snapshots are reused this long, so several readers (Prometheus, OTLP) and close scrapes share one query. */
export const SLO_SNAPSHOT_MAX_AGE_MS = 15_000;

/**
 * Reads snapshots for the per-SLO series: at most one query per SLO_SNAPSHOT_MAX_AGE_MS, concurrent collections
 * sharing the one in flight. `clear()` forgets the last snapshot.
 */
export class SloStateSnapshots {
  private last: { at: number; snapshot: Promise<SloStateSnapshot> } | null = null;
  constructor(
    private readonly read: () => Promise<SloStateSnapshot>,
    private readonly maxAgeMs = SLO_SNAPSHOT_MAX_AGE_MS,
  ) {}

  get(now: number = Date.now()): Promise<SloStateSnapshot> {
    if (this.last && now - this.last.at < this.maxAgeMs) return this.last.snapshot;
    const snapshot = this.read();
    const entry = { at: now, snapshot };
    this.last = entry;
    // A failed read is not kept: the next collection tries again.
    snapshot.catch(() => {
      if (this.last === entry) this.last = null;
    });
    return snapshot;
  }

  clear(): void {
    this.last = null;
  }
}

/** A producer the metric readers collect the per-SLO series from, alongside the SDK's own instruments. */
export function sloStateProducer(snapshots: SloStateSnapshots): MetricProducer {
  return {
    async collect(): Promise<CollectionResult> {
      const scope = { name: METER_NAME };
      try {
        const metrics = sloStateMetrics(await snapshots.get());
        return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope, metrics }] }, errors: [] };
      } catch (error) {
        return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [] }, errors: [error] };
      }
    },
  };
}
