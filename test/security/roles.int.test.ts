// Every change the API offers, asked by every kind of caller: who may (a real 2xx, with its audit entries) and who
// may not (401 for no valid credentials, 403 for the wrong role, scope or team), where a refusal changes nothing.
// The rules are the issue's: viewers read; editors change services, SLOs, policies, overrides, deploys and embeds
// of their teams; admins also data sources, service tokens, users and the default policy; anyone signed in makes
// their own personal tokens within their role; gate tokens ask the gate and record deploys.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../lib/db/client';
import type { ErrorBudgetPolicy } from '../../lib/db/generated/client';
import { ChannelInput, DataSourceInput, EmbedInput, PolicyInput, RouteInput, SilenceInput, SloInput, UserInput } from '../../lib/schemas';
import { revokeApiToken } from '../../lib/use-cases/access/api-tokens';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { createChannel } from '../../lib/use-cases/notifications/create-channel';
import { createRoute } from '../../lib/use-cases/notifications/routes';
import { createSilence } from '../../lib/use-cases/notifications/silences';
import { createSlo } from '../../lib/use-cases/slos/create-slo';
import { createEmbed } from '../../lib/use-cases/embeds/embeds';
import { putDefaultPolicy, putServicePolicy } from '../../lib/use-cases/gates/gate-policy';
import { signInAttempts } from '../../lib/use-cases/access/sign-in-attempts';
import { createPasswordLink, createUser, updateUser } from '../../lib/use-cases/access/users';
import { tokenLimits } from '../../lib/http/token-limits';
import { makeToken, makeUser, sessionFor, type TestUser } from '../auth';
import { callRoute, makeService, SYSTEM, uniqueSlug } from '../factories';
import { diff, routesOnDisk, snapshot, type Handler } from './support';

const IDENTITIES = [
  'nobody',
  'viewer',
  'editor',
  'editor of another team',
  'admin',
  'token read',
  'token write',
  'token gate',
  'token ingest',
  'token admin',
  'token write, another team',
  'token gate, another team',
  'viewer’s token with write',
  'editor’s token',
  'expired token',
  'revoked token',
] as const;
type IdentityName = (typeof IDENTITIES)[number];

interface Identity {
  name: IdentityName;
  /** What the caller sends: a session's cookie and CSRF header, a bearer token, or nothing. */
  headers: Record<string, string> | null;
  /** The person behind a session. */
  user?: TestUser;
  /** The token a token identity sends. */
  tokenId?: string;
}

/** Credentials that do not authenticate anyone: refused with 401 whatever they ask. */
const UNAUTHENTICATED: readonly IdentityName[] = ['nobody', 'expired token', 'revoked token'];

// Who may, by the rules; everyone else authenticated gets 403.
const TEAM_EDITORS: readonly IdentityName[] = ['editor', 'admin', 'token write', 'editor’s token'];
const GATE_CALLERS: readonly IdentityName[] = [...TEAM_EDITORS, 'token gate'];
const ADMINS: readonly IdentityName[] = ['admin', 'token admin'];
const ANY_EDITOR: readonly IdentityName[] = ['editor', 'editor of another team', 'admin', 'token write', 'token write, another team', 'editor’s token'];
const READERS: readonly IdentityName[] = ['viewer', 'editor', 'editor of another team', 'admin', 'token read', 'viewer’s token with write', 'editor’s token'];
const PEOPLE: readonly IdentityName[] = ['viewer', 'editor', 'editor of another team', 'admin'];

interface Arranged {
  params?: Record<string, string>;
  body?: unknown;
  /** A body that is not JSON, with its content type. */
  raw?: { text: string; contentType: string };
  /** Instead of the identity's own headers: a fresh session where the call ends or replaces the session it uses. */
  headers?: Record<string, string>;
  /** Audit entries an allowed call writes, when it depends on who asks. */
  audits?: number;
}

interface Row {
  /** Method and path as on disk. */
  route: string;
  what?: string;
  /** Who may; 'public': sign-in itself, open to anyone whose credentials (if any) are valid. */
  allowed: readonly IdentityName[] | 'public';
  arrange: (who: Identity) => Promise<Arranged>;
  /** The status of an allowed call. */
  status: number;
  /** Audit entries an allowed call writes. */
  audits: number;
}

let teamA = '';
let teamB = '';
let datasource = '';
const ids = new Map<IdentityName, Identity>();
const handlers = new Map<string, Handler>();
let defaultPolicyBefore: ErrorBudgetPolicy | null = null;
let demotedTokenId = '';

const service = (team = teamA) => makeService({ ownerTeam: team });

function prometheusSli() {
  return { source: 'prometheus', datasource, kind: 'ratio', badSelector: 'http_requests_total{code=~"5.."}', totalSelector: 'http_requests_total' };
}

async function serviceWithSlo(): Promise<{ service: string; slo: string }> {
  const s = await service();
  const slo = await createSlo({
    actor: SYSTEM,
    service: s.slug,
    input: SloInput.parse({ slug: uniqueSlug('slo'), name: 'Availability', objective: 0.99, sli: prometheusSli() }),
  });
  return { service: s.slug, slo: slo.slug };
}

async function serviceToken(): Promise<string> {
  return (await makeToken({ scopes: ['read'] })).id;
}

async function personalToken(owner: TestUser): Promise<string> {
  return (await makeToken({ owner, scopes: ['read'] })).id;
}

async function dataSource(): Promise<string> {
  const slug = uniqueSlug('ds');
  await createDataSource({ actor: SYSTEM, input: DataSourceInput.parse({ slug, name: 'Unreachable', url: 'http://127.0.0.1:9' }) });
  return slug;
}

/** A webhook channel to an address nothing listens on. */
async function channel(): Promise<string> {
  const slug = uniqueSlug('ch');
  await createChannel({
    actor: SYSTEM,
    input: ChannelInput.parse({ slug, name: 'Nowhere', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, secret: 'stored-signing-secret' }),
  });
  return slug;
}

async function routeOfTeamA(): Promise<string> {
  return (await createRoute({ actor: SYSTEM, input: RouteInput.parse({ team: teamA, channel: await channel() }) })).id;
}

async function silenceOfTeamA(): Promise<string> {
  const input = SilenceInput.parse({
    scope: 'service',
    service: (await service()).slug,
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    reason: 'roles test',
  });
  return (await createSilence({ actor: SYSTEM, input })).id;
}

/** A session of its own for a person (the call ends or replaces the session it is made with). */
async function ownSession(who: Identity): Promise<Arranged> {
  return who.user ? { headers: (await sessionFor(who.user)).headers } : {};
}

const editor = () => makeUser({ role: 'editor', teams: [teamA] });

const ROWS: Row[] = [
  // ---- services, SLOs, policies, overrides, deploys, embeds: editors of the owning team ----
  {
    route: 'POST /api/v1/services',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ body: { slug: uniqueSlug('svc'), name: 'New service', ownerTeam: teamA, tier: 2 } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/services/{service}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { service: (await service()).slug }, body: { name: 'Renamed' } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/services/{service}',
    what: 'handing it to another team',
    // Also needs the right to change the other team's services.
    allowed: ['admin', 'token write'],
    arrange: async () => ({ params: { service: (await service()).slug }, body: { ownerTeam: teamB } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/services/{service}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { service: (await service()).slug } }),
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/services/{service}/slos',
    allowed: TEAM_EDITORS,
    arrange: async () => ({
      params: { service: (await service()).slug },
      body: { slug: uniqueSlug('slo'), name: 'Availability', objective: 0.999, sli: prometheusSli() },
    }),
    status: 201,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/services/{service}/slos/{slo}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: await serviceWithSlo(), body: { name: 'Renamed SLO', objective: 0.995 } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/services/{service}/slos/{slo}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: await serviceWithSlo() }),
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/services/{service}/slos/{slo}/backfill',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: await serviceWithSlo() }),
    status: 202,
    audits: 1,
  },
  {
    route: 'PUT /api/v1/services/{service}/policy',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { service: (await service()).slug }, body: { rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }] } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/services/{service}/policy',
    allowed: TEAM_EDITORS,
    arrange: async () => {
      const s = await service();
      await putServicePolicy({ actor: SYSTEM, service: s.slug, input: PolicyInput.parse({ rules: [] }) });
      return { params: { service: s.slug } };
    },
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/services/{service}/policy/preview',
    // A preview stores nothing: a read.
    allowed: READERS,
    arrange: async () => ({ params: { service: (await service()).slug }, body: { rules: [{ kind: 'budget_remaining', below: 0.5, verdict: 'warn' }] } }),
    status: 200,
    audits: 0,
  },
  {
    route: 'POST /api/v1/openslo/plan',
    // A plan stores nothing: a read.
    allowed: READERS,
    arrange: async () => ({
      raw: {
        text: `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${uniqueSlug('svc')}\n  labels:\n    team: ${teamA}\n    tier: "2"\n`,
        contentType: 'application/yaml',
      },
    }),
    status: 200,
    audits: 0,
  },
  {
    route: 'POST /api/v1/catalog/plan',
    // A plan stores nothing: a read.
    allowed: READERS,
    arrange: async () => ({
      raw: {
        text: `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${uniqueSlug('svc')}\n  labels:\n    team: ${teamA}\n    tier: "2"\n`,
        contentType: 'application/yaml',
      },
    }),
    status: 200,
    audits: 0,
  },
  {
    route: 'POST /api/v1/catalog/apply',
    // Each object applied needs the right its own create would: a service of team A.
    allowed: TEAM_EDITORS,
    arrange: async () => ({
      raw: {
        text: `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${uniqueSlug('svc')}\n  labels:\n    team: ${teamA}\n    tier: "2"\n`,
        contentType: 'application/yaml',
      },
    }),
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/services/{service}/gate',
    allowed: GATE_CALLERS,
    // Every answer is kept in the gate's history (gate_checks), not in the audit trail.
    arrange: async () => ({ params: { service: (await service()).slug }, body: { version: '1.2.3', environment: 'production' } }),
    status: 200,
    audits: 0,
  },
  {
    route: 'POST /api/v1/services/{service}/gate/overrides',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { service: (await service()).slug }, body: { version: '1.2.3', reason: 'Hotfix for the checkout outage' } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/deployments',
    allowed: GATE_CALLERS,
    arrange: async () => ({ body: { service: (await service()).slug, version: '1.2.3' } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/embeds',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ body: { service: (await service()).slug, panel: 'service' } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/embeds/{embed}',
    allowed: TEAM_EDITORS,
    arrange: async () => {
      const s = await service();
      const link = await createEmbed({ actor: SYSTEM, input: EmbedInput.parse({ service: s.slug, panel: 'service' }), origin: 'http://umpire.test' });
      return { params: { embed: link.id } };
    },
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/sli/preview',
    // Part of writing an SLO, for any team; not team-scoped because it names no service.
    allowed: ANY_EDITOR,
    arrange: async () => ({ body: { sli: { source: 'demo', profile: 'availability' } } }),
    status: 200,
    audits: 0,
  },

  // ---- admins: data sources, the default policy, service tokens, users ----
  {
    route: 'POST /api/v1/datasources',
    allowed: ADMINS,
    arrange: async () => ({
      body: { slug: uniqueSlug('ds'), name: 'Prometheus', url: 'http://127.0.0.1:9', auth: { kind: 'bearer', token: 'secret-token-value' } },
    }),
    status: 201,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/datasources/{datasource}',
    allowed: ADMINS,
    arrange: async () => ({ params: { datasource: await dataSource() }, body: { name: 'Renamed' } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/datasources/{datasource}',
    what: 'its URL to another host, without its credentials',
    // Refused even for admins (issue 14): the stored credentials would go to the new host. 422 on auth, no change.
    allowed: ADMINS,
    arrange: async () => {
      const slug = uniqueSlug('ds');
      await createDataSource({
        actor: SYSTEM,
        input: DataSourceInput.parse({ slug, name: 'With a token', url: 'http://127.0.0.1:9', auth: { kind: 'bearer', token: 'stored-secret' } }),
      });
      return { params: { datasource: slug }, body: { url: 'http://127.0.0.2:9' } };
    },
    status: 422,
    audits: 0,
  },
  {
    route: 'DELETE /api/v1/datasources/{datasource}',
    allowed: ADMINS,
    arrange: async () => ({ params: { datasource: await dataSource() } }),
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/datasources/{datasource}/test',
    // It sends the stored credentials somewhere: admins only. The backend is unreachable: 200 with ok false.
    allowed: ADMINS,
    arrange: async () => ({ params: { datasource: await dataSource() } }),
    status: 200,
    audits: 0,
  },
  {
    route: 'POST /api/v1/channels',
    allowed: ADMINS,
    arrange: async () => ({
      body: { slug: uniqueSlug('ch'), name: 'Hook', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, secret: 'signing-secret-value' },
    }),
    status: 201,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/channels/{channel}',
    allowed: ADMINS,
    arrange: async () => ({ params: { channel: await channel() }, body: { name: 'Renamed' } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/channels/{channel}',
    what: 'its URL to another host, without its secret',
    // Refused even for admins: the stored secret would go to the new host. 422 on secret, no change.
    allowed: ADMINS,
    arrange: async () => ({ params: { channel: await channel() }, body: { config: { kind: 'webhook', url: 'http://127.0.0.2:9/hook' } } }),
    status: 422,
    audits: 0,
  },
  {
    route: 'DELETE /api/v1/channels/{channel}',
    allowed: ADMINS,
    arrange: async () => ({ params: { channel: await channel() } }),
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/channels/{channel}/test',
    // Anyone who edits may check a channel reaches its receiver (the secret never leaves the server). Nothing listens:
    // 200 with ok false, recorded in the delivery log and the audit trail.
    allowed: ANY_EDITOR,
    arrange: async () => ({ params: { channel: await channel() } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/routes',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ body: { team: teamA, channel: await channel(), severities: ['page'] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/routes/{id}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { id: await routeOfTeamA() } }),
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/silences',
    allowed: TEAM_EDITORS,
    arrange: async () => ({
      body: { scope: 'service', service: (await service()).slug, endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'maintenance' },
    }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/silences',
    what: 'a whole team',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ body: { scope: 'team', team: teamA, endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'offsite' } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/silences/{id}',
    allowed: TEAM_EDITORS,
    arrange: async () => ({ params: { id: await silenceOfTeamA() } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PUT /api/v1/policies/default',
    allowed: ADMINS,
    arrange: async () => ({ body: { rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }], onMissingData: 'warn' } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/policies/default',
    allowed: ADMINS,
    arrange: async () => {
      await putDefaultPolicy({ actor: SYSTEM, input: PolicyInput.parse({ rules: [] }) });
      return {};
    },
    status: 204,
    audits: 1,
  },
  {
    route: 'POST /api/v1/tokens',
    what: 'a service token with the admin scope',
    allowed: ADMINS,
    arrange: async () => ({ body: { name: `ci ${uniqueSlug()}`, kind: 'service', scopes: ['admin'] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/tokens',
    what: 'a service token with the gate scope',
    // A token mints only within its own scopes: the admin scope alone grants no gate (issue 14).
    allowed: ['admin'],
    arrange: async () => ({ body: { name: `ci ${uniqueSlug()}`, kind: 'service', scopes: ['gate'] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/tokens',
    what: 'a personal token with the read scope',
    // Made by a signed-in person for themselves; never with a token.
    allowed: PEOPLE,
    arrange: async () => ({ body: { name: `laptop ${uniqueSlug()}`, kind: 'personal', scopes: ['read'] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'POST /api/v1/tokens',
    what: 'a personal token with the admin scope',
    // Never beyond the maker's role.
    allowed: ['admin'],
    arrange: async () => ({ body: { name: `laptop ${uniqueSlug()}`, kind: 'personal', scopes: ['read', 'admin'] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/tokens/{token}',
    what: 'a service token',
    allowed: ADMINS,
    arrange: async () => ({ params: { token: await serviceToken() } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/tokens/{token}',
    what: 'the caller’s own personal token',
    // A token's owner revokes it signed in; tokens themselves need the admin scope (the target is then someone else's).
    allowed: [...PEOPLE, 'token admin'],
    arrange: async (who) => ({ params: { token: await personalToken(who.user ?? (await editor())) } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'DELETE /api/v1/tokens/{token}',
    what: 'someone else’s personal token',
    allowed: ADMINS,
    arrange: async () => ({ params: { token: await personalToken(await editor()) } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/tokens/{token}',
    what: 'an ingest token’s teams and service.name pins',
    // An admin-only token does not redirect what an ingest token feeds: rebinding needs the token's own scopes.
    allowed: ['admin'],
    arrange: async () => ({
      params: { token: (await makeToken({ scopes: ['ingest'], teams: [teamB] })).id },
      body: { teams: [teamA], serviceNames: ['checkout-api'] },
    }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/tokens/{token}',
    what: 'the calling token itself, unbound from its teams',
    // A token never widens what it may act on: only an admin (or a token with the admin scope) changes a token.
    // A person's session changes a token of its own making here.
    allowed: ADMINS,
    arrange: async (who) => ({ params: { token: who.tokenId ?? (await makeToken({ scopes: ['ingest'], teams: [teamB] })).id }, body: { teams: [] } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/tokens/{token}',
    what: 'the caller’s own personal token',
    allowed: [...PEOPLE, 'token admin'],
    arrange: async (who) => ({ params: { token: await personalToken(who.user ?? (await editor())) }, body: { name: `renamed ${uniqueSlug()}` } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/tokens/{token}',
    what: 'someone else’s personal token',
    allowed: ADMINS,
    arrange: async () => ({ params: { token: await personalToken(await editor()) }, body: { name: `renamed ${uniqueSlug()}` } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/users',
    allowed: ADMINS,
    arrange: async () => ({ body: { username: uniqueSlug('user'), displayName: 'New person', role: 'viewer', teams: [teamA] } }),
    status: 201,
    audits: 1,
  },
  {
    route: 'PATCH /api/v1/users/{user}',
    allowed: ADMINS,
    arrange: async () => ({ params: { user: (await makeUser({ role: 'viewer' })).username }, body: { role: 'editor', teams: [teamA] } }),
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/users/{user}/password-link',
    allowed: ADMINS,
    arrange: async () => ({ params: { user: (await makeUser({ role: 'viewer' })).username } }),
    status: 201,
    audits: 1,
  },

  // ---- oneself ----
  {
    route: 'POST /api/v1/me/password',
    // A person, signed in; a token never changes a password. Each person gets their own user: the change ends the
    // user's other sessions.
    allowed: PEOPLE,
    arrange: async (who) => {
      const body = (current: string) => ({ currentPassword: current, newPassword: `a-new-password-${uniqueSlug()}` });
      if (!who.user) return { body: body('whatever-the-password') };
      const person = await makeUser({ role: who.user.actor.role, teams: [...who.user.actor.teams] });
      return { headers: (await sessionFor(person)).headers, body: body(person.password) };
    },
    status: 204,
    audits: 1,
  },

  // ---- signing in: public, but credentials that are sent must be valid ----
  {
    route: 'POST /api/v1/auth/login',
    allowed: 'public',
    arrange: async (who) => {
      const person = await makeUser({ role: 'viewer' });
      signInAttempts.clear();
      return { ...(await ownSession(who)), body: { username: person.username, password: person.password } };
    },
    status: 200,
    audits: 1,
  },
  {
    route: 'POST /api/v1/auth/logout',
    allowed: 'public',
    arrange: async (who) => ({ ...(await ownSession(who)), audits: who.user ? 1 : 0 }),
    status: 204,
    audits: 0,
  },
  {
    route: 'POST /api/v1/auth/password',
    allowed: 'public',
    arrange: async (who) => {
      const created = await createUser({
        actor: SYSTEM,
        input: UserInput.parse({ username: uniqueSlug('user'), displayName: 'Invited', role: 'viewer' }),
        origin: 'http://umpire.test',
      });
      const token = new URL(created.passwordLink!.url).hash.replace('#token=', '');
      return { ...(await ownSession(who)), body: { token, password: `a-long-password-${uniqueSlug()}` } };
    },
    status: 200,
    audits: 2, // the password set, and the sign-in
  },
  {
    route: 'POST /api/v1/auth/setup',
    // Users exist, so even a valid setup link creates no admin: 422, and the link stays unused.
    allowed: 'public',
    arrange: async (who) => {
      const link = await db().$transaction((tx) => createPasswordLink(tx, { purpose: 'setup', userId: null, createdBy: 'test', origin: 'http://umpire.test' }));
      const token = new URL(link.url).hash.replace('#token=', '');
      return { ...(await ownSession(who)), body: { token, username: uniqueSlug('root'), displayName: 'Root', password: `a-long-password-${uniqueSlug()}` } };
    },
    status: 422,
    audits: 0,
  },
];

function expectation(row: Row, name: IdentityName): 'allowed' | 401 | 403 {
  if (UNAUTHENTICATED.includes(name) && !(row.allowed === 'public' && name === 'nobody')) return 401;
  if (row.allowed === 'public' || row.allowed.includes(name)) return 'allowed';
  return 403;
}

function label(row: Row): string {
  return row.what ? `${row.route} (${row.what})` : row.route;
}

async function invoke(row: Row, who: Identity, arranged: Arranged): Promise<Response> {
  const [method, pattern] = row.route.split(' ') as [string, string];
  const handler = handlers.get(row.route);
  if (!handler) throw new Error(`No handler for ${row.route}`);
  const params = arranged.params ?? {};
  const path = pattern.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const own = arranged.headers ?? who.headers;
  const headers = own && arranged.raw ? { ...own, 'content-type': arranged.raw.contentType } : own;
  return callRoute(handler, {
    method,
    path,
    params,
    body: arranged.body,
    ...(arranged.raw ? { rawBody: arranged.raw.text } : {}),
    ...(headers ? { headers } : { as: 'nobody' }),
  });
}

beforeAll(async () => {
  for (const route of await routesOnDisk(['api/v1'])) {
    for (const [method, handler] of Object.entries(route.handlers)) handlers.set(`${method} ${route.path}`, handler);
  }
  defaultPolicyBefore = await db().errorBudgetPolicy.findUnique({ where: { key: 'default' } });
  teamA = uniqueSlug('team');
  teamB = uniqueSlug('team');
  datasource = await dataSource();

  const session = async (name: IdentityName, role: 'viewer' | 'editor' | 'admin', teams: string[]) => {
    const user = await makeUser({ role, teams });
    ids.set(name, { name, user, headers: (await sessionFor(user)).headers });
    return user;
  };
  const token = async (name: IdentityName, options: Parameters<typeof makeToken>[0]) => {
    const made = await makeToken(options);
    ids.set(name, { name, headers: made.headers, tokenId: made.id });
    return made;
  };
  ids.set('nobody', { name: 'nobody', headers: null });
  await session('viewer', 'viewer', [teamA]);
  const editorUser = await session('editor', 'editor', [teamA]);
  await session('editor of another team', 'editor', [teamB]);
  await session('admin', 'admin', []);
  await token('token read', { scopes: ['read'] });
  await token('token write', { scopes: ['write'] });
  await token('token gate', { scopes: ['gate'] });
  await token('token ingest', { scopes: ['ingest'], teams: [teamA] });
  await token('token admin', { scopes: ['admin'] });
  await token('token write, another team', { scopes: ['write'], teams: [teamB] });
  await token('token gate, another team', { scopes: ['gate'], teams: [teamB] });
  // Made while its owner was an editor; the owner is a viewer now, so the token may no more than read.
  const demoted = await makeUser({ role: 'editor', teams: [teamA] });
  demotedTokenId = (await token('viewer’s token with write', { owner: demoted, scopes: ['read', 'write', 'gate'] })).id;
  await updateUser({ actor: SYSTEM, username: demoted.username, patch: { role: 'viewer' } });
  await token('editor’s token', { owner: editorUser, scopes: ['read', 'write', 'gate'] });
  const expired = await token('expired token', { scopes: ['read', 'write', 'gate', 'ingest', 'admin'], expiresInDays: 1 });
  await db().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  const revoked = await token('revoked token', { scopes: ['read', 'write', 'gate', 'ingest', 'admin'] });
  await revokeApiToken({ actor: SYSTEM, id: revoked.id });
});

afterAll(async () => {
  // The organisation default gates every other test's services: leave it as it was.
  if (defaultPolicyBefore) {
    const { policy } = defaultPolicyBefore;
    await db().errorBudgetPolicy.upsert({
      where: { key: 'default' },
      create: { key: 'default', policy: policy as object },
      update: { policy: policy as object },
    });
  } else {
    await db().errorBudgetPolicy.deleteMany({ where: { key: 'default' } });
  }
});

test('the table names every change the API offers, and nothing that is not one', async () => {
  const onDisk = (await routesOnDisk(['api/v1']))
    .filter((r) => !r.path.includes('{...'))
    .flatMap((r) =>
      Object.keys(r.handlers)
        .filter((m) => m !== 'GET')
        .map((m) => `${m} ${r.path}`),
    );
  expect([...new Set(ROWS.map((r) => r.route))].sort()).toEqual(onDisk.sort());
});

// Minute buckets are counted, not hashed: millions of rows, and no refusal reaches them without touching an SLO.
const BIG_TABLES = ['sli_buckets'];

describe.each(ROWS.map((row) => [label(row), row] as const))('%s', (_, row) => {
  test.each(IDENTITIES)('%s', async (name) => {
    const who = ids.get(name)!;
    tokenLimits.clear();
    const arranged = await row.arrange(who);
    const before = await snapshot({ countOnly: BIG_TABLES });
    const response = await invoke(row, who, arranged);
    const text = await response.text();
    const expected = expectation(row, name);
    if (expected === 'allowed') {
      expect(response.status, text).toBe(row.status);
      const after = await snapshot({ countOnly: BIG_TABLES });
      expect(after.get('audit_events')!.rows - before.get('audit_events')!.rows, 'audit entries written').toBe(arranged.audits ?? row.audits);
    } else {
      expect(response.status, text).toBe(expected);
      expect(JSON.parse(text)).toMatchObject({ error: { code: expected === 401 ? 'unauthenticated' : 'forbidden', message: expect.any(String) } });
      expect(diff(before, await snapshot({ countOnly: BIG_TABLES })), 'a refusal changed the database').toBe('');
    }
  });
});

// The personal token made before its owner was demoted is the one case where a token's own scopes say more than
// its owner may: make sure the fixture really is such a token, so the rows above test what they claim.
test('the demoted owner’s token still carries the write scope it was made with', async () => {
  const row = await db().apiToken.findUniqueOrThrow({ where: { id: demotedTokenId }, include: { user: true } });
  expect(row.scopes).toEqual(['read', 'write', 'gate']);
  expect(row.user?.role).toBe('viewer');
});
