import { RateLimiter } from './rate-limit';

/**
 * The limits on API tokens, decided after the token was checked: a valid token is held only to its own
 * per-minute limit, so invalid tokens sent from the same address (or by everyone behind the same proxy) never
 * lock it out; invalid tokens are counted per address, and once an address has sent too many, only its
 * invalid tokens get 429. Guessing a 256-bit token is hopeless anyway: the limit keeps it cheap to refuse.
 */
export type TokenLimitDecision = { kind: 'pass' } | { kind: 'invalid' } | { kind: 'limited'; by: 'token' | 'address'; retryAfterSeconds: number };

export class TokenLimits {
  private readonly perToken: RateLimiter;
  private readonly badPerAddress: RateLimiter;

  constructor(limits: { perTokenPerMinute: () => number; invalidPerAddressPerMinute: () => number }) {
    this.perToken = new RateLimiter(limits.perTokenPerMinute, 60_000);
    this.badPerAddress = new RateLimiter(limits.invalidPerAddressPerMinute, 60_000);
  }

  /** What to answer a request whose token has been checked: `tokenId` when it is valid, null when not. */
  decide(address: string, tokenId: string | null, now = Date.now()): TokenLimitDecision {
    if (tokenId !== null) {
      const own = this.perToken.hit(tokenId, now);
      return own.allowed ? { kind: 'pass' } : { kind: 'limited', by: 'token', retryAfterSeconds: own.retryAfterSeconds };
    }
    const bad = this.badPerAddress.hit(address, now);
    return bad.allowed ? { kind: 'invalid' } : { kind: 'limited', by: 'address', retryAfterSeconds: bad.retryAfterSeconds };
  }

  clear(): void {
    this.perToken.clear();
    this.badPerAddress.clear();
  }
}
