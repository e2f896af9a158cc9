import { describe, expect, test } from 'vitest';
import {
  formatBudget,
  formatBudgetSpent,
  formatBurnRate,
  formatExactPercent,
  formatMinutes,
  formatObjective,
  formatPercent,
  formatSeconds,
  formatSli,
  formatSpan,
  formatThreshold,
  MINUS,
} from './format';

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
    // Rounded toward the worse side: an overspent budget is never shown less overspent than it is.
    [-1.086, `${MINUS}109%`],
    [-0.185, `${MINUS}19%`],
    [0.0416, '4.1%'],
    [-0.041, `${MINUS}4.1%`],
    // An almost untouched budget is not shown as untouched.
    [0.9996, '99.9%'],
    [1, '100%'],
    [0, '0%'],
    [0.2499, '24%'],
    [-0.00001, `${MINUS}0.001%`],
    [0.000049, '0.0049%'],
    [0.0000001, '0.0%'],
  ])('%d -> %s', (remaining, want) => expect(formatBudget(remaining)).toBe(want));

  test('null is No data', () => expect(formatBudget(null)).toBe('No data'));
});

describe('burn rates', () => {
  test.each([
    [14.4, '14.40×'],
    [0.2853, '0.29×'],
    [0, '0.00×'],
    // Rounded up: a burn just above a threshold never reads as the threshold itself.
    [14.4001, '14.41×'],
    [14.400000000000002, '14.40×'],
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

  // docs/slo-math.md: 14.4x empties a full 30-day budget in about 2.1 days.
  test('formatSpan of 30 days / 14.4', () => expect(formatSpan((30 * 86_400) / 14.4)).toBe('2.1 days'));
  test.each([
    [30, 'less than a minute'],
    [45 * 60, '45 minutes'],
    [5 * 3600, '5 hours'],
  ])('formatSpan(%d) = %s', (seconds, want) => expect(formatSpan(seconds)).toBe(want));
});

describe('never on the wrong side of a threshold (issue 13, point 4)', () => {
  // For every threshold a rule may hold and values just either side of it, the text read back as a number is on the
  // same side of the threshold as the value (or equal to it only when the value does not cross it).
  const thresholds = [-1, -0.5, -0.1, 0, 0.001, 0.05, 0.1, 0.25, 0.5, 0.9, 0.99, 1];
  // Differences below 12 significant digits are summation noise by definition (denoised); from there up, real.
  const eps = [1e-9, 1e-6, 1e-4, 1e-3, 0.004, 0.04];
  const readBack = (text: string) => Number(text.replace(MINUS, '-').replace('%', '')) / 100;
  test.each(thresholds)('budget below %d', (threshold) => {
    for (const e of eps) {
      const below = threshold - e;
      expect(readBack(formatBudget(below)), `${below} is below ${threshold}: ${formatBudget(below)}`).toBeLessThan(threshold + 1e-15);
      expect(readBack(formatBudget(below)) <= below + 1e-12, `${formatBudget(below)} is not better than ${below}`).toBe(true);
    }
  });
  test.each([1, 2, 3, 6, 13.44, 14.4, 36])('burn rate above %d', (threshold) => {
    for (const e of eps) {
      const above = threshold + e;
      const shown = Number(formatBurnRate(above).replace('×', ''));
      expect(shown, `${above} is above ${threshold}: ${formatBurnRate(above)}`).toBeGreaterThan(threshold);
      const under = Number(formatBurnRate(threshold - e).replace('×', ''));
      expect(under, `${threshold - e} is not above ${threshold}`).toBeLessThanOrEqual(threshold + 0.01);
    }
  });
  test('one minus sign, never "−0"', () => {
    expect(formatBudget(-0.000000001)).toBe(`${MINUS}0.0001%`);
    expect(formatPercent(-0, 'down')).toBe('0%');
    expect(formatExactPercent(-0.1)).toBe(`${MINUS}10%`);
    expect(formatBudget(-0.185)).not.toContain('-');
  });
  test('spent budgets round up', () => {
    expect(formatBudgetSpent(0.031)).toBe('3.1%');
    expect(formatBudgetSpent(0.00149)).toBe('0.15%');
    expect(formatBudgetSpent(0)).toBe('0%');
  });
  test.each([
    [0.26, '0.26 s'],
    [42, '42 s'],
    [90, '1.5 min'],
  ])('formatSeconds(%d) = %s', (seconds, want) => expect(formatSeconds(seconds)).toBe(want));
});
