import { SignInThrottle } from '../../auth/sign-in-throttle';
import { env } from '../../env';

/**
 * This process's counts of password checks (sign-in, and the current password when changing it), by username and
 * client address: see lib/auth/sign-in-throttle for the model. Its own module so tests can clear it between cases.
 */
export const signInAttempts = new SignInThrottle(() => ({ perPair: env().UMPIRE_LOGIN_ATTEMPTS }));
