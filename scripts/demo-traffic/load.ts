// The load loop: calls the shop over HTTP like its users would, with Poisson arrivals (random gaps around the
// mean rate) and an open loop (a slow shop does not slow the callers down, as in real traffic).
import { nextArrivalMs, pickRoute, type Random, type Route } from './model';

export interface Served {
  route: string;
  status: number;
  ms: number;
  at: number;
}

/** One request to the shop as its users make it; status 0 when the shop could not be reached. */
export async function callShop(shopUrl: string, route: Route, rand: Random): Promise<Served> {
  const started = performance.now();
  let status = 0;
  try {
    const response = await fetch(`${shopUrl}${route.path(rand)}`, {
      method: route.method,
      ...(route.method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cart: 'demo' }) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    status = response.status;
    await response.arrayBuffer();
  } catch {
    status = 0;
  }
  return { route: route.route, status, ms: performance.now() - started, at: Date.now() };
}

export interface LoadOptions {
  shopUrl: string;
  /** Requests per second, on average. */
  rate: number;
  rand: Random;
  onServed: (served: Served) => void;
  /** Requests in flight at most; beyond it arrivals are skipped (the shop is hopelessly slow). */
  maxInFlight?: number;
}

export interface RunningLoad {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export function startLoad(options: LoadOptions): RunningLoad {
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (inFlight.size < (options.maxInFlight ?? 500)) {
      const request = callShop(options.shopUrl, pickRoute(options.rand), options.rand).then(options.onServed);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    timer = setTimeout(tick, nextArrivalMs(options.rate, options.rand));
  };
  timer = setTimeout(tick, nextArrivalMs(options.rate, options.rand));
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** What the callers saw over the last `windowMs`, for the status line. */
export class RecentTraffic {
  private served: Served[] = [];
  private readonly since: number;

  constructor(
    private readonly windowMs = 10_000,
    now = Date.now(),
  ) {
    this.since = now;
  }

  add(served: Served): void {
    this.served.push(served);
  }

  summary(now = Date.now()): { perSecond: number; errorRatio: number | null; slowRatio: number | null; p99Ms: number | null } {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.served.length && this.served[drop]!.at < from) drop++;
    if (drop > 0) this.served = this.served.slice(drop);
    const n = this.served.length;
    if (n === 0) return { perSecond: 0, errorRatio: null, slowRatio: null, p99Ms: null };
    const errors = this.served.filter((s) => s.status >= 500 || s.status === 0).length;
    const slow = this.served.filter((s) => s.ms > 500).length;
    const sorted = this.served.map((s) => s.ms).sort((a, b) => a - b);
    // Over the window, or the time since the start when that is shorter.
    const seconds = Math.max(1, Math.min(this.windowMs, now - this.since)) / 1000;
    return { perSecond: n / seconds, errorRatio: errors / n, slowRatio: slow / n, p99Ms: sorted[Math.min(n - 1, Math.floor(n * 0.99))]! };
  }
}
