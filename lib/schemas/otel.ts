import { z } from 'zod';

/**
 * OpenTelemetry instrument names (API spec): a letter, then letters, digits, '_', '.', '-' or '/', at most 255.
 * Semantic-convention names such as http.server.request.duration fit.
 */
export const OtelMetricName = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_.\-/]*$/, 'must be an OpenTelemetry instrument name, e.g. http.server.request.duration');

/** An attribute key such as service.name or http.response.status_code. */
export const OtelAttributeKey = z.string({ error: 'is required' }).trim().min(1, 'is required').max(256, 'must be at most 256 characters');

/** Where an attribute lives: on the resource (service.name, deployment.environment) or on the data point. */
export const OtelAttributeScope = z.enum(['resource', 'datapoint'], { error: 'must be resource or datapoint' });
export type OtelAttributeScope = z.infer<typeof OtelAttributeScope>;

/**
 * Attribute equals one of `values` (in) or none of them (not_in). Values compare as text: the integer 200 is
 * "200", true is "true". A missing attribute is in no set: `in` is false, `not_in` true.
 */
export const OtelMatch = z.strictObject({
  kind: z.literal('match'),
  attribute: OtelAttributeKey,
  scope: OtelAttributeScope.default('datapoint'),
  operator: z.enum(['in', 'not_in'], { error: 'must be in or not_in' }).default('in'),
  values: z
    .array(z.string().max(1024, 'must be at most 1024 characters'), { error: 'must be a list of values' })
    .min(1, 'needs at least one value')
    .max(100, 'at most 100 values'),
});
export type OtelMatch = z.infer<typeof OtelMatch>;

/** A numeric attribute compared with a number (http.response.status_code < 500). Missing or non-numeric: false. */
export const OtelCompare = z.strictObject({
  kind: z.literal('compare'),
  attribute: OtelAttributeKey,
  scope: OtelAttributeScope.default('datapoint'),
  operator: z.enum(['lt', 'lte', 'gt', 'gte'], { error: 'must be lt, lte, gt or gte' }),
  value: z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number'),
});
export type OtelCompare = z.infer<typeof OtelCompare>;

/**
 * Histograms only: good events are those at or under `threshold` (in the metric's unit, seconds for
 * http.server.request.duration), which must be one of the histogram's explicit bucket boundaries.
 */
export const OtelLatency = z.strictObject({
  kind: z.literal('latency'),
  threshold: z.number({ error: 'must be a number' }).positive('must be above 0').refine(Number.isFinite, 'must be a finite number'),
});
export type OtelLatency = z.infer<typeof OtelLatency>;

export const OtelCondition = z.discriminatedUnion('kind', [OtelMatch, OtelCompare, OtelLatency], {
  error: 'kind must be match, compare or latency',
});
export type OtelCondition = z.infer<typeof OtelCondition>;

export const OTEL_TEMPLATES = ['http_availability', 'http_latency', 'grpc_availability', 'grpc_latency', 'custom'] as const;
export const OtelTemplate = z.enum(OTEL_TEMPLATES, { error: `must be one of ${OTEL_TEMPLATES.join(', ')}` });
export type OtelTemplate = z.infer<typeof OtelTemplate>;

/**
 * An SLI on OpenTelemetry metrics pushed to Umpire over OTLP. Events are a monotonic sum's increase or a
 * histogram's (or exponential histogram's) count. Total: the metric's events whose attributes pass every
 * filter. Good: those that also meet every condition in `good`.
 */
export const OtelSli = z
  .strictObject({
    source: z.literal('otel'),
    metric: OtelMetricName,
    filters: z.array(OtelMatch, { error: 'must be a list of filters' }).max(20, 'at most 20 filters').default([]),
    good: z.array(OtelCondition, { error: 'must be a list of conditions' }).min(1, 'needs at least one condition').max(10, 'at most 10 conditions'),
    /** Which form template made it; the UI's hint only, the meaning is in the fields above. */
    template: OtelTemplate.default('custom'),
  })
  .refine((sli) => sli.good.filter((c) => c.kind === 'latency').length <= 1, {
    message: 'at most one latency condition',
    path: ['good'],
  });
export type OtelSli = z.infer<typeof OtelSli>;
export type OtelSliDraft = z.input<typeof OtelSli>;

/** gRPC status codes that are the server's fault (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS). */
export const GRPC_SERVER_ERROR_CODES = ['2', '4', '12', '13', '14', '15'] as const;

/** The semantic-convention templates the SLO form offers; a service.name filter is added by the form. */
export function otelTemplate(template: Exclude<OtelTemplate, 'custom'>, threshold = 0.5): Pick<OtelSli, 'metric' | 'good' | 'template'> {
  switch (template) {
    case 'http_availability':
      return {
        template,
        metric: 'http.server.request.duration',
        good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
      };
    case 'http_latency':
      return { template, metric: 'http.server.request.duration', good: [{ kind: 'latency', threshold }] };
    case 'grpc_availability':
      return {
        template,
        metric: 'rpc.server.duration',
        good: [{ kind: 'match', attribute: 'rpc.grpc.status_code', scope: 'datapoint', operator: 'not_in', values: [...GRPC_SERVER_ERROR_CODES] }],
      };
    case 'grpc_latency':
      return { template, metric: 'rpc.server.duration', good: [{ kind: 'latency', threshold }] };
  }
}

/** One metric Umpire has received recently, for the SLO form's pickers (GET /api/v1/otel/metrics). */
export const OtelMetricSummary = z.object({
  name: z.string(),
  type: z.enum(['sum', 'gauge', 'histogram', 'exponential_histogram', 'summary']),
  unit: z.string(),
  description: z.string(),
  temporality: z.enum(['cumulative', 'delta', 'unspecified']),
  monotonic: z.boolean(),
  /** Explicit histogram bucket boundaries last seen (latency thresholds must be one of them). */
  bounds: z.array(z.number()),
  lastSeenAt: z.iso.datetime(),
  /** Whether it can be an SLI: monotonic sums and histograms. */
  usable: z.boolean(),
  /** How many SLOs read it: those come first in the list. */
  slos: z.number(),
  attributes: z.array(
    z.object({
      scope: OtelAttributeScope,
      key: z.string(),
      /** Most recently seen first; at most 100 per key. */
      values: z.array(z.string()),
      truncated: z.boolean(),
    }),
  ),
});
export type OtelMetricSummary = z.infer<typeof OtelMetricSummary>;

/** Query of GET /api/v1/otel/metrics. */
export const OtelMetricQuery = z.strictObject({
  /** Names containing this (any case). */
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  /** This name only. */
  name: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000').default(200),
});
export type OtelMetricQuery = z.infer<typeof OtelMetricQuery>;

/**
 * The answer of GET /api/v1/otel/metrics: metrics SLOs read first, then each ingest token's metrics in turn (its
 * most recently seen first), so one token's flood of names cannot push the others' out of the first page.
 */
export const OtelMetricList = z.object({ metrics: z.array(OtelMetricSummary), truncated: z.boolean() });
export type OtelMetricList = z.infer<typeof OtelMetricList>;

/** One ingest token that fed an OpenTelemetry SLO lately (GET .../slos/{slo}/feeders). */
export const SloFeeder = z.object({
  /** The token by name (never its value); revoked tokens stay listed with what they sent. */
  token: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(['service', 'personal']), revoked: z.boolean() }),
  /** Points counted toward the SLO since firstFedAt (redelivered ones included: recognised, not added twice). */
  points: z.number(),
  firstFedAt: z.iso.datetime(),
  lastFedAt: z.iso.datetime(),
});
export type SloFeeder = z.infer<typeof SloFeeder>;

/** The answer of GET /api/v1/services/{service}/slos/{slo}/feeders: the tokens that fed it in the last `days` days, latest first. */
export const SloFeeders = z.object({ feeders: z.array(SloFeeder), days: z.number() });
export type SloFeeders = z.infer<typeof SloFeeders>;
