// The audit trail: one entry per change, naming who, what and the object before and after as the API shows it;
// GET /api/v1/audit's filters and paging; who may read which part; and no secret in any entry.
import { beforeAll, describe, expect, test } from 'vitest';
import * as auditRoute from '../../app/api/v1/audit/route';
import * as datasourceRoute from '../../app/api/v1/datasources/[datasource]/route';
import * as datasourcesRoute from '../../app/api/v1/datasources/route';
import * as deploymentsRoute from '../../app/api/v1/deployments/route';
import * as embedRoute from '../../app/api/v1/embeds/[embed]/route';
import * as embedsRoute from '../../app/api/v1/embeds/route';
import * as loginRoute from '../../app/api/v1/auth/login/route';
import * as mePasswordRoute from '../../app/api/v1/me/password/route';
import * as defaultPolicyRoute from '../../app/api/v1/policies/default/route';
import * as overridesRoute from '../../app/api/v1/services/[service]/gate/overrides/route';
import * as policyRoute from '../../app/api/v1/services/[service]/policy/route';
import * as serviceRoute from '../../app/api/v1/services/[service]/route';
import * as backfillRoute from '../../app/api/v1/services/[service]/slos/[slo]/backfill/route';
import * as sloRoute from '../../app/api/v1/services/[service]/slos/[slo]/route';
import * as slosRoute from '../../app/api/v1/services/[service]/slos/route';
import * as servicesRoute from '../../app/api/v1/services/route';
import * as tokenRoute from '../../app/api/v1/tokens/[token]/route';
import * as tokensRoute from '../../app/api/v1/tokens/route';
import * as resetLinkRoute from '../../app/api/v1/users/[user]/password-link/route';
import * as userRoute from '../../app/api/v1/users/[user]/route';
import * as usersRoute from '../../app/api/v1/users/route';
import { sha256Hex } from '../../lib/auth/credentials';
import { db } from '../../lib/db/client';
import { AuditPage, CreatedApiToken, DataSourceInput, EmbedInput, EmbedLink, PolicyInput, SloInput, type AuditEvent } from '../../lib/schemas';
import { recordAudit } from '../../lib/use-cases/audit/audit';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { createSlo } from '../../lib/use-cases/slos/create-slo';
import { createEmbed } from '../../lib/use-cases/embeds/embeds';
import { putServicePolicy } from '../../lib/use-cases/gates/gate-policy';
import { makeToken, makeUser, sessionFor, type TestUser } from '../auth';
import { callRoute, makeService, SYSTEM, uniqueSlug } from '../factories';

type Handler = Parameters<typeof callRoute>[0];
type Headers = Record<string, string>;

let team = '';
let editor: TestUser;
let admin: TestUser;
let editorHeaders: Headers = {};
let adminHeaders: Headers = {};
let datasource = '';

beforeAll(async () => {
  team = uniqueSlug('team');
  editor = await makeUser({ role: 'editor', teams: [team] });
  admin = await makeUser({ role: 'admin' });
  editorHeaders = (await sessionFor(editor)).headers;
  adminHeaders = (await sessionFor(admin)).headers;
  datasource = uniqueSlug('ds');
  await createDataSource({ actor: SYSTEM, input: DataSourceInput.parse({ slug: datasource, name: 'Unreachable', url: 'http://127.0.0.1:9' }) });
});

function call(
  handler: Handler,
  method: string,
  path: string,
  options: { params?: Record<string, string>; body?: unknown; headers: Headers },
): Promise<Response> {
  return callRoute(handler, { method, path, params: options.params, body: options.body, headers: options.headers });
}

async function json<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function audit(query: Record<string, string>, headers: Headers = adminHeaders): Promise<Response> {
  return callRoute(auditRoute.GET, { path: `/api/v1/audit?${new URLSearchParams(query)}`, headers, as: 'nobody' });
}

async function auditPage(query: Record<string, string>, headers: Headers = adminHeaders): Promise<AuditPage> {
  const response = await audit(query, headers);
  expect(response.status, await response.clone().text()).toBe(200);
  return AuditPage.parse(await response.json());
}

/** Ids of the entries written lately (the trail is shared with other tests, so only recent ones are compared). */
async function recentIds(): Promise<Set<string>> {
  const rows = await db().auditEvent.findMany({ where: { at: { gte: new Date(Date.now() - 10 * 60_000) } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** Runs a change and returns the entries it wrote, as GET /api/v1/audit shows them. */
async function entriesOf(act: () => Promise<Response>): Promise<{ response: Response; entries: AuditEvent[] }> {
  const before = await recentIds();
  const response = await act();
  const rows = await db().auditEvent.findMany({ where: { at: { gte: new Date(Date.now() - 10 * 60_000) } }, orderBy: [{ at: 'asc' }, { seq: 'asc' }] });
  const fresh = rows.filter((r) => !before.has(r.id));
  const entries: AuditEvent[] = [];
  for (const row of fresh) {
    const { events } = await auditPage({ action: row.action, actor: row.actorName, limit: '200' });
    const event = events.find((e) => e.id === row.id);
    expect(event, `${row.action} is listed by GET /api/v1/audit`).toBeDefined();
    entries.push(event!);
  }
  return { response, entries };
}

function withoutKeys<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

function prometheusSli() {
  return { source: 'prometheus', datasource, kind: 'ratio', badSelector: 'http_requests_total{code=~"5.."}', totalSelector: 'http_requests_total' };
}

async function serviceWithSlo(): Promise<{ service: string; slo: string }> {
  const s = await makeService({ ownerTeam: team });
  const slo = await createSlo({
    actor: SYSTEM,
    service: s.slug,
    input: SloInput.parse({ slug: uniqueSlug('slo'), name: 'Availability', objective: 0.99, sli: prometheusSli() }),
  });
  return { service: s.slug, slo: slo.slug };
}

interface Expected {
  actor: 'editor' | 'admin' | { kind: 'user' | 'token'; id: string; name: string };
  target: { type: string; name: string };
  before: unknown;
  after: unknown;
  details?: unknown;
}

interface Case {
  action: string;
  /** Makes what the change needs, makes the change, and says what its entry must hold. */
  run: () => Promise<{ response: Response; entries: AuditEvent[]; expected: Expected }>;
}

async function change(act: () => Promise<Response>, expected: (body: unknown) => Promise<Expected> | Expected) {
  const { response, entries } = await entriesOf(act);
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  const body = response.status === 204 ? null : await response.clone().json();
  return { response, entries, expected: await expected(body) };
}

const CASES: Case[] = [
  {
    action: 'service.create',
    run: () =>
      change(
        () =>
          call(servicesRoute.POST, 'POST', '/api/v1/services', {
            body: { slug: uniqueSlug('svc'), name: 'Checkout', ownerTeam: team, tier: 1 },
            headers: editorHeaders,
          }),
        (body) => ({ actor: 'editor', target: { type: 'service', name: (body as { slug: string }).slug }, before: null, after: body }),
      ),
  },
  {
    action: 'service.update',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      const before = await json(await call(serviceRoute.GET, 'GET', `/api/v1/services/${s.slug}`, { params: { service: s.slug }, headers: editorHeaders }));
      return change(
        () =>
          call(serviceRoute.PATCH, 'PATCH', '/api/v1/services/x', {
            params: { service: s.slug },
            body: { name: 'Checkout v2', tier: 1 },
            headers: editorHeaders,
          }),
        (body) => ({ actor: 'editor', target: { type: 'service', name: s.slug }, before, after: body }),
      );
    },
  },
  {
    action: 'service.delete',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      const before = await json(await call(serviceRoute.GET, 'GET', '/api/v1/services/x', { params: { service: s.slug }, headers: editorHeaders }));
      return change(
        () => call(serviceRoute.DELETE, 'DELETE', '/api/v1/services/x', { params: { service: s.slug }, headers: editorHeaders }),
        () => ({ actor: 'editor', target: { type: 'service', name: s.slug }, before, after: null, details: { slosDeleted: [] } }),
      );
    },
  },
  {
    action: 'slo.create',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      return change(
        () =>
          call(slosRoute.POST, 'POST', '/api/v1/services/x/slos', {
            params: { service: s.slug },
            body: { slug: uniqueSlug('slo'), name: 'Availability', objective: 0.999, sli: prometheusSli() },
            headers: editorHeaders,
          }),
        (body) => ({ actor: 'editor', target: { type: 'slo', name: `${s.slug}/${(body as { slug: string }).slug}` }, before: null, after: body }),
      );
    },
  },
  {
    action: 'slo.update',
    run: async () => {
      const params = await serviceWithSlo();
      const before = await json(await call(sloRoute.GET, 'GET', '/api/v1/services/x/slos/y', { params, headers: editorHeaders }));
      return change(
        () =>
          call(sloRoute.PATCH, 'PATCH', '/api/v1/services/x/slos/y', { params, body: { objective: 0.995, labels: { tier: 'gold' } }, headers: editorHeaders }),
        (body) => ({ actor: 'editor', target: { type: 'slo', name: `${params.service}/${params.slo}` }, before, after: body }),
      );
    },
  },
  {
    action: 'slo.delete',
    run: async () => {
      const params = await serviceWithSlo();
      const before = await json(await call(sloRoute.GET, 'GET', '/api/v1/services/x/slos/y', { params, headers: editorHeaders }));
      return change(
        () => call(sloRoute.DELETE, 'DELETE', '/api/v1/services/x/slos/y', { params, headers: editorHeaders }),
        () => ({ actor: 'editor', target: { type: 'slo', name: `${params.service}/${params.slo}` }, before, after: null }),
      );
    },
  },
  {
    action: 'slo.backfill',
    run: async () => {
      const params = await serviceWithSlo();
      return change(
        () => call(backfillRoute.POST, 'POST', '/api/v1/services/x/slos/y/backfill', { params, headers: editorHeaders }),
        () => ({
          actor: 'editor',
          target: { type: 'slo', name: `${params.service}/${params.slo}` },
          before: null,
          after: null,
          details: { reread: 'the whole history, from its source' },
        }),
      );
    },
  },
  {
    action: 'policy.update',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      return change(
        () =>
          call(policyRoute.PUT, 'PUT', '/api/v1/services/x/policy', {
            params: { service: s.slug },
            body: { rules: [{ kind: 'budget_remaining', below: 0.1, verdict: 'fail' }] },
            headers: editorHeaders,
          }),
        (body) => ({
          actor: 'editor',
          target: { type: 'policy', name: `${s.slug} (policy)` },
          before: null,
          after: withoutKeys(body as Record<string, unknown>, 'source', 'updatedAt'),
        }),
      );
    },
  },
  {
    action: 'policy.delete',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      await putServicePolicy({
        actor: SYSTEM,
        service: s.slug,
        input: PolicyInput.parse({ rules: [{ kind: 'alert_firing', severity: 'page', verdict: 'fail' }] }),
      });
      const before = withoutKeys(
        await json<Record<string, unknown>>(
          await call(policyRoute.GET, 'GET', '/api/v1/services/x/policy', { params: { service: s.slug }, headers: editorHeaders }),
        ),
        'source',
        'updatedAt',
      );
      return change(
        () => call(policyRoute.DELETE, 'DELETE', '/api/v1/services/x/policy', { params: { service: s.slug }, headers: editorHeaders }),
        () => ({ actor: 'editor', target: { type: 'policy', name: `${s.slug} (policy)` }, before, after: null, details: { now: 'the organisation default' } }),
      );
    },
  },
  {
    action: 'override.create',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      return change(
        () =>
          call(overridesRoute.POST, 'POST', '/api/v1/services/x/gate/overrides', {
            params: { service: s.slug },
            body: { version: 'v9', reason: 'The fix for the incident itself' },
            headers: editorHeaders,
          }),
        (body) => ({ actor: 'editor', target: { type: 'override', name: `${s.slug}@v9` }, before: null, after: body }),
      );
    },
  },
  {
    action: 'deployment.create',
    run: async () => {
      // A pipeline's gate token records the deploy: the trail names the token.
      const s = await makeService({ ownerTeam: team });
      const token = await makeToken({ scopes: ['gate'] });
      const name = (await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).name;
      return change(
        () =>
          call(deploymentsRoute.POST, 'POST', '/api/v1/deployments', { body: { service: s.slug, version: 'v10', commit: 'abc123' }, headers: token.headers }),
        (body) => ({
          actor: { kind: 'token', id: token.id, name: `token “${name}”` },
          target: { type: 'deployment', name: `${s.slug}@v10` },
          before: null,
          after: { ...withoutKeys(body as Record<string, unknown>, 'id', 'service', 'createdAt', 'windowMinutes', 'impact') },
        }),
      );
    },
  },
  {
    action: 'embed.create',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      return change(
        () => call(embedsRoute.POST, 'POST', '/api/v1/embeds', { body: { service: s.slug, panel: 'service', label: 'wiki' }, headers: editorHeaders }),
        (body) => {
          const link = EmbedLink.parse(body);
          // What the link shows and until when; never the signed token that grants it.
          return {
            actor: 'editor',
            target: { type: 'embed', name: `${s.slug} (service panel)` },
            before: null,
            after: { service: link.service, slo: link.slo, panel: link.panel, label: link.label, expiresAt: link.expiresAt, revokedAt: link.revokedAt },
          };
        },
      );
    },
  },
  {
    action: 'embed.revoke',
    run: async () => {
      const s = await makeService({ ownerTeam: team });
      const link = await createEmbed({ actor: SYSTEM, input: EmbedInput.parse({ service: s.slug, panel: 'service' }), origin: 'http://umpire.test' });
      const state = (l: typeof link) => ({ service: l.service, slo: l.slo, panel: l.panel, label: l.label, expiresAt: l.expiresAt, revokedAt: l.revokedAt });
      return change(
        () => call(embedRoute.DELETE, 'DELETE', '/api/v1/embeds/x', { params: { embed: link.id }, headers: editorHeaders }),
        (body) => ({ actor: 'editor', target: { type: 'embed', name: `${s.slug} (service panel)` }, before: state(link), after: state(EmbedLink.parse(body)) }),
      );
    },
  },
  {
    action: 'datasource.create',
    run: () =>
      change(
        () =>
          call(datasourcesRoute.POST, 'POST', '/api/v1/datasources', {
            body: {
              slug: uniqueSlug('ds'),
              name: 'Mimir',
              url: 'http://127.0.0.1:9',
              auth: { kind: 'basic', username: 'umpire', password: 'a-basic-password' },
            },
            headers: adminHeaders,
          }),
        (body) => ({ actor: 'admin', target: { type: 'datasource', name: (body as { slug: string }).slug }, before: null, after: body }),
      ),
  },
  {
    action: 'datasource.update',
    run: async () => {
      const slug = uniqueSlug('ds');
      await createDataSource({ actor: SYSTEM, input: DataSourceInput.parse({ slug, name: 'Prometheus', url: 'http://127.0.0.1:9' }) });
      const before = await json(await call(datasourceRoute.GET, 'GET', '/api/v1/datasources/x', { params: { datasource: slug }, headers: adminHeaders }));
      return change(
        () =>
          call(datasourceRoute.PATCH, 'PATCH', '/api/v1/datasources/x', {
            params: { datasource: slug },
            body: { name: 'Prometheus (prod)', auth: { kind: 'bearer', token: 'a-bearer-secret' } },
            headers: adminHeaders,
          }),
        (body) => ({ actor: 'admin', target: { type: 'datasource', name: slug }, before, after: body, details: { credentials: 'replaced' } }),
      );
    },
  },
  {
    action: 'datasource.delete',
    run: async () => {
      const slug = uniqueSlug('ds');
      await createDataSource({ actor: SYSTEM, input: DataSourceInput.parse({ slug, name: 'Prometheus', url: 'http://127.0.0.1:9' }) });
      const before = await json(await call(datasourceRoute.GET, 'GET', '/api/v1/datasources/x', { params: { datasource: slug }, headers: adminHeaders }));
      return change(
        () => call(datasourceRoute.DELETE, 'DELETE', '/api/v1/datasources/x', { params: { datasource: slug }, headers: adminHeaders }),
        () => ({ actor: 'admin', target: { type: 'datasource', name: slug }, before, after: null }),
      );
    },
  },
  {
    action: 'token.create',
    run: () =>
      change(
        () =>
          call(tokensRoute.POST, 'POST', '/api/v1/tokens', {
            body: { name: `ci ${uniqueSlug()}`, kind: 'service', scopes: ['gate'], teams: [team] },
            headers: adminHeaders,
          }),
        (body) => {
          const created = CreatedApiToken.parse(body);
          return { actor: 'admin', target: { type: 'token', name: created.name }, before: null, after: withoutKeys(created, 'token') };
        },
      ),
  },
  {
    action: 'token.update',
    run: async () => {
      const made = await makeToken({ scopes: ['ingest'], teams: [team] });
      const listed = await json<{ tokens: Array<{ id: string }> }>(await callRoute(tokensRoute.GET, { path: '/api/v1/tokens', headers: adminHeaders }));
      const before = listed.tokens.find((t) => t.id === made.id)!;
      return change(
        () =>
          call(tokenRoute.PATCH, 'PATCH', '/api/v1/tokens/x', {
            params: { token: made.id },
            body: { teams: [], serviceNames: ['checkout-api'] },
            headers: adminHeaders,
          }),
        (body) => ({ actor: 'admin', target: { type: 'token', name: (body as { name: string }).name }, before, after: body }),
      );
    },
  },
  {
    action: 'token.revoke',
    run: async () => {
      const made = await makeToken({ owner: editor, scopes: ['read'] });
      const listed = await json<{ tokens: Array<{ id: string }> }>(await callRoute(tokensRoute.GET, { path: '/api/v1/tokens', headers: editorHeaders }));
      const before = listed.tokens.find((t) => t.id === made.id)!;
      return change(
        () => call(tokenRoute.DELETE, 'DELETE', '/api/v1/tokens/x', { params: { token: made.id }, headers: editorHeaders }),
        (body) => ({ actor: 'editor', target: { type: 'token', name: (body as { name: string }).name }, before, after: body }),
      );
    },
  },
  {
    action: 'user.create',
    run: () =>
      change(
        () =>
          call(usersRoute.POST, 'POST', '/api/v1/users', {
            body: { username: uniqueSlug('user'), displayName: 'New person', role: 'editor', teams: [team] },
            headers: adminHeaders,
          }),
        (body) => ({
          actor: 'admin',
          target: { type: 'user', name: (body as { username: string }).username },
          before: null,
          after: withoutKeys(body as Record<string, unknown>, 'passwordLink'),
        }),
      ),
  },
  {
    action: 'user.update',
    run: async () => {
      const person = await makeUser({ role: 'viewer' });
      const before = await json(await call(userRoute.GET, 'GET', '/api/v1/users/x', { params: { user: person.username }, headers: adminHeaders }));
      return change(
        () =>
          call(userRoute.PATCH, 'PATCH', '/api/v1/users/x', {
            params: { user: person.username },
            body: { role: 'editor', teams: [team] },
            headers: adminHeaders,
          }),
        (body) => ({ actor: 'admin', target: { type: 'user', name: person.username }, before, after: body }),
      );
    },
  },
  {
    action: 'user.disable',
    run: async () => {
      const person = await makeUser({ role: 'viewer' });
      const before = await json(await call(userRoute.GET, 'GET', '/api/v1/users/x', { params: { user: person.username }, headers: adminHeaders }));
      return change(
        () => call(userRoute.PATCH, 'PATCH', '/api/v1/users/x', { params: { user: person.username }, body: { disabled: true }, headers: adminHeaders }),
        (body) => ({ actor: 'admin', target: { type: 'user', name: person.username }, before, after: body }),
      );
    },
  },
  {
    action: 'user.reset_link',
    run: async () => {
      const person = await makeUser({ role: 'viewer' });
      return change(
        () => call(resetLinkRoute.POST, 'POST', '/api/v1/users/x/password-link', { params: { user: person.username }, headers: adminHeaders }),
        () => ({ actor: 'admin', target: { type: 'user', name: person.username }, before: null, after: null, details: { purpose: 'reset' } }),
      );
    },
  },
  {
    action: 'user.password_change',
    run: async () => {
      const person = await makeUser({ role: 'viewer' });
      const session = await sessionFor(person);
      return change(
        () =>
          call(mePasswordRoute.POST, 'POST', '/api/v1/me/password', {
            body: { currentPassword: person.password, newPassword: `a-new-password-${uniqueSlug()}` },
            headers: session.headers,
          }),
        () => ({
          actor: { kind: 'user', id: person.row.id, name: person.username },
          target: { type: 'user', name: person.username },
          before: null,
          after: null,
        }),
      );
    },
  },
  {
    action: 'user.login',
    run: async () => {
      const person = await makeUser({ role: 'viewer' });
      return change(
        () =>
          callRoute(loginRoute.POST, {
            method: 'POST',
            path: '/api/v1/auth/login',
            body: { username: person.username, password: person.password },
            as: 'nobody',
          }),
        () => ({
          actor: { kind: 'user', id: person.row.id, name: person.username },
          target: { type: 'user', name: person.username },
          before: null,
          after: null,
          details: { method: 'password' },
        }),
      );
    },
  },
];

describe('each kind of change writes one entry: who, what, on what, and the object before and after as the API shows it', () => {
  test.each(CASES.map((c) => [c.action, c] as const))('%s', async (action, c) => {
    const { response, entries, expected } = await c.run();
    expect(entries.map((e) => e.action)).toEqual([action]);
    const entry = entries[0]!;
    const actor =
      expected.actor === 'editor'
        ? { kind: 'user', id: editor.row.id, name: editor.username }
        : expected.actor === 'admin'
          ? { kind: 'user', id: admin.row.id, name: admin.username }
          : expected.actor;
    expect(entry.actor).toEqual(actor);
    expect(entry.target).toMatchObject(expected.target);
    expect(entry.before).toEqual(expected.before);
    expect(entry.after).toEqual(expected.after);
    if (expected.details !== undefined) expect(entry.details).toEqual(expected.details);
    // The entry names the request it came from, as the response did.
    expect(entry.requestId).toBe(response.headers.get('x-request-id'));
    expect(Date.now() - new Date(entry.at).getTime()).toBeLessThan(60_000);
  });

  test('the default policy’s changes are recorded too (and it is left as it was)', async () => {
    const original = await db().errorBudgetPolicy.findUnique({ where: { key: 'default' } });
    try {
      const put = await entriesOf(() =>
        call(defaultPolicyRoute.PUT, 'PUT', '/api/v1/policies/default', {
          body: { rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }], onMissingData: 'warn' },
          headers: adminHeaders,
        }),
      );
      expect(put.response.status).toBe(200);
      expect(put.entries).toHaveLength(1);
      expect(put.entries[0]).toMatchObject({
        action: 'policy.update',
        target: { type: 'policy', id: 'default', name: 'default policy' },
        after: withoutKeys(await json<Record<string, unknown>>(put.response), 'source', 'updatedAt'),
      });
      const removed = await entriesOf(() => call(defaultPolicyRoute.DELETE, 'DELETE', '/api/v1/policies/default', { headers: adminHeaders }));
      expect(removed.entries.map((e) => [e.action, e.after])).toEqual([['policy.delete', null]]);
      expect(removed.entries[0]!.before).toEqual(put.entries[0]!.after);
      // Deleting what is not there changes nothing and records nothing.
      expect((await entriesOf(() => call(defaultPolicyRoute.DELETE, 'DELETE', '/api/v1/policies/default', { headers: adminHeaders }))).entries).toEqual([]);
    } finally {
      if (original)
        await db().errorBudgetPolicy.upsert({
          where: { key: 'default' },
          create: { key: 'default', policy: original.policy as object },
          update: { policy: original.policy as object },
        });
    }
  });
});

describe('GET /api/v1/audit', () => {
  /** A service with a bit of everything in its history, and a neighbour whose history must not mix in. */
  async function busyService() {
    const s = await makeService({ ownerTeam: team });
    const other = await makeService({ ownerTeam: team });
    const slo = await createSlo({
      actor: SYSTEM,
      service: s.slug,
      input: SloInput.parse({ slug: uniqueSlug('slo'), name: 'Availability', objective: 0.99, sli: prometheusSli() }),
    });
    const params = { service: s.slug, slo: slo.slug };
    const ok = async (response: Response) => expect(response.status, await response.clone().text()).toBeLessThan(300);
    await ok(await call(serviceRoute.PATCH, 'PATCH', '/x', { params: { service: s.slug }, body: { name: 'Renamed' }, headers: editorHeaders }));
    await ok(await call(sloRoute.PATCH, 'PATCH', '/x', { params, body: { name: 'Renamed SLO' }, headers: editorHeaders }));
    const middle = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ok(await call(policyRoute.PUT, 'PUT', '/x', { params: { service: s.slug }, body: { rules: [] }, headers: editorHeaders }));
    await ok(
      await call(overridesRoute.POST, 'POST', '/x', {
        params: { service: s.slug },
        body: { version: 'v1', reason: 'Ship the fix for the outage' },
        headers: editorHeaders,
      }),
    );
    await ok(await call(embedsRoute.POST, 'POST', '/x', { body: { service: s.slug, panel: 'service' }, headers: editorHeaders }));
    await ok(await call(deploymentsRoute.POST, 'POST', '/x', { body: { service: s.slug, version: 'v1' }, headers: adminHeaders }));
    await ok(await call(serviceRoute.PATCH, 'PATCH', '/x', { params: { service: other.slug }, body: { name: 'Neighbour' }, headers: editorHeaders }));
    return { service: s.slug, slo: slo.slug, other: other.slug, middle };
  }

  test('filters by service (with its SLOs, policy, overrides, embeds and deploys), SLO, type, actor, action and time', async () => {
    const { service, slo, other, middle } = await busyService();
    const all = (await auditPage({ service, limit: '200' })).events;
    expect(all.map((e) => e.action).sort()).toEqual(
      ['service.create', 'service.update', 'slo.create', 'slo.update', 'policy.update', 'override.create', 'embed.create', 'deployment.create'].sort(),
    );
    expect(all.some((e) => e.target.name === other)).toBe(false);
    // Newest first.
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());

    expect((await auditPage({ service, slo })).events.map((e) => e.action)).toEqual(['slo.update', 'slo.create']);
    expect((await auditPage({ service, type: 'override' })).events.map((e) => e.action)).toEqual(['override.create']);
    expect((await auditPage({ service, actor: admin.username })).events.map((e) => e.action)).toEqual(['deployment.create']);
    expect((await auditPage({ service, action: 'service.update' })).events.map((e) => e.target.name)).toEqual([service]);
    const later = (await auditPage({ service, from: middle.toISOString() })).events.map((e) => e.action);
    const earlier = (await auditPage({ service, to: middle.toISOString() })).events.map((e) => e.action);
    expect(later.sort()).toEqual(['deployment.create', 'embed.create', 'override.create', 'policy.update']);
    expect(earlier.sort()).toEqual(['service.create', 'service.update', 'slo.create', 'slo.update']);

    // A deleted service's history is still found by the slug it had.
    expect((await call(serviceRoute.DELETE, 'DELETE', '/x', { params: { service }, headers: editorHeaders })).status).toBe(204);
    const afterwards = (await auditPage({ service, limit: '200' })).events;
    expect(afterwards[0]!.action).toBe('service.delete');
    expect(afterwards).toHaveLength(all.length + 1);
  });

  test('pages with a cursor: every entry once, newest first', async () => {
    const { service } = await busyService();
    const whole = (await auditPage({ service, limit: '200' })).events;
    const paged: AuditEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AuditPage = await auditPage({ service, limit: '3', ...(cursor ? { cursor } : {}) });
      expect(page.events.length).toBeLessThanOrEqual(3);
      paged.push(...page.events);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(cursor).toBeNull();
    expect(pages).toBe(Math.ceil(whole.length / 3));
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
  });

  test('entries of one millisecond are listed newest-written first, and a cursor between them loses none', async () => {
    const person = await makeUser({ role: 'viewer' });
    const target = { type: 'user' as const, id: person.row.id, name: person.username };
    const at = new Date(Date.now() - 60_000);
    const actions = Array.from({ length: 7 }, (_, i) => `user.step${i}`);
    await db().$transaction(async (tx) => {
      for (const action of actions) await recordAudit(tx, SYSTEM, { action, target }, at);
    });
    const newestFirst = [...actions].reverse();
    expect((await auditPage({ user: person.username })).events.map((e) => e.action)).toEqual(newestFirst);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await auditPage({ user: person.username, limit: '2', ...(cursor ? { cursor } : {}) });
      paged.push(...page.events.map((e) => e.action));
      cursor = page.nextCursor;
    } while (cursor && paged.length < 20);
    expect(paged).toEqual(newestFirst);
  });

  test('the address a change came from is recorded and shown to admins only', async () => {
    const service = await makeService({ ownerTeam: team });
    const from = { ...editorHeaders, 'x-forwarded-for': '192.0.2.77' };
    expect((await call(serviceRoute.PATCH, 'PATCH', '/x', { params: { service: service.slug }, body: { name: 'Moved' }, headers: from })).status).toBe(200);
    const query = { service: service.slug, action: 'service.update' };
    const [seenByAdmin] = (await auditPage(query)).events;
    expect(seenByAdmin).toMatchObject({ action: 'service.update', ip: '192.0.2.77' });
    const [seenByEditor] = (await auditPage(query, editorHeaders)).events;
    expect(seenByEditor!.id).toBe(seenByAdmin!.id);
    expect(seenByEditor).not.toHaveProperty('ip');
  });

  test('filters by data source, user and token', async () => {
    const slug = uniqueSlug('ds');
    await call(datasourcesRoute.POST, 'POST', '/x', { body: { slug, name: 'Prometheus', url: 'http://127.0.0.1:9' }, headers: adminHeaders });
    await call(datasourceRoute.PATCH, 'PATCH', '/x', { params: { datasource: slug }, body: { name: 'Renamed' }, headers: adminHeaders });
    expect((await auditPage({ datasource: slug })).events.map((e) => e.action)).toEqual(['datasource.update', 'datasource.create']);

    const person = await makeUser({ role: 'viewer' });
    await call(userRoute.PATCH, 'PATCH', '/x', { params: { user: person.username }, body: { displayName: 'Renamed' }, headers: adminHeaders });
    await callRoute(loginRoute.POST, { method: 'POST', path: '/x', body: { username: person.username, password: person.password }, as: 'nobody' });
    expect((await auditPage({ user: person.username })).events.map((e) => e.action)).toEqual(['user.login', 'user.update']);

    const created = CreatedApiToken.parse(
      await json(await call(tokensRoute.POST, 'POST', '/x', { body: { name: `ci ${uniqueSlug()}`, scopes: ['ingest'] }, headers: adminHeaders })),
    );
    await call(tokenRoute.DELETE, 'DELETE', '/x', { params: { token: created.id }, headers: adminHeaders });
    expect((await auditPage({ token: created.id })).events.map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
  });

  test('refuses queries it cannot answer with 400', async () => {
    const queries: Array<Record<string, string>> = [
      { service: 'a', datasource: 'b' },
      { slo: 'a' },
      { cursor: 'not-a-cursor' },
      { from: 'yesterday' },
      { limit: '0' },
      { action: 'DROP TABLE' },
      { type: 'secret' },
    ];
    for (const query of queries) {
      const response = await audit(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    }
  });

  test('who may read what: a service’s history is for readers; users, tokens, data sources and the whole trail for admins', async () => {
    const { service, slo } = await busyService();
    const viewer = (await sessionFor(await makeUser({ role: 'viewer' }))).headers;
    const reader = (await makeToken({ scopes: ['read'] })).headers;
    const someone = await makeUser({ role: 'viewer' });
    const token = await makeToken({ scopes: ['read'] });
    const cases: Array<[Record<string, string>, number]> = [
      [{ service }, 200],
      [{ service, slo }, 200],
      [{ service, type: 'embed' }, 200],
      [{ policy: 'default' }, 200],
      [{ user: someone.username }, 403],
      [{ token: token.id }, 403],
      [{ datasource }, 403],
      [{}, 403],
      [{ type: 'service' }, 403],
      [{ service, type: 'user' }, 403],
    ];
    for (const [query, status] of cases) {
      for (const headers of [viewer, reader, editorHeaders]) expect((await audit(query, headers)).status, JSON.stringify(query)).toBe(status);
      expect((await audit(query, adminHeaders)).status, JSON.stringify(query)).toBe(200);
      expect((await callRoute(auditRoute.GET, { path: `/api/v1/audit?${new URLSearchParams(query)}`, as: 'nobody' })).status).toBe(401);
    }
  });
});

describe('no secret in the trail', () => {
  /** Entries (anywhere in the trail, every column) containing `value`. */
  async function entriesContaining(value: string): Promise<number> {
    const [row] = await db().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM audit_events a WHERE strpos(a::text, ${value}) > 0`;
    return row!.n;
  }

  test('data-source credentials never enter it; that they were replaced or removed does', async () => {
    const slug = uniqueSlug('ds');
    const secrets = ['bearer-secret-0f3a9c', 'basic-password-77b1e2', 'header-secret-c4d5e6'];
    const steps: Array<[unknown, unknown]> = [
      [{ auth: { kind: 'basic', username: 'umpire', password: secrets[1] } }, { credentials: 'replaced' }],
      [{ auth: { kind: 'headers', headers: { 'X-Scope-OrgID': 'tenant-1', 'X-Api-Key': secrets[2] } } }, { credentials: 'replaced' }],
      [{ name: 'Renamed only' }, null],
      [{ auth: { kind: 'none' } }, { credentials: 'removed' }],
    ];
    const created = await call(datasourcesRoute.POST, 'POST', '/x', {
      body: { slug, name: 'Secret keeper', url: 'http://127.0.0.1:9', auth: { kind: 'bearer', token: secrets[0] } },
      headers: adminHeaders,
    });
    expect(created.status).toBe(201);
    const stored: string[] = [];
    for (const [patch, details] of steps) {
      stored.push((await db().dataSource.findUniqueOrThrow({ where: { slug } })).secret ?? '');
      const { entries } = await entriesOf(() =>
        call(datasourceRoute.PATCH, 'PATCH', '/x', { params: { datasource: slug }, body: patch, headers: adminHeaders }),
      );
      expect(entries.map((e) => [e.action, e.details])).toEqual([['datasource.update', details]]);
    }
    const history = JSON.stringify((await auditPage({ datasource: slug })).events);
    expect(history).toContain('"hasSecret":true');
    expect(history).toContain('X-Api-Key'); // the header's name is not a secret; its value is
    for (const secret of [...secrets, ...stored.filter(Boolean)]) {
      expect(history).not.toContain(secret);
      expect(await entriesContaining(secret), secret).toBe(0);
    }
  });

  test('token values, token hashes, passwords and password hashes never enter it', async () => {
    const made = CreatedApiToken.parse(
      await json(await call(tokensRoute.POST, 'POST', '/x', { body: { name: `ci ${uniqueSlug()}`, scopes: ['read'] }, headers: adminHeaders })),
    );
    const password = `a-user-password-${uniqueSlug()}`;
    const user = await json<{ username: string }>(
      await call(usersRoute.POST, 'POST', '/x', {
        body: { username: uniqueSlug('user'), displayName: 'Has a password', role: 'viewer', password },
        headers: adminHeaders,
      }),
    );
    const signedIn = await callRoute(loginRoute.POST, { method: 'POST', path: '/x', body: { username: user.username, password }, as: 'nobody' });
    expect(signedIn.status).toBe(200);
    const session = signedIn.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
    const newPassword = `another-password-${uniqueSlug()}`;
    const changed = await call(mePasswordRoute.POST, 'POST', '/x', {
      body: { currentPassword: password, newPassword },
      headers: { cookie: `umpire_session=${session}`, 'x-csrf-token': signedIn.headers.getSetCookie()[1]!.split(';')[0]!.split('=')[1]! },
    });
    expect(changed.status).toBe(204);
    const row = await db().user.findUniqueOrThrow({ where: { username: user.username } });
    const tokenRow = await db().apiToken.findUniqueOrThrow({ where: { id: made.id } });
    for (const secret of [made.token, sha256Hex(made.token), tokenRow.hash, password, newPassword, row.passwordHash!, session, sha256Hex(session)]) {
      expect(await entriesContaining(secret)).toBe(0);
    }
    const history = JSON.stringify([...(await auditPage({ token: made.id })).events, ...(await auditPage({ user: user.username })).events]);
    expect(history).toContain(made.prefix);
    expect(history).toContain('"password":true');
    for (const secret of [made.token, password, newPassword, row.passwordHash!]) expect(history).not.toContain(secret);
  });
});
