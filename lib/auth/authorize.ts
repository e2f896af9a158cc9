import { ForbiddenError, UnauthenticatedError } from '../errors';
import { can, type Action, type Actor, type Target } from './permissions';

export { ANONYMOUS, systemActor, actorName, actorId, type Action, type Actor, type Target } from './permissions';

/**
 * The one authorisation point every path calls before it reads or changes anything: 401 when nobody is signed
 * in (or the credentials are not valid), 403 when someone is but may not do this.
 */
export async function authorize(actor: Actor, action: Action, target: Target = {}): Promise<void> {
  const decision = can(actor, action, target);
  if (decision.allowed) return;
  if (decision.status === 401) throw new UnauthenticatedError(decision.reason);
  throw new ForbiddenError(decision.reason);
}
