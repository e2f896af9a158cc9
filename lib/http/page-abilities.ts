import { can, principalOf, type Action, type Actor, type Target } from '../auth/permissions';

/** The teams an actor may own or change services of, for forms that offer them. */
export function allowedTeams(actor: Actor): 'all' | string[] {
  const teams = principalOf(actor).teams;
  return teams === 'all' ? 'all' : [...teams].sort();
}

/** Why a page cannot be used by this actor, or null when it can: the reason authorize() would give. */
export function refusal(actor: Actor, action: Action, target: Target = {}): string | null {
  const decision = can(actor, action, target);
  return decision.allowed ? null : decision.reason;
}

/** Whether the actor can change things at all (some team's services): the "New service" buttons. */
export function writes(actor: Actor): boolean {
  return principalOf(actor).scopes.has('write');
}
