import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { DemoSli } from '../../schemas/slo';
import { parseCounterSelector, PrometheusSli } from '../../schemas/prometheus';

// Schema tests for lib/schemas/prometheus.ts live here, beside the only code that builds PromQL from it.
const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.map(String).join('.'), i.message]));
const base = { source: 'prometheus', datasource: 'main-prom' };

describe('counter selectors', () => {
  test.each([
    'http_requests_total',
    'http_requests_total{job="api",code!~"5.."}',
    'job:http_requests:total{ job = "api" , }',
    'm{path="a\\"b",x=~"\\\\d+",y!="\\u00e9\\x41\\101"}',
    '  m{}  ',
  ])('accepts %s', (selector) => expect(parseCounterSelector(selector.trim()).ok).toBe(true));

  test.each([
    ['rate(x[5m])', /plain selector/],
    ['x[5m]', /plain selector/],
    ["x{a='b'}", /double-quoted/],
    ['x{a="b"} or vector(1)', /plain selector/],
    ['x offset 5m', /plain selector/],
    ['{a="b"}', /metric name/],
    ['x{a=b}', /double-quoted/],
    ['x{a="b}', /double-quoted/],
    ['x{1a="b"}', /label name/],
    ['x{a="b" c="d"}', /expected , or }/],
    ['x{a=="b"}', /double-quoted/],
    ['x{a="\\q"}', /double-quoted/],
    ['x{a="\\ud800"}', /double-quoted/],
    ['x{a="line\nbreak"}', /double-quoted/],
    ['sum(x)', /plain selector/],
    ['x{a="b"}}', /plain selector/],
  ])('refuses %j', (selector, message) => {
    const parsed = parseCounterSelector(selector);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  test('decodes values as PromQL does', () => {
    expect(parseCounterSelector('m{a="q\\"\\\\\\n\\u00e9"}')).toEqual({
      ok: true,
      selector: { metric: 'm', matchers: [{ label: 'a', op: '=', value: 'q"\\\né' }] },
    });
  });
});

describe('PrometheusSli', () => {
  test('ratio: exactly one of goodSelector and badSelector', () => {
    expect(PrometheusSli.safeParse({ ...base, kind: 'ratio', goodSelector: 'ok_total', totalSelector: 'all_total' }).success).toBe(true);
    expect(PrometheusSli.safeParse({ ...base, kind: 'ratio', badSelector: 'err_total', totalSelector: 'all_total' }).success).toBe(true);
    const both = PrometheusSli.safeParse({ ...base, kind: 'ratio', goodSelector: 'a', badSelector: 'b', totalSelector: 'c' });
    expect(issues(both)).toEqual({ goodSelector: 'give either goodSelector or badSelector' });
    const neither = PrometheusSli.safeParse({ ...base, kind: 'ratio', totalSelector: 'c' });
    expect(issues(neither)).toEqual({ goodSelector: 'give either goodSelector or badSelector' });
  });

  test('ratio: names the failing selector', () => {
    const result = PrometheusSli.safeParse({ ...base, kind: 'ratio', goodSelector: 'rate(x[5m])', totalSelector: '' });
    expect(Object.keys(issues(result)).sort()).toEqual(['goodSelector', 'totalSelector']);
  });

  test('latency: a histogram name, a positive threshold, equality filters on ordinary labels', () => {
    const ok = PrometheusSli.parse({ ...base, kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds: 0.3 });
    expect(ok).toEqual({ ...base, kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds: 0.3, filters: {} });
    const bad = PrometheusSli.safeParse({
      ...base,
      kind: 'latency',
      metric: 'http_request_duration_seconds_bucket',
      thresholdSeconds: 0,
      filters: { le: '0.3', 'bad-name': 'x' },
    });
    expect(issues(bad)).toEqual({
      metric: 'give the histogram name without _bucket, _count or _sum',
      thresholdSeconds: 'must be above 0',
      'filters.le': 'le and __name__ are set by Umpire',
      'filters.bad-name': 'label names must be letters, digits and underscores',
    });
  });

  test('advanced: both queries need $__range and fit 2000 characters', () => {
    const good = 'sum(increase(a[$__range]))';
    expect(PrometheusSli.safeParse({ ...base, kind: 'advanced', goodQuery: good, totalQuery: good }).success).toBe(true);
    const result = PrometheusSli.safeParse({ ...base, kind: 'advanced', goodQuery: 'sum(increase(a[5m]))', totalQuery: `${good} ${'x'.repeat(2000)}` });
    expect(issues(result)).toEqual({ goodQuery: 'must contain $__range', totalQuery: 'must be at most 2000 characters' });
  });

  test('data source is a slug, kind is one of three, no unknown fields', () => {
    expect(issues(PrometheusSli.safeParse({ ...base, datasource: 'Main Prom', kind: 'ratio', goodSelector: 'a', totalSelector: 'b' }))).toHaveProperty(
      'datasource',
    );
    expect(issues(PrometheusSli.safeParse({ ...base, kind: 'native' }))).toEqual({ kind: 'kind must be ratio, latency or advanced' });
    expect(PrometheusSli.safeParse({ ...base, kind: 'ratio', goodSelector: 'a', totalSelector: 'b', query: 'x' }).success).toBe(false);
  });

  test('joins a discriminated union on source, as SliSpec will', () => {
    const Spec = z.discriminatedUnion('source', [DemoSli, PrometheusSli]);
    expect(Spec.parse({ source: 'demo', profile: 'latency' })).toMatchObject({ source: 'demo' });
    expect(Spec.parse({ ...base, kind: 'ratio', badSelector: 'e_total', totalSelector: 'r_total' })).toMatchObject({ kind: 'ratio' });
    expect(Spec.safeParse({ ...base, kind: 'ratio', goodSelector: 'a', badSelector: 'b', totalSelector: 'c' }).success).toBe(false);
  });
});
