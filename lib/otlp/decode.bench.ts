// Decode throughput on SDK-produced exports: `npx tsx lib/otlp/decode.bench.ts`.
// Ingest must take 50,000+ points/s; decoding should be a small part of that budget on one core.
// Most of the cost with V8's default young generation is collecting the decoded objects, not parsing; compare
// with NODE_OPTIONS=--max-semi-space-size=32 (a setting for the ingest server, not for this code).
import { gzipSync } from 'node:zlib';
import type { Attributes } from '@opentelemetry/api';
import { collectSdkMetrics, serializeSdkMetrics } from '../../test/otel/sdk-payloads';
import { decodeMetricsBody } from './decode';
import { decodeJsonMetricsRequest } from './json';
import type { MetricsRequest } from './model';
import { decodeProtobufMetricsRequest } from './protobuf';

const SERIES = 2_000;
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const ROUTES = ['/api/cart', '/api/cart/items/{id}', '/api/checkout', '/api/orders/{id}', '/health'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 201, 204, 400, 404, 409, 500, 503];

/** Ten attributes of the kinds http.server.request.duration carries; shard.id is unique to each series. */
function typicalAttributes(i: number): Attributes {
  return {
    'http.request.method': METHODS[i % METHODS.length]!,
    'http.route': ROUTES[i % ROUTES.length]!,
    'http.response.status_code': STATUSES[i % STATUSES.length]!,
    'url.scheme': 'https',
    'server.address': `checkout-${i % 7}.internal`,
    'server.port': 8443,
    'network.protocol.version': '1.1',
    'client.region': `region-${i % 13}`,
    'shard.id': i,
    'cache.hit': i % 2 === 0,
  };
}

/** The worst case for the decoder's caches: every attribute value differs from series to series. */
function uniqueAttributes(i: number): Attributes {
  return Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`attribute.${k}`, k % 2 === 0 ? `value-${i}-${k}` : i * 10 + k]));
}

async function histogramExport(attributes: (i: number) => Attributes) {
  const resourceMetrics = await collectSdkMetrics({
    record: (meter) => {
      const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDARIES } });
      for (let i = 0; i < SERIES; i++) {
        for (let j = 0; j < 5; j++) duration.record(((i * 7 + j * 13) % 1000) / 250, attributes(i));
      }
    },
  });
  return { protobuf: serializeSdkMetrics(resourceMetrics, 'protobuf'), json: serializeSdkMetrics(resourceMetrics, 'json') };
}

function pointCount(request: MetricsRequest): number {
  let points = 0;
  for (const resource of request.resourceMetrics)
    for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) points += metric.data.points.length;
  return points;
}

/**
 * Points per second of CPU time (this process's, GC threads included), best and median of short windows: the
 * machine may be busy with other work, which stretches wall time but not the CPU time decoding takes.
 */
function bench(label: string, decode: () => MetricsRequest): void {
  const points = pointCount(decode());
  for (let i = 0; i < 30; i++) decode(); // let the JIT settle before measuring
  const rates: number[] = [];
  for (let window = 0; window < 12; window++) {
    let runs = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - started < 150) {
      decode();
      runs++;
    }
    const used = process.cpuUsage(cpu);
    rates.push((runs * points) / ((used.user + used.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  const format = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(11);
  console.log(`${label.padEnd(40)} best ${format(rates.at(-1)!)} points/s   median ${format(rates[rates.length >> 1]!)} points/s`);
}

const typical = await histogramExport(typicalAttributes);
const unique = await histogramExport(uniqueAttributes);
const gzipped = gzipSync(typical.protobuf);
console.log(`${SERIES} histogram points, ${BOUNDARIES.length} bounds, 10 attributes each; one core`);
console.log(`NODE_OPTIONS=${process.env.NODE_OPTIONS ?? ''}`);
console.log(`typical: protobuf ${typical.protobuf.length} bytes (gzip ${gzipped.length}), JSON ${typical.json.length} bytes\n`);
bench('protobuf, typical attributes', () => decodeProtobufMetricsRequest(typical.protobuf));
bench('protobuf, every attribute value unique', () => decodeProtobufMetricsRequest(unique.protobuf));
bench('protobuf + gunzip, typical attributes', () =>
  decodeMetricsBody(gzipped, { contentType: 'application/x-protobuf', contentEncoding: 'gzip', maxDecodedBytes: 64 << 20 }),
);
bench('JSON, typical attributes', () => decodeJsonMetricsRequest(typical.json));
bench('JSON, every attribute value unique', () => decodeJsonMetricsRequest(unique.json));
