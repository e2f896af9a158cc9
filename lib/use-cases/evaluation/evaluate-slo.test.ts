import { expect, test } from 'vitest';
import { BACKFILL_DAYS_PER_PASS, dayInTime } from './evaluate-slo';

// A pass fills at least 7 days of an SLO's history, and more (a source that fills fast) only until its deadline.
test.each([
  [0, undefined, 1000, true],
  [89, undefined, 1000, true],
  [0, 500, 1000, true],
  [BACKFILL_DAYS_PER_PASS - 1, 500, 1000, true],
  [BACKFILL_DAYS_PER_PASS, 500, 1000, false],
  [BACKFILL_DAYS_PER_PASS, 1001, 1000, true],
  [89, 1000, 1000, false],
])('day %d, deadline %s, now %d: %s', (day, by, now, want) => {
  expect(dayInTime(day, by, now)).toBe(want);
});
