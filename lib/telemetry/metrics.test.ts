import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  recordBackendError,
  recordBackendRequest,
  recordEvaluationLag,
  recordEvaluationPass,
  recordIngest,
  recordHttpServerRequest,
  SloStateSnapshots,
  sloStateMetrics,
} from './metrics';
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

describe('SloStateSnapshots: one query per scrape interval at most', () => {
  const snapshot = { samples: [], dropped: 0 };

  test('collections within 15 s share one read, in flight or done; later ones read again', async () => {
    let reads = 0;
    const snapshots = new SloStateSnapshots(async () => {
      reads++;
      return snapshot;
    });
    await Promise.all([snapshots.get(1_000), snapshots.get(1_001)]);
    await snapshots.get(15_999);
    expect(reads).toBe(1);
    await snapshots.get(16_000);
    expect(reads).toBe(2);
    snapshots.clear();
    await snapshots.get(16_001);
    expect(reads).toBe(3);
  });

  test('a failed read is not kept', async () => {
    let fail = true;
    const snapshots = new SloStateSnapshots(() => (fail ? Promise.reject(new Error('db down')) : Promise.resolve(snapshot)));
    await expect(snapshots.get(0)).rejects.toThrow('db down');
    fail = false;
    await expect(snapshots.get(1)).resolves.toBe(snapshot);
  });
});

test('sloStateMetrics: one series per tier, per data state and per window with events; none for a missing figure', () => {
  const asOf = new Date('2026-12-07T12:00:00Z');
  const metrics = sloStateMetrics(
    {
      samples: [
        {
          service: 'checkout',
          slo: 'availability',
          team: 'payments',
          asOf,
          dataState: 'partial',
          budgetRemaining: null,
          sli: null,
          burnRates: { '1h': 2, '5m': null },
          alerts: [{ severity: 'page', longWindow: '1h', shortWindow: '5m', firing: true }],
        },
      ],
      dropped: 4,
    },
    asOf.getTime() + 90_000,
  );
  const byName = new Map(metrics.map((m) => [m.descriptor.name, points<number>(m)]));
  const id = { service: 'checkout', slo: 'availability' };
  expect([...byName.keys()]).toEqual([
    'umpire.slo.burn_rate',
    'umpire.slo.alert_firing',
    'umpire.slo.data_state',
    'umpire.slo.state.age',
    'umpire.slo.series_dropped',
  ]);
  expect(byName.get('umpire.slo.burn_rate')).toEqual([[{ ...id, window: '1h' }, 2]]);
  expect(byName.get('umpire.slo.alert_firing')).toEqual([[{ ...id, severity: 'page', long_window: '1h', short_window: '5m' }, 1]]);
  expect(byName.get('umpire.slo.data_state')).toEqual([
    [{ ...id, state: 'ok' }, 0],
    [{ ...id, state: 'partial' }, 1],
    [{ ...id, state: 'no_data' }, 0],
  ]);
  expect(byName.get('umpire.slo.state.age')).toEqual([[id, 90]]);
  expect(byName.get('umpire.slo.series_dropped')).toEqual([[{}, 4]]);
});
