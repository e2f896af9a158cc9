import { describe, expect, test } from 'vitest';
import { parseCounterSelector, PrometheusSli } from '../../schemas/prometheus';
import {
  advancedQueries,
  escapeLabelValue,
  formatRange,
  labelMatchers,
  latencyQueries,
  leRegex,
  missingBucketSeries,
  plainIncrease,
  rangeMs,
  ratioQueries,
  steppedIncrease,
  thresholdError,
  unlessBucketMissing,
} from './promql';

const ratio = (over: Record<string, unknown>) =>
  PrometheusSli.parse({ source: 'prometheus', datasource: 'prom', kind: 'ratio', totalSelector: 'http_requests_total{job="api"}', ...over });
const latency = (over: Record<string, unknown> = {}) =>
  PrometheusSli.parse({
    source: 'prometheus',
    datasource: 'prom',
    kind: 'latency',
    metric: 'http_request_duration_seconds',
    thresholdSeconds: 0.3,
    filters: { job: 'api' },
    ...over,
  });

describe('ratioQueries', () => {
  test('increase() on each raw counter, then sum(): summing first would lose counter resets', () => {
    const sli = ratio({ goodSelector: 'http_requests_total{job="api",code!~"5.."}' });
    expect(sli.kind === 'ratio' && ratioQueries(sli, '1m')).toEqual({
      good: 'sum(increase(http_requests_total{job="api",code!~"5.."}[1m]))',
      total: 'sum(increase(http_requests_total{job="api"}[1m]))',
    });
  });

  test('bad selector: good = total - bad, where a bad counter without series counts as 0', () => {
    const sli = ratio({ badSelector: 'http_requests_total{job="api",code=~"5.."}' });
    expect(sli.kind === 'ratio' && ratioQueries(sli, '1h')).toEqual({
      good: '(sum(increase(http_requests_total{job="api"}[1h])) - (sum(increase(http_requests_total{job="api",code=~"5.."}[1h])) or vector(0)))',
      total: 'sum(increase(http_requests_total{job="api"}[1h]))',
    });
  });

  test('refuses what did not come through the schema', () => {
    const sli = ratio({ goodSelector: 'up' });
    if (sli.kind !== 'ratio') throw new Error('unreachable');
    expect(() => ratioQueries({ ...sli, goodSelector: 'up) or vector(1' }, '1m')).toThrow(/invalid selector/);
    expect(() => ratioQueries(sli, '1m] or vector(1) #')).toThrow(/invalid PromQL range/);
  });
});

describe('steppedIncrease', () => {
  const stepped = steppedIncrease({ stepSeconds: 15, hold: '1h' });

  test('sums reset-aware differences of last values on a 15 s grid, only where the range has samples', () => {
    const L = 'last_over_time(x{a="b"}[1h])';
    const P = 'last_over_time(x{a="b"}[1h] offset 15s)';
    expect(stepped('x{a="b"}', '1m')).toBe(`(sum_over_time((${L} - ${P} + ${P} * (${L} < bool ${P}))[59s:15s]) and count_over_time(x{a="b"}[59s999ms]))`);
  });

  test('ranges must be whole steps', () => {
    expect(stepped('x', '1h')).toContain('[59m59s:15s]');
    expect(() => stepped('x', '20s')).toThrow(/multiple/);
  });

  test('builders use it for every counter', () => {
    const sli = ratio({ badSelector: 'errors_total' });
    if (sli.kind !== 'ratio') throw new Error('unreachable');
    const q = ratioQueries(sli, '1m', stepped);
    expect(q.total).toBe(`sum(${stepped('http_requests_total{job="api"}', '1m')})`);
    expect(q.good).toBe(`(${q.total} - (sum(${stepped('errors_total', '1m')}) or vector(0)))`);
  });
});

describe('rangeMs and formatRange', () => {
  test.each([
    ['1m', 60_000],
    ['59s999ms', 59_999],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
  ])('%s is %i ms and back', (range, ms) => {
    expect(rangeMs(range)).toBe(ms);
    expect(formatRange(ms)).toBe(range);
  });
  test.each(['', '1', '1.5m', '-1m', '1m '])('refuses %j', (range) => expect(() => rangeMs(range)).toThrow());
});

describe('leRegex matches every rendering of a boundary and nothing else', () => {
  const matches = (threshold: number, le: string) => new RegExp(`^(?:${leRegex(threshold)})$`).test(le);
  test.each([
    [0.3, ['0.3', '0.30', '0.300', '3e-01', '3.0e-1']],
    [1, ['1', '1.0', '1.00', '1e+00', '1e0']],
    [0.25, ['0.25', '0.250', '2.5e-01']],
    [2.5, ['2.5', '2.50', '2.5e+00']],
    [10, ['10', '10.0', '1e+01']],
    [0.005, ['0.005', '0.0050', '5e-03']],
    [0.00001, ['0.00001', '1e-05']],
    [1_000_000, ['1000000', '1e+06', '1.0e+06']],
  ])('%d matches %j', (threshold, renderings) => {
    for (const le of renderings) expect(matches(threshold, le), le).toBe(true);
  });
  test.each([
    [0.3, ['0.03', '3', '0.31', '10.3', '0.3 ', '+Inf', '0.3e1']],
    [1, ['10', '0.1', '11', '1.01', '+Inf', '1e+01']],
    [2.5, ['25', '0.25', '2.55']],
    [10, ['1', '100', '10.5']],
  ])('%d does not match %j', (threshold, renderings) => {
    for (const le of renderings) expect(matches(threshold, le), le).toBe(false);
  });
  test.each([0, -1, Infinity, NaN])('refuses threshold %d', (t) => expect(() => leRegex(t)).toThrow());
});

describe('latencyQueries', () => {
  const bucket = `http_request_duration_seconds_bucket{job="api",le=~"${escapeLabelValue(leRegex(0.3))}"}`;
  const count = 'http_request_duration_seconds_count{job="api"}';

  test('good = bucket at the threshold, total = _count, same filters; no good where a _count lacks its bucket', () => {
    const sli = latency();
    expect(sli.kind === 'latency' && latencyQueries(sli, '5m')).toEqual({
      good: `(sum(increase(${bucket}[5m])) unless on() ${missingBucketSeries(bucket, count, '5m')})`,
      total: `sum(increase(${count}[5m]))`,
    });
  });

  test('a _count series lacks its bucket when the bucket has fewer samples in the range, or none', () => {
    const counts = `count_over_time(${count}[4m59s999ms])`;
    expect(missingBucketSeries(bucket, count, '5m')).toBe(`(${counts} unless (${counts} <= max without (le) (count_over_time(${bucket}[4m59s999ms]))))`);
    expect(unlessBucketMissing('sum(x)', bucket, count, '1m', 'job')).toBe(`(sum(x) unless on(job) ${missingBucketSeries(bucket, count, '1m')})`);
  });
});

describe('label values cannot inject PromQL', () => {
  const nasty = ['"} or vector(1) #', 'a\\', '\\"', 'line\nbreak', 'tab\tand\rreturn', '}{', '`', "'", 'ünïcödé ✓', '\\\\"\\'];
  test.each(nasty)('%j stays one label value', (value) => {
    const selector = `m${labelMatchers({ path: value, job: 'api' })}`;
    const parsed = parseCounterSelector(selector);
    expect(parsed).toEqual({
      ok: true,
      selector: {
        metric: 'm',
        matchers: [
          { label: 'job', op: '=', value: 'api' },
          { label: 'path', op: '=', value },
        ],
      },
    });
  });

  test('latency filters are escaped the same way', () => {
    const sli = latency({ filters: { route: '"} or vector(1) or x{a="' } });
    if (sli.kind !== 'latency') throw new Error('unreachable');
    const q = latencyQueries(sli, '1m', plainIncrease);
    const inner = /^sum\(increase\((.*)\[1m\]\)\)$/.exec(q.total)![1]!;
    expect(parseCounterSelector(inner)).toMatchObject({ ok: true, selector: { matchers: [{ label: 'route', value: '"} or vector(1) or x{a="' }] } });
  });

  test('label names are checked', () => {
    expect(() => labelMatchers({ 'a="b"} or x{c': 'd' })).toThrow(/invalid label name/);
  });
});

describe('advancedQueries', () => {
  test('replaces every $__range', () => {
    const sli = PrometheusSli.parse({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(increase(a[$__range])) - sum(increase(b[$__range]))',
      totalQuery: 'sum(increase(a[$__range]))',
    });
    expect(sli.kind === 'advanced' && advancedQueries(sli, '1m')).toEqual({
      good: 'sum(increase(a[1m])) - sum(increase(b[1m]))',
      total: 'sum(increase(a[1m]))',
    });
  });
});

describe('thresholdError', () => {
  test('null for a boundary, the list otherwise', () => {
    expect(thresholdError(0.25, [0.1, 0.25, 0.5, 1, Infinity])).toBeNull();
    expect(thresholdError(0.3, [0.1, 0.25, 0.5, 1, Infinity])).toBe('must be an existing bucket boundary: 0.1, 0.25, 0.5, 1, +Inf');
    expect(thresholdError(0.3, [])).toMatch(/no histogram buckets/);
  });
});
