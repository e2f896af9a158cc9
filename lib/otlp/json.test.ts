import { describe, expect, test } from 'vitest';
import { collectSdkMetrics, EVERY_KIND_VIEWS, recordEveryKind, serializeSdkMetrics, type SdkTemporality } from '../../test/otel/sdk-payloads';
import { decodeJsonMetricsRequest } from './json';
import { OtlpDecodeError, type MetricsRequest } from './model';
import { decodeProtobufMetricsRequest } from './protobuf';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const decode = (value: unknown) => decodeJsonMetricsRequest(encode(value));

function decodeError(value: unknown): string {
  try {
    decode(value);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error.message;
    throw error;
  }
  throw new Error('decoded without an error');
}

const TIME = '1764000000123456789';

/** A request of one metric, from its OTLP/JSON fields. */
function request(metric: Record<string, unknown>, resourceAttributes: unknown[] = []) {
  return { resourceMetrics: [{ resource: { attributes: resourceAttributes }, scopeMetrics: [{ scope: { name: 's', version: '1' }, metrics: [metric] }] }] };
}

function onlyMetric(decoded: MetricsRequest) {
  return decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
}

describe('decodeJsonMetricsRequest on OpenTelemetry SDK exports', () => {
  test.each(['cumulative', 'delta'] as const)(
    '%s: decodes to exactly what the protobuf export of the same metrics does',
    async (temporality: SdkTemporality) => {
      const sdk = await collectSdkMetrics({ temporality, views: EVERY_KIND_VIEWS, record: recordEveryKind });
      const fromJson = decodeJsonMetricsRequest(serializeSdkMetrics(sdk, 'json'));
      expect(fromJson).toEqual(decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf')));
      const metrics = fromJson.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
      expect(Object.fromEntries(metrics.map((m) => [m.name, m.data.type]))).toEqual({
        'http.server.requests': 'sum',
        'payload.bytes': 'sum',
        'http.server.request.duration': 'histogram',
        'rpc.server.duration': 'exponential_histogram',
        'queue.depth': 'sum',
        'cpu.temperature': 'gauge',
      });
      expect(metrics.find((m) => m.name === 'http.server.requests')).toMatchObject({ unit: '{request}', description: 'Requests served' });
    },
  );

  test('integers beyond 2^53, which the SDK writes as JSON numbers, match the protobuf text', async () => {
    const sdk = await collectSdkMetrics({ record: (meter) => meter.createCounter('c').add(1, { big: 2 ** 60, small: -(2 ** 55) }) });
    const fromJson = decodeJsonMetricsRequest(serializeSdkMetrics(sdk, 'json'));
    expect(onlyMetric(fromJson).data.points[0]!.attributes).toEqual({ big: '1152921504606846976', small: '-36028797018963968' });
    expect(fromJson).toEqual(decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf')));
  });

  test('a NaN gauge: the SDK writes asDouble null, which decodes as no value, NaN, as protobuf gives', async () => {
    const sdk = await collectSdkMetrics({ record: (meter) => meter.createGauge('g').record(NaN) });
    const json = serializeSdkMetrics(sdk, 'json');
    expect(new TextDecoder().decode(json)).toContain('"asDouble":null');
    expect(onlyMetric(decodeJsonMetricsRequest(json)).data.points[0]).toMatchObject({ value: NaN });
    expect(decodeJsonMetricsRequest(json)).toEqual(decodeProtobufMetricsRequest(serializeSdkMetrics(sdk, 'protobuf')));
  });
});

describe('OTLP/JSON variants senders use', () => {
  const canonical = request(
    {
      name: 'http.server.request.duration',
      unit: 's',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [
          {
            attributes: [
              { key: 'http.response.status_code', value: { intValue: '503' } },
              { key: 'ratio', value: { doubleValue: 0.5 } },
              { key: 'id', value: { bytesValue: 'AQID' } },
              { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '7' }] } } },
              { key: 'ctx', value: { kvlistValue: { values: [{ key: 'ok', value: { boolValue: true } }] } } },
            ],
            startTimeUnixNano: '1',
            timeUnixNano: TIME,
            count: '3',
            sum: 1.5,
            bucketCounts: ['1', '2'],
            explicitBounds: [0.5],
            flags: 1,
          },
        ],
      },
    },
    [{ key: 'service.name', value: { stringValue: 'checkout' } }],
  );
  const expected = {
    resourceMetrics: [
      {
        resource: { 'service.name': 'checkout' },
        scopeMetrics: [
          {
            scope: { name: 's', version: '1' },
            metrics: [
              {
                name: 'http.server.request.duration',
                description: '',
                unit: 's',
                data: {
                  type: 'histogram',
                  temporality: 'cumulative',
                  points: [
                    {
                      attributes: { 'http.response.status_code': '503', ratio: '0.5', id: 'AQID', tags: '["a",7]', ctx: '{"ok":true}' },
                      startTimeUnixNano: 1n,
                      timeUnixNano: BigInt(TIME),
                      flags: 1,
                      count: 3,
                      sum: 1.5,
                      bucketCounts: [1, 2],
                      explicitBounds: [0.5],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };

  test('lowerCamelCase with 64-bit integers as strings (the spec, and the Collector)', () => {
    expect(decode(canonical)).toEqual(expected);
  });

  test('snake_case keys (the protobuf field names)', () => {
    const snake = JSON.parse(
      JSON.stringify(canonical).replace(/"([a-z]+[A-Z][A-Za-z]*)":/g, (_, key: string) => `"${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":`),
    );
    expect(JSON.stringify(snake)).toContain('"resource_metrics"');
    expect(JSON.stringify(snake)).toContain('"int_value"');
    expect(decode(snake)).toEqual(expected);
  });

  test('64-bit integers as numbers, enums by name, doubles as strings, nulls and unknown fields ignored', () => {
    const variant = structuredClone(canonical);
    const histogram = variant.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.histogram as Record<string, unknown> & { dataPoints: Record<string, unknown>[] };
    histogram.aggregationTemporality = 'AGGREGATION_TEMPORALITY_CUMULATIVE';
    histogram.futureField = { anything: [1, 2] };
    const point = histogram.dataPoints[0]!;
    Object.assign(point, {
      startTimeUnixNano: 1,
      count: 3,
      bucketCounts: [1, '2'],
      sum: '1.5',
      explicitBounds: ['0.5'],
      min: null,
      exemplars: [{ traceId: 'abcd', spanId: '01' }],
    });
    expect(decode(variant)).toEqual(expected);
  });

  test('"NaN", "Infinity" and "-Infinity" doubles', () => {
    const points = ['NaN', 'Infinity', '-Infinity'].map((value) => ({
      timeUnixNano: TIME,
      asDouble: value,
      attributes: [{ key: 'd', value: { doubleValue: value } }],
    }));
    const data = onlyMetric(decode(request({ name: 'g', gauge: { dataPoints: points } }))).data;
    expect(data.points.map((p) => [(p as { value: number }).value, p.attributes.d])).toEqual([
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
    ]);
  });

  test.each([
    [{ intValue: '9007199254740993' }, '9007199254740993'],
    [{ intValue: '-9223372036854775808' }, '-9223372036854775808'],
    [{ intValue: '007' }, '7'],
    [{ intValue: -0 }, '0'],
    [{ int_value: 42 }, '42'],
    [{ doubleValue: 2 }, '2'],
    [{ doubleValue: 1e21 }, '1e+21'],
    [{ boolValue: false }, 'false'],
    [{ bytesValue: '-_8' }, '+/8='],
    [{ arrayValue: { values: [{ doubleValue: 'NaN' }, {}, { bytesValue: 'AQ==' }] } }, '["NaN",null,"AQ=="]'],
    [{ arrayValue: {} }, '[]'],
    [{ kvlistValue: { values: [{ key: 'a"b', value: { stringValue: 'x' } }, { key: 'n' }] } }, '{"a\\"b":"x","n":null}'],
    [{}, ''],
    [{ stringValue: 'x', somethingNew: 1 }, 'x'],
  ])('attribute %j is %j', (value, text) => {
    const decoded = decode(request({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: TIME, asInt: '1', attributes: [{ key: 'k', value }] }] } }));
    expect(onlyMetric(decoded).data.points[0]!.attributes).toEqual({ k: text });
  });

  test('exponential histograms, summaries, sums with asInt, and metrics without data', () => {
    const decoded = decode({
      resource_metrics: [
        {
          scope_metrics: [
            {
              metrics: [
                {
                  name: 'e',
                  exponentialHistogram: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    dataPoints: [
                      {
                        timeUnixNano: TIME,
                        count: '5',
                        scale: -2,
                        zeroCount: '1',
                        positive: { offset: -3, bucketCounts: ['2', 2] },
                        negative: { bucket_counts: [] },
                      },
                    ],
                  },
                },
                { name: 's', summary: { dataPoints: [{ timeUnixNano: TIME, count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] } },
                { name: 'c', sum: { isMonotonic: true, aggregationTemporality: 1, dataPoints: [{ timeUnixNano: TIME, asInt: '-9007199254740993' }] } },
                { name: 'n', unit: '1' },
              ],
            },
          ],
        },
      ],
    });
    const pointBase = { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(TIME), flags: 0 };
    expect(decoded.resourceMetrics[0]!.scopeMetrics[0]).toEqual({
      scope: { name: '', version: '' },
      metrics: [
        {
          name: 'e',
          description: '',
          unit: '',
          data: {
            type: 'exponential_histogram',
            temporality: 'delta',
            points: [
              {
                ...pointBase,
                count: 5,
                sum: null,
                scale: -2,
                zeroCount: 1,
                positive: { offset: -3, bucketCounts: [2, 2] },
                negative: { offset: 0, bucketCounts: [] },
              },
            ],
          },
        },
        { name: 's', description: '', unit: '', data: { type: 'summary', points: [pointBase] } },
        {
          name: 'c',
          description: '',
          unit: '',
          data: { type: 'sum', temporality: 'delta', monotonic: true, points: [{ ...pointBase, value: -9007199254740992 }] },
        },
        { name: 'n', description: '', unit: '1', data: { type: 'empty', points: [] } },
      ],
    });
  });

  test('an empty object is an empty request; a UTF-8 byte order mark is allowed', () => {
    expect(decode({})).toEqual({ resourceMetrics: [] });
    expect(decodeJsonMetricsRequest(Uint8Array.from([0xef, 0xbb, 0xbf, ...encode({ resourceMetrics: [] })]))).toEqual({ resourceMetrics: [] });
  });
});

describe('garbage throws OtlpDecodeError naming where', () => {
  const metricPath = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';
  const sumWithPoint = (point: Record<string, unknown>) => request({ name: 'c', sum: { dataPoints: [{ timeUnixNano: TIME, asDouble: 1, ...point }] } });
  test.each([
    ['unparsable JSON', '{"resourceMetrics": [', /^malformed JSON: /],
    ['an array body', '[]', 'request body: must be a JSON object'],
    ['a number body', '3', 'request body: must be a JSON object'],
    ['a null body', 'null', 'request body: must be a JSON object'],
    ['an empty body', '', /^malformed JSON: /],
    ['resourceMetrics an object', { resourceMetrics: {} }, 'resourceMetrics: must be an array'],
    ['a resourceMetrics element a string', { resourceMetrics: ['x'] }, 'resourceMetrics[0]: must be an object'],
    ['scopeMetrics a string', { resourceMetrics: [{ scopeMetrics: 'x' }] }, 'resourceMetrics[0].scopeMetrics: must be an array'],
    ['a metric name a number', request({ name: 5 }), `${metricPath}.name: must be a string`],
    ['sum an array', request({ name: 'c', sum: [] }), `${metricPath}.sum: must be an object`],
    ['two data fields', request({ name: 'c', sum: {}, gauge: {} }), `${metricPath}: sets both sum and gauge; a metric has one kind of data`],
    ['a time not a number', sumWithPoint({ timeUnixNano: 'soon' }), `${metricPath}.sum.dataPoints[0].timeUnixNano: must be an unsigned 64-bit integer`],
    ['a negative time', sumWithPoint({ startTimeUnixNano: -1 }), `${metricPath}.sum.dataPoints[0].startTimeUnixNano: must be an unsigned 64-bit integer`],
    [
      'a time past 2^64',
      sumWithPoint({ timeUnixNano: '18446744073709551616' }),
      `${metricPath}.sum.dataPoints[0].timeUnixNano: must be an unsigned 64-bit integer`,
    ],
    ['a fractional time', sumWithPoint({ timeUnixNano: 1.5 }), `${metricPath}.sum.dataPoints[0].timeUnixNano: must be an unsigned 64-bit integer`],
    ['asDouble and asInt', sumWithPoint({ asInt: '1' }), `${metricPath}.sum.dataPoints[0]: sets both asDouble and asInt; a point has one value`],
    ['asDouble a word', sumWithPoint({ asDouble: 'many' }), `${metricPath}.sum.dataPoints[0].asDouble: must be a number, "NaN", "Infinity" or "-Infinity"`],
    [
      'asInt fractional',
      request({ name: 'c', sum: { dataPoints: [{ asInt: 1.5 }] } }),
      `${metricPath}.sum.dataPoints[0].asInt: must be a signed 64-bit integer`,
    ],
    ['isMonotonic a string', request({ name: 'c', sum: { isMonotonic: 'true' } }), `${metricPath}.sum.isMonotonic: must be true or false`],
    [
      'an unknown enum name',
      request({ name: 'c', sum: { aggregationTemporality: 'DELTA' } }),
      `${metricPath}.sum.aggregationTemporality: must be an AggregationTemporality: 0, 1, 2 or its name, e.g. AGGREGATION_TEMPORALITY_DELTA`,
    ],
    ['flags negative', sumWithPoint({ flags: -1 }), `${metricPath}.sum.dataPoints[0].flags: must be an unsigned 32-bit integer`],
    ['attributes an object', sumWithPoint({ attributes: { k: 'v' } }), `${metricPath}.sum.dataPoints[0].attributes: must be an array`],
    ['an attribute key a number', sumWithPoint({ attributes: [{ key: 1, value: {} }] }), `${metricPath}.sum.dataPoints[0].attributes[0].key: must be a string`],
    [
      'an attribute value a string',
      sumWithPoint({ attributes: [{ key: 'k', value: 'v' }] }),
      `${metricPath}.sum.dataPoints[0].attributes[0].value: must be an object`,
    ],
    [
      'an int attribute too big',
      sumWithPoint({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }),
      `${metricPath}.sum.dataPoints[0].attributes[0].value.intValue: must be a signed 64-bit integer`,
    ],
    [
      'two attribute values',
      sumWithPoint({ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }] }),
      `${metricPath}.sum.dataPoints[0].attributes[0].value: sets both stringValue and intValue; an AnyValue holds one value`,
    ],
    [
      'bytes not base64',
      sumWithPoint({ attributes: [{ key: 'k', value: { bytesValue: 'not base64!' } }] }),
      `${metricPath}.sum.dataPoints[0].attributes[0].value.bytesValue: must be base64 text`,
    ],
    [
      'an array element not an object',
      sumWithPoint({ attributes: [{ key: 'k', value: { arrayValue: { values: [1] } } }] }),
      `${metricPath}.sum.dataPoints[0].attributes[0].value.arrayValue.values[0]: must be an object`,
    ],
    [
      'a bucket count negative',
      request({ name: 'h', histogram: { dataPoints: [{ bucketCounts: ['1', -2] }] } }),
      `${metricPath}.histogram.dataPoints[0].bucketCounts[1]: must be an unsigned 64-bit integer`,
    ],
    [
      'a bound a word',
      request({ name: 'h', histogram: { dataPoints: [{ explicitBounds: [0.5, 'one'] }] } }),
      `${metricPath}.histogram.dataPoints[0].explicitBounds[1]: must be a number, "NaN", "Infinity" or "-Infinity"`,
    ],
    [
      'a scale out of int32',
      request({ name: 'e', exponentialHistogram: { dataPoints: [{ scale: 2 ** 31 }] } }),
      `${metricPath}.exponentialHistogram.dataPoints[0].scale: must be a signed 32-bit integer`,
    ],
    [
      'positive an array',
      request({ name: 'e', exponential_histogram: { data_points: [{ positive: [] }] } }),
      `${metricPath}.exponential_histogram.data_points[0].positive: must be an object`,
    ],
    ['a null data point', request({ name: 'g', gauge: { dataPoints: [null] } }), `${metricPath}.gauge.dataPoints[0]: must be an object`],
    ['resource attributes a string', { resourceMetrics: [{ resource: { attributes: 'x' } }] }, 'resourceMetrics[0].resource.attributes: must be an array'],
    [
      'a scope name a number',
      { resourceMetrics: [{ scopeMetrics: [{ scope: { name: 1 } }] }] },
      'resourceMetrics[0].scopeMetrics[0].scope.name: must be a string',
    ],
  ])('%s', (_, body, message) => {
    if (typeof message === 'string') expect(decodeError(body)).toBe(message);
    else expect(decodeError(body)).toMatch(message);
  });

  test('AnyValue nested too deep is refused', () => {
    let value: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    expect(decodeError(request({ name: 'g', gauge: { dataPoints: [{ attributes: [{ key: 'deep', value }] }] } }))).toMatch(
      /arrayValue: is nested more than 32 levels deep$/,
    );
  });

  test('random mutations of an SDK export only ever throw OtlpDecodeError', async () => {
    const sdk = await collectSdkMetrics({ views: EVERY_KIND_VIEWS, record: recordEveryKind });
    const text = new TextDecoder().decode(serializeSdkMetrics(sdk, 'json'));
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const replacements = ['"x"', '1', '-1', 'null', '[]', '{}', 'true', '"NaN"', '1e400', '"18446744073709551616"'];
    const unexpected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      // Replace one JSON value (after a colon) with another kind, keeping the JSON parsable most of the time.
      const colons = [...text.matchAll(/:/g)].map((m) => m.index);
      const at = colons[Math.floor(random() * colons.length)]! + 1;
      const end = text.slice(at).search(/[,}\]]/) + at;
      const mutated = text.slice(0, at) + replacements[Math.floor(random() * replacements.length)] + text.slice(end);
      try {
        decodeJsonMetricsRequest(new TextEncoder().encode(mutated));
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) unexpected.push(`${String(error)} for ${mutated}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
