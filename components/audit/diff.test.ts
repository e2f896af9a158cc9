import { describe, expect, test } from 'vitest';
import { diffObjects } from './diff';

describe('diffObjects', () => {
  test('lists changed leaves by path, ignoring updatedAt', () => {
    const before = { name: 'Checkout', tier: 2, links: { runbook: 'https://a' }, updatedAt: '2026-01-01T00:00:00Z' };
    const after = { name: 'Checkout API', tier: 2, links: { runbook: 'https://b', onCall: 'https://c' }, updatedAt: '2026-02-01T00:00:00Z' };
    expect(diffObjects(before, after)).toEqual([
      { path: 'links.onCall', before: null, after: 'https://c' },
      { path: 'links.runbook', before: 'https://a', after: 'https://b' },
      { path: 'name', before: 'Checkout', after: 'Checkout API' },
    ]);
  });

  test('a created object shows every field as new; a deleted one as gone', () => {
    expect(diffObjects(null, { role: 'editor', teams: ['shop', 'web'] })).toEqual([
      { path: 'role', before: null, after: 'editor' },
      { path: 'teams', before: null, after: 'shop, web' },
    ]);
    expect(diffObjects({ objective: 0.999 }, null)).toEqual([{ path: 'objective', before: '0.999', after: null }]);
  });

  test('arrays of objects are compared element by element', () => {
    const rule = (below: number) => ({ kind: 'budget_remaining', below, verdict: 'fail' });
    expect(diffObjects({ rules: [rule(0)] }, { rules: [rule(0.1), rule(0)] })).toEqual([
      { path: 'rules.0.below', before: '0', after: '0.1' },
      { path: 'rules.1.below', before: null, after: '0' },
      { path: 'rules.1.kind', before: null, after: 'budget_remaining' },
      { path: 'rules.1.verdict', before: null, after: 'fail' },
    ]);
  });

  test('nothing changed: nothing listed', () => {
    expect(diffObjects({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toEqual([]);
  });
});
