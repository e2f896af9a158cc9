import { describe, expect, test } from 'vitest';
import { labelledDeploys, visibleDeploys, type DeployMarker } from './deploy-markers';

const HOUR = 3_600_000;
const deploy = (id: string, t: number): DeployMarker => ({ id, t, version: id, environment: 'production', url: null });

describe('visibleDeploys', () => {
  test.each([
    ['before the first point: outside the range', [deploy('a', -1)], []],
    ['at the first point', [deploy('a', 0)], ['a']],
    ['after the last point (the series ends at the last whole step): kept', [deploy('a', 11 * HOUR)], ['a']],
    ['an unparseable time', [deploy('a', Number.NaN)], []],
  ])('%s', (_, deploys, want) => {
    expect(visibleDeploys(deploys, [0, 10 * HOUR]).map((d) => d.id)).toEqual(want);
  });

  test('no points, no markers', () => {
    expect(visibleDeploys([deploy('a', 0)], [])).toEqual([]);
  });
});

describe('labelledDeploys', () => {
  test.each([
    ['far apart: all', [deploy('a', 1 * HOUR), deploy('b', 5 * HOUR), deploy('c', 9 * HOUR)], ['a', 'b', 'c']],
    ['close together: the newest only', [deploy('a', 8.5 * HOUR), deploy('b', 9 * HOUR)], ['b']],
    ['a run of close ones: every other that fits', [deploy('a', 7 * HOUR), deploy('b', 8 * HOUR), deploy('c', 8.5 * HOUR), deploy('d', 9 * HOUR)], ['a', 'd']],
  ])('%s', (_, deploys, want) => {
    expect([...labelledDeploys(deploys, 0, 10 * HOUR)].sort()).toEqual(want);
  });
});
