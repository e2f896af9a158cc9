import { describe, expect, test } from 'vitest';
import { can, principalOf, type Action, type Actor, type Role, type Scope, type Target, type TokenActor, type UserActor } from './permissions';

const user = (role: Role, teams: string[] = []): UserActor => ({
  kind: 'user',
  id: `id-${role}`,
  username: role,
  displayName: role,
  role,
  teams,
  sessionId: 's',
});
const token = (scopes: Scope[], teams: string[] = [], owner: TokenActor['owner'] = null): TokenActor => ({
  kind: 'token',
  id: 't',
  name: 'ci',
  tokenKind: owner ? 'personal' : 'service',
  scopes,
  teams,
  owner,
});
const nobody: Actor = { kind: 'anonymous', mayRead: false };
const reader: Actor = { kind: 'anonymous', mayRead: true };

const checkout = { service: 'checkout', team: 'shop' };
const payments = { service: 'payments', team: 'money' };

function verdict(actor: Actor, action: Action, target: Target = {}): 'allow' | 401 | 403 {
  const decision = can(actor, action, target);
  return decision.allowed ? 'allow' : decision.status;
}

describe('roles against team-scoped changes', () => {
  // Editors change their teams' services; admins any; viewers none. Refusing a signed-in person is 403, nobody 401.
  const actions: Action[] = [
    'service.create',
    'service.update',
    'service.delete',
    'slo.create',
    'slo.update',
    'slo.delete',
    'policy.update',
    'gate.override',
    'gate.evaluate',
    'deployment.create',
    'embed.create',
    'embed.revoke',
  ];
  test.each(actions)('%s', (action) => {
    expect(verdict(user('viewer', ['shop']), action, checkout)).toBe(403);
    expect(verdict(user('editor', ['shop']), action, checkout)).toBe('allow');
    expect(verdict(user('editor', ['shop']), action, payments)).toBe(403);
    expect(verdict(user('editor'), action, checkout)).toBe(403);
    expect(verdict(user('admin'), action, payments)).toBe('allow');
    expect(verdict(nobody, action, checkout)).toBe(401);
    expect(verdict(reader, action, checkout)).toBe(401);
  });
});

describe('notification routes and silences: editors of the team', () => {
  const actions: Action[] = ['route.create', 'route.delete', 'silence.create', 'silence.end'];
  test.each(actions)('%s', (action) => {
    for (const target of [{ team: 'shop' }, checkout]) {
      expect(verdict(user('viewer', ['shop']), action, target)).toBe(403);
      expect(verdict(user('editor', ['shop']), action, target)).toBe('allow');
      expect(verdict(user('editor', ['money']), action, target)).toBe(403);
      expect(verdict(user('admin'), action, target)).toBe('allow');
      expect(verdict(token(['write'], ['shop']), action, target)).toBe('allow');
      expect(verdict(token(['write'], ['money']), action, target)).toBe(403);
      expect(verdict(nobody, action, target)).toBe(401);
    }
  });

  test('sending a test notification: anyone who may write, of any team; not a viewer or a read token', () => {
    const target = { channel: 'oncall' };
    expect(verdict(user('editor', ['money']), 'channel.test', target)).toBe('allow');
    expect(verdict(user('admin'), 'channel.test', target)).toBe('allow');
    expect(verdict(user('viewer', ['shop']), 'channel.test', target)).toBe(403);
    expect(verdict(token(['read']), 'channel.test', target)).toBe(403);
    expect(verdict(nobody, 'channel.test', target)).toBe(401);
  });
});

describe('admin-only actions', () => {
  const actions: Array<[Action, Target]> = [
    ['datasource.create', { datasource: 'prom' }],
    ['datasource.update', { datasource: 'prom' }],
    ['datasource.delete', { datasource: 'prom' }],
    ['datasource.test', { datasource: 'prom' }],
    ['channel.create', { channel: 'oncall' }],
    ['channel.update', { channel: 'oncall' }],
    ['channel.delete', { channel: 'oncall' }],
    ['audit.read', { audit: 'channel' }],
    ['policy.update', { policy: 'default' }],
    ['user.create', {}],
    ['user.update', { user: 'bob' }],
    ['user.read', {}],
    ['token.create', { token: 'x', tokenKind: 'service', owner: null }],
    ['audit.read', { audit: 'all' }],
    ['audit.read', { audit: 'token' }],
  ];
  test.each(actions)('%s %j', (action, target) => {
    expect(verdict(user('viewer'), action, target)).toBe(403);
    expect(verdict(user('editor', ['shop']), action, target)).toBe(403);
    expect(verdict(user('admin'), action, target)).toBe('allow');
    expect(verdict(token(['admin']), action, target)).toBe('allow');
    expect(verdict(token(['read', 'write', 'gate', 'ingest']), action, target)).toBe(403);
    expect(verdict(nobody, action, target)).toBe(401);
  });
});

describe('reading', () => {
  test('every role and read-scoped token reads; nobody only in anonymous mode', () => {
    for (const role of ['viewer', 'editor', 'admin'] as const) expect(verdict(user(role), 'read')).toBe('allow');
    expect(verdict(token(['read']), 'read')).toBe('allow');
    expect(verdict(token(['gate']), 'read')).toBe(403);
    expect(verdict(token(['ingest']), 'read')).toBe(403);
    expect(verdict(nobody, 'read')).toBe(401);
    expect(verdict(reader, 'read')).toBe('allow');
  });

  test("a service's history is for readers; tokens, users and the whole trail for admins", () => {
    expect(verdict(user('viewer'), 'audit.read', { audit: 'service' })).toBe('allow');
    expect(verdict(user('viewer'), 'audit.read', { audit: 'slo' })).toBe('allow');
    expect(verdict(user('viewer'), 'audit.read', { audit: 'user' })).toBe(403);
    expect(verdict(reader, 'audit.read', { audit: 'policy' })).toBe('allow');
  });
});

describe('token scopes', () => {
  test('gate: asks the gate and records deploys, for its teams, nothing else', () => {
    const ci = token(['gate'], ['shop']);
    expect(verdict(ci, 'gate.evaluate', checkout)).toBe('allow');
    expect(verdict(ci, 'deployment.create', checkout)).toBe('allow');
    expect(verdict(ci, 'gate.evaluate', payments)).toBe(403);
    expect(verdict(ci, 'gate.override', checkout)).toBe(403);
    expect(verdict(ci, 'slo.update', checkout)).toBe(403);
    expect(verdict(ci, 'ingest')).toBe(403);
  });

  test('a service token without teams may act on any team; ingest only pushes', () => {
    expect(verdict(token(['write']), 'slo.update', payments)).toBe('allow');
    expect(verdict(token(['ingest']), 'ingest')).toBe('allow');
    expect(verdict(token(['ingest']), 'slo.update', checkout)).toBe(403);
    expect(can(token(['ingest']), 'slo.update', checkout)).toMatchObject({ reason: 'This token lacks the write scope needed to change SLOs' });
  });

  test("a personal token never exceeds its owner's role or teams, as they are now", () => {
    const ownerEditor = { id: 'u', username: 'ed', role: 'editor' as const, teams: ['shop'] };
    const personal = token(['read', 'write', 'admin'], [], ownerEditor);
    expect([...principalOf(personal).scopes].sort()).toEqual(['read', 'write']);
    expect(verdict(personal, 'slo.update', checkout)).toBe('allow');
    expect(verdict(personal, 'slo.update', payments)).toBe(403);
    expect(verdict(personal, 'datasource.create', { datasource: 'x' })).toBe(403);
    // Demoted to viewer: the same token now only reads.
    const demoted = token(['read', 'write'], [], { ...ownerEditor, role: 'viewer' });
    expect(verdict(demoted, 'slo.update', checkout)).toBe(403);
    expect(verdict(demoted, 'read')).toBe('allow');
  });
});

describe('tokens themselves', () => {
  test('anyone signed in makes personal tokens within their role; only admins make service tokens', () => {
    expect(verdict(user('viewer'), 'token.create', { token: 'x', tokenKind: 'personal', owner: 'id-viewer', scopes: ['read'] })).toBe('allow');
    expect(verdict(user('viewer'), 'token.create', { token: 'x', tokenKind: 'personal', owner: 'id-viewer', scopes: ['read', 'write'] })).toBe(403);
    expect(can(user('editor'), 'token.create', { token: 'x', tokenKind: 'personal', owner: 'e', scopes: ['admin', 'ingest'] })).toMatchObject({
      reason: 'An editor may not give a token the admin, ingest scopes',
    });
    expect(verdict(user('editor'), 'token.create', { token: 'x', tokenKind: 'service', owner: null, scopes: ['gate'] })).toBe(403);
    // A token cannot mint personal tokens: only a person signed in can.
    expect(verdict(token(['admin']), 'token.create', { token: 'x', tokenKind: 'personal', owner: null, scopes: ['read'] })).toBe(403);
  });

  // Issue 14: a token's scopes bound the tokens it may mint; the admin scope alone grants no write, gate or ingest.
  const service = (scopes: Scope[], teams: string[] = []): Target => ({ token: 'x', tokenKind: 'service', owner: null, scopes, teams });
  test.each<[string, Actor, Target, 'allow' | 401 | 403]>([
    ['an admin-only token, a write token', token(['admin']), service(['write']), 403],
    ['an admin-only token, a gate token', token(['admin']), service(['gate']), 403],
    ['an admin-only token, an ingest token', token(['admin']), service(['ingest']), 403],
    ['an admin-only token, a read token', token(['admin']), service(['read']), 403],
    ['an admin-only token, an admin token', token(['admin']), service(['admin']), 'allow'],
    ['an admin+gate token, a gate token', token(['admin', 'gate']), service(['gate']), 'allow'],
    ['an admin+gate token, a gate+write token', token(['admin', 'gate']), service(['gate', 'write']), 403],
    [
      'an every-scope token, an every-scope token',
      token(['read', 'write', 'gate', 'ingest', 'admin']),
      service(['read', 'write', 'gate', 'ingest', 'admin']),
      'allow',
    ],
    ['a write token (no admin), a write token', token(['write']), service(['write']), 403],
    ['a team-limited admin token, a token for its team', token(['admin', 'write'], ['shop']), service(['write'], ['shop']), 'allow'],
    ['a team-limited admin token, a token for every team', token(['admin', 'write'], ['shop']), service(['write'], []), 403],
    ['a team-limited admin token, a token for another team', token(['admin', 'write'], ['shop']), service(['write'], ['shop', 'money']), 403],
    [
      "an admin's personal token (admin scope only), a gate token",
      token(['admin'], [], { id: 'a', username: 'root', role: 'admin', teams: [] }),
      service(['gate']),
      403,
    ],
    [
      "an admin's personal token with admin and gate, a gate token",
      token(['admin', 'gate'], [], { id: 'a', username: 'root', role: 'admin', teams: [] }),
      service(['gate']),
      'allow',
    ],
    [
      "a demoted admin's personal token, an admin token",
      token(['admin'], [], { id: 'a', username: 'was-root', role: 'editor', teams: [] }),
      service(['admin']),
      403,
    ],
    ['an admin, any service token', user('admin'), service(['read', 'write', 'gate', 'ingest', 'admin']), 'allow'],
    ['an admin, a token for every team', user('admin'), service(['write'], []), 'allow'],
    [
      'an editor, a personal token within the role',
      user('editor', ['shop']),
      { token: 'x', tokenKind: 'personal', owner: 'id-editor', scopes: ['read', 'write', 'gate'] },
      'allow',
    ],
  ])('minting: %s -> %s', (_, actor, target, want) => expect(verdict(actor, 'token.create', target)).toBe(want));

  test('a refused mint says which scopes the maker lacks', () => {
    expect(can(token(['admin']), 'token.create', service(['write', 'gate', 'read']))).toMatchObject({
      status: 403,
      reason: 'This token may not give a token the write, gate, read scopes: a token makes tokens only within its own scopes (admin)',
    });
    expect(can(token(['admin', 'write'], ['shop']), 'token.create', service(['write'], []))).toMatchObject({
      reason: 'This token may give a token only its own teams (“shop”), not every team',
    });
  });

  test.each(['token.revoke', 'token.update'] as const)('%s: your own personal tokens, signed in; admins any', (action) => {
    const viewer = user('viewer');
    expect(verdict(viewer, action, { token: 't', tokenKind: 'personal', owner: viewer.id })).toBe('allow');
    expect(verdict(viewer, action, { token: 't', tokenKind: 'personal', owner: 'someone-else' })).toBe(403);
    expect(verdict(viewer, action, { token: 't', tokenKind: 'service', owner: null })).toBe(403);
    expect(verdict(user('editor', ['shop']), action, { token: 't', tokenKind: 'service', owner: null })).toBe(403);
    expect(verdict(token(['write', 'ingest']), action, { token: 't', tokenKind: 'service', owner: null })).toBe(403);
    expect(verdict(token(['admin']), action, { token: 't', tokenKind: 'service', owner: null })).toBe('allow');
    expect(verdict(user('admin'), action, { token: 't', tokenKind: 'personal', owner: 'someone-else' })).toBe('allow');
    expect(verdict(nobody, action, { token: 't', tokenKind: 'service', owner: null })).toBe(401);
  });

  test.each(['token.revoke', 'token.update'] as const)('%s: a team-limited admin token touches only tokens it could have made', (action) => {
    const shopAdmin = token(['admin', 'write', 'ingest'], ['shop']);
    const shopCi = { token: 't', tokenKind: 'service' as const, owner: null, scopes: ['ingest'] as Scope[], teams: ['shop'] };
    expect(verdict(shopAdmin, action, shopCi)).toBe('allow');
    expect(verdict(shopAdmin, action, { ...shopCi, teams: ['money'] })).toBe(403);
    expect(verdict(shopAdmin, action, { ...shopCi, teams: [] })).toBe(403);
    // Revoking needs no scope the token has (it grants nothing); changing its bindings does.
    expect(verdict(shopAdmin, action, { ...shopCi, scopes: ['gate'] as Scope[] })).toBe(action === 'token.update' ? 403 : 'allow');
    expect(verdict(user('admin'), action, { ...shopCi, teams: ['money'] })).toBe('allow');
  });

  test('token.update: no team-limited admin token frees a token of its teams, or hands it another team', () => {
    const shopAdmin = token(['admin', 'ingest'], ['shop']);
    const shopCi = { token: 't', tokenKind: 'service' as const, owner: null, scopes: ['ingest'] as Scope[], teams: ['shop'] };
    expect(verdict(shopAdmin, 'token.update', { ...shopCi, newTeams: [] })).toBe(403);
    expect(verdict(shopAdmin, 'token.update', { ...shopCi, newTeams: ['shop', 'money'] })).toBe(403);
    expect(verdict(shopAdmin, 'token.update', { ...shopCi, newTeams: ['shop'] })).toBe('allow');
  });

  test('an ingest token changes no token, not even its own bindings', () => {
    expect(can(token(['ingest'], ['payments']), 'token.update', { token: 't', tokenKind: 'service', owner: null })).toMatchObject({
      status: 403,
      reason: 'This token lacks the admin scope needed to change other people’s or service tokens',
    });
  });
});

describe('refusals say why', () => {
  test('editors are told which teams they may change', () => {
    expect(can(user('editor', ['shop', 'web']), 'slo.update', payments)).toEqual({
      allowed: false,
      status: 403,
      reason: 'An editor may change SLOs only for the teams “shop”, “web”; this belongs to team “money”',
    });
    expect(can(user('viewer'), 'service.create', checkout)).toMatchObject({ reason: 'A viewer may not create services' });
    expect(can(nobody, 'read')).toMatchObject({ status: 401, reason: 'Sign in, or send an API token (Authorization: Bearer …)' });
  });
});
