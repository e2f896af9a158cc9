import { describe, expect, test } from 'vitest';
import { decryptSecret, encryptSecret, SecretKeyMissingError } from './secrets';

const KEY = 'a-test-key-of-enough-length';

describe('secrets', () => {
  test('round-trips, and never stores the plaintext or the same ciphertext twice', () => {
    const a = encryptSecret('s3cr3t-token', KEY);
    const b = encryptSecret('s3cr3t-token', KEY);
    expect(a).not.toContain('s3cr3t');
    expect(a).not.toBe(b);
    expect(decryptSecret(a, KEY)).toBe('s3cr3t-token');
  });

  test('a wrong key or a tampered ciphertext fails instead of returning garbage', () => {
    const stored = encryptSecret('token', KEY);
    expect(() => decryptSecret(stored, 'another-key-of-enough-length')).toThrow();
    const [v, iv, tag, data] = stored.split(':');
    const flipped = Buffer.from(data!, 'base64');
    flipped[0]! ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64')].join(':'), KEY)).toThrow();
  });

  test('without a key it says which variable to set', () => {
    expect(() => encryptSecret('x', undefined)).toThrow(SecretKeyMissingError);
    expect(() => encryptSecret('x', 'short')).toThrow(/UMPIRE_SECRET_KEY/);
  });
});
