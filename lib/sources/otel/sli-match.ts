import type { OtelCondition, OtelMatch, OtelSli } from '../../schemas/otel';
import type { Attributes } from '../../otlp/model';

/** Boundaries equal within this relative tolerance are the same (0.1 written as 0.1 or 0.1000000000001). */
const BOUND_TOLERANCE = 1e-9;

function attribute(scope: 'resource' | 'datapoint', key: string, resource: Attributes, point: Attributes): string | undefined {
  return scope === 'resource' ? resource[key] : point[key];
}

function matches(filter: OtelMatch, resource: Attributes, point: Attributes): boolean {
  const value = attribute(filter.scope, filter.attribute, resource, point);
  const found = value !== undefined && filter.values.includes(value);
  return filter.operator === 'in' ? found : !found;
}

function holds(condition: Exclude<OtelCondition, { kind: 'latency' }>, resource: Attributes, point: Attributes): boolean {
  if (condition.kind === 'match') return matches(condition, resource, point);
  const text = attribute(condition.scope, condition.attribute, resource, point);
  if (text === undefined || text.trim() === '') return false;
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  switch (condition.operator) {
    case 'lt':
      return value < condition.value;
    case 'lte':
      return value <= condition.value;
    case 'gt':
      return value > condition.value;
    case 'gte':
      return value >= condition.value;
  }
}

/** Index of the explicit bound equal to `threshold`, or -1. */
export function boundIndex(bounds: readonly number[], threshold: number): number {
  return bounds.findIndex((b) => Number.isFinite(b) && Math.abs(b - threshold) <= BOUND_TOLERANCE * Math.max(1, Math.abs(b)));
}

/** What one series of a metric contributes to an SLO: whether it counts, and how its good events are found. */
export type SeriesRole =
  | { counts: false }
  /** `good`: every event is good, none is, or those in buckets up to the threshold (histograms). */
  | { counts: true; good: 'all' | 'none' | { latency: number } };

/** An OpenTelemetry SLI ready to classify series: filters and attribute conditions are decided per series. */
export interface CompiledOtelSli {
  metric: string;
  latency: number | null;
  /** Whether the resource-scoped filters pass: checked once per resource, not per point. */
  resourceMatches(resource: Attributes): boolean;
  /** The series' role, given a resource that passed resourceMatches. */
  pointRole(resource: Attributes, point: Attributes): SeriesRole;
  /** The series' role, all filters checked. */
  role(resource: Attributes, point: Attributes): SeriesRole;
}

export function compileOtelSli(sli: OtelSli): CompiledOtelSli {
  const latency = sli.good.find((c) => c.kind === 'latency')?.threshold ?? null;
  const conditions = sli.good.filter((c): c is Exclude<OtelCondition, { kind: 'latency' }> => c.kind !== 'latency');
  const resourceFilters = sli.filters.filter((f) => f.scope === 'resource');
  const pointFilters = sli.filters.filter((f) => f.scope !== 'resource');
  const resourceMatches = (resource: Attributes) => resourceFilters.every((f) => matches(f, resource, {}));
  const pointRole = (resource: Attributes, point: Attributes): SeriesRole => {
    if (!pointFilters.every((f) => matches(f, resource, point))) return { counts: false };
    if (!conditions.every((c) => holds(c, resource, point))) return NONE;
    return latency === null ? ALL : { counts: true, good: { latency } };
  };
  return {
    metric: sli.metric,
    latency,
    resourceMatches,
    pointRole,
    role: (resource, point) => (resourceMatches(resource) ? pointRole(resource, point) : { counts: false }),
  };
}

const NONE: SeriesRole = { counts: true, good: 'none' };
const ALL: SeriesRole = { counts: true, good: 'all' };

/**
 * Good events of one increase. Histogram buckets are (bounds[i-1], bounds[i]]: the events at or under the
 * threshold are the buckets up to the one whose upper bound it is. null: the threshold is not a boundary.
 */
export function goodEvents(good: 'all' | 'none' | { latency: number }, count: number, buckets: readonly number[], bounds: readonly number[]): number | null {
  if (good === 'all') return count;
  if (good === 'none') return 0;
  const index = boundIndex(bounds, good.latency);
  if (index < 0 || buckets.length !== bounds.length + 1) return null;
  let sum = 0;
  for (let i = 0; i <= index; i++) sum += buckets[i]!;
  return sum;
}
