import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { recordBackendError, recordBackendRequest, recordEvaluationLag, recordEvaluationPass, recordIngest, recordHttpServerRequest } from './metrics';
import { points, startTestTelemetry, type Histogram, type TestTelemetry } from './testing';

describe('without an SDK', () => {
  test('every recording function is a harmless no-op', () => {
    expect(() => {
      recordEvaluationPass({ seconds: 1, slos: 3, failed: 1 });
      recordEvaluationLag(12);
      recordBackendError({ datasource: 'prom', kind: 'timeout' });
      recordBackendRequest({ datasource: 'prom', seconds: 0.2, outcome: 'ok' });
      recordIngest({ accepted: 1, rejected: 0, dropped: 0 });
      recordHttpServerRequest({ seconds: 0.1, method: 'GET', route: '/' });
    }).not.toThrow();
  });
});

describe('with an SDK', () => {
  let telemetry: TestTelemetry;
  beforeEach(() => {
    telemetry = startTestTelemetry();
  });
  afterEach(() => telemetry.stop());

  test('ingest points are counted by outcome, zero counts leave no series', async () => {
    recordIngest({ accepted: 5, rejected: 2, dropped: 0 });
    recordIngest({ accepted: 1, rejected: 0, dropped: 0 });
    const metric = await telemetry.metric('umpire.ingest.points');
    expect(metric?.descriptor.unit).toBe('{point}');
    expect(points<number>(metric)).toEqual([
      [{ outcome: 'accepted' }, 6],
      [{ outcome: 'rejected' }, 2],
    ]);
  });

  test('evaluation passes: duration by scope and outcome; the SLO gauge follows full passes only', async () => {
    recordEvaluationPass({ seconds: 2, slos: 10, failed: 3 });
    recordEvaluationPass({ seconds: 0.5, slos: 1, failed: 0, scope: 'requested' });
    recordEvaluationPass({ seconds: 0.1, slos: 0, failed: 0, error: true });
    const duration = points<Histogram>(await telemetry.metric('umpire.evaluation.duration'));
    expect(duration.map(([attributes, h]) => [attributes, h.count, h.sum])).toEqual([
      [{ scope: 'all', outcome: 'failures' }, 1, 2],
      [{ scope: 'requested', outcome: 'ok' }, 1, 0.5],
      [{ scope: 'all', outcome: 'error' }, 1, 0.1],
    ]);
    expect(points<number>(await telemetry.metric('umpire.evaluation.slos'))).toEqual([
      [{ outcome: 'ok' }, 7],
      [{ outcome: 'failed' }, 3],
    ]);
  });

  test('lag grows with the time since it was measured, and is 0 when no SLO is evaluated', async () => {
    const lag = async () => points<number>(await telemetry.metric('umpire.evaluation.lag')).map(([, value]) => value);
    recordEvaluationLag(30, Date.now() - 10_000);
    const [measured = 0] = await lag();
    expect(measured).toBeGreaterThanOrEqual(40);
    expect(measured).toBeLessThan(45);
    recordEvaluationLag(null);
    expect(await lag()).toEqual([0]);
  });

  test('backend errors and requests carry the data source', async () => {
    recordBackendError({ datasource: 'prom', kind: 'timeout' });
    recordBackendError({ datasource: 'prom', kind: 'timeout' });
    recordBackendRequest({ datasource: 'prom', seconds: 0.2, outcome: '5xx' });
    expect(points<number>(await telemetry.metric('umpire.backend.errors'))).toEqual([[{ datasource: 'prom', 'error.type': 'timeout' }, 2]]);
    const [[attributes, histogram] = [{}, undefined]] = points<Histogram>(await telemetry.metric('umpire.backend.request.duration'));
    expect(attributes).toEqual({ datasource: 'prom', outcome: '5xx' });
    expect(histogram?.count).toBe(1);
  });
});
