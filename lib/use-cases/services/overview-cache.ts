import { env } from '../../env';
import type { ServiceSummary } from '../../schemas/index';

// The overview's answers, shared for a few seconds: 50 people (or a wall screen and the API's pollers) asking for
// the same list within seconds get one computation over every SLO, not 50. Any audited change in this process
// (a service, SLO or policy written) empties it at once; the evaluator's states, written each minute, and changes
// made by another process show within the TTL (UMPIRE_OVERVIEW_CACHE_SECONDS; 0 turns it off).

/** Entries beyond this (distinct filters) push out the oldest. */
const MAX_ENTRIES = 50;

export class AnswerCache<T> {
  private entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly ttlMs: () => number) {}

  /** The answer for `key` computed within the TTL (or being computed now, since the last change), else a new one. */
  get(key: string, compute: () => Promise<T>, now: number = Date.now()): Promise<T> {
    const ttl = this.ttlMs();
    if (ttl <= 0) return compute();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < ttl) return hit.value;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // A failed computation is not kept.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Something the answers show has changed: nothing computed (or being computed) before now is served again. */
  invalidate(): void {
    this.entries.clear();
  }
}

// On globalThis: Next bundles the API's routes and the pages apart, and a change made through one must empty both.
const holder = globalThis as typeof globalThis & { umpireOverviewCache?: AnswerCache<ServiceSummary[]> };

/** The services overview's answers by filter (lib/use-cases/services/list-services.ts). */
export function overviewAnswers(): AnswerCache<ServiceSummary[]> {
  return (holder.umpireOverviewCache ??= new AnswerCache(() => env().UMPIRE_OVERVIEW_CACHE_SECONDS * 1000));
}
