import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

/** A stand-in for Umpire's OTLP receiver: records each request's path and headers. */
async function captureServer(): Promise<{
  url: string;
  requests: Array<{ url: string; headers: http.IncomingHttpHeaders; bytes: number }>;
  close: () => Promise<void>;
}> {
  const requests: Array<{ url: string; headers: http.IncomingHttpHeaders; bytes: number }> = [];
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, bytes });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('startTelemetry', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('DATABASE_URL', 'postgresql://unused@127.0.0.1:1/unused');
    vi.stubEnv('UMPIRE_LOG_LEVEL', 'error');
  });
  afterEach(async () => {
    const { telemetryState, setTelemetryState } = await import('./state');
    await telemetryState()?.shutdown();
    setTelemetryState(undefined);
    for (const api of [metrics, trace, context, propagation]) api.disable();
    vi.unstubAllEnvs();
  });

  test('UMPIRE_TELEMETRY=off starts nothing', async () => {
    vi.stubEnv('UMPIRE_TELEMETRY', 'off');
    const { startTelemetry } = await import('./sdk');
    expect(await startTelemetry()).toBeUndefined();
  });

  test('starts once per process, and turns the server spans of any tracer into the HTTP metric', async () => {
    const { startTelemetry } = await import('./sdk');
    const { toPrometheusText } = await import('./prometheus');
    const state = await startTelemetry();
    expect(state).toBeDefined();
    expect(await startTelemetry()).toBe(state);

    const span = trace
      .getTracer('next.js')
      .startSpan('GET /', { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.status_code': 200, 'next.route': '/' } });
    span.end();
    const text = toPrometheusText((await state!.prometheus.collect()).resourceMetrics);
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/",http_response_status_code="200",otel_scope_name="umpire"\} 1$/m,
    );
    expect(text).toMatch(/^target_info\{.*service_name="umpire".*\} 1$/m);
    expect(text).toMatch(/service_instance_id="[0-9a-f-]{36}"/);
  });

  test('OTEL_SERVICE_NAME overrides the service name', async () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'umpire-staging');
    const { startTelemetry } = await import('./sdk');
    const { toPrometheusText } = await import('./prometheus');
    const state = await startTelemetry();
    expect(toPrometheusText((await state!.prometheus.collect()).resourceMetrics)).toMatch(/^target_info\{.*service_name="umpire-staging"/m);
  });

  test("self-observation pushes to Umpire's own receiver with the ingest token, never with the collector's headers", async () => {
    const receiver = await captureServer();
    try {
      vi.stubEnv('UMPIRE_SELF_OBSERVE', 'on');
      vi.stubEnv('UMPIRE_SELF_URL', `${receiver.url}/`);
      vi.stubEnv('UMPIRE_SELF_OBSERVE_INTERVAL_MS', '1000');
      vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-collector-key=collector-secret');
      const { startTelemetry } = await import('./sdk');
      const { recordIngest } = await import('./metrics');
      const token = vi.fn(async () => 'umpire_self_token');
      await startTelemetry({ selfIngestToken: token });
      recordIngest({ accepted: 1, rejected: 0, dropped: 0 });
      await vi.waitFor(() => expect(receiver.requests.length).toBeGreaterThan(0), { timeout: 5000, interval: 100 });
      const [first] = receiver.requests;
      expect(first?.url).toBe('/v1/metrics');
      expect(first?.headers.authorization).toBe('Bearer umpire_self_token');
      expect(first?.headers['content-type']).toBe('application/x-protobuf');
      expect(first?.headers['x-collector-key']).toBeUndefined();
      expect(first?.bytes).toBeGreaterThan(0);
      // The collector's settings are back for everyone else.
      expect(process.env.OTEL_EXPORTER_OTLP_HEADERS).toBe('x-collector-key=collector-secret');
      expect(token).toHaveBeenCalledTimes(1);
    } finally {
      await receiver.close();
    }
  });
});
