import type { FaultReason } from '@/lib/schemas';

/** Every kind of impossible count; test/integration/figures-at-the-edges.int.test.ts runs the same table through SQL. */
export const FAULT_TABLE: Array<[number, number, FaultReason | null]> = [
  [90, 100, null],
  [0, 0, null],
  [100, 100, null],
  [0.5, 0.75, null],
  [101, 100, 'good_above_total'],
  [100.0000001, 100, 'good_above_total'],
  [NaN, 100, 'not_a_number'],
  [5, NaN, 'not_a_number'],
  [NaN, NaN, 'not_a_number'],
  [Infinity, 100, 'infinite'],
  [5, Infinity, 'infinite'],
  [5, -Infinity, 'infinite'],
  [-Infinity, 5, 'infinite'],
  [-1, 100, 'negative'],
  [0, -3, 'negative'],
  [-5, -3, 'negative'],
];
