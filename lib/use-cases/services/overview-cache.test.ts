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
    expect(await cache.get('all', c.compute, 5000)).toBe(3);
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
