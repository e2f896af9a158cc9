import { describe, expect, test } from 'vitest';
import type { HistogramPoint, Metric, MetricsRequest, NumberPoint } from '../../otlp/model';
import { OtelSli, otelTemplate } from '../../schemas/otel';
import { applyPlan, INGEST_LIMITS, IngestLimitError, planIngest } from './plan';
import { compileOtelSli } from './sli-match';

const NOW = new Date('2026-11-26T12:00:30Z');
const nowNs = BigInt(NOW.getTime()) * 1_000_000n;
const MIN = 60_000_000_000n;
const BOUNDS = [0.1, 0.25, 0.5];

const hist = (attrs: Record<string, string>, time: bigint, count: number, buckets: number[], start = time - 2n * MIN): HistogramPoint => ({
  attributes: attrs,
  startTimeUnixNano: start,
  timeUnixNano: time,
  flags: 0,
  count,
  sum: null,
  bucketCounts: buckets,
  explicitBounds: BOUNDS,
});
const histogram = (points: HistogramPoint[], temporality: 'cumulative' | 'delta' = 'cumulative', name = 'http.server.request.duration'): Metric => ({
  name,
  unit: 's',
  description: '',
  data: { type: 'histogram', temporality, points },
});
const request = (metrics: Metric[], resource: Record<string, string> = { 'service.name': 'shop' }): MetricsRequest => ({
  resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: 'test', version: '1' }, metrics }] }],
});

function index(...slos: Array<{ id: string; sli: unknown }>) {
  const map = new Map<string, Array<ReturnType<typeof compileOtelSli> & { sloId: string }>>();
  for (const { id, sli } of slos) {
    const compiled = { ...compileOtelSli(OtelSli.parse(sli)), sloId: id };
    map.set(compiled.metric, [...(map.get(compiled.metric) ?? []), compiled]);
  }
  return map;
}
const shopFilter = [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: ['shop'] }];
const availability = { id: 'avail', sli: { source: 'otel', ...otelTemplate('http_availability'), filters: shopFilter } };
const latency = { id: 'lat', sli: { source: 'otel', ...otelTemplate('http_latency', 0.25), filters: shopFilter } };

describe('planIngest', () => {
  test('points of metrics no SLO reads are dropped, but still enter the catalog', () => {
    const plan = planIngest(
      request([histogram([hist({ 'http.route': '/a' }, nowNs, 3, [1, 1, 1, 0])], 'cumulative', 'other.metric')]),
      index(availability),
      NOW,
    );
    expect(plan).toMatchObject({ dropped: 1, accepted: 0, series: [] });
    const entry = plan.catalog.get('other.metric')!;
    expect(entry).toMatchObject({ type: 'histogram', unit: 's', temporality: 'cumulative', bounds: BOUNDS });
    expect([...entry.attributes.get('resource\u0000service.name')!]).toEqual(['shop']);
    expect([...entry.attributes.get('datapoint\u0000http.route')!]).toEqual(['/a']);
  });

  test('one series per attribute set, points in time order, each with the SLOs it feeds', () => {
    const ok = { 'http.route': '/cart', 'http.response.status_code': '200' };
    const plan = planIngest(
      request([
        histogram([
          hist(ok, nowNs, 10, [5, 3, 1, 1]),
          hist(ok, nowNs - MIN, 4, [2, 1, 1, 0]),
          hist({ ...ok, 'http.response.status_code': '503' }, nowNs, 2, [0, 0, 0, 2]),
        ]),
      ]),
      index(availability, latency),
      NOW,
    );
    expect(plan.accepted).toBe(3);
    expect(plan.series).toHaveLength(2);
    const [first] = plan.series;
    expect(first!.points.map((p) => p.timeNs)).toEqual([nowNs - MIN, nowNs]);
    expect(first!.targets).toEqual([
      { sloId: 'avail', good: 'all' },
      { sloId: 'lat', good: { latency: 0.25 } },
    ]);
    expect(plan.series[1]!.targets).toEqual([
      { sloId: 'avail', good: 'none' },
      { sloId: 'lat', good: { latency: 0.25 } },
    ]);
  });

  test('another service is not counted', () => {
    const plan = planIngest(request([histogram([hist({}, nowNs, 1, [1, 0, 0, 0])])], { 'service.name': 'other' }), index(availability), NOW);
    expect(plan).toMatchObject({ dropped: 1, accepted: 0, series: [] });
  });

  test.each([
    ['more than 5 minutes ahead', nowNs + 6n * MIN, /ahead of Umpire's clock/],
    ['more than 90 days ago', nowNs - 91n * 1440n * MIN, /more than 90 days ago/],
    ['no time', 0n, /no time/],
  ])('a point %s is refused with the reason', (_, time, reason) => {
    const plan = planIngest(request([histogram([hist({}, time, 1, [1, 0, 0, 0], 0n)])]), index(availability), NOW);
    expect(plan.accepted).toBe(0);
    expect([...plan.rejected.keys()].join()).toMatch(reason);
  });

  test('bucket counts not matching the bounds, or a threshold that is not a boundary, are refused with the reason', () => {
    const bad = planIngest(request([histogram([hist({}, nowNs, 3, [1, 2])])]), index(availability), NOW);
    expect([...bad.rejected]).toEqual([['http.server.request.duration: histogram has 2 bucket counts for 3 bounds (needs bounds + 1)', 1]]);
    const off = { id: 'off', sli: { source: 'otel', ...otelTemplate('http_latency', 0.3) } };
    const plan = planIngest(request([histogram([hist({}, nowNs, 3, [1, 1, 1, 0])])]), index(off), NOW);
    expect([...plan.rejected.keys()]).toEqual(['http.server.request.duration: bucket boundaries [0.1, 0.25, 0.5] do not include the SLO threshold 0.3']);
  });

  test('gauges and up-down counters cannot be SLIs: refused with the reason', () => {
    const gauge: Metric = {
      name: 'http.server.request.duration',
      unit: '',
      description: '',
      data: { type: 'gauge', points: [{ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: nowNs, flags: 0, value: 1 } as NumberPoint] },
    };
    const plan = planIngest(request([gauge]), index(availability), NOW);
    expect([...plan.rejected]).toEqual([['http.server.request.duration is a gauge: SLIs count events from monotonic sums and histograms', 1]]);
  });

  test('limits: too many points (413), too many attributes or too long a value (400), attribute cardinality of a metric an SLO reads (400)', () => {
    const many = (n: number, attrs: (i: number) => Record<string, string>) =>
      request([histogram(Array.from({ length: n }, (_, i) => hist(attrs(i), nowNs, 1, [1, 0, 0, 0])))]);
    const expectLimit = (fn: () => unknown, status: number, message: RegExp) => {
      try {
        fn();
        expect.unreachable('no limit error');
      } catch (error) {
        expect(error).toBeInstanceOf(IngestLimitError);
        expect((error as IngestLimitError).status).toBe(status);
        expect((error as Error).message).toMatch(message);
      }
    };
    expectLimit(
      () =>
        planIngest(
          many(INGEST_LIMITS.points + 1, () => ({})),
          index(),
          NOW,
        ),
      413,
      /data points; the limit is 100000/,
    );
    const wide = Object.fromEntries(Array.from({ length: INGEST_LIMITS.attributes + 1 }, (_, i) => [`k${i}`, 'v']));
    expectLimit(
      () =>
        planIngest(
          many(1, () => wide),
          index(),
          NOW,
        ),
      400,
      /129 attributes; the limit is 128/,
    );
    expectLimit(
      () =>
        planIngest(
          many(1, () => ({ k: 'x'.repeat(5000) })),
          index(),
          NOW,
        ),
      400,
      /longer than 4096 characters/,
    );
    expectLimit(
      () =>
        planIngest(
          many(INGEST_LIMITS.seriesPerMetric + 1, (i) => ({ id: String(i) })),
          index(availability),
          NOW,
        ),
      400,
      /attribute cardinality/,
    );
  });
});

describe('planIngest with a sender that may not feed every SLO', () => {
  const ok = { 'http.response.status_code': '200' };
  const checkout = { 'http.route': '/checkout', 'http.response.status_code': '200' };
  const routeOnly = {
    id: 'route',
    sli: {
      source: 'otel',
      ...otelTemplate('http_availability'),
      filters: [...shopFilter, { kind: 'match', attribute: 'http.route', scope: 'datapoint', values: ['/checkout'] }],
    },
  };
  /** May feed the SLOs listed; the others are refused with a reason naming them. */
  const only =
    (...ids: string[]) =>
    (slo: { sloId: string }) =>
      ids.includes(slo.sloId) ? null : `may not feed ${slo.sloId}`;

  test.each<
    [
      string,
      string[],
      Array<{ id: string; sli: unknown }>,
      Record<string, unknown>[],
      { accepted: number; rejectedPoints: number; dropped: number; rejected: Array<[string, number]>; refused: Record<string, number>; targets: string[][] },
    ]
  >([
    [
      'all allowed: as without a binding',
      ['avail', 'lat'],
      [availability, latency],
      [ok, checkout],
      {
        accepted: 2,
        rejectedPoints: 0,
        dropped: 0,
        rejected: [],
        refused: {},
        targets: [
          ['avail', 'lat'],
          ['avail', 'lat'],
        ],
      },
    ],
    [
      'one SLO refused: counted toward the other, refused once per point under the refused SLO',
      ['avail'],
      [availability, latency],
      [ok, checkout],
      { accepted: 0, rejectedPoints: 2, dropped: 0, rejected: [['may not feed lat', 2]], refused: { lat: 2 }, targets: [['avail'], ['avail']] },
    ],
    [
      'every SLO refused: nothing stored, each point refused once and listed under every reason',
      [],
      [availability, latency],
      [ok, checkout],
      {
        accepted: 0,
        rejectedPoints: 2,
        dropped: 0,
        rejected: [
          ['may not feed avail', 2],
          ['may not feed lat', 2],
        ],
        refused: { avail: 2, lat: 2 },
        targets: [],
      },
    ],
    [
      'a refused SLO whose filters a point does not pass: no refusal for that point',
      ['avail'],
      [availability, routeOnly],
      [ok, checkout],
      { accepted: 1, rejectedPoints: 1, dropped: 0, rejected: [['may not feed route', 1]], refused: { route: 1 }, targets: [['avail'], ['avail']] },
    ],
    [
      'every SLO refused, and a point none of them would take: dropped, as without a binding',
      [],
      [routeOnly],
      [ok, checkout],
      { accepted: 0, rejectedPoints: 1, dropped: 1, rejected: [['may not feed route', 1]], refused: { route: 1 }, targets: [] },
    ],
  ])('%s', (_, allowed, slos, attrs, want) => {
    const plan = planIngest(request([histogram(attrs.map((a) => hist(a as Record<string, string>, nowNs, 3, [1, 1, 1, 0])))]), index(...slos), NOW, {
      mayFeed: only(...allowed),
    });
    expect({ accepted: plan.accepted, rejectedPoints: plan.rejectedPoints, dropped: plan.dropped }).toEqual({
      accepted: want.accepted,
      rejectedPoints: want.rejectedPoints,
      dropped: want.dropped,
    });
    expect([...plan.rejected]).toEqual(want.rejected);
    expect(Object.fromEntries([...plan.refused].map(([id, r]) => [id, r.points]))).toEqual(want.refused);
    expect(plan.series.map((s) => s.targets.map((t) => t.sloId))).toEqual(want.targets);
  });

  test('the refusal is asked once per SLO and resource, with the resource', () => {
    const asked: string[] = [];
    planIngest(request([histogram([hist(ok, nowNs, 1, [1, 0, 0, 0]), hist(checkout, nowNs, 1, [1, 0, 0, 0])])]), index(availability, latency), NOW, {
      mayFeed: (slo, resource) => (asked.push(`${slo.sloId}:${resource['service.name']}`), null),
    });
    expect(asked).toEqual(['avail:shop', 'lat:shop']);
  });

  test('a series key of its own gives every series another id; none ("") keeps the ids a sender without one gets', () => {
    const body = request([histogram([hist(ok, nowNs, 1, [1, 0, 0, 0])])]);
    const id = (seriesKey?: string) => planIngest(body, index(availability), NOW, { seriesKey }).series[0]!.hex;
    expect(id('')).toBe(id());
    expect(id('payments')).not.toBe(id());
    expect(id('payments')).toBe(id('payments'));
    expect(id('payments')).not.toBe(id('discovery'));
  });

  test('points refused for every SLO they would count toward stay out of the catalogue; points counted or dropped go in', () => {
    const other = { 'http.route': '/other', 'http.response.status_code': '200' };
    const values = (plan: ReturnType<typeof planIngest>) =>
      [...(plan.catalog.get('http.server.request.duration')?.attributes.get('datapoint\u0000http.route') ?? [])].sort();
    const body = request([histogram([hist(checkout, nowNs, 1, [1, 0, 0, 0]), hist(other, nowNs, 1, [1, 0, 0, 0])])]);
    // Only the route SLO reads /checkout, and it is barred: /checkout leaves no trace, /other (no SLO) is catalogued.
    expect(values(planIngest(body, index(routeOnly), NOW, { mayFeed: only() }))).toEqual(['/other']);
    // Barred for one SLO, counted toward another: catalogued.
    expect(values(planIngest(body, index(availability, routeOnly), NOW, { mayFeed: only('avail') }))).toEqual(['/checkout', '/other']);
    expect(planIngest(body, index(availability), NOW, { mayFeed: only() }).catalog.size).toBe(0);
  });

  test('a resource the sender may not send from stays out of the catalogue', () => {
    const plan = planIngest(request([histogram([hist(ok, nowNs, 1, [1, 0, 0, 0])], 'cumulative', 'other.metric')]), index(), NOW, {
      catalogResource: () => false,
    });
    expect(plan.catalog.size).toBe(0);
    expect(plan.dropped).toBe(1);
  });
});

describe('applyPlan', () => {
  test('increases land per SLO and minute: availability counts good by status, latency by buckets', () => {
    const ok = { 'http.response.status_code': '200' };
    const err = { 'http.response.status_code': '500' };
    const start = nowNs - 3n * MIN;
    const plan = planIngest(
      request([
        histogram([
          hist(ok, nowNs - 2n * MIN, 10, [4, 3, 2, 1], start),
          hist(ok, nowNs - MIN, 16, [6, 5, 3, 2], start),
          hist(err, nowNs - MIN, 2, [0, 0, 1, 1], start),
        ]),
      ]),
      index(availability, latency),
      NOW,
    );
    const applied = applyPlan(plan.series, new Map());
    const minute = (n: bigint) => Number((nowNs - n * MIN) / 1_000_000n / 60_000n) * 60_000;
    const byKey = Object.fromEntries(applied.increases.map((i) => [`${i.sloId}@${(minute(2n) - i.minute) / -60_000}`, [i.good, i.total]]));
    expect(byKey).toEqual({
      'avail@0': [10, 10],
      'lat@0': [7, 10],
      'avail@1': [6, 8], // ok +6 (all good), err +2 (none good)
      'lat@1': [4, 8], // ok: +2 +2 at or under 0.25; err (a new series, counted from zero): none under 0.25
    });
  });

  test('stored state continues a series across requests; a redelivered request adds nothing', () => {
    const ok = { 'http.response.status_code': '200' };
    const start = nowNs - 10n * MIN;
    const body = request([histogram([hist(ok, nowNs - MIN, 30, [10, 10, 5, 5], start)])]);
    const plan = planIngest(body, index(availability), NOW);
    const key = plan.series[0]!.id.toString('hex');
    const stored = new Map([[key, { startNs: start, lastNs: nowNs - 2n * MIN, recentNs: [], count: 20, buckets: [5, 5, 5, 5], bounds: BOUNDS }]]);
    const applied = applyPlan(plan.series, stored);
    expect(applied.increases.map((i) => [i.good, i.total])).toEqual([[10, 10]]);
    const again = applyPlan(plan.series, new Map([[key, applied.states.get(key)!]]));
    expect(again.increases).toEqual([]);
    expect(again.duplicates).toBe(1);
  });
});
