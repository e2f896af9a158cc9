import { describe, expect, test } from 'vitest';
import { OtelSli, SliSpec, type OtelMetricSummary } from '@/lib/schemas';
import { collectorConfig, sdkEnv } from './exporter-config';
import {
  applyTemplate,
  formatWithUnit,
  type OtelGoodRow,
  otelDraftOf,
  otelLocalErrors,
  otelLocate,
  otelSentences,
  otelSliOf,
  unusableReason,
  withKind,
} from './otel-draft';

const SLIS = [
  {
    source: 'otel',
    metric: 'http.server.request.duration',
    filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: ['shop'] }],
    good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
    template: 'http_availability',
  },
  {
    source: 'otel',
    metric: 'http.server.request.duration',
    filters: [
      { kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: ['shop', 'cart'] },
      { kind: 'match', attribute: 'http.route', scope: 'datapoint', operator: 'not_in', values: ['/health'] },
    ],
    good: [{ kind: 'latency', threshold: 0.25 }],
    template: 'http_latency',
  },
  {
    source: 'otel',
    metric: 'jobs.processed',
    filters: [],
    good: [
      { kind: 'match', attribute: 'outcome', scope: 'datapoint', operator: 'in', values: ['ok', 'retried'] },
      { kind: 'compare', attribute: 'attempt', scope: 'datapoint', operator: 'lte', value: 3 },
    ],
    template: 'custom',
  },
] as const;

function catalogEntry(overrides: Partial<OtelMetricSummary> = {}): OtelMetricSummary {
  return {
    name: 'http.server.request.duration',
    type: 'histogram',
    unit: 's',
    description: '',
    temporality: 'cumulative',
    monotonic: false,
    bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    lastSeenAt: '2026-11-26T10:00:00.000Z',
    slos: 0,
    usable: true,
    attributes: [],
    ...overrides,
  };
}

describe('the OpenTelemetry SLI fields', () => {
  test.each(SLIS.map((sli) => [sli.template, sli] as const))('%s: an SLI round-trips through the form draft', (_, sli) => {
    const parsed = OtelSli.parse(sli);
    expect(SliSpec.parse(otelSliOf(otelDraftOf(parsed)))).toEqual(parsed);
  });

  test('a new draft is HTTP availability with a service.name filter still to pick', () => {
    const draft = otelDraftOf(null);
    expect(draft.template).toBe('http_availability');
    expect(draft.metric).toBe('http.server.request.duration');
    expect(draft.filters).toEqual([expect.objectContaining({ scope: 'resource', attribute: 'service.name', operator: 'in', values: [] })]);
    // Not valid until the service is picked: the filter's values are reported at that row.
    const result = SliSpec.safeParse(otelSliOf(draft));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['filters.0.values']);
  });

  test('a template replaces metric and conditions but keeps filters, adding service.name only once', () => {
    let draft = otelDraftOf(null);
    draft = { ...draft, filters: draft.filters.map((f) => ({ ...f, values: ['shop'] })) };
    const latency = applyTemplate(draft, 'grpc_latency');
    expect(latency.metric).toBe('rpc.server.duration');
    expect(latency.good).toEqual([expect.objectContaining({ kind: 'latency', threshold: '0.5' })]);
    expect(latency.filters).toHaveLength(1);
    expect(latency.filters[0]?.values).toEqual(['shop']);
    expect(new Set([...latency.filters, ...latency.good].map((r) => r.key)).size).toBe(2);
    expect(applyTemplate(latency, 'custom')).toEqual({ ...latency, template: 'custom' });
  });

  test.each([
    [[0.1, 0.25, 0.5, 1], '0.5'],
    [[0.1, 0.25, 1], ''],
    [[], '0.5'],
  ])('a latency template with bounds %j proposes threshold %j', (bounds, want) => {
    const draft = applyTemplate(otelDraftOf(null), 'http_latency', [catalogEntry({ bounds })]);
    expect(draft.good[0]).toMatchObject({ kind: 'latency', threshold: want });
  });

  test('server and schema error paths land on the row the user sees', () => {
    const draft = otelDraftOf(OtelSli.parse(SLIS[1]));
    const [first, second] = draft.filters;
    expect(otelLocate('sli.metric', draft)).toEqual({ id: 'slo-otel-metric', label: 'Metric' });
    expect(otelLocate('sli.filters.1.values', draft)).toEqual({ id: `slo-otel-filter-${second!.key}-values`, label: 'Filter 2' });
    expect(otelLocate('sli.filters.0.attribute', draft)).toEqual({ id: `slo-otel-filter-${first!.key}-attribute`, label: 'Filter 1 attribute' });
    expect(otelLocate('sli.good.0.threshold', draft)).toEqual({ id: `slo-otel-good-${draft.good[0]!.key}-threshold`, label: 'Latency threshold' });
    expect(otelLocate('sli.good', draft)?.id).toBe('slo-otel-good-add');
    expect(otelLocate('sli.good.7.value', draft)?.id).toBe('slo-otel-good-add');
  });

  test('an unusable metric, or latency on a metric known not to be a histogram, is reported before saving', () => {
    const draft = otelDraftOf(OtelSli.parse(SLIS[1]));
    expect(otelLocalErrors(draft, [catalogEntry()])).toEqual({});
    expect(otelLocalErrors(draft, [catalogEntry({ type: 'sum', monotonic: true })])).toEqual({
      'sli.good.0.threshold': 'needs an explicit-bucket histogram; http.server.request.duration is a sum',
    });
    expect(otelLocalErrors(draft, [])).toEqual({});
    expect(otelLocalErrors(draft, [catalogEntry({ type: 'gauge', usable: false })])).toEqual({
      'sli.metric': 'is a gauge: it measures a value, it does not count events',
      'sli.good.0.threshold': 'needs an explicit-bucket histogram; http.server.request.duration is a gauge',
    });
  });

  test('changing a condition’s kind keeps its attribute where the new kind has one', () => {
    const row: OtelGoodRow = { key: 1, kind: 'match', scope: 'resource', attribute: 'service.name', typed: false, operator: 'in', values: ['a'] };
    expect(withKind(row, 'compare')).toEqual({
      key: 1,
      kind: 'compare',
      scope: 'resource',
      attribute: 'service.name',
      typed: false,
      operator: 'lt',
      value: '',
    });
    expect(withKind(row, 'latency')).toEqual({ key: 1, kind: 'latency', threshold: '' });
  });

  test('what is counted, in words', () => {
    expect(otelSentences(OtelSli.parse(SLIS[0]), catalogEntry())).toEqual({
      total: 'every measurement recorded in http.server.request.duration (the histogram’s count) where service.name is “shop”.',
      good: 'those where http.response.status_code < 500.',
    });
    expect(otelSentences(OtelSli.parse(SLIS[1]), catalogEntry()).good).toBe('those that took at most 0.25 s.');
    expect(otelSentences(OtelSli.parse(SLIS[1])).total).toContain('is not “/health”');
    expect(otelSentences(OtelSli.parse(SLIS[2])).good).toBe('those where outcome is one of “ok” or “retried” and attempt ≤ 3.');
  });

  test.each([
    [0.25, 's', '0.25 s'],
    [250, 'ms', '250 ms'],
    [3, '{request}', '3'],
    [3, '', '3'],
  ])('formatWithUnit(%d, %j) = %j', (value, unit, want) => expect(formatWithUnit(value, unit)).toBe(want));

  test('unusable metrics say why', () => {
    expect(unusableReason(catalogEntry())).toBeNull();
    expect(unusableReason(catalogEntry({ type: 'gauge', usable: false }))).toMatch(/^a gauge/);
    expect(unusableReason(catalogEntry({ type: 'sum', monotonic: false, usable: false }))).toMatch(/non-monotonic/);
  });
});

describe('exporter settings', () => {
  test('the SDK variables carry the origin and the token, the header value URL-encoded', () => {
    const env = sdkEnv('https://umpire.test', 'umpire_abc');
    expect(env).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=https://umpire.test\n');
    expect(env).toContain('OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20umpire_abc');
    expect(collectorConfig('https://umpire.test', 'umpire_abc')).toContain('Authorization: "Bearer umpire_abc"');
  });
});
