import { describe, expect, test } from 'vitest';
import { gapEnds } from './gaps';

const T0 = Date.parse('2026-12-01T10:00:00Z');
/** Minute n after T0, in ms. */
const m = (n: number) => T0 + n * 60_000;

describe('gapEnds: minutes with data whose previous minute has none, after some minute with data', () => {
  test.each([
    ['no minutes', [], null, null, []],
    ['one minute, nothing known around it', [0], null, null, []],
    ['consecutive minutes', [0, 1, 2, 3], null, null, []],
    ['a gap inside the read', [0, 1, 5, 6], null, null, [[2, 5]]],
    [
      'two gaps',
      [0, 3, 4, 9],
      null,
      null,
      [
        [1, 3],
        [5, 9],
      ],
    ],
    ['a read starting with missing minutes, nothing known before: not a gap', [4, 5], null, null, []],
    ['a read starting inside a gap that began before it', [4, 5], -180, null, [[-179, 4]]],
    ['a read whose first minute follows the known one', [0, 1], -1, null, []],
    ['a read with no minute at all between two known ones (backward fill)', [], -1, 200, [[0, 200]]],
    ['the known minute after a read ends a gap starting in it (backward fill)', [0, 1], null, 190, [[2, 190]]],
    ['the known minute after a read right after its last minute', [0, 1], null, 2, []],
    [
      'both sides known',
      [10, 11],
      0,
      100,
      [
        [1, 10],
        [12, 100],
      ],
    ],
  ] as const)('%s', (_name, starts, before, after, want) => {
    const got = gapEnds(starts.map(m), { before: before === null ? null : m(before), after: after === null ? null : m(after) });
    expect(got).toEqual(want.map(([gapStart, start]) => ({ gapStart: m(gapStart), start: m(start) })));
  });

  test('minutes out of order are a bug, not a gap', () => {
    expect(() => gapEnds([m(2), m(1)])).toThrow(/ascend/);
    expect(() => gapEnds([m(0)], { before: m(0), after: null })).toThrow(/ascend/);
  });
});
