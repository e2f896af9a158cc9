import { RateLimiter } from './rate-limit';

/**
 * How password sign-ins are throttled, so that guessing is slow and nobody else can lock a user out:
 *
 * - failures for one username from one client address: at the limit, that pair gets 429 for the window;
 * - failures from one address, whatever the usernames: at three times the limit, the address gets 429 (spraying);
 * - attempts from one address per minute, right or wrong (each costs a 128 MiB hash): at three times the limit,
 *   at least 10, 429;
 * - failures for one username from everywhere never refuse: past the limit each attempt waits a little longer,
 *   up to MAX_BRAKE_MS, so the owner's correct password from an address that has not failed always signs in.
 *
 * Every attempt counts as a failure until it succeeds, so attempts made at once cannot all slip past a limit
 * while their hashes are being worked out. In memory, per process, like the other limits.
 */
export interface SignInLimits {
  /** Failures per (username, address) within the window; UMPIRE_LOGIN_ATTEMPTS. */
  perPair: number;
}

export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The longest a sign-in waits for its username's failures. */
export const MAX_BRAKE_MS = 2_000;
/** Added for each username failure past the limit. */
export const BRAKE_STEP_MS = 100;

export type Admission =
  | { kind: 'refused'; by: 'pair' | 'address' | 'attempts'; retryAfterSeconds: number }
  | {
      kind: 'admitted';
      /** How long to wait before checking the password: the username's brake. */
      delayMs: number;
      /** Says how the attempt ended: a success takes back what it was counted as. */
      finish: (succeeded: boolean) => void;
    };

/** The wait a username's recent failures (from anywhere) add to each of its sign-ins. */
export function brakeDelayMs(usernameFailures: number, limit: number): number {
  if (usernameFailures < limit) return 0;
  return Math.min(MAX_BRAKE_MS, (usernameFailures - limit + 1) * BRAKE_STEP_MS);
}

export class SignInThrottle {
  private readonly pairs: RateLimiter;
  private readonly addresses: RateLimiter;
  private readonly attempts: RateLimiter;
  private readonly usernames: RateLimiter;

  constructor(private readonly limits: () => SignInLimits) {
    this.pairs = new RateLimiter(() => limits().perPair, FAILURE_WINDOW_MS);
    this.addresses = new RateLimiter(() => limits().perPair * 3, FAILURE_WINDOW_MS);
    this.attempts = new RateLimiter(() => Math.max(10, limits().perPair * 3), 60_000);
    // Counted, never refused: the limit only bounds the count.
    this.usernames = new RateLimiter(() => Number.MAX_SAFE_INTEGER, FAILURE_WINDOW_MS);
  }

  /** Whether an attempt for `username` from `address` may go ahead now, and how long it waits first. */
  begin(username: string, address: string, now = Date.now()): Admission {
    const pair = `${username}\u0000${address}`;
    const pairState = this.pairs.check(pair, now);
    if (!pairState.allowed) return { kind: 'refused', by: 'pair', retryAfterSeconds: pairState.retryAfterSeconds };
    const addressState = this.addresses.check(address, now);
    if (!addressState.allowed) return { kind: 'refused', by: 'address', retryAfterSeconds: addressState.retryAfterSeconds };
    const attempt = this.attempts.hit(address, now);
    if (!attempt.allowed) return { kind: 'refused', by: 'attempts', retryAfterSeconds: attempt.retryAfterSeconds };
    const delayMs = brakeDelayMs(this.usernames.count(username, now), this.limits().perPair);
    this.pairs.hit(pair, now);
    this.addresses.hit(address, now);
    this.usernames.hit(username, now);
    let finished = false;
    return {
      kind: 'admitted',
      delayMs,
      finish: (succeeded) => {
        if (finished) return;
        finished = true;
        if (!succeeded) return;
        this.pairs.reset(pair);
        this.addresses.refund(address, now);
        this.usernames.refund(username, now);
      },
    };
  }

  clear(): void {
    for (const limiter of [this.pairs, this.addresses, this.attempts, this.usernames]) limiter.clear();
  }
}
