// The demo shop's traffic: which routes are called how often, and what each request's status and latency are,
// given the faults injected at the moment. Pure (randomness comes in as a function), so it is unit-tested.

export type Random = () => number;

export interface Route {
  method: 'GET' | 'POST';
  /** The route template, as http.route carries it. */
  route: string;
  /** A concrete path the load loop calls. */
  path: (rand: Random) => string;
  /** Share of all requests. */
  weight: number;
  /** Median latency in milliseconds without faults. */
  medianMs: number;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', route: '/products', path: () => '/products', weight: 0.45, medianMs: 30 },
  { method: 'GET', route: '/products/:id', path: (rand) => `/products/${1 + Math.floor(rand() * 500)}`, weight: 0.25, medianMs: 20 },
  { method: 'GET', route: '/cart', path: () => '/cart', weight: 0.18, medianMs: 25 },
  { method: 'POST', route: '/checkout', path: () => '/checkout', weight: 0.12, medianMs: 140 },
];

/** What is injected; changed at run time by keys or set by flags. */
export interface Faults {
  /** Share of requests answered 5xx on the affected routes (0 to 1). */
  errorRatio: number;
  /** Routes the errors hit: 'all', or route templates such as '/checkout'. */
  errorRoutes: 'all' | readonly string[];
  /** Milliseconds added to every request. */
  addedLatencyMs: number;
}

export const NO_FAULTS: Faults = { errorRatio: 0, errorRoutes: 'all', addedLatencyMs: 0 };

/**
 * A healthy shop's background: a few errors and a slow tail, well inside 99% objectives (burn rates about 0.1
 * and 0.3), so the SLOs show a budget being spent slowly rather than "perfect".
 */
export interface Baseline {
  errorRatio: number;
  /** Share of requests hit by a slow dependency (400 to 1,000 ms extra). */
  slowRatio: number;
  /** Share of GET /products/:id answered 404 (a client error: good for availability). */
  notFoundRatio: number;
}

export const DEFAULT_BASELINE: Baseline = { errorRatio: 0.001, slowRatio: 0.003, notFoundRatio: 0.02 };

export interface Outcome {
  status: number;
  latencyMs: number;
}

export function pickRoute(rand: Random, routes: readonly Route[] = ROUTES): Route {
  let x = rand() * routes.reduce((sum, r) => sum + r.weight, 0);
  for (const route of routes) {
    x -= route.weight;
    if (x < 0) return route;
  }
  return routes[routes.length - 1]!;
}

export function hitsErrors(faults: Faults, route: string): boolean {
  return faults.errorRatio > 0 && (faults.errorRoutes === 'all' || faults.errorRoutes.includes(route));
}

/** A standard normal variate (Box-Muller). */
function normal(rand: Random): number {
  const u = 1 - rand(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Status and latency of one request to `route` under `faults`. */
export function outcome(route: Route, faults: Faults, rand: Random, baseline: Baseline = DEFAULT_BASELINE): Outcome {
  // Log-normal around the route's median (sigma 0.35: p99 about 2.3x the median), like real service latency.
  let latencyMs = route.medianMs * Math.exp(0.35 * normal(rand));
  if (rand() < baseline.slowRatio) latencyMs += 400 + rand() * 600;
  latencyMs += faults.addedLatencyMs;
  let status = route.method === 'POST' ? 201 : 200;
  if (hitsErrors(faults, route.route) && rand() < faults.errorRatio) status = rand() < 0.8 ? 500 : 503;
  else if (rand() < baseline.errorRatio) status = 500;
  else if (route.route === '/products/:id' && rand() < baseline.notFoundRatio) status = 404;
  // Failures are often fast (a dependency refuses at once); the injected latency still applies.
  if (status >= 500) latencyMs = Math.min(latencyMs, 5 + rand() * 20) + faults.addedLatencyMs;
  return { status, latencyMs };
}

/** Milliseconds until the next request of a Poisson arrival process at `perSecond`: realistic jitter. */
export function nextArrivalMs(perSecond: number, rand: Random): number {
  return (-Math.log(1 - rand()) * 1000) / perSecond;
}

/** The error ratio over all traffic that `faults` cause on top of the baseline (the SLI's bad share). */
export function expectedErrorRatio(faults: Faults, baseline: Baseline = DEFAULT_BASELINE, routes: readonly Route[] = ROUTES): number {
  const totalWeight = routes.reduce((sum, r) => sum + r.weight, 0);
  let bad = 0;
  for (const r of routes) {
    const injected = hitsErrors(faults, r.route) ? faults.errorRatio : 0;
    bad += (r.weight / totalWeight) * (injected + (1 - injected) * baseline.errorRatio);
  }
  return bad;
}

/**
 * Minutes from the start of a constant error ratio until a tier's long window passes its threshold, when that
 * window held clean traffic before (SRE Workbook ch. 5: window x burn rate x (1 - objective) / error ratio).
 * null when the ratio never gets there. A window holding less data than its length gets there sooner.
 */
export function minutesToFire(errorRatio: number, objective: number, burnRate: number, windowMinutes: number): number | null {
  const threshold = burnRate * (1 - objective);
  if (!(errorRatio > threshold)) return null;
  return (windowMinutes * threshold) / errorRatio;
}

/** Deterministic PRNG (mulberry32), for tests and `--seed`. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type KeyAction = { kind: 'faults'; faults: Faults; message: string } | { kind: 'quit' } | { kind: 'help' } | { kind: 'none' };

export const KEY_HELP = [
  'e  incident: 30% of requests on every route fail (5xx); burns about 30x, so the 1h/5m page alert fires',
  'x  30% of POST /checkout fails; about 3.7x overall: a slow burn that tickets, not pages',
  'l  slow: 800 ms added to every request; the latency SLO (500 ms) burns',
  'c  clear every fault',
  'q  quit (Ctrl-C too)',
].join('\n');

/** What a key does to the faults. Incidents combine: `e` then `l` is failing and slow. */
export function applyKey(key: string, faults: Faults): KeyAction {
  switch (key) {
    case 'e':
      return { kind: 'faults', faults: { ...faults, errorRatio: 0.3, errorRoutes: 'all' }, message: 'incident: 30% of requests on every route answer 5xx' };
    case 'x':
      return { kind: 'faults', faults: { ...faults, errorRatio: 0.3, errorRoutes: ['/checkout'] }, message: 'incident: 30% of POST /checkout answer 5xx' };
    case 'l':
      return { kind: 'faults', faults: { ...faults, addedLatencyMs: 800 }, message: 'slow: 800 ms added to every request' };
    case 'c':
      return { kind: 'faults', faults: NO_FAULTS, message: 'cleared: no faults' };
    case 'q':
    case '\u0003': // Ctrl-C in raw mode
    case '\u0004': // Ctrl-D
      return { kind: 'quit' };
    case '?':
    case 'h':
      return { kind: 'help' };
    default:
      return { kind: 'none' };
  }
}

export function describeFaults(faults: Faults): string {
  const parts: string[] = [];
  if (faults.errorRatio > 0) {
    const where = faults.errorRoutes === 'all' ? 'every route' : faults.errorRoutes.join(', ');
    parts.push(`${formatPercent(faults.errorRatio)} errors on ${where}`);
  }
  if (faults.addedLatencyMs > 0) parts.push(`+${faults.addedLatencyMs} ms`);
  return parts.length > 0 ? parts.join(', ') : 'no faults';
}

export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
