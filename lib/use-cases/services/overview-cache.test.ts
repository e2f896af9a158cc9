import { describe, expect, test } from 'vitest';
import { AnswerCache } from './overview-cache';

function counter() {
  let calls = 0;
  return { compute: async () => ++calls, calls: () => calls };
}

describe('AnswerCache: one computation shared by the requests of a few seconds', () => {
  test('within the TTL the same key shares one answer, in flight or done; another key or a later request computes', async () => {
    const cache = new AnswerCache<number>(() => 5000);
    const c = counter();
    expect(await Promise.all([cache.get('all', c.compute, 0), cache.get('all', c.compute, 10)])).toEqual([1, 1]);
    expect(await cache.get('all', c.compute, 4999)).toBe(1);
    expect(await cache.get('team=a', c.compute, 4999)).toBe(2);
    // Past the TTL: the last answer, while the next is computed.
    expect(await cache.get('all', c.compute, 5000)).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('all', c.compute, 5001)).toBe(3);
  });

  test('a change empties it: even an answer being computed is not served to later requests', async () => {
    const cache = new AnswerCache<number>(() => 5000);
    const c = counter();
    const before = cache.get('all', c.compute, 0);
    cache.invalidate();
    expect(await cache.get('all', c.compute, 1)).toBe(2);
    expect(await before).toBe(1);
  });

  test('TTL 0 computes every time; a failure is not kept', async () => {
    const off = new AnswerCache<number>(() => 0);
    const c = counter();
    await off.get('all', c.compute, 0);
    await off.get('all', c.compute, 0);
    expect(c.calls()).toBe(2);
    const cache = new AnswerCache<number>(() => 5000);
    await expect(cache.get('all', () => Promise.reject(new Error('db down')), 0)).rejects.toThrow('db down');
    expect(await cache.get('all', async () => 7, 1)).toBe(7);
  });
});

describe('past the TTL: the last answer while one refresh computes the next', () => {
  test('served stale with one refresh in the background; the refreshed answer then; too old is waited for', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const slow = () => new Promise<number>((resolve) => (release = () => resolve(++calls)));
    const cache = new AnswerCache<number>(() => 1000);
    const first = cache.get('all', slow, 0);
    release!();
    expect(await first).toBe(1);
    // 1.5 s later: stale, served at once; one refresh starts, not two.
    expect(await cache.get('all', slow, 1500)).toBe(1);
    expect(await cache.get('all', slow, 1600)).toBe(1);
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('all', slow, 1700)).toBe(2);
    expect(calls).toBe(2);
    // Twelve TTLs after the refreshed answer's start: waited for.
    const late = cache.get('all', slow, 1500 + 12_000);
    release!();
    expect(await late).toBe(3);
  });

  test('a change while a refresh runs: its answer is not kept', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const slow = () => new Promise<number>((resolve) => (release = () => resolve(++calls)));
    const cache = new AnswerCache<number>(() => 1000);
    const first = cache.get('all', slow, 0);
    release!();
    await first;
    await cache.get('all', slow, 1500); // starts a refresh
    cache.invalidate();
    release!(); // the refresh (2) ends after the change
    await new Promise((r) => setTimeout(r, 0));
    const fresh = cache.get('all', slow, 1600);
    release!();
    expect(await fresh).toBe(3);
  });
});
