import { describe, expect, test } from 'vitest';
import { canonicalDuration, durationToMinutes, MINUTE_MS, minutesToDuration } from './duration';

describe('durationToMinutes', () => {
  test.each([
    ['5m', 5],
    ['30m', 30],
    ['90m', 90],
    ['60m', 60],
    ['1h', 60],
    ['6h', 360],
    ['1d', 1440],
    ['3d', 4320],
    ['30d', 43200],
  ])('%s = %d min', (d, want) => expect(durationToMinutes(d)).toBe(want));

  test.each(['', '0m', '05m', '1w', '1.5h', '-5m', '5', 'm', ' 5m', '5m ', '5M', '1h30m', '1234567m'])('%j is rejected', (d) =>
    expect(() => durationToMinutes(d)).toThrow(RangeError),
  );
});

describe('minutesToDuration', () => {
  test.each([
    [1440, '1d'],
    [60, '1h'],
    [90, '90m'],
    [4320, '3d'],
    [30, '30m'],
    [5, '5m'],
    [120, '2h'],
    [2160, '36h'],
    [43200, '30d'],
  ])('%d min = %s', (minutes, want) => expect(minutesToDuration(minutes)).toBe(want));

  test.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('%d is rejected', (minutes) => expect(() => minutesToDuration(minutes)).toThrow(RangeError));

  test.each([
    ['60m', '1h'],
    ['1440m', '1d'],
    ['24h', '1d'],
    ['72h', '3d'],
    ['90m', '90m'],
    ['1h', '1h'],
  ])('%s is canonically %s', (d, want) => expect(canonicalDuration(d)).toBe(want));
});

test('MINUTE_MS is one minute', () => expect(MINUTE_MS).toBe(60 * 1000));
