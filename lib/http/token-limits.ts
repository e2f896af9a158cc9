import { TokenLimits } from '../auth/token-limits';
import { env } from '../env';

/** Invalid tokens one client address may present in a minute; beyond, its invalid tokens get 429 (valid ones still pass). */
export const INVALID_TOKENS_PER_MINUTE = 30;

/**
 * This process's counts of requests per API token and of invalid tokens per client address, checked after the
 * token is (see lib/auth/token-limits). Its own module so tests can clear it between cases.
 */
export const tokenLimits = new TokenLimits({
  perTokenPerMinute: () => env().UMPIRE_TOKEN_RATE_LIMIT,
  invalidPerAddressPerMinute: () => INVALID_TOKENS_PER_MINUTE,
});
