import type { APIRequestContext } from '@playwright/test';
import { expect } from './fixtures';

// Pushing an HTTP server's request histogram over OTLP/JSON, as an instrumented service would: the e2e incidents
// (alerts.spec, gates.spec) feed an OpenTelemetry SLO this way.

export const METRIC = 'http.server.request.duration';
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface Point {
  status: number;
  startMs: number;
  timeMs: number;
  /** Cumulative since startMs. */
  count: number;
}

const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** A cumulative histogram point with every request in one bucket: only the counts matter to availability. */
function dataPoint(p: Point) {
  const bucketCounts = BOUNDS.map(() => '0').concat('0');
  bucketCounts[3] = String(p.count);
  return {
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.route', value: { stringValue: '/checkout' } },
      { key: 'http.response.status_code', value: { intValue: String(p.status) } },
    ],
    startTimeUnixNano: nanos(p.startMs),
    timeUnixNano: nanos(p.timeMs),
    count: String(p.count),
    sum: p.count * 0.04,
    bucketCounts,
    explicitBounds: BOUNDS,
  };
}

/** Pushes the points as `serviceName`'s, with `token`; every point must be accepted. */
export async function push(request: APIRequestContext, token: string, serviceName: string, points: Point[], scope = 'e2e'): Promise<void> {
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeMetrics: [
          {
            scope: { name: scope },
            metrics: [{ name: METRIC, unit: 's', histogram: { aggregationTemporality: 2, dataPoints: points.map(dataPoint) } }],
          },
        ],
      },
    ],
  };
  const response = await request.post('/v1/metrics', { headers: { authorization: `Bearer ${token}` }, data: body });
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  expect(JSON.parse(text) as object, text).not.toHaveProperty('partialSuccess');
}
