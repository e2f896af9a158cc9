import { expect, test } from 'vitest';
import { decodeState, encodeState } from './state-codec';

test.each([
  { startNs: 0n, lastNs: -1n, count: 0, buckets: [], bounds: [], recentNs: [] },
  { startNs: 1_780_000_000_123_456_789n, lastNs: 1_780_000_060_987_654_321n, count: 12.5, buckets: [1, 2, 3.25], bounds: [0.1, Infinity], recentNs: [] },
  { startNs: 5n, lastNs: 9_223_372_036_854_775_807n, count: 0, buckets: [], bounds: [], recentNs: [1n, 2n, 9_223_372_036_854_775_807n] },
])('encodeState/decodeState round-trip exactly (%#)', (state) => {
  expect(decodeState(encodeState(state))).toEqual(state);
});

test('a value it did not write is refused, not read as counts', () => {
  expect(() => decodeState(Buffer.from([2, 0, 0]))).toThrow(/unknown format/);
  const good = encodeState({ startNs: 1n, lastNs: 2n, count: 3, buckets: [1], bounds: [], recentNs: [] });
  expect(() => decodeState(Buffer.concat([good, Buffer.from([0])]))).toThrow(/trailing/);
  expect(() => decodeState(good.subarray(0, good.length - 3))).toThrow();
});
