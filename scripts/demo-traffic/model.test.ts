import { describe, expect, test } from 'vitest';
import { defaultAlertTiers, detectionTimeSeconds } from '../../lib/slo/alerts';
import { applyKey, expectedErrorRatio, minutesToFire, NO_FAULTS, nextArrivalMs, outcome, pickRoute, ROUTES, seededRandom, type Faults } from './model';

const THIRTY_DAYS = 30 * 1440;
const [page, , ticket] = defaultAlertTiers(THIRTY_DAYS);
const OBJECTIVE = 0.99;
const THRESHOLD_S = 0.5;

/** n requests through the model: overall and per-route bad shares (5xx; over 0.5 s). */
function simulate(faults: Faults, n = 40_000, seed = 1) {
  const rand = seededRandom(seed);
  const byRoute = new Map<string, { n: number; errors: number; slow: number }>();
  let errors = 0;
  let slow = 0;
  let minLatency = Infinity;
  for (let i = 0; i < n; i++) {
    const route = pickRoute(rand);
    const result = outcome(route, faults, rand);
    const r = byRoute.get(route.route) ?? { n: 0, errors: 0, slow: 0 };
    r.n++;
    if (result.status >= 500) {
      errors++;
      r.errors++;
    }
    if (result.latencyMs > THRESHOLD_S * 1000) {
      slow++;
      r.slow++;
    }
    minLatency = Math.min(minLatency, result.latencyMs);
    byRoute.set(route.route, r);
  }
  return { errorRatio: errors / n, slowRatio: slow / n, byRoute, minLatency };
}

describe('the traffic model', () => {
  test('routes are called in proportion to their weights', () => {
    const { byRoute } = simulate(NO_FAULTS);
    for (const route of ROUTES) expect(byRoute.get(route.route)!.n / 40_000).toBeCloseTo(route.weight, 1);
  });

  test('without faults both SLOs (99%) hold: the burn rates stay well under 1', () => {
    const { errorRatio, slowRatio } = simulate(NO_FAULTS);
    expect(errorRatio / (1 - OBJECTIVE)).toBeLessThan(0.3);
    expect(slowRatio / (1 - OBJECTIVE)).toBeLessThan(0.6);
    // ... but not perfect: a budget being spent slowly is what a real service shows.
    expect(errorRatio).toBeGreaterThan(0);
    expect(slowRatio).toBeGreaterThan(0);
  });

  test('--errors 0.3 fails 30% of the requests on every route', () => {
    const { errorRatio, byRoute } = simulate({ ...NO_FAULTS, errorRatio: 0.3 });
    expect(errorRatio).toBeCloseTo(expectedErrorRatio({ ...NO_FAULTS, errorRatio: 0.3 }), 2);
    for (const r of byRoute.values()) expect(r.errors / r.n).toBeCloseTo(0.3, 1);
  });

  test('--errors 1 fails every request', () => {
    expect(simulate({ ...NO_FAULTS, errorRatio: 1 }, 5000).errorRatio).toBe(1);
  });

  test('--error-route /checkout fails only checkouts', () => {
    const { byRoute } = simulate({ ...NO_FAULTS, errorRatio: 0.3, errorRoutes: ['/checkout'] });
    expect(byRoute.get('/checkout')!.errors / byRoute.get('/checkout')!.n).toBeCloseTo(0.3, 1);
    for (const [route, r] of byRoute) if (route !== '/checkout') expect(r.errors / r.n).toBeLessThan(0.005);
  });

  test('--latency 800 makes every request slower than the 500 ms threshold, failures too', () => {
    const { slowRatio, minLatency } = simulate({ ...NO_FAULTS, addedLatencyMs: 800, errorRatio: 0.3 }, 5000);
    expect(slowRatio).toBe(1);
    expect(minLatency).toBeGreaterThanOrEqual(800);
  });

  test('arrivals average the requested rate', () => {
    const rand = seededRandom(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += nextArrivalMs(20, rand);
    expect(sum / 20_000).toBeCloseTo(50, -1);
  });
});

describe('incidents against the default alert tiers of a 30-day, 99% SLO', () => {
  test('the e incident burns past the 1h/5m page tier; x (checkout only) only past the ticket tier', () => {
    expect(page).toMatchObject({ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 });
    const incident = applyKey('e', NO_FAULTS);
    const checkout = applyKey('x', NO_FAULTS);
    if (incident.kind !== 'faults' || checkout.kind !== 'faults') throw new Error('e and x change the faults');
    expect(simulate(incident.faults).errorRatio / (1 - OBJECTIVE)).toBeGreaterThan(page!.burnRate * 1.5);
    const slowBurn = simulate(checkout.faults).errorRatio / (1 - OBJECTIVE);
    expect(slowBurn).toBeLessThan(page!.burnRate);
    expect(slowBurn).toBeGreaterThan(ticket!.burnRate);
  });

  test.each([0.3, 0.5, 1])('minutesToFire(%d) is the Workbook detection time lib/slo computes', (errorRatio) => {
    expect(minutesToFire(errorRatio, OBJECTIVE, page!.burnRate, 60)! * 60).toBeCloseTo(detectionTimeSeconds(page!, errorRatio, OBJECTIVE)!, 6);
  });

  test('a ratio under the threshold never fires', () => {
    expect(minutesToFire(0.1, OBJECTIVE, 14.4, 60)).toBeNull();
  });
});

describe('keys', () => {
  test.each([
    ['e', { errorRatio: 0.3, errorRoutes: 'all', addedLatencyMs: 0 }],
    ['x', { errorRatio: 0.3, errorRoutes: ['/checkout'], addedLatencyMs: 0 }],
    ['l', { errorRatio: 0, errorRoutes: 'all', addedLatencyMs: 800 }],
  ])('%s sets the faults', (key, faults) => {
    expect(applyKey(key, NO_FAULTS)).toMatchObject({ kind: 'faults', faults });
  });

  test('incidents combine, and c clears them all', () => {
    const slow = applyKey('l', NO_FAULTS);
    if (slow.kind !== 'faults') throw new Error('l changes the faults');
    expect(applyKey('e', slow.faults)).toMatchObject({ faults: { errorRatio: 0.3, addedLatencyMs: 800 } });
    expect(applyKey('c', { errorRatio: 0.3, errorRoutes: ['/checkout'], addedLatencyMs: 800 })).toMatchObject({ kind: 'faults', faults: NO_FAULTS });
  });

  test.each(['q', '\u0003', '\u0004'])('%j quits', (key) => expect(applyKey(key, NO_FAULTS)).toEqual({ kind: 'quit' }));
  test('other keys do nothing', () => expect(applyKey('z', NO_FAULTS)).toEqual({ kind: 'none' }));
});
