import { env } from '../../env';
import type { ServiceSummary } from '../../schemas/index';

// The overview's answers, shared for a few seconds: 50 people (or a wall screen and the API's pollers) asking for
// the same list within seconds get one computation over every SLO, not 50. Any audited change in this process
// (a service, SLO or policy written) empties it at once; the evaluator's states, written each minute, and changes
// made by another process show within the TTL (UMPIRE_OVERVIEW_CACHE_SECONDS; 0 turns it off).

/** Entries beyond this (distinct filters) push out the oldest. */
const MAX_ENTRIES = 50;
/** An answer older than its TTL is still served, while one refresh computes the next, up to this many TTLs old. */
const STALE_TTLS = 12;

interface Entry<T> {
  /** When the computation of `value` started: what it is as of. */
  at: number;
  value: Promise<T>;
  /** The next answer being computed while this one is served past its TTL. */
  refreshing: boolean;
}

export class AnswerCache<T> {
  private entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs: () => number) {}

  /**
   * The answer for `key`: the one computed within the TTL, or being computed since the last change; past the TTL
   * (up to STALE_TTLS of them) the last answer still, while one refresh runs in the background (computing 10,000
   * SLOs can take longer than the TTL itself); else a new one, waited for.
   */
  get(key: string, compute: () => Promise<T>, now: number = Date.now()): Promise<T> {
    const ttl = this.ttlMs();
    if (ttl <= 0) return compute();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < ttl) return hit.value;
    if (hit && now - hit.at < ttl * STALE_TTLS) {
      if (!hit.refreshing) this.refresh(key, hit, compute, now);
      return hit.value;
    }
    return this.store(key, { at: now, value: compute(), refreshing: false });
  }

  /** Something the answers show has changed: nothing computed (or being computed) before now is served again. */
  invalidate(): void {
    this.entries.clear();
  }

  private store(key: string, entry: Entry<T>): Promise<T> {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // A failed computation is not kept.
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  private refresh(key: string, hit: Entry<T>, compute: () => Promise<T>, now: number): void {
    hit.refreshing = true;
    compute().then(
      (value) => {
        // Not after a change emptied the cache meanwhile: the answer may predate it.
        if (this.entries.get(key) === hit) this.store(key, { at: now, value: Promise.resolve(value), refreshing: false });
      },
      () => {
        hit.refreshing = false;
      },
    );
  }
}

// On globalThis: Next bundles the API's routes and the pages apart, and a change made through one must empty both.
const holder = globalThis as typeof globalThis & { umpireOverviewCache?: AnswerCache<ServiceSummary[]> };

/** The services overview's answers by filter (lib/use-cases/services/list-services.ts). */
export function overviewAnswers(): AnswerCache<ServiceSummary[]> {
  return (holder.umpireOverviewCache ??= new AnswerCache(() => env().UMPIRE_OVERVIEW_CACHE_SECONDS * 1000));
}
