import { describe, expect, test } from 'vitest';
import { msUntilNextPass, PASS_PHASE_MS } from './loop';

describe('msUntilNextPass: passes run just after each minute turns, whenever the process started', () => {
  const minute = Date.parse('2026-12-07T10:00:00Z');
  test.each([
    ['right at the minute', 0, PASS_PHASE_MS],
    ['a second in', 1_000, PASS_PHASE_MS - 1_000],
    ['exactly at the phase: the next minute', PASS_PHASE_MS, 60_000],
    ['half a minute in', 30_000, 30_000 + PASS_PHASE_MS],
    ['the last millisecond', 59_999, 1 + PASS_PHASE_MS],
  ])('%s', (_name, offset, want) => expect(msUntilNextPass(minute + offset)).toBe(want));

  test('always lands on the phase after a minute boundary, never more than a minute ahead', () => {
    for (let offset = 0; offset < 60_000; offset += 137) {
      const wait = msUntilNextPass(minute + offset);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60_000);
      expect((minute + offset + wait) % 60_000).toBe(PASS_PHASE_MS);
    }
  });
});
