import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { GET } from '@/app/metrics/route';
import { reloadEnv } from '@/lib/env';
import { recordEvaluationLag, recordEvaluationPass, recordHttpServerRequest, recordIngest, registerInstruments } from './metrics';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText, unitSuffix } from './prometheus';
import { setTelemetryState } from './state';

describe('unitSuffix', () => {
  test.each([
    ['s', false, 'seconds'],
    ['ms', false, 'milliseconds'],
    ['By', false, 'bytes'],
    ['By/s', false, 'bytes_per_second'],
    ['{point}', false, ''],
    ['{request}/s', false, 'per_second'],
    ['1', true, 'ratio'],
    ['1', false, ''],
    ['', false, ''],
    ['%', true, 'percent'],
  ])('%s (gauge: %s) -> "%s"', (unit, isGauge, want) => expect(unitSuffix(unit, isGauge)).toBe(want));
});

describe('Prometheus exposition', () => {
  let exporter: PrometheusExporter;
  let provider: MeterProvider;
  beforeEach(() => {
    exporter = new PrometheusExporter({ preventServerStart: true });
    provider = new MeterProvider({ readers: [exporter] });
    metrics.setGlobalMeterProvider(provider);
    registerInstruments();
  });
  afterEach(async () => {
    setTelemetryState(undefined);
    metrics.disable();
    await provider.shutdown();
  });

  test('names carry their unit and counters _total; no OpenMetrics-only UNIT lines', async () => {
    recordHttpServerRequest({ seconds: 0.03, method: 'GET', route: '/services/[service]', status: 200 });
    recordEvaluationPass({ seconds: 1.5, slos: 4, failed: 0 });
    recordEvaluationLag(12);
    recordIngest({ accepted: 3, rejected: 1, dropped: 0 });
    const text = toPrometheusText((await exporter.collect()).resourceMetrics);

    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toMatch(
      /^http_server_request_duration_seconds_bucket\{http_request_method="GET",http_route="\/services\/\[service\]",http_response_status_code="200",otel_scope_name="umpire",le="0\.05"\} 1$/m,
    );
    expect(text).toMatch(/^http_server_request_duration_seconds_count\{.*http_route="\/services\/\[service\]".*\} 1$/m);
    expect(text).toContain('# TYPE umpire_evaluation_duration_seconds histogram');
    expect(text).toMatch(/^umpire_evaluation_duration_seconds_sum\{scope="all",outcome="ok",otel_scope_name="umpire"\} 1\.5$/m);
    expect(text).toContain('# TYPE umpire_evaluation_lag_seconds gauge');
    expect(text).toMatch(/^umpire_ingest_points_total\{outcome="accepted",otel_scope_name="umpire"\} 3$/m);
    expect(text).toMatch(/^umpire_evaluation_slos\{outcome="ok",otel_scope_name="umpire"\} 4$/m);
    expect(text).toMatch(/^target_info\{.*service_name=/m);
    expect(text).not.toContain('# UNIT');
  });

  // No database here: anonymous reading lets the scrape in without a token to look up.
  const saved = { ...process.env };
  const scrape = (headers: Record<string, string> = {}) => GET(new Request('http://umpire.test/metrics', { headers }));
  beforeEach(() => {
    process.env.DATABASE_URL = 'postgresql://nobody@127.0.0.1:1/none';
    process.env.UMPIRE_ANONYMOUS_READ = 'on';
    reloadEnv();
  });
  afterEach(() => {
    process.env = { ...saved };
    reloadEnv();
  });

  test('GET /metrics serves the text format from the running exporter', async () => {
    recordIngest({ accepted: 2, rejected: 0, dropped: 0 });
    setTelemetryState({ prometheus: exporter, shutdown: async () => {} });
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await response.text()).toMatch(/^umpire_ingest_points_total\{outcome="accepted",otel_scope_name="umpire"\} 2$/m);
  });

  test('GET /metrics is for readers: without anonymous reading, a scrape needs a token (401)', async () => {
    process.env.UMPIRE_ANONYMOUS_READ = 'off';
    reloadEnv();
    setTelemetryState({ prometheus: exporter, shutdown: async () => {} });
    const response = await scrape();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="umpire"');
    expect(await response.text()).not.toContain('umpire_');
    expect((await scrape({ authorization: 'Basic eDp5' })).status).toBe(401);
  });

  test('GET /metrics is 503 when telemetry is not running', async () => {
    const response = await scrape();
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/not running/);
  });
});
