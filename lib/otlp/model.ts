// An OTLP ExportMetricsServiceRequest as Umpire reads it, whichever wire format it came in (protobuf or JSON).
// Only what ingest and the metric catalog need is kept; exemplars and the like are skipped while decoding.

/**
 * Attribute values as text, the way SLI filters compare them: strings as they are, integers and doubles in
 * their decimal form (int64 beyond 2^53 exactly), booleans as "true"/"false", bytes as base64, arrays and
 * key/value lists as compact JSON.
 */
export type Attributes = Record<string, string>;

export type Temporality = 'cumulative' | 'delta' | 'unspecified';

interface PointBase {
  attributes: Attributes;
  /** Nanoseconds since the epoch; 0n when the sender did not set it. */
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** DataPointFlags; bit 0 (FLAG_NO_RECORDED_VALUE) marks a point that carries no value. */
  flags: number;
}

export interface NumberPoint extends PointBase {
  /** as_double, or as_int converted to a number. */
  value: number;
}

export interface HistogramPoint extends PointBase {
  count: number;
  sum: number | null;
  /** bucketCounts.length is explicitBounds.length + 1 in a valid point (the decoder does not check it). */
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  count: number;
  sum: number | null;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

export type MetricData =
  | { type: 'sum'; temporality: Temporality; monotonic: boolean; points: NumberPoint[] }
  | { type: 'gauge'; points: NumberPoint[] }
  | { type: 'histogram'; temporality: Temporality; points: HistogramPoint[] }
  | { type: 'exponential_histogram'; temporality: Temporality; points: ExponentialHistogramPoint[] }
  /** Summaries only count as points (Umpire cannot make SLIs of quantiles). */
  | { type: 'summary'; points: PointBase[] }
  /** A metric with no data field set. */
  | { type: 'empty'; points: [] };

export interface Metric {
  name: string;
  description: string;
  unit: string;
  data: MetricData;
}

export interface ScopeMetrics {
  scope: { name: string; version: string };
  metrics: Metric[];
}

export interface ResourceMetrics {
  resource: Attributes;
  scopeMetrics: ScopeMetrics[];
}

export interface MetricsRequest {
  resourceMetrics: ResourceMetrics[];
}

/** A request body Umpire cannot read at all; answered 400 with `message`, nothing stored. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
