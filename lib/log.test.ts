import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from './telemetry/testing';
import { log } from './log';

describe('log lines carry the trace they were written in', () => {
  let telemetry: TestTelemetry;
  let manager: AsyncLocalStorageContextManager;
  let lines: string[];
  beforeEach(() => {
    manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    telemetry = startTestTelemetry();
    lines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await telemetry.stop();
    context.disable();
  });

  test('inside a span: its trace and span ids, the ones its exporter sends', () => {
    const tracer = trace.getTracer('test');
    let ids = { traceId: '', spanId: '' };
    tracer.startActiveSpan('request', (span) => {
      ids = span.spanContext();
      log.info('slo.created', { service: 'checkout', slo: 'availability' });
      span.end();
    });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', event: 'slo.created', traceId: ids.traceId, spanId: ids.spanId, service: 'checkout' });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  test('outside any span: no ids, never an all-zero one', () => {
    log.info('evaluator.started');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).not.toHaveProperty('traceId');
    expect(line.event).toBe('evaluator.started');
  });
});
