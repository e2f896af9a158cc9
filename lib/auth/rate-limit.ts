/**
 * Fixed-window counters in memory, per process: enough to slow password guessing and runaway scripts on one
 * Umpire; several instances each count on their own (the limit per instance is what is configured).
 */
export interface LimitResult {
  allowed: boolean;
  /** Seconds until the window resets, when refused. */
  retryAfterSeconds: number;
  remaining: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: () => number,
    private readonly windowMs: number,
    /** Keys kept at most; the oldest windows are dropped first (a flood of new keys cannot grow memory). */
    private readonly maxKeys = 50_000,
  ) {}

  private current(key: string, now: number): { start: number; count: number } | undefined {
    const entry = this.windows.get(key);
    if (entry && now - entry.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Whether one more attempt is allowed now, without counting it. */
  check(key: string, now = Date.now()): LimitResult {
    const entry = this.current(key, now);
    const count = entry?.count ?? 0;
    const limit = this.limit();
    if (count < limit) return { allowed: true, retryAfterSeconds: 0, remaining: limit - count };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((entry!.start + this.windowMs - now) / 1000)), remaining: 0 };
  }

  /** Counts an attempt and says whether it was within the limit. */
  hit(key: string, now = Date.now()): LimitResult {
    const result = this.check(key, now);
    if (!result.allowed) return result;
    const entry = this.current(key, now);
    if (entry) entry.count += 1;
    else {
      if (this.windows.size >= this.maxKeys) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
    }
    return { ...result, remaining: result.remaining - 1 };
  }

  /** Attempts counted for a key in its current window. */
  count(key: string, now = Date.now()): number {
    return this.current(key, now)?.count ?? 0;
  }

  /** Takes back one counted attempt (one counted before it was known to succeed). */
  refund(key: string, now = Date.now()): void {
    const entry = this.current(key, now);
    if (entry && entry.count > 0) entry.count -= 1;
  }

  /** Forgets a key (a successful sign-in clears its failures). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  clear(): void {
    this.windows.clear();
  }

  private prune(now: number): void {
    for (const [key, entry] of this.windows) if (now - entry.start >= this.windowMs) this.windows.delete(key);
    // Still full: drop the oldest (Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
