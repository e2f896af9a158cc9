import { describe, expect, it } from 'vitest';
import { NotFoundError, UnprocessableError } from '../errors';
import { SliSpec } from '../schemas';
import type { PrometheusClient } from './prometheus/client';
import { kindOf, pushedKinds, sourceKinds } from './registry';
import type { ValidateContext } from './types';

/** A data source "prom" whose histogram has the boundaries 0.1, 0.5 and +Inf; every other slug is missing. */
const context: ValidateContext = {
  prometheusDataSource: async (slug) => {
    if (slug !== 'prom') throw new NotFoundError(`Data source "${slug}" does not exist`);
    const client = {
      query: async () => ({
        resultType: 'vector',
        result: ['0.1', '0.5', '+Inf'].map((le) => ({ metric: { le }, value: [0, 1] })),
      }),
    };
    return { client: () => client as unknown as PrometheusClient };
  },
  otelMetric: async (name) =>
    name === 'queue.depth' ? { type: 'gauge', monotonic: false } : name === 'http.server.request.duration' ? { type: 'histogram', monotonic: false } : null,
};

const spec = (input: unknown): SliSpec => SliSpec.parse(input);

/** For each kind, an SLI it accepts and one it refuses with a field error (demo: the schema refuses it). */
const cases = {
  demo: {
    good: spec({ source: 'demo', profile: 'availability' }),
    bad: null,
    badInput: { source: 'demo', profile: 'availability', eventsPerMinute: -1 },
  },
  prometheus: {
    good: spec({ source: 'prometheus', datasource: 'prom', kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds: 0.5 }),
    bad: spec({ source: 'prometheus', datasource: 'prom', kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds: 0.3 }),
    field: 'sli.thresholdSeconds',
  },
  otel: {
    good: spec({ source: 'otel', metric: 'http.server.request.duration', good: [{ kind: 'latency', threshold: 0.5 }] }),
    bad: spec({ source: 'otel', metric: 'queue.depth', good: [{ kind: 'compare', attribute: 'x', operator: 'lt', value: 1 }] }),
    field: 'sli.metric',
  },
} as const;

describe('source registry', () => {
  it('names the pushed kinds, whose SLOs the evaluator leaves out: OpenTelemetry only', () => {
    expect(pushedKinds).toEqual(['otel']);
    expect(sourceKinds.filter((kind) => !kind.pushed).every((kind) => kind.evaluate !== undefined)).toBe(true);
  });

  it('has one entry per kind the SLI schema knows, each under its own name and described', () => {
    // SliSpec's union, as its error names it (the registry's type refuses a kind left out at compile time).
    expect(sourceKinds.map((k) => k.kind).sort()).toEqual(['demo', 'otel', 'prometheus']);
    expect(Object.keys(cases).sort()).toEqual(['demo', 'otel', 'prometheus']);
    for (const kind of sourceKinds) {
      expect(kind.describe.label).not.toBe('');
      expect(kind.describe.help).not.toBe('');
      // A pulled kind is read by the evaluator; a pushed one is not.
      expect(kind.pushed).toBe(kind.evaluate === undefined);
    }
  });

  it('finds the entry for an SLI by its source', () => {
    for (const [source, { good }] of Object.entries(cases)) expect(kindOf(good).kind).toBe(source);
  });

  it.each(Object.keys(cases) as Array<keyof typeof cases>)('%s: validates a good SLI and refuses a bad one with a field error', async (source) => {
    const c = cases[source];
    await expect(kindOf(c.good).validate(c.good, context)).resolves.toBeUndefined();
    if (c.bad === null) {
      expect(SliSpec.safeParse(c.badInput).success).toBe(false);
      return;
    }
    const error = await kindOf(c.bad)
      .validate(c.bad, context)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(Object.keys((error as UnprocessableError).fields ?? {})).toEqual([c.field]);
  });

  it('prometheus: refuses an SLI on a data source that does not exist', async () => {
    const sli = spec({ source: 'prometheus', datasource: 'gone', kind: 'ratio', badSelector: 'errors_total', totalSelector: 'requests_total' });
    await expect(kindOf(sli).validate(sli, context)).rejects.toMatchObject({ fields: { 'sli.datasource': 'no such data source' } });
  });

  it('batches Prometheus SLIs within their data source, advanced PromQL alone, and no other kind', () => {
    const ratio = spec({ source: 'prometheus', datasource: 'prom', kind: 'ratio', badSelector: 'errors_total', totalSelector: 'requests_total' });
    const advanced = spec({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(increase(a[$__range]))',
      totalQuery: 'sum(increase(b[$__range]))',
    });
    expect(kindOf(ratio).evaluateBatch?.poolOf(ratio)).toBe('prom');
    expect(kindOf(advanced).evaluateBatch?.poolOf(advanced)).toBeNull();
    expect(sourceKinds.filter((k) => k.evaluateBatch).map((k) => k.kind)).toEqual(['prometheus']);
    expect(kindOf(ratio).datasourceOf?.(ratio)).toBe('prom');
  });

  it('previews a demo SLI from its generator, and says an OpenTelemetry SLI has no history to preview', async () => {
    const at = new Date('2026-03-02T12:00:00Z');
    const demo = await kindOf(cases.demo.good).preview(cases.demo.good, at, { prometheusClient: async () => Promise.reject(new Error('not used')) });
    expect(demo.ok && demo.preview.sparkline).toHaveLength(24);
    expect(demo.ok && demo.preview.at).toBe(at.toISOString());
    const otel = await kindOf(cases.otel.good).preview(cases.otel.good, at, { prometheusClient: async () => Promise.reject(new Error('not used')) });
    expect(otel).toMatchObject({ ok: false, error: { kind: 'no_history' } });
  });

  it('prometheus: a preview on a missing data source says so rather than failing', async () => {
    const sli = spec({ source: 'prometheus', datasource: 'gone', kind: 'ratio', badSelector: 'errors_total', totalSelector: 'requests_total' });
    const deps = { prometheusClient: async (slug: string) => Promise.reject(new NotFoundError(`Data source "${slug}" does not exist`)) };
    await expect(kindOf(sli).preview(sli, new Date(), deps)).resolves.toMatchObject({ ok: false, error: { kind: 'datasource_missing' } });
  });

  it("only a pushed kind refreshes ingest's SLO index when one of its SLOs changes", () => {
    for (const { good } of Object.values(cases)) {
      let invalidated = 0;
      kindOf(good).onSloChanged?.({ invalidateOtelSloIndex: () => invalidated++ });
      expect(invalidated).toBe(kindOf(good).pushed ? 1 : 0);
    }
  });

  it('refuses to read again the history of a pushed kind only', () => {
    for (const { good } of Object.values(cases)) {
      if (kindOf(good).pushed) expect(() => kindOf(good).backfill(good)).toThrow(UnprocessableError);
      else expect(() => kindOf(good).backfill(good)).not.toThrow();
    }
  });
});
