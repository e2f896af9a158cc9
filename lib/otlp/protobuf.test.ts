import { AggregationType, type ResourceMetrics as SdkResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, test } from 'vitest';
import {
  collectSdkMetrics,
  EVERY_KIND_VIEWS,
  hrTimeToUnixNano,
  recordEveryKind,
  serializeSdkMetrics,
  wire,
  type SdkTemporality,
} from '../../test/otel/sdk-payloads';
import { OtlpDecodeError, type Metric, type MetricsRequest } from './model';
import { decodeProtobufMetricsRequest } from './protobuf';

function metricNamed(request: MetricsRequest, name: string): Metric {
  const metric = request.resourceMetrics
    .flatMap((r) => r.scopeMetrics)
    .flatMap((s) => s.metrics)
    .find((m) => m.name === name);
  if (!metric) throw new Error(`no metric ${name} in the decoded request`);
  return metric;
}

/** The SDK's own start and end times of each point of a metric, in export order. */
function sdkTimes(resourceMetrics: SdkResourceMetrics, name: string): { startTimeUnixNano: bigint; timeUnixNano: bigint }[] {
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  if (!metric) throw new Error(`the SDK collected no metric ${name}`);
  return metric.dataPoints.map((point) => ({ startTimeUnixNano: hrTimeToUnixNano(point.startTime), timeUnixNano: hrTimeToUnixNano(point.endTime) }));
}

const EVERY_KIND_TEXT = {
  'http.request.method': 'GET',
  'http.response.status_code': '503',
  'retry.ratio': '0.25',
  'error.retryable': 'true',
  'feature.flags': '["blue","green"]',
  'queue.offset': '-42',
};

async function decodedSdkPayload(temporality: SdkTemporality) {
  const sdk = await collectSdkMetrics({ temporality, views: EVERY_KIND_VIEWS, record: recordEveryKind });
  return { sdk, decoded: decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf')) };
}

describe('decodeProtobufMetricsRequest on OpenTelemetry SDK exports', () => {
  test.each(['cumulative', 'delta'] as const)('%s: resource, scope, names, units, temporality, values, times', async (temporality) => {
    const { sdk, decoded } = await decodedSdkPayload(temporality);
    expect(decoded.resourceMetrics).toHaveLength(1);
    const [resourceMetrics] = decoded.resourceMetrics;
    expect(resourceMetrics!.resource).toEqual({ 'service.name': 'checkout', 'service.version': '1.4.2', 'deployment.environment.name': 'production' });
    expect(resourceMetrics!.scopeMetrics.map((s) => s.scope)).toEqual([{ name: 'umpire.test', version: '0.1.0' }]);

    const requests = metricNamed(decoded, 'http.server.requests');
    expect(requests).toMatchObject({ description: 'Requests served', unit: '{request}' });
    expect(requests.data).toEqual({
      type: 'sum',
      temporality,
      monotonic: true,
      points: sdkTimes(sdk, 'http.server.requests').map((times, i) => ({
        ...times,
        flags: 0,
        value: [5, 7][i],
        attributes: [EVERY_KIND_TEXT, { 'http.request.method': 'GET', 'http.response.status_code': '200' }][i],
      })),
    });

    const bytes = metricNamed(decoded, 'payload.bytes');
    expect(bytes.unit).toBe('By');
    expect(bytes.data).toEqual({
      type: 'sum',
      temporality,
      monotonic: true,
      points: [{ ...sdkTimes(sdk, 'payload.bytes')[0], flags: 0, value: 1.75, attributes: {} }],
    });

    expect(metricNamed(decoded, 'http.server.request.duration')).toEqual({
      name: 'http.server.request.duration',
      description: '',
      unit: 's',
      data: {
        type: 'histogram',
        temporality,
        points: [
          {
            ...sdkTimes(sdk, 'http.server.request.duration')[0],
            flags: 0,
            attributes: { 'http.route': '/cart' },
            count: 4,
            sum: 0.05 + 0.2 + 0.7 + 2.5,
            bucketCounts: [1, 1, 1, 1],
            explicitBounds: [0.1, 0.5, 1],
          },
        ],
      },
    });

    const rpc = metricNamed(decoded, 'rpc.server.duration');
    const sdkRpc = sdk.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'rpc.server.duration')!.dataPoints[0]!.value as {
      scale: number;
      positive: { offset: number; bucketCounts: number[] };
    };
    expect(rpc.unit).toBe('ms');
    expect(rpc.data).toEqual({
      type: 'exponential_histogram',
      temporality,
      points: [
        {
          ...sdkTimes(sdk, 'rpc.server.duration')[0],
          flags: 0,
          attributes: { 'rpc.method': 'Checkout' },
          count: 4,
          sum: 7,
          zeroCount: 1,
          scale: sdkRpc.scale,
          positive: sdkRpc.positive,
          negative: { offset: 0, bucketCounts: [] },
        },
      ],
    });
    // 1, 2 and 4 land in three distinct buckets, whatever scale the SDK settled on.
    expect(sdkRpc.positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);

    expect(metricNamed(decoded, 'queue.depth').data).toEqual({
      type: 'sum',
      temporality,
      monotonic: false,
      points: [{ ...sdkTimes(sdk, 'queue.depth')[0], flags: 0, value: -3, attributes: {} }],
    });
    expect(metricNamed(decoded, 'cpu.temperature')).toEqual({
      name: 'cpu.temperature',
      description: '',
      unit: 'Cel',
      data: { type: 'gauge', points: [{ ...sdkTimes(sdk, 'cpu.temperature')[0], flags: 0, value: 71.5, attributes: { 'cpu.id': '0' } }] },
    });
  });

  test('times are the SDK hrTimes in nanoseconds, exactly, as bigint', async () => {
    const { sdk, decoded } = await decodedSdkPayload('cumulative');
    const point = metricNamed(decoded, 'payload.bytes').data.points[0]!;
    const [seconds, nanos] = sdk.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'payload.bytes')!.dataPoints[0]!.endTime;
    expect(typeof point.timeUnixNano).toBe('bigint');
    expect(point.timeUnixNano).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
    expect(point.timeUnixNano > 1_700_000_000_000_000_000n).toBe(true);
  });

  test('an exponential histogram of small values has a negative bucket offset (sint32)', async () => {
    const sdk = await collectSdkMetrics({
      views: [{ instrumentName: 'temperature.delta', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      record: (meter) => {
        // Histogram instruments drop negative measurements, so the SDK never fills negative buckets.
        const histogram = meter.createHistogram('temperature.delta');
        for (const value of [0.001, 0.002, 0.004]) histogram.record(value);
      },
    });
    const decoded = decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf'));
    const sdkPoint = sdk.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!.value as { positive: { offset: number; bucketCounts: number[] }; scale: number };
    const point = metricNamed(decoded, 'temperature.delta').data.points[0] as { positive: unknown; scale: number };
    expect(sdkPoint.positive.offset).toBeLessThan(0);
    expect(point.positive).toEqual(sdkPoint.positive);
    expect(point.scale).toBe(sdkPoint.scale);
  });

  test('an empty export (nothing recorded) decodes to its resource and no metrics', async () => {
    const sdk = await collectSdkMetrics({ record: () => {} });
    const decoded = decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf'));
    expect(decoded.resourceMetrics.flatMap((r) => r.scopeMetrics).flatMap((s) => s.metrics)).toEqual([]);
    expect(decodeProtobufMetricsRequest(new Uint8Array(0))).toEqual({ resourceMetrics: [] });
  });
});

const TIME = 1_764_000_000_123_456_789n;

/** An export of one metric, from hand-built Metric fields. */
function request(...metricFields: Uint8Array[]): Uint8Array {
  return wire.message(1, wire.message(2, wire.message(2, ...metricFields)));
}

function attribute(field: number, key: string, value: Uint8Array): Uint8Array {
  return wire.message(field, wire.string(1, key), wire.message(2, value));
}

function onlyMetric(body: Uint8Array): Metric {
  return decodeProtobufMetricsRequest(body).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
}

function decodeError(body: Uint8Array): string {
  try {
    decodeProtobufMetricsRequest(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error.message;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('attribute values as text', () => {
  const anyValue = {
    string: wire.string(1, 'GET'),
    emptyString: wire.string(1, ''),
    utf8: wire.string(1, 'café ☕'),
    boolFalse: wire.varint(2, 0),
    int: wire.varint(3, 503),
    intZero: wire.varint(3, 0),
    intNegative: wire.varint(3, -1),
    intAbove2to53: wire.varint(3, 2n ** 53n + 1n),
    intMax: wire.varint(3, 2n ** 63n - 1n),
    intMin: wire.varint(3, -(2n ** 63n)),
    intNegativeBelow2to53: wire.varint(3, -(2n ** 53n) - 1n),
    double: wire.double(4, 0.1),
    doubleIntegral: wire.double(4, 2),
    doubleNaN: wire.double(4, NaN),
    doubleInfinity: wire.double(4, -Infinity),
    bytes: wire.bytes(7, Uint8Array.from([0xde, 0xad, 0xbe, 0xef])),
    array: wire.message(
      5,
      wire.message(1, wire.string(1, 'a"b')),
      wire.message(1, wire.varint(3, 2n ** 60n)),
      wire.message(1, wire.double(4, NaN)),
      wire.message(1),
    ),
    kvlist: wire.message(
      6,
      wire.message(1, wire.string(1, 'retries'), wire.message(2, wire.varint(3, 3))),
      wire.message(1, wire.string(1, 'ok'), wire.message(2, wire.varint(2, 1))),
    ),
    unset: new Uint8Array(0),
  };
  const expected: Record<keyof typeof anyValue, string> = {
    string: 'GET',
    emptyString: '',
    utf8: 'café ☕',
    boolFalse: 'false',
    int: '503',
    intZero: '0',
    intNegative: '-1',
    intAbove2to53: '9007199254740993',
    intMax: '9223372036854775807',
    intMin: '-9223372036854775808',
    intNegativeBelow2to53: '-9007199254740993',
    double: '0.1',
    doubleIntegral: '2',
    doubleNaN: 'NaN',
    doubleInfinity: '-Infinity',
    bytes: '3q2+7w==',
    array: '["a\\"b",1152921504606846976,"NaN",null]',
    kvlist: '{"retries":3,"ok":true}',
    unset: '',
  };

  test.each(Object.keys(anyValue) as (keyof typeof anyValue)[])('%s', (kind) => {
    const point = wire.message(1, attribute(7, 'k', anyValue[kind]), wire.fixed64(3, TIME), wire.double(4, 1));
    expect(onlyMetric(request(wire.string(1, 'm'), wire.message(5, point))).data.points[0]!.attributes).toEqual({ k: expected[kind] });
  });

  test('the same values give the same text every time (the KeyValue cache returns what decoding would)', () => {
    const point = wire.message(1, ...Object.entries(anyValue).map(([key, value]) => attribute(7, key, value)));
    const body = request(wire.string(1, 'm'), wire.message(5, point, point, point));
    const points = onlyMetric(body).data.points;
    for (const decoded of points) expect(decoded.attributes).toEqual(expected);
  });

  test('a __proto__ key is an attribute like any other, not a prototype', () => {
    const point = wire.message(1, attribute(7, '__proto__', wire.string(1, 'x')), attribute(7, 'toString', wire.string(1, 'y')));
    const attributes = onlyMetric(request(wire.message(5, point))).data.points[0]!.attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.entries(attributes)).toEqual([
      ['__proto__', 'x'],
      ['toString', 'y'],
    ]);
  });

  test('a repeated key keeps its last value; invalid UTF-8 decodes lossily', () => {
    const point = wire.message(
      1,
      attribute(7, 'k', wire.string(1, 'first')),
      attribute(7, 'k', wire.string(1, 'last')),
      attribute(7, 'bad', wire.bytes(1, Uint8Array.from([0x61, 0xff]))),
    );
    expect(onlyMetric(request(wire.message(5, point))).data.points[0]!.attributes).toEqual({ k: 'last', bad: 'a\ufffd' });
  });

  test('long strings (past the string cache) and long KeyValues decode the same', () => {
    const long = 'x'.repeat(300) + 'é';
    const point = wire.message(1, attribute(7, 'k'.repeat(70), wire.string(1, long)));
    expect(onlyMetric(request(wire.message(5, point, point))).data.points.map((p) => p.attributes)).toEqual([
      { ['k'.repeat(70)]: long },
      { ['k'.repeat(70)]: long },
    ]);
  });
});

describe('what the SDK never sends', () => {
  test('histogram buckets and bounds unpacked (one field per value), and packed runs split in two', () => {
    const point = wire.message(
      1,
      wire.fixed64(3, TIME),
      wire.fixed64(4, 6),
      wire.fixed64(6, 1),
      wire.packedFixed64(6, [2, 3]),
      wire.double(7, 0.5),
      wire.packedDouble(7, [1]),
      wire.double(5, 9.5),
      wire.varint(10, 1),
    );
    expect(onlyMetric(request(wire.message(9, point, wire.varint(2, 1)))).data).toEqual({
      type: 'histogram',
      temporality: 'delta',
      points: [{ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: TIME, flags: 1, count: 6, sum: 9.5, bucketCounts: [1, 2, 3], explicitBounds: [0.5, 1] }],
    });
  });

  test('exponential histogram buckets unpacked, negative buckets, negative scale and offset', () => {
    const point = wire.message(
      1,
      wire.fixed64(2, TIME - 1n),
      wire.fixed64(3, TIME),
      wire.fixed64(4, 2n ** 40n),
      wire.sint32(6, -3),
      wire.fixed64(7, 4),
      wire.message(8, wire.sint32(1, -2), wire.varint(2, 5), wire.varint(2, 2n ** 35n)),
      wire.message(9, wire.sint32(1, 7), wire.packedVarint(2, [1, 300])),
    );
    expect(onlyMetric(request(wire.message(10, point, wire.varint(2, 2)))).data).toEqual({
      type: 'exponential_histogram',
      temporality: 'cumulative',
      points: [
        {
          attributes: {},
          startTimeUnixNano: TIME - 1n,
          timeUnixNano: TIME,
          flags: 0,
          count: 2 ** 40,
          sum: null,
          scale: -3,
          zeroCount: 4,
          positive: { offset: -2, bucketCounts: [5, 2 ** 35] },
          negative: { offset: 7, bucketCounts: [1, 300] },
        },
      ],
    });
  });

  test('as_int values, including negative and beyond 2^32; a point without a value is NaN', () => {
    const points = [-5n, 2n ** 40n + 3n, -(2n ** 40n)].map((value) => wire.message(1, wire.fixed64(3, TIME), wire.fixed64(6, value)));
    const data = onlyMetric(request(wire.message(7, ...points, wire.message(1, wire.fixed64(3, TIME), wire.varint(8, 1)), wire.varint(3, 1)))).data;
    expect(data.type === 'sum' && data.monotonic).toBe(true);
    expect((data.points as { value: number; flags: number }[]).map((p) => [p.value, p.flags])).toEqual([
      [-5, 0],
      [2 ** 40 + 3, 0],
      [-(2 ** 40), 0],
      [NaN, 1],
    ]);
  });

  test('summaries count as points; a metric without data is empty; unknown temporality values are unspecified', () => {
    const summaryPoint = wire.message(
      1,
      attribute(7, 'q', wire.string(1, 'x')),
      wire.fixed64(2, 1n),
      wire.fixed64(3, TIME),
      wire.fixed64(4, 3),
      wire.double(5, 1.5),
      wire.message(6, wire.double(1, 0.5), wire.double(2, 1)),
      wire.varint(8, 1),
    );
    const body = wire.message(
      1,
      wire.message(
        2,
        wire.message(2, wire.string(1, 'summary'), wire.message(11, summaryPoint)),
        wire.message(2, wire.string(1, 'nothing'), wire.string(3, 'ms')),
        wire.message(2, wire.string(1, 'odd'), wire.message(9, wire.varint(2, 7))),
      ),
    );
    const metrics = decodeProtobufMetricsRequest(body).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(metrics).toEqual([
      {
        name: 'summary',
        description: '',
        unit: '',
        data: { type: 'summary', points: [{ attributes: { q: 'x' }, startTimeUnixNano: 1n, timeUnixNano: TIME, flags: 1 }] },
      },
      { name: 'nothing', description: '', unit: 'ms', data: { type: 'empty', points: [] } },
      { name: 'odd', description: '', unit: '', data: { type: 'histogram', temporality: 'unspecified', points: [] } },
    ]);
  });

  test('times up to 2^64 - 1 stay exact', () => {
    const point = wire.message(1, wire.fixed64(2, 2n ** 64n - 1n), wire.fixed64(3, 2n ** 63n + 1n), wire.double(4, 1));
    expect(onlyMetric(request(wire.message(5, point))).data.points[0]).toMatchObject({ startTimeUnixNano: 2n ** 64n - 1n, timeUnixNano: 2n ** 63n + 1n });
  });
});

/** One field of each wire type at field number 1000+, a nested group included. */
const UNKNOWN_FIELDS = wire.concat(
  wire.varint(1000, 2n ** 63n),
  wire.fixed64(1001, 7),
  wire.string(1002, 'later'),
  wire.group(1003, wire.varint(1, 1), wire.group(2, wire.string(3, 'x')), wire.fixed32(4, 9)),
  wire.fixed32(1004, 5),
);

describe('unknown fields are skipped', () => {
  test('appended to a real SDK export, each wire type', async () => {
    const sdk = await collectSdkMetrics({ views: EVERY_KIND_VIEWS, record: recordEveryKind });
    const body = serializeSdkMetrics(sdk, 'protobuf');
    const expected = decodeProtobufMetricsRequest(body);
    expect(decodeProtobufMetricsRequest(wire.concat(body, UNKNOWN_FIELDS))).toEqual(expected);
    expect(decodeProtobufMetricsRequest(wire.concat(UNKNOWN_FIELDS, body, UNKNOWN_FIELDS))).toEqual(expected);
  });

  test('inside every message the decoder reads', () => {
    const u = UNKNOWN_FIELDS;
    const kv = (key: string, value: Uint8Array) => wire.message(1, u, wire.string(1, key), wire.message(2, u, value));
    const attributes = (field: number) =>
      wire.concat(
        wire.message(field, u, wire.string(1, 's'), wire.message(2, u, wire.string(1, 'v'), u)),
        wire.message(field, wire.string(1, 'a'), wire.message(2, wire.message(5, u, wire.message(1, u, wire.varint(3, 1), u)))),
        wire.message(field, wire.string(1, 'l'), wire.message(2, wire.message(6, u, kv('x', wire.varint(2, 1))))),
      );
    const number = wire.message(1, u, attributes(7), u, wire.fixed64(3, TIME), u, wire.double(4, 2), wire.message(5, wire.fixed64(2, TIME)), u);
    const histogram = wire.message(1, u, attributes(9), wire.fixed64(3, TIME), u, wire.fixed64(4, 1), wire.packedFixed64(6, [1]), u);
    const exponential = wire.message(1, u, attributes(1), wire.fixed64(3, TIME), wire.message(8, u, wire.sint32(1, 1), u, wire.packedVarint(2, [1]), u), u);
    const body = wire.message(
      1,
      u,
      wire.message(1, u, attributes(1), wire.varint(2, 0), u),
      wire.message(
        2,
        u,
        wire.message(1, u, wire.string(1, 'scope'), u, wire.string(2, '1.0'), attributes(3), u),
        wire.message(
          2,
          u,
          wire.string(1, 'sum'),
          u,
          wire.message(7, u, number, wire.varint(2, 2), u, wire.varint(3, 1), u),
          wire.message(12, attributes(1)),
          u,
        ),
        wire.message(2, wire.string(1, 'gauge'), wire.message(5, u, number, u)),
        wire.message(2, wire.string(1, 'histogram'), wire.message(9, u, histogram, wire.varint(2, 1), u)),
        wire.message(2, wire.string(1, 'exponential'), wire.message(10, u, exponential, u)),
        wire.string(3, 'https://opentelemetry.io/schemas/1.30.0'),
        u,
      ),
      wire.string(3, 'https://opentelemetry.io/schemas/1.30.0'),
      u,
    );
    const attributeText = { s: 'v', a: '[1]', l: '{"x":true}' };
    const decoded = decodeProtobufMetricsRequest(wire.concat(u, body, u));
    expect(decoded.resourceMetrics[0]!.resource).toEqual(attributeText);
    const scope = decoded.resourceMetrics[0]!.scopeMetrics[0]!;
    expect(scope.scope).toEqual({ name: 'scope', version: '1.0' });
    const pointBase = { attributes: attributeText, startTimeUnixNano: 0n, timeUnixNano: TIME, flags: 0 };
    expect(scope.metrics.map((m) => m.data)).toEqual([
      { type: 'sum', temporality: 'cumulative', monotonic: true, points: [{ ...pointBase, value: 2 }] },
      { type: 'gauge', points: [{ ...pointBase, value: 2 }] },
      { type: 'histogram', temporality: 'delta', points: [{ ...pointBase, count: 1, sum: null, bucketCounts: [1], explicitBounds: [] }] },
      {
        type: 'exponential_histogram',
        temporality: 'unspecified',
        points: [
          { ...pointBase, count: 0, sum: null, scale: 0, zeroCount: 0, positive: { offset: 1, bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [] } },
        ],
      },
    ]);
  });
});

describe('malformed input throws OtlpDecodeError with a precise message', () => {
  const name = wire.string(1, 'm');
  test.each([
    [
      'a length past the end',
      wire.concat(wire.tag(1, 2), wire.rawVarint(10), Uint8Array.from([1, 2])),
      'malformed protobuf: length-delimited field 1 of ExportMetricsServiceRequest at byte 0 runs past the end of its message',
    ],
    ['a truncated varint', Uint8Array.from([0x10, 0x80]), 'malformed protobuf: varint at byte 1 runs past the end of its message'],
    [
      'a varint of 11 bytes',
      wire.concat(wire.tag(5, 0), Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])),
      'malformed protobuf: varint at byte 1 is longer than 10 bytes',
    ],
    ['field number 0', Uint8Array.from([0x02, 0x00]), 'malformed protobuf: field number 0 at byte 0'],
    ['wire type 6', Uint8Array.from([0x16]), 'malformed protobuf: field 2 of ExportMetricsServiceRequest at byte 0 has invalid wire type 6'],
    ['an end group without a start', wire.tag(9, 4), 'malformed protobuf: end-group field 9 at byte 0 in ExportMetricsServiceRequest closes no group'],
    [
      'a group never closed',
      wire.concat(wire.tag(9, 3), wire.varint(1, 1)),
      'malformed protobuf: group field 9 of ExportMetricsServiceRequest at byte 0 is never closed',
    ],
    [
      'a metric name sent as a varint',
      request(wire.varint(1, 5)),
      'malformed protobuf: Metric field 1 at byte 6 has wire type 0 (varint), expected 2 (length-delimited)',
    ],
    [
      'a time sent as a varint',
      request(name, wire.message(5, wire.message(1, wire.varint(3, 5)))),
      'malformed protobuf: NumberDataPoint field 3 at byte 13 has wire type 0 (varint), expected 1 (64-bit)',
    ],
    [
      'a fixed64 cut short',
      request(name, wire.message(5, wire.message(1, wire.tag(3, 1), Uint8Array.from([1, 2, 3])))),
      'malformed protobuf: 64-bit field 3 of NumberDataPoint at byte 13 runs past the end of its message',
    ],
    [
      'packed bucket counts of 12 bytes',
      request(name, wire.message(9, wire.message(1, wire.bytes(6, new Uint8Array(12))))),
      'malformed protobuf: packed field 6 of HistogramDataPoint at byte 13 is 12 bytes, not a multiple of 8',
    ],
    [
      'bucket counts as 32-bit',
      request(name, wire.message(9, wire.message(1, wire.fixed32(6, 1)))),
      'malformed protobuf: HistogramDataPoint field 6 at byte 13 has wire type 5 (32-bit), expected 1 (64-bit) or 2 (length-delimited)',
    ],
  ])('%s', (_, body, message) => {
    expect(decodeError(body)).toBe(message);
  });

  test('a nested message runs past its parent even though the buffer goes on', () => {
    // The metric claims 2 bytes, but its name field claims 5: within the buffer, outside its message.
    const body = wire.concat(request(wire.concat(wire.tag(1, 2), wire.rawVarint(5))), new Uint8Array(10));
    expect(decodeError(body)).toBe('malformed protobuf: length-delimited field 1 of Metric at byte 6 runs past the end of its message');
  });

  test('AnyValue nested too deep is refused before the stack is', () => {
    let value = wire.string(1, 'bottom');
    for (let i = 0; i < 40; i++) value = wire.message(5, wire.message(1, value));
    expect(decodeError(request(wire.message(5, wire.message(1, attribute(7, 'deep', value)))))).toMatch(
      /^malformed protobuf: AnyValue at byte \d+ is nested more than 32 levels deep$/,
    );
    // Unknown groups are skipped without recursion, however deep.
    const depth = 100_000;
    const deepGroups = new Uint8Array(depth * 2 + 2);
    deepGroups.fill(0x13, 0, depth); // field 2, start group
    deepGroups.set([0x08, 0x01], depth);
    deepGroups.fill(0x14, depth + 2); // field 2, end group
    expect(decodeProtobufMetricsRequest(deepGroups)).toEqual({ resourceMetrics: [] });
  });

  test('every prefix of a real export either decodes or throws OtlpDecodeError', async () => {
    const sdk = await collectSdkMetrics({ views: EVERY_KIND_VIEWS, record: recordEveryKind });
    const body = serializeSdkMetrics(sdk, 'protobuf');
    let decodedPrefixes = 0;
    for (let length = 0; length < body.length; length++) {
      try {
        decodeProtobufMetricsRequest(body.subarray(0, length));
        decodedPrefixes++;
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
    // Only the empty prefix is a whole message: the body is one resource_metrics field.
    expect(decodedPrefixes).toBe(1);
  });

  test('random bytes and random mutations of a real export only ever throw OtlpDecodeError', async () => {
    const sdk = await collectSdkMetrics({ views: EVERY_KIND_VIEWS, record: recordEveryKind });
    const body = serializeSdkMetrics(sdk, 'protobuf');
    const random = mulberry32(20261126);
    const unexpected: string[] = [];
    const attempt = (input: Uint8Array) => {
      try {
        decodeProtobufMetricsRequest(input);
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) unexpected.push(`${String(error)} for ${Buffer.from(input).toString('hex')}`);
      }
    };
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 256));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      attempt(bytes);
    }
    for (let i = 0; i < 3000; i++) {
      const mutated = Uint8Array.from(body);
      const flips = 1 + Math.floor(random() * 4);
      for (let j = 0; j < flips; j++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      attempt(mutated);
    }
    expect(unexpected).toEqual([]);
  });
});

/** A small seeded PRNG, so a fuzz failure reproduces. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
