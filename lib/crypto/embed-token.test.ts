import { expect, test } from 'vitest';
import { signEmbedToken, verifyEmbedToken } from './embed-token';

const KEY = 'k'.repeat(32);
const ID = '0b6c5c2e-94a1-4c7e-9f0e-2b8d3a1c4e5f';

test('a signed token names its row, and only with the same key', () => {
  const token = signEmbedToken(ID, KEY);
  expect(token).toMatch(/^[0-9a-f]{32}\.[A-Za-z0-9_-]{24}$/);
  expect(verifyEmbedToken(token, KEY)).toBe(ID);
  expect(verifyEmbedToken(token, 'x'.repeat(32))).toBeNull();
});

test('any altered character is refused', () => {
  const token = signEmbedToken(ID, KEY);
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '.') continue;
    const flipped = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
    expect(verifyEmbedToken(flipped, KEY)).toBeNull();
  }
});

test('garbage and missing keys are refused, never thrown', () => {
  for (const bad of ['', '.', 'abc', `${'0'.repeat(32)}.`, 'x'.repeat(500), `${ID}.${'A'.repeat(24)}`]) expect(verifyEmbedToken(bad, KEY)).toBeNull();
  expect(verifyEmbedToken(signEmbedToken(ID, KEY), undefined)).toBeNull();
  expect(() => signEmbedToken(ID, 'short')).toThrow(/UMPIRE_SECRET_KEY/);
});
