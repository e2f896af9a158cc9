import { expect, test } from 'vitest';
import { MAX_FILE_BYTES, fileRefusal, formatSize, teamFileName } from './files';

test.each([
  [0, '0 B'],
  [512, '512 B'],
  [1536, '1.5 KiB'],
  [4 * 1024 * 1024, '4.0 MiB'],
])('formatSize(%d) = %s', (bytes, want) => expect(formatSize(bytes)).toBe(want));

test('fileRefusal refuses over 4 MiB only', () => {
  expect(fileRefusal({ name: 'a.yaml', size: MAX_FILE_BYTES })).toBeNull();
  expect(fileRefusal({ name: 'big.yaml', size: MAX_FILE_BYTES + 1 })).toBe('big.yaml is 4.0 MiB: each file may be at most 4 MiB.');
});

test.each([
  ['payments', 'umpire-payments.yaml'],
  ['Team A/B', 'umpire-Team-A-B.yaml'],
  ['../..', 'umpire-team.yaml'],
])('teamFileName(%s) = %s', (team, want) => expect(teamFileName(team)).toBe(want));
