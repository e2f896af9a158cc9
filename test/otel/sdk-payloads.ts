// OTLP metric export bodies for tests. Mostly produced by the real OpenTelemetry JS SDK, byte for byte what
// OTLPMetricExporter sends (it serializes with these same otlp-transformer serializers), so decoder and ingest
// tests assert on what senders actually emit; `wire` hand-builds what the SDK never sends.
import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type ResourceMetrics, type ViewOptions } from '@opentelemetry/sdk-metrics';

export type SdkTemporality = 'cumulative' | 'delta';
export type SdkFormat = 'protobuf' | 'json';

export interface SdkCollectOptions {
  /** Every instrument's temporality, as an exporter's temporalityPreference would choose it. */
  temporality?: SdkTemporality;
  /** Resource attributes; only these are sent (no host or process detectors), so tests can assert on them. */
  resource?: Attributes;
  /** The meter (instrumentation scope) the instruments are created on. */
  scope?: { name: string; version?: string; schemaUrl?: string };
  /** e.g. an exponential histogram: `{ instrumentName: 'x', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }` */
  views?: ViewOptions[];
  /** Create instruments and record; everything recorded is collected once, after this resolves. */
  record: (meter: Meter) => void | Promise<void>;
}

export const DEFAULT_SDK_RESOURCE: Attributes = {
  'service.name': 'checkout',
  'service.version': '1.4.2',
  'deployment.environment.name': 'production',
};

class CollectOnceReader extends MetricReader {
  constructor(temporality: SdkTemporality) {
    const selected = temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
    super({ aggregationTemporalitySelector: () => selected });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

/** The views recordEveryKind needs: rpc.server.duration becomes an exponential histogram. */
export const EVERY_KIND_VIEWS: ViewOptions[] = [
  { instrumentName: 'rpc.server.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } },
];

/** Attributes of every kind an SDK can record: string, int (also negative), double, bool, string array. */
export const EVERY_KIND_ATTRIBUTES: Attributes = {
  'http.request.method': 'GET',
  'http.response.status_code': 503,
  'retry.ratio': 0.25,
  'error.retryable': true,
  'feature.flags': ['blue', 'green'],
  'queue.offset': -42,
};

/**
 * One of each instrument kind (int and double counters, an explicit-bucket histogram, an exponential histogram,
 * an up-down counter, a gauge) with known values; use with `views: EVERY_KIND_VIEWS`.
 */
export function recordEveryKind(meter: Meter): void {
  const requests = meter.createCounter('http.server.requests', { valueType: ValueType.INT, unit: '{request}', description: 'Requests served' });
  requests.add(3, EVERY_KIND_ATTRIBUTES);
  requests.add(2, EVERY_KIND_ATTRIBUTES);
  requests.add(7, { 'http.request.method': 'GET', 'http.response.status_code': 200 });
  const bytes = meter.createCounter('payload.bytes', { unit: 'By' });
  bytes.add(1.5);
  bytes.add(0.25);
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
  for (const seconds of [0.05, 0.2, 0.7, 2.5]) duration.record(seconds, { 'http.route': '/cart' });
  const rpc = meter.createHistogram('rpc.server.duration', { unit: 'ms' });
  for (const ms of [0, 1, 2, 4]) rpc.record(ms, { 'rpc.method': 'Checkout' });
  const depth = meter.createUpDownCounter('queue.depth', { valueType: ValueType.INT });
  depth.add(5);
  depth.add(-8);
  meter.createGauge('cpu.temperature', { unit: 'Cel' }).record(71.5, { 'cpu.id': 0 });
}

/** Records with the SDK and collects once: the SDK's own view of the export, with its exact hrTimes. */
export async function collectSdkMetrics(options: SdkCollectOptions): Promise<ResourceMetrics> {
  const reader = new CollectOnceReader(options.temporality ?? 'cumulative');
  const provider = new MeterProvider({
    resource: resourceFromAttributes(options.resource ?? DEFAULT_SDK_RESOURCE),
    views: options.views ?? [],
    readers: [reader],
  });
  try {
    const scope = options.scope ?? { name: 'umpire.test', version: '0.1.0' };
    await options.record(provider.getMeter(scope.name, scope.version, { schemaUrl: scope.schemaUrl }));
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'the OpenTelemetry SDK failed to collect metrics');
    return resourceMetrics;
  } finally {
    await provider.shutdown();
  }
}

/** The body OTLPMetricExporter would POST to /v1/metrics for these metrics. */
export function serializeSdkMetrics(resourceMetrics: ResourceMetrics, format: SdkFormat): Uint8Array {
  const serializer = format === 'protobuf' ? ProtobufMetricsSerializer : JsonMetricsSerializer;
  const body = serializer.serializeRequest(resourceMetrics);
  if (!body) throw new Error(`the otlp-transformer ${format} serializer produced no body`);
  return body;
}

/** Record, collect once and serialize: `sdkPayload({ format: 'protobuf', record: (meter) => ... })`. */
export async function sdkPayload(options: SdkCollectOptions & { format: SdkFormat }): Promise<Uint8Array> {
  return serializeSdkMetrics(await collectSdkMetrics(options), options.format);
}

/** The SDK's [seconds, nanoseconds] as the nanoseconds since the epoch an OTLP body carries. */
export function hrTimeToUnixNano([seconds, nanos]: readonly [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/**
 * Hand-built protobuf fields, for what the SDK never sends: unknown fields, unpacked repeated fields, summaries,
 * extreme integers, malformed bodies. `wire.message(1, wire.string(1, 'x'))` is field 1 holding a message.
 */
export const wire = {
  concat(...parts: Uint8Array[]): Uint8Array {
    return Uint8Array.from(parts.flatMap((part) => [...part]));
  },
  rawVarint(value: number | bigint): Uint8Array {
    let n = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (n >= 0x80n) {
      out.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    out.push(Number(n));
    return Uint8Array.from(out);
  },
  tag(field: number, wireType: number): Uint8Array {
    return wire.rawVarint(field * 8 + wireType);
  },
  varint(field: number, value: number | bigint): Uint8Array {
    return wire.concat(wire.tag(field, 0), wire.rawVarint(value));
  },
  sint32(field: number, value: number): Uint8Array {
    return wire.varint(field, ((value << 1) ^ (value >> 31)) >>> 0);
  },
  fixed64(field: number, value: number | bigint): Uint8Array {
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
    return wire.concat(wire.tag(field, 1), payload);
  },
  double(field: number, value: number): Uint8Array {
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setFloat64(0, value, true);
    return wire.concat(wire.tag(field, 1), payload);
  },
  fixed32(field: number, value: number): Uint8Array {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, value >>> 0, true);
    return wire.concat(wire.tag(field, 5), payload);
  },
  bytes(field: number, value: Uint8Array): Uint8Array {
    return wire.concat(wire.tag(field, 2), wire.rawVarint(value.length), value);
  },
  string(field: number, value: string): Uint8Array {
    return wire.bytes(field, new TextEncoder().encode(value));
  },
  message(field: number, ...parts: Uint8Array[]): Uint8Array {
    return wire.bytes(field, wire.concat(...parts));
  },
  group(field: number, ...parts: Uint8Array[]): Uint8Array {
    return wire.concat(wire.tag(field, 3), ...parts, wire.tag(field, 4));
  },
  packedFixed64(field: number, values: (number | bigint)[]): Uint8Array {
    return wire.bytes(field, wire.concat(...values.map((value) => wire.fixed64(1, value).subarray(1))));
  },
  packedDouble(field: number, values: number[]): Uint8Array {
    return wire.bytes(field, wire.concat(...values.map((value) => wire.double(1, value).subarray(1))));
  },
  packedVarint(field: number, values: (number | bigint)[]): Uint8Array {
    return wire.bytes(field, wire.concat(...values.map((value) => wire.rawVarint(value))));
  },
};
