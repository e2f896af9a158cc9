import { describe, expect, test } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password';

const CHEAP = { ln: 10, r: 8, p: 1 };

// Each hash is scrypt at N=2^17 (128 MiB, ~0.3 s alone): on a loaded two-core machine a few of them outlast vitest's
// default 5 s, so these tests get more time (a timeout, not an assertion).
describe('hashPassword / verifyPassword', { timeout: 30_000 }, () => {
  test('a hash verifies its password and no other; salts differ', async () => {
    const a = await hashPassword('correct horse battery staple', CHEAP);
    const b = await hashPassword('correct horse battery staple', CHEAP);
    expect(a).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toEqual({ ok: true, rehash: true });
    expect((await verifyPassword('correct horse battery stapl', a)).ok).toBe(false);
    expect((await verifyPassword('', a)).ok).toBe(false);
  });

  test("today's parameters need no re-hash; weaker ones do (checked above), and the default is OWASP's", async () => {
    const strong = await hashPassword('a long enough passphrase');
    expect(strong).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
    expect(await verifyPassword('a long enough passphrase', strong)).toEqual({ ok: true, rehash: false });
  });

  test('no stored hash (unknown user, or no password) and garbage never verify', async () => {
    expect(await verifyPassword('anything', null)).toEqual({ ok: false, rehash: false });
    expect(await verifyPassword('anything', 'plaintext-password')).toEqual({ ok: false, rehash: false });
    expect(await verifyPassword('anything', 'scrypt$ln=99,r=8,p=1$AAAA$BBBB')).toEqual({ ok: false, rehash: false });
  });

  test('Unicode passwords are compared after NFC normalisation', async () => {
    const composed = 'café au lait, s’il vous plaît';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect((await verifyPassword(decomposed, await hashPassword(composed, CHEAP))).ok).toBe(true);
  });
});

describe('passwordProblem', () => {
  test.each([
    ['short', 'must be at least 12 characters'],
    ['x'.repeat(257), 'must be at most 256 characters'],
    ['alice-the-admin', 'must not be the username'],
    ['aaaaaaaaaaaaaaaa', 'must not be one character repeated'],
    ['passwordpassword', 'is too common'],
  ])('%s: %s', (password, problem) => {
    expect(passwordProblem(password, 'alice-the-admin')).toBe(problem);
  });

  test('a long passphrase is fine, whatever its characters', () => {
    expect(passwordProblem('tangerine submarine orbit', 'alice')).toBeNull();
  });
});
