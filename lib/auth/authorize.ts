/** Who is asking. Sign-in (a later issue) adds users and API tokens here. */
export type Actor = { kind: 'anonymous' };

export type Action =
  | 'service.create'
  | 'service.update'
  | 'service.delete'
  | 'slo.create'
  | 'slo.update'
  | 'slo.delete'
  | 'datasource.create'
  | 'datasource.update'
  | 'datasource.delete'
  | 'token.create'
  | 'token.revoke'
  | 'policy.update'
  | 'gate.evaluate'
  | 'gate.override'
  | 'deployment.create'
  | 'embed.create'
  | 'embed.revoke';

export type Target = { service: string; slo?: string } | { datasource: string } | { token: string } | { policy: 'default' };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/**
 * The one authorisation point every write path calls before it changes anything.
 * Until sign-in exists it allows all; it throws ForbiddenError when it refuses.
 */
export async function authorize(actor: Actor, action: Action, target: Target): Promise<void> {
  void actor;
  void action;
  void target;
}
