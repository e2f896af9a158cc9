/**
 * Who may do what: pure rules, no I/O, so the API, the pages (to show or hide a control) and the tests all ask
 * the same question. authorize() (./authorize.ts) turns a refusal into a 401 or 403.
 */

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['read', 'write', 'gate', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What each role may do; a personal token gets the scopes it was given that its owner's role also has. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: ['read'],
  editor: ['read', 'write', 'gate'],
  admin: ['read', 'write', 'gate', 'ingest', 'admin'],
};

/** Where a request came from, for the audit trail and the logs. */
export interface RequestContext {
  requestId?: string;
  ip?: string;
}

export interface UserActor {
  kind: 'user';
  id: string;
  username: string;
  displayName: string;
  role: Role;
  teams: readonly string[];
  sessionId: string;
  context?: RequestContext;
}

export interface TokenActor {
  kind: 'token';
  id: string;
  name: string;
  tokenKind: 'personal' | 'service';
  scopes: readonly Scope[];
  /** Service tokens: the teams they may change (empty: all). Personal tokens: unused (the owner's teams count). */
  teams: readonly string[];
  /** Ingest: the resource service.name values its points may carry (absent or empty: any). lib/auth/ingest-binding.ts */
  serviceNames?: readonly string[];
  /** The owner of a personal token, as they are now. */
  owner: { id: string; username: string; role: Role; teams: readonly string[] } | null;
  context?: RequestContext;
}

/** Nobody signed in: may read only when anonymous read-only mode is on. */
export interface AnonymousActor {
  kind: 'anonymous';
  mayRead: boolean;
  context?: RequestContext;
}

/** Umpire itself: the demo seed, scripts run by the operator, tests' factories. Never a request. */
export interface SystemActor {
  kind: 'system';
  name: string;
  context?: RequestContext;
}

export type Actor = UserActor | TokenActor | AnonymousActor | SystemActor;

export const ANONYMOUS: AnonymousActor = { kind: 'anonymous', mayRead: false };

export function systemActor(name: string): SystemActor {
  return { kind: 'system', name };
}

export type Action =
  | 'read'
  | 'service.create'
  | 'service.update'
  | 'service.delete'
  | 'slo.create'
  | 'slo.update'
  | 'slo.delete'
  | 'sli.preview'
  | 'datasource.create'
  | 'datasource.update'
  | 'datasource.delete'
  | 'datasource.test'
  | 'channel.create'
  | 'channel.update'
  | 'channel.delete'
  | 'channel.test'
  | 'route.create'
  | 'route.delete'
  | 'silence.create'
  | 'silence.end'
  | 'token.create'
  | 'token.update'
  | 'token.revoke'
  | 'policy.update'
  | 'policy.preview'
  | 'gate.evaluate'
  | 'gate.override'
  | 'deployment.create'
  | 'embed.create'
  | 'embed.revoke'
  | 'user.create'
  | 'user.update'
  | 'user.read'
  | 'audit.read'
  | 'ingest';

/**
 * What an action is about. `team` is the owner team of the service concerned (for a new service, the one it is
 * created for); `owner` the user a personal token belongs to.
 */
export type Target =
  | { service: string; team: string; slo?: string }
  | { datasource: string }
  | { channel: string }
  /** Notification routes and team silences: the team whose alerts they concern. */
  | { team: string }
  | {
      token: string;
      tokenKind: 'personal' | 'service';
      owner: string | null;
      scopes?: readonly Scope[];
      teams?: readonly string[];
      /** token.update: the teams it is to have. */
      newTeams?: readonly string[];
    }
  | { policy: 'default' }
  | { user: string }
  | { audit: 'service' | 'slo' | 'policy' | 'datasource' | 'override' | 'embed' | 'deployment' | 'token' | 'user' | 'channel' | 'route' | 'silence' | 'all' }
  | Record<string, never>;

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

/** The scopes and teams an actor acts with right now. */
export interface Principal {
  scopes: ReadonlySet<Scope>;
  /** 'all': any team's services. */
  teams: 'all' | ReadonlySet<string>;
  /** The user behind the actor (a session, or a personal token's owner). */
  userId: string | null;
}

export function principalOf(actor: Actor): Principal {
  switch (actor.kind) {
    case 'system':
      return { scopes: new Set(SCOPES), teams: 'all', userId: null };
    case 'anonymous':
      return { scopes: new Set(actor.mayRead ? (['read'] as const) : []), teams: 'all', userId: null };
    case 'user':
      return { scopes: new Set(ROLE_SCOPES[actor.role]), teams: actor.role === 'admin' ? 'all' : new Set(actor.teams), userId: actor.id };
    case 'token': {
      if (actor.tokenKind === 'personal') {
        if (!actor.owner) return { scopes: new Set(), teams: new Set(), userId: null };
        const allowed = new Set(ROLE_SCOPES[actor.owner.role]);
        return {
          scopes: new Set(actor.scopes.filter((s) => allowed.has(s))),
          teams: actor.owner.role === 'admin' ? 'all' : new Set(actor.owner.teams),
          userId: actor.owner.id,
        };
      }
      return { scopes: new Set(actor.scopes), teams: actor.teams.length === 0 ? 'all' : new Set(actor.teams), userId: null };
    }
  }
}

/** Whether the actor presented any identity at all: refusing an anonymous caller is 401, anyone else 403. */
export function isAuthenticated(actor: Actor): boolean {
  return actor.kind !== 'anonymous';
}

/** How an actor is named in the audit trail, overrides and logs: never a secret. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.username;
    case 'token':
      return actor.owner ? `${actor.owner.username} (token “${actor.name}”)` : `token “${actor.name}”`;
    case 'system':
      return `umpire (${actor.name})`;
    case 'anonymous':
      return 'anonymous';
  }
}

export function actorId(actor: Actor): string | null {
  return actor.kind === 'user' || actor.kind === 'token' ? actor.id : null;
}

interface Rule {
  /** Any one of these scopes allows the action. */
  scopes: readonly Scope[];
  /** Checked against the target's team. */
  teamScoped?: boolean;
  what: string;
}

const WRITE_TEAM: Omit<Rule, 'what'> = { scopes: ['write'], teamScoped: true };

const RULES: Record<Exclude<Action, 'token.create' | 'token.update' | 'token.revoke' | 'policy.update' | 'user.update' | 'audit.read'>, Rule> = {
  read: { scopes: ['read'], what: 'read' },
  'service.create': { ...WRITE_TEAM, what: 'create services' },
  'service.update': { ...WRITE_TEAM, what: 'change services' },
  'service.delete': { ...WRITE_TEAM, what: 'delete services' },
  'slo.create': { ...WRITE_TEAM, what: 'create SLOs' },
  'slo.update': { ...WRITE_TEAM, what: 'change SLOs' },
  'slo.delete': { ...WRITE_TEAM, what: 'delete SLOs' },
  'sli.preview': { scopes: ['write'], what: 'preview SLIs' },
  'datasource.create': { scopes: ['admin'], what: 'add data sources' },
  'datasource.update': { scopes: ['admin'], what: 'change data sources' },
  'datasource.delete': { scopes: ['admin'], what: 'delete data sources' },
  'datasource.test': { scopes: ['admin'], what: 'test data sources' },
  // Channels hold other systems' credentials: admins define them; anyone who edits may check one reaches its receiver.
  'channel.create': { scopes: ['admin'], what: 'add notification channels' },
  'channel.update': { scopes: ['admin'], what: 'change notification channels' },
  'channel.delete': { scopes: ['admin'], what: 'delete notification channels' },
  'channel.test': { scopes: ['write'], what: 'send test notifications' },
  'route.create': { ...WRITE_TEAM, what: 'route alerts' },
  'route.delete': { ...WRITE_TEAM, what: 'delete alert routes' },
  'silence.create': { ...WRITE_TEAM, what: 'silence notifications' },
  'silence.end': { ...WRITE_TEAM, what: 'end silences' },
  'policy.preview': { scopes: ['read'], what: 'preview policies' },
  'gate.evaluate': { scopes: ['gate', 'write'], teamScoped: true, what: 'ask the release gate' },
  'gate.override': { ...WRITE_TEAM, what: 'override release gates' },
  'deployment.create': { scopes: ['gate', 'write'], teamScoped: true, what: 'record deployments' },
  'embed.create': { ...WRITE_TEAM, what: 'create embed links' },
  'embed.revoke': { ...WRITE_TEAM, what: 'revoke embed links' },
  'user.create': { scopes: ['admin'], what: 'add users' },
  'user.read': { scopes: ['admin'], what: 'list users' },
  ingest: { scopes: ['ingest'], what: 'push metrics' },
};

const ALLOW: Decision = { allowed: true };

function refuse(actor: Actor, reason: string): Decision {
  if (actor.kind !== 'anonymous') return { allowed: false, status: 403, reason };
  return { allowed: false, status: 401, reason: actor.mayRead ? 'Sign in to make changes' : 'Sign in, or send an API token (Authorization: Bearer …)' };
}

function aRole(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

function who(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return aRole(actor.role).replace(/^a/, 'A');
    case 'token':
      return actor.tokenKind === 'personal' && actor.owner ? `This token (of ${aRole(actor.owner.role)})` : 'This token';
    default:
      return 'You';
  }
}

function check(actor: Actor, principal: Principal, rule: Rule, team?: string): Decision {
  if (!rule.scopes.some((s) => principal.scopes.has(s))) {
    const needed = rule.scopes.join(' or ');
    return refuse(actor, actor.kind === 'token' ? `${who(actor)} lacks the ${needed} scope needed to ${rule.what}` : `${who(actor)} may not ${rule.what}`);
  }
  if (rule.teamScoped && principal.teams !== 'all' && (team === undefined || !principal.teams.has(team))) {
    return refuse(
      actor,
      `${who(actor)} may ${rule.what} only for ${principal.teams.size === 0 ? 'their teams, and has none' : `the teams ${[...principal.teams].map((t) => `“${t}”`).join(', ')}`}; this belongs to team “${team ?? '?'}”`,
    );
  }
  return ALLOW;
}

/**
 * A new token never exceeds whoever makes it: its scopes are among the maker's own (the admin scope lets a token
 * make tokens, not grant what it lacks), and a maker limited to some teams gives no token more teams (none: all).
 */
function withinMaker(actor: Actor, principal: Principal, target: { scopes?: readonly Scope[]; teams?: readonly string[] }): Decision {
  const beyond = (target.scopes ?? []).filter((s) => !principal.scopes.has(s));
  if (beyond.length > 0) {
    const own = actor.kind === 'token' ? `: a token makes tokens only within its own scopes (${[...principal.scopes].join(', ') || 'none'})` : '';
    return refuse(actor, `${who(actor)} may not give a token the ${beyond.join(', ')} scope${beyond.length > 1 ? 's' : ''}${own}`);
  }
  if (principal.teams !== 'all' && target.teams !== undefined) {
    const teams = principal.teams;
    const outside = target.teams.filter((t) => !teams.has(t));
    if (target.teams.length === 0 || outside.length > 0) {
      const mine = [...teams].map((t) => `“${t}”`).join(', ') || 'none';
      return refuse(
        actor,
        `${who(actor)} may give a token only its own teams (${mine}), not ${target.teams.length === 0 ? 'every team' : outside.map((t) => `“${t}”`).join(', ')}`,
      );
    }
  }
  return ALLOW;
}

/** The rules themselves: may `actor` do `action` to `target`? */
export function can(actor: Actor, action: Action, target: Target = {}): Decision {
  const principal = principalOf(actor);
  switch (action) {
    case 'policy.update':
      // The organisation default is an admin's; a service's policy is its team's.
      if ('policy' in target) return check(actor, principal, { scopes: ['admin'], what: 'change the default policy' });
      return check(actor, principal, { ...WRITE_TEAM, what: 'change policies' }, 'team' in target ? target.team : undefined);
    case 'token.create': {
      if (!('tokenKind' in target)) return refuse(actor, 'No token named');
      if (target.tokenKind === 'service') {
        const admin = check(actor, principal, { scopes: ['admin'], what: 'create service tokens' });
        return admin.allowed ? withinMaker(actor, principal, target) : admin;
      }
      // Personal tokens: made by a signed-in person for themselves, with no more than their role allows.
      if (actor.kind !== 'user') return refuse(actor, 'Personal tokens are created by a signed-in user, not with a token');
      return withinMaker(actor, principal, { scopes: target.scopes }); // it acts for its owner's teams, as they are then
    }
    case 'token.update':
    case 'token.revoke': {
      // Your own personal tokens, signed in; a token's bindings and service tokens are an admin's.
      if (!('tokenKind' in target)) return refuse(actor, 'No token named');
      if (target.tokenKind === 'personal' && principal.userId !== null && principal.userId === target.owner && actor.kind === 'user') return ALLOW;
      const verb = action === 'token.update' ? 'change' : 'revoke';
      const admin = check(actor, principal, { scopes: ['admin'], what: `${verb} other people’s or service tokens` });
      if (!admin.allowed) return admin;
      // A team-limited admin token touches only its teams' tokens: it can neither revoke another team's CI token nor
      // free a token of its teams. Changing a token's bindings also needs every scope the token has: an admin-only
      // token does not redirect what an ingest token feeds.
      if (target.tokenKind === 'service') {
        const current = withinMaker(actor, principal, { scopes: action === 'token.update' ? target.scopes : [], teams: target.teams });
        if (!current.allowed) return current;
        if (target.newTeams !== undefined) return withinMaker(actor, principal, { teams: target.newTeams });
      }
      return ALLOW;
    }
    case 'user.update':
      return check(actor, principal, { scopes: ['admin'], what: 'change users' });
    case 'audit.read': {
      const kind = 'audit' in target ? target.audit : 'all';
      // Who holds which token and who signed in when is for admins; changes to services and SLOs are for readers.
      if (kind === 'token' || kind === 'user' || kind === 'all' || kind === 'datasource' || kind === 'channel')
        return check(actor, principal, { scopes: ['admin'], what: `read the ${kind === 'all' ? 'whole' : kind} audit trail` });
      return check(actor, principal, { scopes: ['read'], what: 'read the audit trail' });
    }
    default: {
      const rule = RULES[action];
      return check(actor, principal, rule, 'team' in target ? target.team : undefined);
    }
  }
}
