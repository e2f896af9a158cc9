import { describe, expect, test } from 'vitest';
import { formatBudget, formatBurnRate, formatDateTime, formatMinutes, formatObjective, formatSli, formatSpan, formatThreshold } from './format';

const MINUS = '\u2212';

describe('formatSli', () => {
  test.each([
    [0.99973108, '99.9731%'],
    // Truncated, never rounded up: a miss must not read as a hit, nor 99.99999% as 100%.
    [0.99999999, '99.9999%'],
    [0.998759, '99.8759%'],
    [1, '100.0000%'],
    [0.5, '50.0000%'],
    // Summation noise in the last bits of a double does not cost a digit; a real shortfall still does.
    [0.9994999999999997, '99.9500%'],
    [0.99994999, '99.9949%'],
    [0.999999999, '99.9999%'],
  ])('%d -> %s', (sli, want) => expect(formatSli(sli)).toBe(want));

  test('the same SLI summed minute by minute or hour by hour reads the same', () => {
    let byMinute = 0;
    for (let i = 0; i < 4320; i++) byMinute += 99.95;
    let byHour = 0;
    for (let h = 0; h < 72; h++) {
      let hour = 0;
      for (let i = 0; i < 60; i++) hour += 99.95;
      byHour += hour;
    }
    expect(byMinute).not.toBe(byHour);
    expect(formatSli(byMinute / 432_000)).toBe('99.9500%');
    expect(formatSli(byHour / 432_000)).toBe('99.9500%');
  });

  test('null is No data, never 0% or 100%', () => expect(formatSli(null)).toBe('No data'));
});

describe('formatObjective', () => {
  test.each([
    [0.999, '99.9%'],
    [0.9995, '99.95%'],
    [0.99, '99%'],
    [0.99999, '99.999%'],
  ])('%d -> %s', (objective, want) => expect(formatObjective(objective)).toBe(want));
});

describe('formatBudget', () => {
  test.each([
    [0.61, '61%'],
    [-0.35, `${MINUS}35%`],
    [-1.086, `${MINUS}108%`],
    [0.0416, '4.1%'],
    [-0.041, `${MINUS}4.1%`],
    // An almost untouched budget is not shown as untouched.
    [0.9996, '99.9%'],
    [1, '100%'],
    [0, '0.0%'],
  ])('%d -> %s', (remaining, want) => expect(formatBudget(remaining)).toBe(want));

  test('null is No data', () => expect(formatBudget(null)).toBe('No data'));
});

describe('burn rates', () => {
  test.each([
    [14.4, '14.40×'],
    [0.2853, '0.29×'],
    [0, '0.00×'],
  ])('formatBurnRate(%d) = %s', (rate, want) => expect(formatBurnRate(rate)).toBe(want));
  test('null is No data', () => expect(formatBurnRate(null)).toBe('No data'));
  test.each([
    [14.4, '14.4×'],
    [6, '6×'],
    [13.44, '13.44×'],
  ])('formatThreshold(%d) = %s', (rate, want) => expect(formatThreshold(rate)).toBe(want));
});

describe('durations', () => {
  test.each([
    [43.2, '43.2 min'],
    [216, '3.6 h'],
    [4320, '3 days'],
  ])('formatMinutes(%d) = %s', (minutes, want) => expect(formatMinutes(minutes)).toBe(want));

  // SLO-MATH.md: 14.4x empties a full 30-day budget in about 2.1 days.
  test('formatSpan of 30 days / 14.4', () => expect(formatSpan((30 * 86_400) / 14.4)).toBe('2.1 days'));
  test.each([
    [30, 'less than a minute'],
    [45 * 60, '45 minutes'],
    [5 * 3600, '5 hours'],
  ])('formatSpan(%d) = %s', (seconds, want) => expect(formatSpan(seconds)).toBe(want));
});

describe('formatDateTime', () => {
  test('explicit date and 24-hour time in the given zone', () => {
    expect(formatDateTime('2026-10-27T13:00:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('27 Oct 14:00');
    expect(formatDateTime('2026-10-31T23:00:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('1 Nov 00:00');
    expect(formatDateTime('2026-10-31T23:00:00Z', { locale: 'en-GB', timeZone: 'UTC' }, { year: true })).toBe('31 Oct 2026 23:00');
  });
});
