import { describe, expect, test } from 'vitest';
import { BRAKE_STEP_MS, brakeDelayMs, FAILURE_WINDOW_MS, MAX_BRAKE_MS, SignInThrottle } from './sign-in-throttle';

const LIMIT = 3;
const T0 = 1_000_000;

/** An attempt: who for, from where, whether the password was right, and what the throttle should say. */
type Step = [username: string, address: string, correct: boolean, want: 'ok' | 'wrong' | 'refused:pair' | 'refused:address' | 'refused:attempts'];

/** Plays the steps one a second (so the per-minute attempts limit stays out of the way unless a case wants it). */
function play(steps: Step[], spacingMs = 60_000 / 9): string[] {
  const throttle = new SignInThrottle(() => ({ perPair: LIMIT }));
  return steps.map(([username, address, correct], i) => {
    const admission = throttle.begin(username, address, T0 + i * spacingMs);
    if (admission.kind === 'refused') return `refused:${admission.by}`;
    admission.finish(correct);
    return correct ? 'ok' : 'wrong';
  });
}

const wrongFrom = (username: string, addresses: string[]): Step[] => addresses.map((a) => [username, a, false, 'wrong']);

describe('SignInThrottle', () => {
  test.each<[string, Step[]]>([
    [
      'strangers failing from many addresses cannot lock the owner out: the right password from another address signs in',
      [...wrongFrom('alice', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10']), ['alice', 'a11', true, 'ok']],
    ],
    [
      'one address that failed for a username gets 429 for it, even with the right password; another address does not',
      [...wrongFrom('alice', ['a1', 'a1', 'a1']), ['alice', 'a1', true, 'refused:pair'], ['alice', 'a2', true, 'ok']],
    ],
    [
      'an address refused for one username may still sign in another (a shared office address)',
      [...wrongFrom('alice', ['office', 'office', 'office']), ['alice', 'office', false, 'refused:pair'], ['bob', 'office', true, 'ok']],
    ],
    [
      'one address trying many usernames is refused at three times the limit',
      [
        ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'].map((u): Step => [u, 'sprayer', false, 'wrong']),
        ['u10', 'sprayer', false, 'refused:address'],
        ['alice', 'sprayer', true, 'refused:address'],
        ['alice', 'elsewhere', true, 'ok'],
      ],
    ],
    [
      'a success clears its own pair, so the owner who mistyped twice is not refused the third time',
      [...wrongFrom('alice', ['home', 'home']), ['alice', 'home', true, 'ok'], ...wrongFrom('alice', ['home', 'home']), ['alice', 'home', true, 'ok']],
    ],
    [
      'successes do not count towards the address limit',
      [...Array.from({ length: 9 }, (_, i): Step => [`user${i}`, 'office', true, 'ok']), ...wrongFrom('x', ['office', 'office', 'office'])],
    ],
  ])('%s', (_, steps) => expect(play(steps)).toEqual(steps.map((s) => s[3])));

  test('failures end with their window', () => {
    const throttle = new SignInThrottle(() => ({ perPair: 1 }));
    const first = throttle.begin('alice', 'a1', T0);
    if (first.kind === 'admitted') first.finish(false);
    expect(throttle.begin('alice', 'a1', T0 + 60_000)).toMatchObject({ kind: 'refused', by: 'pair', retryAfterSeconds: (FAILURE_WINDOW_MS - 60_000) / 1000 });
    expect(throttle.begin('alice', 'a1', T0 + FAILURE_WINDOW_MS)).toMatchObject({ kind: 'admitted' });
  });

  test('attempts made at once count before their passwords are checked: the limit holds for a burst', () => {
    const throttle = new SignInThrottle(() => ({ perPair: LIMIT }));
    const burst = Array.from({ length: 20 }, () => throttle.begin('alice', 'a1', T0));
    expect(burst.filter((a) => a.kind === 'admitted')).toHaveLength(LIMIT);
    expect(burst.slice(LIMIT).every((a) => a.kind === 'refused' && a.by === 'pair')).toBe(true);
  });

  test('each address gets a bounded number of attempts a minute, right or wrong (each costs a large hash)', () => {
    const throttle = new SignInThrottle(() => ({ perPair: LIMIT }));
    // max(10, 3 x 3) = 10 a minute.
    const outcomes = Array.from({ length: 11 }, (_, i) => {
      const a = throttle.begin(`user${i}`, 'office', T0 + i);
      if (a.kind === 'admitted') a.finish(true);
      return a.kind === 'refused' ? a.by : a.kind;
    });
    expect(outcomes).toEqual([...Array<string>(10).fill('admitted'), 'attempts']);
    expect(throttle.begin('user0', 'office', T0 + 60_000)).toMatchObject({ kind: 'admitted' });
    expect(throttle.begin('user0', 'elsewhere', T0 + 11)).toMatchObject({ kind: 'admitted' });
  });

  test('a username failing everywhere slows its own sign-ins, boundedly, and never refuses them', () => {
    const throttle = new SignInThrottle(() => ({ perPair: LIMIT }));
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const a = throttle.begin('alice', `a${i}`, T0 + i);
      expect(a.kind).toBe('admitted');
      if (a.kind === 'admitted') {
        delays.push(a.delayMs);
        a.finish(false);
      }
    }
    expect(delays.slice(0, LIMIT)).toEqual([0, 0, 0]);
    expect(delays[LIMIT]).toBe(BRAKE_STEP_MS);
    expect(Math.max(...delays)).toBe(MAX_BRAKE_MS);
    const owner = throttle.begin('alice', 'home', T0 + 100);
    expect(owner).toMatchObject({ kind: 'admitted', delayMs: MAX_BRAKE_MS });
    // Other usernames are not slowed.
    expect(throttle.begin('bob', 'a1', T0 + 100)).toMatchObject({ kind: 'admitted', delayMs: 0 });
  });

  test.each([
    [0, 10, 0],
    [9, 10, 0],
    [10, 10, BRAKE_STEP_MS],
    [14, 10, 5 * BRAKE_STEP_MS],
    [1000, 10, MAX_BRAKE_MS],
  ])('brakeDelayMs(%d failures, limit %d) = %d', (failures, limit, want) => expect(brakeDelayMs(failures, limit)).toBe(want));
});
