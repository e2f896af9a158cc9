import { describe, expect, test } from 'vitest';
import { OtelSli, otelTemplate } from '../../schemas/otel';
import { boundIndex, compileOtelSli, goodEvents } from './sli-match';

const sli = (input: unknown) => compileOtelSli(OtelSli.parse(input));
const shop = { 'service.name': 'shop' };

describe('compileOtelSli: HTTP availability template', () => {
  const compiled = sli({
    source: 'otel',
    ...otelTemplate('http_availability'),
    filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: ['shop'] }],
  });
  test.each([
    ['200', { counts: true, good: 'all' }],
    ['499', { counts: true, good: 'all' }],
    ['500', { counts: true, good: 'none' }],
    ['503', { counts: true, good: 'none' }],
    ['not-a-number', { counts: true, good: 'none' }],
    ['', { counts: true, good: 'none' }],
  ])('status %s', (status, want) => expect(compiled.role(shop, { 'http.response.status_code': status })).toEqual(want));

  test('no status code (no response was sent) is not good', () => {
    expect(compiled.role(shop, {})).toEqual({ counts: true, good: 'none' });
  });
  test('another service, or the filter attribute on the data point instead of the resource, does not count', () => {
    expect(compiled.role({ 'service.name': 'other' }, { 'http.response.status_code': '200' })).toEqual({ counts: false });
    expect(compiled.role({}, { 'service.name': 'shop', 'http.response.status_code': '200' })).toEqual({ counts: false });
  });
});

describe('compileOtelSli: conditions', () => {
  test('gRPC availability: server-fault codes are bad, a missing code is not in the set', () => {
    const compiled = sli({ source: 'otel', ...otelTemplate('grpc_availability') });
    expect(compiled.role({}, { 'rpc.grpc.status_code': '0' })).toEqual({ counts: true, good: 'all' });
    expect(compiled.role({}, { 'rpc.grpc.status_code': '5' })).toEqual({ counts: true, good: 'all' });
    expect(compiled.role({}, { 'rpc.grpc.status_code': '14' })).toEqual({ counts: true, good: 'none' });
    expect(compiled.role({}, {})).toEqual({ counts: true, good: 'all' });
  });
  test('latency with an attribute condition: fast and successful', () => {
    const compiled = sli({
      source: 'otel',
      metric: 'http.server.request.duration',
      good: [
        { kind: 'latency', threshold: 0.25 },
        { kind: 'compare', attribute: 'http.response.status_code', operator: 'lt', value: 500 },
      ],
    });
    expect(compiled.latency).toBe(0.25);
    expect(compiled.role({}, { 'http.response.status_code': '200' })).toEqual({ counts: true, good: { latency: 0.25 } });
    expect(compiled.role({}, { 'http.response.status_code': '500' })).toEqual({ counts: true, good: 'none' });
  });
  test.each([
    ['lt', 10, '9', true],
    ['lt', 10, '10', false],
    ['lte', 10, '10', true],
    ['gt', 10, '10', false],
    ['gte', 10, '10', true],
    ['gte', 10, '1e2', true],
  ] as const)('compare %s %d with "%s"', (operator, value, actual, want) => {
    const compiled = sli({ source: 'otel', metric: 'm', good: [{ kind: 'compare', attribute: 'a', operator, value }] });
    expect(compiled.role({}, { a: actual })).toEqual({ counts: true, good: want ? 'all' : 'none' });
  });
  test('not_in filters count series without the attribute', () => {
    const compiled = sli({
      source: 'otel',
      metric: 'm',
      filters: [{ kind: 'match', attribute: 'http.route', operator: 'not_in', values: ['/health'] }],
      good: [{ kind: 'match', attribute: 'ok', values: ['true'] }],
    });
    expect(compiled.role({}, { 'http.route': '/health', ok: 'true' })).toEqual({ counts: false });
    expect(compiled.role({}, { ok: 'true' })).toEqual({ counts: true, good: 'all' });
  });
});

describe('goodEvents', () => {
  const bounds = [0.005, 0.01, 0.25, 0.5, 1];
  const buckets = [10, 20, 30, 15, 4, 1]; // (-inf,0.005], ..., (1,+inf)
  test.each([
    [0.005, 10],
    [0.25, 60],
    [0.5, 75],
    [1, 79],
  ])('events at or under %d s', (threshold, want) => expect(goodEvents({ latency: threshold }, 80, buckets, bounds)).toBe(want));
  test('a threshold that is not a boundary, or buckets not matching the bounds, cannot be answered', () => {
    expect(goodEvents({ latency: 0.3 }, 80, buckets, bounds)).toBeNull();
    expect(goodEvents({ latency: 0.25 }, 80, buckets.slice(1), bounds)).toBeNull();
  });
  test('all and none', () => {
    expect(goodEvents('all', 80, [], [])).toBe(80);
    expect(goodEvents('none', 80, [], [])).toBe(0);
  });
  test('boundaries equal within float noise match; +Inf never does', () => {
    expect(boundIndex([0.1, 0.30000000000000004], 0.3)).toBe(1);
    expect(boundIndex([Infinity], Infinity)).toBe(-1);
  });
});
