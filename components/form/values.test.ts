import { describe, expect, test } from 'vitest';
import { fractionToPercent, numberOf, percentToFraction, slugify, listOf } from './values';

describe('percentToFraction', () => {
  test.each([
    ['99.9', 0.999],
    ['99.95', 0.9995],
    ['99.9%', 0.999],
    [' 99 ', 0.99],
    ['100', 1],
  ])('%s -> %d, exactly', (text, want) => expect(percentToFraction(text)).toBe(want));

  test.each(['', 'abc', '99,9', '9 9'])('%j is not a number', (text) => expect(percentToFraction(text)).toBeNaN());

  test('round-trips with fractionToPercent', () => {
    for (const f of [0.999, 0.9995, 0.99, 0.95, 0.99999]) expect(percentToFraction(fractionToPercent(f))).toBe(f);
  });
});

describe('slugify', () => {
  test.each([
    ['Checkout API', 'checkout-api'],
    ['  Payments -- Gateway v2 ', 'payments-gateway-v2'],
    ['Crème brûlée', 'creme-brulee'],
    ['!!!', ''],
  ])('%j -> %j', (name, want) => expect(slugify(name)).toBe(want));

  test('stays within the 63-character slug limit and never ends in a hyphen', () => {
    const slug = slugify(`${'a'.repeat(62)} b`);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('numberOf', () => {
  test('empty is NaN, not 0', () => expect(numberOf('  ')).toBeNaN());
  test('parses decimals', () => expect(numberOf('0.0003')).toBe(0.0003));
});

describe('listOf', () => {
  test.each<[string, string[]]>([
    ['', []],
    ['  ', []],
    ['checkout-api', ['checkout-api']],
    ['checkout-api, cart-api', ['checkout-api', 'cart-api']],
    ['a,,b , \n c\n', ['a', 'b', 'c']],
  ])('%j -> %j', (text, want) => expect(listOf(text)).toEqual(want));
});
