import { describe, expect, test } from 'vitest';
import { rowAdded, rowChanged, rowMoved, rowRemoved } from './rows';

const rows = [
  { key: 1, name: 'a' },
  { key: 2, name: 'b' },
  { key: 3, name: 'c' },
];
const names = (list: Array<{ name: string }>) => list.map((r) => r.name).join('');

test('rowAdded appends, leaving the list it was given alone', () => {
  expect(names(rowAdded(rows, { key: 9, name: 'd' }))).toBe('abcd');
  expect(names(rows)).toBe('abc');
});

test('rowChanged patches only the row with that key, and keeps the others as they were', () => {
  const next = rowChanged(rows, 2, { name: 'B' });
  expect(names(next)).toBe('aBc');
  expect(next[0]).toBe(rows[0]);
  expect(next[1]).toEqual({ key: 2, name: 'B' });
  expect(names(rowChanged(rows, 7, { name: 'x' }))).toBe('abc');
});

test('rowRemoved drops the row with that key, and nothing when none has it', () => {
  expect(names(rowRemoved(rows, 2))).toBe('ac');
  expect(names(rowRemoved(rows, 7))).toBe('abc');
});

describe('rowMoved', () => {
  test.each<[number, number, string]>([
    [2, -1, 'bac'],
    [2, 1, 'acb'],
    [1, -1, 'abc'],
    [3, 1, 'abc'],
    [1, 2, 'bca'],
    [1, 10, 'bca'],
    [7, 1, 'abc'],
  ])('row %d by %d -> %s', (key, by, want) => expect(names(rowMoved(rows, key, by))).toBe(want));

  test('keeps each row’s key', () => {
    expect(rowMoved(rows, 3, -2).map((r) => r.key)).toEqual([3, 1, 2]);
  });
});
