import { describe, expect, test } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  test('allows the limit within a window, refuses the next with the seconds to wait, allows again after', () => {
    const limiter = new RateLimiter(() => 3, 60_000);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.hit('k', t0).allowed)).toEqual([true, true, true]);
    expect(limiter.hit('k', t0 + 15_000)).toEqual({ allowed: false, retryAfterSeconds: 45, remaining: 0 });
    expect(limiter.check('other', t0 + 15_000).allowed).toBe(true);
    expect(limiter.hit('k', t0 + 60_000).allowed).toBe(true);
  });

  test('refused attempts are not counted; reset forgets a key', () => {
    const limiter = new RateLimiter(() => 1, 60_000);
    expect(limiter.hit('k', 0).allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(limiter.hit('k', 10).allowed).toBe(false);
    limiter.reset('k');
    expect(limiter.hit('k', 20).allowed).toBe(true);
  });

  test('count says what a window holds; refund takes one back, never below zero and never into a new window', () => {
    const limiter = new RateLimiter(() => 2, 60_000);
    limiter.hit('k', 0);
    limiter.hit('k', 0);
    expect(limiter.count('k', 1)).toBe(2);
    expect(limiter.hit('k', 1).allowed).toBe(false);
    limiter.refund('k', 2);
    expect(limiter.count('k', 2)).toBe(1);
    expect(limiter.hit('k', 3).allowed).toBe(true);
    for (let i = 0; i < 5; i++) limiter.refund('k', 4);
    expect(limiter.count('k', 4)).toBe(0);
    limiter.refund('gone', 4);
    expect(limiter.count('gone', 4)).toBe(0);
    expect(limiter.count('k', 60_000)).toBe(0);
  });

  test('a flood of new keys cannot grow it past its bound', () => {
    const limiter = new RateLimiter(() => 1, 60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.hit(`ip-${i}`, 0);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});
