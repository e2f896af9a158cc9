import { createHash } from 'node:crypto';
import { IngestLimitError } from '../../errors';
import type { Attributes, Metric, MetricsRequest, Temporality } from '../../otlp/model';
import { advanceCumulative, advanceDelta, type PointValues, type SeriesState } from './series';
import { boundIndex, goodEvents, type CompiledOtelSli, type SeriesRole } from './sli-match';

// Turns one decoded OTLP request into what ingest writes: per series, its points and the SLOs it feeds; then,
// given the series' stored states, the per-minute good/total increases. Pure; the use-case does the I/O.

const MINUTE_MS = 60_000;
const NS_PER_MS = 1_000_000n;

/** Per request. Over a limit the whole request is refused and nothing from it is stored. */
export const INGEST_LIMITS = {
  /** Data points in one request (413 over it). */
  points: 100_000,
  /** Attributes on one data point or resource (400 over it). */
  attributes: 128,
  /** Characters of one attribute key or value (400 over it). */
  attributeLength: 4096,
  /** Distinct attribute sets (series) of one metric in one request (400 over it): a cardinality explosion. */
  seriesPerMetric: 20_000,
} as const;
/** Points further ahead of Umpire's clock than this are refused: a skewed clock would fill future minutes. */
export const MAX_FUTURE_MS = 5 * MINUTE_MS;
/** Points older than the longest SLO window are refused: they could never count. */
export const MAX_AGE_MS = 90 * 1440 * MINUTE_MS;

export { IngestLimitError };

export interface SloTarget {
  sloId: string;
  good: 'all' | 'none' | { latency: number };
}

export interface PlannedSeries {
  /** 16-byte hash of metric, temporality, resource, scope and point attributes. */
  id: Buffer;
  /** The id in hex. */
  hex: string;
  metric: string;
  temporality: 'cumulative' | 'delta';
  /** In time order. */
  points: PointValues[];
  targets: SloTarget[];
}

export interface CatalogMetric {
  name: string;
  type: Metric['data']['type'];
  unit: string;
  description: string;
  temporality: Temporality;
  monotonic: boolean;
  bounds: number[];
  /** Attribute values seen in this request: `${scope}\u0000${key}` -> values (at most CATALOG_VALUES each). */
  attributes: Map<string, Set<string>>;
}

export interface IngestPlan {
  series: PlannedSeries[];
  catalog: Map<string, CatalogMetric>;
  /** Points of metrics no SLO reads: not stored. */
  dropped: number;
  /** Points refused, by reason (the OTLP partial-success message lists them); a point may be under several. */
  rejected: Map<string, number>;
  /** Points refused (each once, whatever its reasons). */
  rejectedPoints: number;
  /** Points that will be counted (or are duplicates of counted ones). */
  accepted: number;
  /** Per SLO the sender may not feed: the points that would have counted toward it, and why they did not. */
  refused: Map<string, { points: number; reason: string }>;
}

/** Attribute values kept per key per request for the metric catalog. */
export const CATALOG_VALUES = 100;

function checkAttributes(attributes: Attributes, where: string): void {
  let n = 0;
  for (const key in attributes) {
    n++;
    if (key.length > INGEST_LIMITS.attributeLength || attributes[key]!.length > INGEST_LIMITS.attributeLength) {
      throw new IngestLimitError(`${where}: attribute ${JSON.stringify(key.slice(0, 100))} is longer than ${INGEST_LIMITS.attributeLength} characters`, 400);
    }
  }
  if (n > INGEST_LIMITS.attributes) {
    throw new IngestLimitError(`${where} has ${n} attributes; the limit is ${INGEST_LIMITS.attributes}`, 400);
  }
}

function canonical(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let out = '';
  for (const key of keys) out += `${key}\u0001${attributes[key]}\u0002`;
  return out;
}

function reject(plan: IngestPlan, reason: string, points = 1): void {
  plan.rejected.set(reason, (plan.rejected.get(reason) ?? 0) + points);
  plan.rejectedPoints += points;
}

/** A point would count toward SLOs the sender may not feed: refused once, listed under each SLO's reason. */
function refuse(plan: IngestPlan, refusals: ReadonlyArray<{ sloId: string; reason: string }>): void {
  plan.rejectedPoints++;
  for (const { sloId, reason } of refusals) {
    plan.rejected.set(reason, (plan.rejected.get(reason) ?? 0) + 1);
    const entry = plan.refused.get(sloId);
    if (entry) entry.points++;
    else plan.refused.set(sloId, { points: 1, reason });
  }
}

function pointCount(metric: Metric): number {
  return metric.data.points.length;
}

/**
 * Series ids by identity, in two levels (metric/resource/scope prefix, then the point's attributes) so lookups
 * hash short strings: the id is hashed once per series per process, not once per point.
 */
const ids = new Map<string, Map<string, { id: Buffer; hex: string }>>();
const IDS_KEPT = 500_000;
let idsKept = 0;

function seriesIds(prefix: string): Map<string, { id: Buffer; hex: string }> {
  let byPoint = ids.get(prefix);
  if (!byPoint) {
    if (idsKept >= IDS_KEPT) {
      ids.clear();
      idsKept = 0;
    }
    ids.set(prefix, (byPoint = new Map()));
  }
  return byPoint;
}

function seriesId(byPoint: Map<string, { id: Buffer; hex: string }>, prefix: string, pointKey: string, onNew: () => void): { id: Buffer; hex: string } {
  let entry = byPoint.get(pointKey);
  if (!entry) {
    onNew();
    const id = createHash('sha256').update(prefix).update(pointKey).digest().subarray(0, 16);
    entry = { id, hex: id.toString('hex') };
    byPoint.set(pointKey, entry);
    idsKept++;
  }
  return entry;
}

export interface PlanOptions<S> {
  /**
   * Whether all of this metric's attribute values from this resource are due for the catalogue (say, once a
   * minute); when not, only those of series new to this process are collected. Default: always.
   */
  catalogDue?: (metric: string, resourceKey: string) => boolean;
  /**
   * null when the sender may feed `slo` with points from `resource`, else why not (lib/auth/ingest-binding.ts):
   * such points count toward the SLOs it may feed only, and are refused with the reason. Default: any SLO.
   */
  mayFeed?: (slo: S, resource: Attributes) => string | null;
  /** Whether metrics of this resource enter the catalogue at all (a token pinned to other service names: no). */
  catalogResource?: (resource: Attributes) => boolean;
  /**
   * Part of each series' identity ('' or absent: none): senders with different keys never share a series' state
   * (lib/auth/ingest-binding.ts seriesKey).
   */
  seriesKey?: string;
}

/**
 * Reads a request against the SLOs that read OTLP metrics (by metric name). Throws IngestLimitError when the
 * request as a whole is over a limit; refuses single points (bad times, values, or a metric an SLO cannot use)
 * with a reason. Points of metrics no SLO reads, or of resources no SLO's resource filters match, are only
 * counted (and noted in the catalogue).
 */
export function planIngest<S extends CompiledOtelSli & { sloId: string }>(
  request: MetricsRequest,
  slosByMetric: ReadonlyMap<string, readonly S[]>,
  now: Date,
  options: PlanOptions<S> = {},
): IngestPlan {
  let total = 0;
  for (const rm of request.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) total += pointCount(m);
  if (total > INGEST_LIMITS.points) {
    throw new IngestLimitError(`the request has ${total} data points; the limit is ${INGEST_LIMITS.points} per request`, 413);
  }
  const plan: IngestPlan = { series: [], catalog: new Map(), dropped: 0, rejected: new Map(), rejectedPoints: 0, accepted: 0, refused: new Map() };
  const byId = new Map<string, PlannedSeries>();
  const seriesPerMetric = new Map<string, Set<string>>();
  const nowNs = BigInt(now.getTime()) * NS_PER_MS;
  const futureNs = nowNs + BigInt(MAX_FUTURE_MS) * NS_PER_MS;
  const oldestNs = nowNs - BigInt(MAX_AGE_MS) * NS_PER_MS;
  const catalogDue = options.catalogDue ?? (() => true);
  const { mayFeed, catalogResource } = options;
  // A key of its own starts with NUL, which no metric name an SLO reads can: no unkeyed series shares its id.
  const keyPrefix = options.seriesKey ? `\u0000${options.seriesKey}\u0000` : '';

  for (const [r, rm] of request.resourceMetrics.entries()) {
    checkAttributes(rm.resource, `resourceMetrics[${r}].resource`);
    const resourceKey = canonical(rm.resource);
    const catalogued = catalogResource ? catalogResource(rm.resource) : true;
    for (const sm of rm.scopeMetrics) {
      const scopeKey = `${sm.scope.name}\u0001${sm.scope.version}`;
      for (const metric of sm.metrics) {
        const data = metric.data;
        for (const point of data.points) checkAttributes(point.attributes, `metric ${metric.name}: a data point`);
        let slos = (slosByMetric.get(metric.name) ?? []).filter((slo) => slo.resourceMatches(rm.resource));
        const barred: Array<{ slo: S; reason: string }> = [];
        if (mayFeed && slos.length > 0) {
          const allowed: S[] = [];
          for (const slo of slos) {
            const reason = mayFeed(slo, rm.resource);
            if (reason === null) allowed.push(slo);
            else barred.push({ slo, reason });
          }
          slos = allowed;
        }
        // Points refused for every SLO they would count toward leave no trace, not even in the catalogue: with
        // SLOs barred, the catalogue takes a point's attributes only once it is known not to be one of those.
        const due = catalogued && catalogDue(metric.name, resourceKey);
        let entry: CatalogMetric | null = null;
        const catalog = (attributes: Attributes | null) => {
          if (!catalogued) return;
          entry ??= catalogEntry(plan, metric);
          if (attributes === null) return;
          catalogAttributes(entry, 'resource', rm.resource);
          catalogAttributes(entry, 'datapoint', attributes);
        };
        if (barred.length === 0 && catalogued) {
          entry = catalogEntry(plan, metric);
          if (due) {
            catalogAttributes(entry, 'resource', rm.resource);
            for (const point of data.points) catalogAttributes(entry, 'datapoint', point.attributes);
          }
        }
        if (slos.length === 0 && barred.length === 0) {
          plan.dropped += data.points.length;
          continue;
        }
        /** The refusals a point earns: the SLOs it would count toward that the sender may not feed. */
        const refusalsOf = (attributes: Attributes) =>
          barred.filter(({ slo }) => slo.pointRole(rm.resource, attributes).counts).map(({ slo, reason }) => ({ sloId: slo.sloId, reason }));
        if (slos.length === 0) {
          // Every SLO these points are for is one the sender may not feed: refused, whatever else is wrong with them.
          for (const point of data.points) {
            const refusals = refusalsOf(point.attributes);
            if (refusals.length > 0) refuse(plan, refusals);
            else {
              plan.dropped++;
              catalog(due ? point.attributes : null);
            }
          }
          continue;
        }
        const usable = usableKind(metric);
        if (typeof usable === 'string') {
          reject(plan, `${metric.name} is ${usable}: SLIs count events from monotonic sums and histograms`, data.points.length);
          continue;
        }
        const temporality = (data as { temporality: Temporality }).temporality;
        if (temporality === 'unspecified') {
          reject(plan, `${metric.name} has no aggregation temporality`, data.points.length);
          continue;
        }
        let distinct = seriesPerMetric.get(metric.name);
        if (!distinct) seriesPerMetric.set(metric.name, (distinct = new Set()));
        const prefix = `${keyPrefix}${metric.name}\u0000${temporality}\u0000${resourceKey}\u0000${scopeKey}\u0000`;
        const byPoint = seriesIds(prefix);
        for (const point of data.points) {
          if ((point.flags & 1) === 1) {
            plan.accepted++; // "no recorded value": a staleness marker, nothing to count
            continue;
          }
          if (point.timeUnixNano === 0n) {
            reject(plan, `${metric.name}: a data point has no time`);
            continue;
          }
          if (point.timeUnixNano > futureNs) {
            reject(plan, `${metric.name}: time is more than 5 minutes ahead of Umpire's clock`);
            continue;
          }
          if (point.timeUnixNano < oldestNs) {
            reject(plan, `${metric.name}: time is more than 90 days ago`);
            continue;
          }
          const values = pointValues(metric, point);
          if (typeof values === 'string') {
            reject(plan, `${metric.name}: ${values}`);
            continue;
          }
          const targets: SloTarget[] = [];
          let unfit: string | null = null;
          for (const slo of slos) {
            const role: SeriesRole = slo.pointRole(rm.resource, point.attributes);
            if (!role.counts) continue;
            if (slo.latency !== null) {
              const fits =
                metric.data.type === 'histogram' && boundIndex(values.bounds, slo.latency) >= 0 && values.buckets.length === values.bounds.length + 1;
              if (!fits) {
                unfit =
                  metric.data.type !== 'histogram'
                    ? `${metric.name} is not an explicit-bucket histogram: a latency SLI needs one`
                    : `${metric.name}: bucket boundaries [${values.bounds.join(', ')}] do not include the SLO threshold ${slo.latency}`;
                continue;
              }
            }
            targets.push({ sloId: slo.sloId, good: role.good });
          }
          // Counted toward the SLOs it fits and the sender may feed; refused, with every reason, if another SLO would have taken it.
          const refusals = barred.length > 0 ? refusalsOf(point.attributes) : NO_REFUSALS;
          if (barred.length > 0 && (targets.length > 0 || refusals.length === 0)) catalog(due ? point.attributes : null);
          if (refusals.length > 0) {
            refuse(plan, refusals);
            if (unfit) plan.rejected.set(unfit, (plan.rejected.get(unfit) ?? 0) + 1);
          } else if (unfit) reject(plan, unfit);
          else if (targets.length > 0) plan.accepted++;
          else plan.dropped++;
          if (targets.length === 0) continue;
          const { id, hex } = seriesId(byPoint, prefix, canonical(point.attributes), () => {
            // A series new to this process may carry attribute values the catalogue has not seen yet.
            if (!due) catalog(point.attributes);
          });
          distinct.add(hex);
          if (distinct.size > INGEST_LIMITS.seriesPerMetric) checkCardinality(metric.name, distinct);
          let series = byId.get(hex);
          if (!series) {
            series = { id, hex, metric: metric.name, temporality, points: [], targets };
            byId.set(hex, series);
            plan.series.push(series);
          }
          series.points.push(values);
        }
      }
    }
  }
  for (const series of plan.series) {
    if (series.points.length > 1) series.points.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  }
  return plan;
}

function checkCardinality(metric: string, distinct: Set<string>): void {
  if (distinct.size > INGEST_LIMITS.seriesPerMetric) {
    throw new IngestLimitError(
      `metric ${metric} has more than ${INGEST_LIMITS.seriesPerMetric} distinct attribute sets in one request (attribute cardinality limit)`,
      400,
    );
  }
}

/** true when an SLI can count its events, or what the metric is instead. */
function usableKind(metric: Metric): true | string {
  switch (metric.data.type) {
    case 'sum':
      return metric.data.monotonic ? true : 'a non-monotonic sum (an up-down counter)';
    case 'histogram':
    case 'exponential_histogram':
      return true;
    case 'gauge':
      return 'a gauge';
    case 'summary':
      return 'a summary';
    case 'empty':
      return 'empty';
  }
}

function pointValues(metric: Metric, point: Metric['data']['points'][number]): PointValues | string {
  const startNs = point.startTimeUnixNano;
  const timeNs = point.timeUnixNano;
  if (metric.data.type === 'sum') {
    const value = (point as { value: number }).value;
    if (!Number.isFinite(value) || value < 0) return `a monotonic sum's value must be a finite number of 0 or more, got ${value}`;
    return { startNs, timeNs, count: value, buckets: NO_NUMBERS, bounds: NO_NUMBERS };
  }
  const p = point as { count: number; bucketCounts?: number[]; explicitBounds?: number[] };
  if (!Number.isFinite(p.count) || p.count < 0) return `histogram count must be a finite number of 0 or more, got ${p.count}`;
  if (metric.data.type !== 'histogram') return { startNs, timeNs, count: p.count, buckets: NO_NUMBERS, bounds: NO_NUMBERS };
  const buckets = p.bucketCounts!;
  const bounds = p.explicitBounds!;
  if (buckets.length > 0 && buckets.length !== bounds.length + 1) {
    return `histogram has ${buckets.length} bucket counts for ${bounds.length} bounds (needs bounds + 1)`;
  }
  return { startNs, timeNs, count: p.count, buckets, bounds };
}

const NO_NUMBERS: number[] = [];
const NO_REFUSALS: ReadonlyArray<{ sloId: string; reason: string }> = [];

function catalogEntry(plan: IngestPlan, metric: Metric): CatalogMetric {
  let entry = plan.catalog.get(metric.name);
  const data = metric.data;
  if (!entry) {
    entry = {
      name: metric.name,
      type: data.type,
      unit: metric.unit,
      description: metric.description,
      temporality: 'temporality' in data ? data.temporality : 'unspecified',
      monotonic: data.type === 'sum' ? data.monotonic : data.type === 'histogram' || data.type === 'exponential_histogram',
      bounds: [],
      attributes: new Map(),
    };
    plan.catalog.set(metric.name, entry);
  }
  if (data.type === 'histogram' && data.points.length > 0) entry.bounds = data.points[data.points.length - 1]!.explicitBounds;
  return entry;
}

function catalogAttributes(entry: CatalogMetric, scope: 'resource' | 'datapoint', attributes: Attributes): void {
  for (const key in attributes) {
    const k = `${scope}\u0000${key}`;
    let values = entry.attributes.get(k);
    if (!values) entry.attributes.set(k, (values = new Set()));
    if (values.size < CATALOG_VALUES) values.add(attributes[key]!);
  }
}

export interface MinuteIncrease {
  sloId: string;
  minute: number;
  good: number;
  total: number;
}

export interface AppliedPlan {
  states: Map<string, SeriesState | null>;
  increases: MinuteIncrease[];
  duplicates: number;
  baselines: number;
  /** Refused after reading the stored state (late delta points), by reason. */
  rejected: Map<string, number>;
}

/**
 * Walks each series' points from its stored state: the new states to save, and the good/total increases per
 * SLO and minute (a point's increase lands in the minute of its time).
 */
export function applyPlan(series: readonly PlannedSeries[], stored: ReadonlyMap<string, SeriesState>): AppliedPlan {
  const states = new Map<string, SeriesState | null>();
  const sums = new Map<string, MinuteIncrease>();
  const rejected = new Map<string, number>();
  let duplicates = 0;
  let baselines = 0;
  for (const s of series) {
    const key = s.hex;
    let state: SeriesState | null = stored.get(key) ?? null;
    for (const point of s.points) {
      const next = s.temporality === 'cumulative' ? advanceCumulative(state, point) : advanceDelta(state, point);
      state = next.state;
      const step = next.step;
      if (step.kind === 'duplicate') duplicates++;
      else if (step.kind === 'baseline') baselines++;
      else if (step.kind === 'too_old') {
        const reason = `${s.metric}: a delta point arrived after ${64} newer points of its series; it cannot be told from one already counted`;
        rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
      } else {
        // As a double the time is within 256 ns; minute boundaries (multiples of 2^11 ns) are exact.
        const minute = Math.floor(Number(point.timeNs) / 1e6 / MINUTE_MS) * MINUTE_MS;
        for (const target of s.targets) {
          const good = goodEvents(target.good, step.count, step.buckets, point.bounds);
          if (good === null) continue; // checked in planIngest; bounds cannot change within a plan's point
          const k = `${target.sloId}\u0000${minute}`;
          const sum = sums.get(k);
          if (sum) {
            sum.good += good;
            sum.total += step.count;
          } else sums.set(k, { sloId: target.sloId, minute, good, total: step.count });
        }
      }
    }
    states.set(key, state);
  }
  return { states, increases: [...sums.values()], duplicates, baselines, rejected };
}
