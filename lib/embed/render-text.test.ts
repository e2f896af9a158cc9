import { describe, expect, test } from 'vitest';
import { fitText, textWidth } from './render-text';

describe('textWidth', () => {
  test.each([
    // DejaVu Sans advance widths: "0" is 0.636 em, "i" 0.278 em, "W" 0.989 em, "%" 0.950 em.
    ['0', 11, false, 7.0],
    ['i', 11, false, 3.06],
    ['W', 11, false, 10.88],
    ['99.93%', 11, false, 41.93],
  ])('textWidth(%j, %s px, bold %s) ≈ %s px', (text, size, bold, want) => expect(textWidth(text, size, bold)).toBeCloseTo(want, 1));

  test('bold is wider, and wide scripts and emoji count as one em', () => {
    expect(textWidth('availability', 12, true)).toBeGreaterThan(textWidth('availability', 12));
    expect(textWidth('決済', 10)).toBe(20);
    expect(textWidth('🚀', 10)).toBe(10);
  });

  test('combining marks and joiners add no width', () => {
    expect(textWidth('e\u0301', 10)).toBe(textWidth('e', 10));
    expect(textWidth('a\u200db', 10)).toBe(textWidth('ab', 10));
  });
});

describe('fitText', () => {
  test('returns text that fits unchanged', () => {
    expect(fitText('checkout', 200, 12)).toBe('checkout');
  });

  test('shortens with an ellipsis to within the width', () => {
    const long = 'a very long service level objective name that cannot fit';
    const fitted = fitText(long, 120, 12);
    expect(fitted.endsWith('\u2026')).toBe(true);
    expect(long.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(textWidth(fitted, 12)).toBeLessThanOrEqual(120);
  });

  test('never splits a surrogate pair', () => {
    const fitted = fitText('🚀🚀🚀🚀🚀🚀🚀🚀', 35, 10);
    expect(fitted).toBe('🚀🚀\u2026');
  });

  test('gives nothing when not even one character and the ellipsis fit', () => {
    expect(fitText('checkout', 5, 12)).toBe('');
  });
});
