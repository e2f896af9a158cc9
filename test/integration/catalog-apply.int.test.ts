// GitOps (issue 17): OpenSLO and Backstage files planned and applied against the catalogue through the real routes.
// Apply is atomic (a failing object leaves nothing), idempotent (a second apply changes nothing), audited with its
// source, file and revision, serialised (two at once change the catalogue once); objects applied with a source are
// managed by it, hand edits to them are refused (or warned), and prune deletes only what the same source manages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import * as applyRoute from '../../app/api/v1/catalog/apply/route';
import * as exportRoute from '../../app/api/v1/openslo/route';
import * as planRoute from '../../app/api/v1/catalog/plan/route';
import * as serviceRoute from '../../app/api/v1/services/[service]/route';
import * as sloRoute from '../../app/api/v1/services/[service]/slos/[slo]/route';
import { db } from '../../lib/db/client';
import { fromUmpire } from '../../lib/openslo/index';
import { ServiceInput, SloInput } from '../../lib/schemas';
import { makeToken } from '../auth';
import { settingsForEachTest } from '../env';
import { callRoute, makeService, sloInput, uniqueSlug } from '../factories';

interface Step {
  kind: string;
  name: string;
  action: string;
  fields: string[];
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  file: string | null;
}
interface Answer {
  steps: Step[];
  skipped: string[];
  applied: boolean;
  error?: { code: string; message: string; errors: string[] };
}

const setEnv = settingsForEachTest();

const service = (slug: string, team = 'gitops-team', overrides: Partial<ServiceInput> = {}): ServiceInput =>
  ServiceInput.parse({ slug, name: `Service ${slug}`, ownerTeam: team, tier: 2, ...overrides });
const slo = (svc: string, slug: string, overrides: Partial<SloInput> = {}) => ({
  service: svc,
  input: SloInput.parse({ ...sloInput({ slug, name: `SLO ${slug}` }), ...overrides }),
});

/** One file as application/yaml, several as JSON {files}. */
async function send(
  route: typeof applyRoute | typeof planRoute,
  files: Record<string, string>,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Answer }> {
  const names = Object.keys(files);
  const single = names.length === 1;
  const search = new URLSearchParams({ ...(single ? { file: names[0]! } : {}), ...query });
  const response = await callRoute(route.POST, {
    method: 'POST',
    path: `/api/v1/catalog/${route === applyRoute ? 'apply' : 'plan'}?${search}`,
    rawBody: single ? files[names[0]!]! : JSON.stringify({ files: names.map((name) => ({ name, text: files[name] })) }),
    headers: { 'content-type': single ? 'application/yaml' : 'application/json', ...headers },
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

const counts = async (slugs: string[]) => ({
  services: await db().service.count({ where: { slug: { in: slugs } } }),
  slos: await db().slo.count({ where: { service: { slug: { in: slugs } } } }),
  audit: await db().auditEvent.count({ where: { targetName: { startsWith: slugs[0] } } }),
});

describe('apply', () => {
  test('creates what the files define, marked as managed by the source, each object audited with source, file and revision; a second apply changes nothing', async () => {
    const a = uniqueSlug('git');
    const files = {
      'slos/services.yaml': fromUmpire([service(a)], []),
      'slos/checkout.yaml': fromUmpire([], [slo(a, 'availability'), slo(a, 'latency', { objective: 0.99 })]),
    };
    const source = `github.com/acme/${a}`;
    const first = await send(applyRoute, files, { source, revision: 'abc123' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.applied).toBe(true);
    expect(first.body.steps.map((s) => `${s.action} ${s.kind} ${s.name} ${s.file}`)).toEqual([
      `create service ${a} slos/services.yaml`,
      `create slo ${a}/availability slos/checkout.yaml`,
      `create slo ${a}/latency slos/checkout.yaml`,
    ]);
    const row = await db().service.findUniqueOrThrow({ where: { slug: a }, include: { slos: { orderBy: { slug: 'asc' } } } });
    expect([row.managedSource, row.managedPath]).toEqual([source, 'slos/services.yaml']);
    expect(row.slos.map((s) => [s.slug, s.objective, s.managedSource, s.managedPath])).toEqual([
      ['availability', 0.999, source, 'slos/checkout.yaml'],
      ['latency', 0.99, source, 'slos/checkout.yaml'],
    ]);
    const audit = await db().auditEvent.findMany({ where: { serviceId: row.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['service.create', 'slo.create', 'slo.create']);
    for (const event of audit) {
      expect(event.details).toMatchObject({ apply: { source, revision: 'abc123', path: expect.stringMatching(/^slos\//) } });
    }
    expect(new Set(audit.map((e) => (e.details as { apply: { id: string } }).apply.id)).size).toBe(1);

    const second = await send(applyRoute, files, { source, revision: 'abc124' });
    expect(second.status).toBe(200);
    expect(second.body.applied).toBe(false);
    expect(second.body.steps.map((s) => s.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await db().auditEvent.count({ where: { serviceId: row.id } })).toBe(3);

    // The API shows who manages them.
    const shown = await callRoute(serviceRoute.GET, { path: `/api/v1/services/${a}`, params: { service: a } });
    expect(((await shown.json()) as { managedBy: unknown }).managedBy).toEqual({ source, path: 'slos/services.yaml' });
    const shownSlo = await callRoute(sloRoute.GET, { path: `/api/v1/services/${a}/slos/latency`, params: { service: a, slo: 'latency' } });
    expect(((await shownSlo.json()) as { managedBy: unknown }).managedBy).toEqual({ source, path: 'slos/checkout.yaml' });
  });

  test('a change is planned field by field with both values, applied, and audited before and after', async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    const defs = (objective: number, tier: number) => ({
      'all.yaml': fromUmpire([service(a, 'gitops-team', { tier })], [slo(a, 'availability', { objective })]),
    });
    expect((await send(applyRoute, defs(0.999, 2), { source })).status).toBe(200);

    const plan = await send(planRoute, defs(0.995, 1), { source });
    expect(plan.status).toBe(200);
    expect(plan.body.steps).toEqual([
      { kind: 'service', name: a, action: 'change', fields: ['tier'], changes: [{ field: 'tier', from: 2, to: 1 }], file: 'all.yaml' },
      {
        kind: 'slo',
        name: `${a}/availability`,
        action: 'change',
        fields: ['objective'],
        changes: [{ field: 'objective', from: 0.999, to: 0.995 }],
        file: 'all.yaml',
      },
    ]);
    // A plan writes nothing.
    expect((await db().service.findUniqueOrThrow({ where: { slug: a } })).tier).toBe(2);

    const applied = await send(applyRoute, defs(0.995, 1), { source });
    expect(applied.body.applied).toBe(true);
    const sloRow = await db().slo.findFirstOrThrow({ where: { service: { slug: a }, slug: 'availability' } });
    expect(sloRow.objective).toBe(0.995);
    const update = await db().auditEvent.findFirstOrThrow({ where: { targetId: sloRow.id, action: 'slo.update' } });
    expect([(update.before as { objective: number }).objective, (update.after as { objective: number }).objective]).toEqual([0.999, 0.995]);
  });

  test('is atomic: an SLO past its quota fails the apply and nothing of it is kept, not even what came before it', async () => {
    const a = uniqueSlug('git');
    const b = uniqueSlug('git');
    setEnv('UMPIRE_MAX_SLOS_PER_SERVICE', '2');
    const files = {
      'a.yaml': fromUmpire([service(a), service(b)], [slo(a, 'one'), slo(b, 'one'), slo(b, 'two'), slo(b, 'three')]),
    };
    const writer = await makeToken({ scopes: ['read', 'write'] });
    const refused = await send(applyRoute, files, { source: 'github.com/acme/atomic' }, writer.headers);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code, JSON.stringify(refused.body)).toBe('quota_exceeded');
    expect(await counts([a, b])).toEqual({ services: 0, slos: 0, audit: 0 });
  });

  test('a dry run carries everything out, rights and quotas included, and keeps nothing', async () => {
    const a = uniqueSlug('git');
    const files = { 'a.yaml': fromUmpire([service(a)], [slo(a, 'one')]) };
    const dry = await send(applyRoute, files, { source: 'github.com/acme/dry', dryRun: 'true' });
    expect(dry.status).toBe(200);
    expect(dry.body.steps.map((s) => s.action)).toEqual(['create', 'create']);
    expect(dry.body.applied).toBe(false);
    expect(await counts([a])).toEqual({ services: 0, slos: 0, audit: 0 });
  });

  test('two applies of the same files at once create each object once; the later one finds them unchanged', async () => {
    const a = uniqueSlug('git');
    const files = { 'a.yaml': fromUmpire([service(a)], [slo(a, 'one'), slo(a, 'two')]) };
    const source = 'github.com/acme/concurrent';
    const [x, y] = await Promise.all([send(applyRoute, files, { source }), send(applyRoute, files, { source })]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const actions = [x, y].map((r) => r.body.steps.map((s) => s.action).join(','));
    expect(actions.sort()).toEqual(['create,create,create', 'unchanged,unchanged,unchanged']);
    expect(await counts([a])).toMatchObject({ services: 1, slos: 2 });
    expect(await db().auditEvent.count({ where: { action: { in: ['service.create', 'slo.create'] }, targetName: { startsWith: a } } })).toBe(3);
  });

  test("a team's editor cannot apply another team's service: 403 and nothing stored", async () => {
    const mine = uniqueSlug('git');
    const theirs = uniqueSlug('git');
    const editor = await makeToken({ scopes: ['read', 'write'], teams: ['team-mine'] });
    const files = { 'a.yaml': fromUmpire([service(mine, 'team-mine'), service(theirs, 'team-theirs')], []) };
    const refused = await send(applyRoute, files, { source: 'github.com/acme/teams' }, editor.headers);
    expect(refused.status).toBe(403);
    expect(await counts([mine, theirs])).toMatchObject({ services: 0 });
    expect(
      (await send(applyRoute, { 'a.yaml': fromUmpire([service(mine, 'team-mine')], []) }, { source: 'github.com/acme/teams' }, editor.headers)).status,
    ).toBe(200);
  });

  test('an SLO whose service is neither in the files nor in Umpire is refused with the file and field', async () => {
    const a = uniqueSlug('git');
    const refused = await send(applyRoute, { 'orphan.yaml': fromUmpire([], [slo(a, 'one')]) }, { source: 'github.com/acme/orphans' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.errors).toEqual([`orphan.yaml: SLO one: spec.service: there is no service "${a}" in the files or in Umpire`]);
  });
});

describe('managed objects', () => {
  test('hand edits to a managed service or SLO are refused with 409 naming the source; under warn they pass and are marked in the audit trail', async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    await send(applyRoute, { 'svc.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { source });
    const patchService = () => callRoute(serviceRoute.PATCH, { method: 'PATCH', path: `/api/v1/services/${a}`, params: { service: a }, body: { tier: 1 } });
    const refused = await patchService();
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(`managed in git by ${source} (svc.yaml)`);
    const deleteSlo = await callRoute(sloRoute.DELETE, { method: 'DELETE', path: `/api/v1/services/${a}/slos/one`, params: { service: a, slo: 'one' } });
    expect(deleteSlo.status).toBe(409);
    expect(await db().slo.count({ where: { service: { slug: a } } })).toBe(1);

    setEnv('UMPIRE_MANAGED_EDITS', 'warn');
    expect((await patchService()).status).toBe(200);
    const row = await db().service.findUniqueOrThrow({ where: { slug: a } });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: 'service.update' } });
    expect(audit.details).toEqual({ managedEdit: { source, path: 'svc.yaml' } });
    // Git stays the truth: the next apply puts its definition back.
    const again = await send(applyRoute, { 'svc.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { source });
    expect(again.body.steps[0]).toMatchObject({ action: 'change', changes: [{ field: 'tier', from: 1, to: 2 }] });
  });

  test('another source may not take over a managed object; a hand-made object is adopted by the first source that applies it', async () => {
    const a = uniqueSlug('git');
    await makeService({ slug: a, name: `Service ${a}`, ownerTeam: 'gitops-team' });
    const adopted = await send(applyRoute, { 'a.yaml': fromUmpire([service(a)], []) }, { source: 'github.com/acme/first' });
    expect(adopted.body.steps[0]).toMatchObject({
      action: 'change',
      fields: ['managedBy'],
      changes: [{ field: 'managedBy', from: null, to: { source: 'github.com/acme/first', path: 'a.yaml' } }],
    });
    const taken = await send(applyRoute, { 'a.yaml': fromUmpire([service(a)], []) }, { source: 'github.com/acme/second' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({
      code: 'managed_elsewhere',
      errors: [`Service "${a}" is managed by github.com/acme/first (a.yaml), not by github.com/acme/second`],
    });
  });

  test('prune deletes what the same source manages and the files no longer define, and nothing else', async () => {
    const a = uniqueSlug('git');
    const b = uniqueSlug('git');
    const handMade = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    await makeService({ slug: handMade, ownerTeam: 'gitops-team' });
    await send(applyRoute, { 'a.yaml': fromUmpire([service(a)], [slo(a, 'one'), slo(a, 'two')]) }, { source });
    await send(applyRoute, { 'b.yaml': fromUmpire([service(b)], [slo(b, 'one')]) }, { source: `github.com/acme/${b}` });

    const withoutSource = await send(applyRoute, { 'a.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { prune: 'true' });
    expect(withoutSource.status).toBe(422);

    const pruned = await send(applyRoute, { 'a.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { source, prune: 'true' });
    expect(pruned.status, JSON.stringify(pruned.body)).toBe(200);
    expect(pruned.body.steps.filter((s) => s.action === 'delete').map((s) => s.name)).toEqual([`${a}/two`]);
    expect(await db().slo.count({ where: { service: { slug: a } } })).toBe(1);

    const gone = await send(applyRoute, { 'empty.yaml': '' }, { source, prune: 'true' });
    expect(gone.body.steps.map((s) => `${s.action} ${s.name}`)).toEqual([`delete ${a}/one`, `delete ${a}`]);
    expect(await db().service.count({ where: { slug: { in: [a, b, handMade] } } })).toBe(2);
    expect(await db().auditEvent.count({ where: { action: 'service.delete', targetName: a } })).toBe(1);
  });
});

describe('Backstage catalog-info.yaml', () => {
  test('its Components plan and apply as services beside OpenSLO files; other kinds are listed as skipped', async () => {
    const fixture = readFileSync(path.join(import.meta.dirname, '../../lib/backstage/fixtures/catalog-info.yaml'), 'utf8');
    const plan = await send(planRoute, { 'catalog-info.yaml': fixture });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.steps.length).toBeGreaterThan(0);
    expect(plan.body.steps.every((s) => s.kind === 'service' && s.file === 'catalog-info.yaml')).toBe(true);
    expect(plan.body.skipped.length).toBeGreaterThan(0);
  });

  test('a Component and the OpenSLO SLOs of it apply together, and prune deletes the service once the catalog drops it', async () => {
    const a = uniqueSlug('bs');
    const source = `github.com/acme/${a}`;
    const catalog = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${a}`,
      '  title: Payments API',
      '  links:',
      '    - url: https://runbooks.acme.example/payments',
      '      title: Runbook',
      'spec:',
      '  type: service',
      '  lifecycle: production',
      '  owner: group:default/payments',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: API',
      'metadata:',
      `  name: ${a}-api`,
      'spec:',
      '  type: openapi',
      '  owner: payments',
      '  lifecycle: production',
      '  definition: "{}"',
      '',
    ].join('\n');
    const files = { 'catalog-info.yaml': catalog, 'slos.yaml': fromUmpire([], [slo(a, 'availability')]) };
    const applied = await send(applyRoute, files, { source });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.skipped).toEqual([expect.stringContaining(`catalog-info.yaml#2 API ${a}-api`)]);
    const row = await db().service.findUniqueOrThrow({ where: { slug: a }, include: { slos: true } });
    expect([row.name, row.ownerTeam, row.tier, row.runbookUrl, row.managedPath]).toEqual([
      'Payments API',
      'payments',
      2,
      'https://runbooks.acme.example/payments',
      'catalog-info.yaml',
    ]);
    expect(row.slos.map((s) => s.slug)).toEqual(['availability']);
    expect((await send(applyRoute, files, { source })).body.applied).toBe(false);

    const dropped = await send(applyRoute, { 'catalog-info.yaml': '' }, { source, prune: 'true' });
    expect(dropped.body.steps.map((s) => `${s.action} ${s.name}`)).toEqual([`delete ${a}/availability`, `delete ${a}`]);
    expect(await db().service.count({ where: { slug: a } })).toBe(0);
  });
});

describe('hostile files through the apply route', () => {
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefgh'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  ].join('\n');

  test.each<[string, () => { files: Record<string, string> } | { raw: string; type: string }, number, string | RegExp]>([
    ['an alias bomb', () => ({ files: { 'bomb.yaml': bomb } }), 422, /bomb\.yaml#1: .*alias/i],
    ['a file over 4 MiB', () => ({ raw: `# ${'x'.repeat(4 * 1024 * 1024)}`, type: 'application/yaml' }), 413, 'too_large'],
    [
      'a document over 256 KiB',
      () => ({ files: { 'big.yaml': `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: big\n  displayName: "${'x'.repeat(300_000)}"\n` } }),
      422,
      'big.yaml#1: is larger than',
    ],
    [
      'an unknown kind',
      () => ({ files: { 'k.yaml': 'apiVersion: openslo/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n' } }),
      422,
      'k.yaml#1 Widget w: kind: must be one of',
    ],
    [
      'wrong types',
      () => ({ files: { 't.yaml': 'apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: [1, 2]\nspec: 7\n' } }),
      422,
      /t\.yaml#1 Service: metadata\.name: /,
    ],
    ['duplicate keys', () => ({ files: { 'd.yaml': 'apiVersion: openslo/v1\napiVersion: openslo/v1\nkind: Service\n' } }), 422, /d\.yaml#1: not valid YAML/],
    ['not YAML at all', () => ({ files: { 'n.yaml': '{{{' } }), 422, /n\.yaml#1: not valid YAML/],
    ['a body that is not {files}', () => ({ raw: JSON.stringify({ files: 'nope' }), type: 'application/json' }), 400, 'invalid_input'],
    ['NUL in a file', () => ({ files: { 'z.yaml': 'a: "\u0000"' } }), 400, 'invalid_input'],
    [
      'NUL made by a YAML escape',
      () => ({ files: { 'e.yaml': 'apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: "a\\0b"\n' } }),
      422,
      'e.yaml#1: holds a NUL character',
    ],
    ['a form post', () => ({ raw: 'a=b', type: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
  ])('%s is answered %i and nothing is stored', async (_, make, status, expected) => {
    const before = { services: await db().service.count(), slos: await db().slo.count(), audit: await db().auditEvent.count() };
    const input = make();
    const response =
      'files' in input
        ? await send(applyRoute, input.files, { source: 'github.com/acme/hostile' })
        : await (async () => {
            const r = await callRoute(applyRoute.POST, {
              method: 'POST',
              path: '/api/v1/catalog/apply',
              rawBody: input.raw,
              headers: { 'content-type': input.type },
            });
            return { status: r.status, body: (await r.json()) as Answer };
          })();
    expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(status);
    const said = [response.body.error?.code ?? '', ...(response.body.error?.errors ?? [])].join('\n');
    if (typeof expected === 'string') expect(said).toContain(expected);
    else expect(said).toMatch(expected);
    expect({ services: await db().service.count(), slos: await db().slo.count(), audit: await db().auditEvent.count() }).toEqual(before);
  });
});

describe('OpenSLO notification targets', () => {
  const tiers = [{ severity: 'page' as const, longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }];
  const targeted = (svc: string, channels: string[]) => ({
    ...slo(svc, 'availability', { alertPolicy: { tiers } }),
    targets: channels.map((channel) => ({ channel, severity: 'page' as const, kind: 'slack' })),
  });

  test("become routes of that SLO's page alerts to the named channels, managed by the source; the export writes them back", async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    const channel = await db().notificationChannel.create({
      data: { slug: uniqueSlug('ch'), name: 'Payments hook', kind: 'webhook', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, createdBy: 'test' },
    });
    const files = (channels: string[]) => ({ 'slos.yaml': fromUmpire([service(a)], [targeted(a, channels)]) });
    expect(files([channel.slug])['slos.yaml']).toContain(`name: ${channel.slug}`);

    const missing = await send(applyRoute, files(['no-such-channel']), { source });
    expect(missing.status).toBe(422);
    expect(missing.body.error?.errors).toEqual([
      'slos.yaml: SLO availability: notification target no-such-channel: there is no notification channel "no-such-channel": create it in Umpire first',
    ]);

    const applied = await send(applyRoute, files([channel.slug]), { source });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.steps.map((s) => `${s.action} ${s.kind} ${s.name}`)).toContain(`create route ${a}/availability → ${channel.slug} (page)`);
    const route = await db().notificationRoute.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(route).toMatchObject({
      team: 'gitops-team',
      services: [a],
      slos: ['availability'],
      severities: ['page'],
      kinds: ['burn_rate'],
      managedSource: source,
      managedPath: 'slos.yaml',
    });
    expect((await send(applyRoute, files([channel.slug]), { source })).body.applied).toBe(false);

    // Exported, the target is back on the SLO's page policy, and the export plans as unchanged.
    const exported = await (await callRoute(exportRoute.GET, { path: `/api/v1/openslo?service=${a}` })).text();
    expect(exported).toContain('kind: AlertNotificationTarget');
    expect(exported).toContain(`name: ${channel.slug}`);
    const replanned = await send(planRoute, { 'slos.yaml': exported }, { source });
    expect(
      replanned.body.steps.every((s) => s.action === 'unchanged'),
      JSON.stringify(replanned.body.steps),
    ).toBe(true);

    // Dropped from the file, the route goes; a hand-made route of the same SLO stays.
    const handMade = await db().notificationRoute.create({
      data: {
        team: 'gitops-team',
        channelId: channel.id,
        services: [a],
        slos: ['availability'],
        severities: ['ticket'],
        kinds: ['burn_rate'],
        createdBy: 'test',
      },
    });
    const dropped = await send(applyRoute, files([]), { source });
    expect(dropped.body.steps.filter((s) => s.kind === 'route').map((s) => `${s.action} ${s.name}`)).toEqual([
      `delete ${a}/availability → ${channel.slug} (page)`,
    ]);
    expect(await db().notificationRoute.findMany({ where: { channelId: channel.id }, select: { id: true } })).toEqual([{ id: handMade.id }]);
  });
});

describe('what apply must not break (review findings)', () => {
  test('prune refuses to delete a service whose SLOs the files still define, and keeps everything', async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    await send(applyRoute, { 'all.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { source });
    const refused = await send(applyRoute, { 'slos.yaml': fromUmpire([], [slo(a, 'one')]) }, { source, prune: 'true' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.errors).toEqual([
      `Service "${a}" cannot be pruned: the files still define its SLOs (one); add the service to the files or remove them`,
    ]);
    expect(await counts([a])).toMatchObject({ services: 1, slos: 1 });
  });

  test("a service handed to another team by apply takes its SLOs' routes along", async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    const channel = await db().notificationChannel.create({
      data: { slug: uniqueSlug('ch'), name: 'Team hook', kind: 'webhook', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, createdBy: 'test' },
    });
    const tiers = [{ severity: 'page' as const, longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }];
    const files = (team: string) => ({
      'all.yaml': fromUmpire(
        [service(a, team)],
        [{ ...slo(a, 'one', { alertPolicy: { tiers } }), targets: [{ channel: channel.slug, severity: 'page' as const, kind: 'slack' }] }],
      ),
    });
    expect((await send(applyRoute, files('team-old'), { source })).status).toBe(200);
    const moved = await send(applyRoute, files('team-new'), { source });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.steps.find((s) => s.kind === 'route')).toMatchObject({
      action: 'change',
      changes: [{ field: 'team', from: 'team-old', to: 'team-new' }],
    });
    expect((await db().notificationRoute.findFirstOrThrow({ where: { channelId: channel.id } })).team).toBe('team-new');
    expect((await send(applyRoute, files('team-new'), { source })).body.applied).toBe(false);
  });

  test('a hand-made route like a target is neither adopted nor deleted; the source makes its own', async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    await send(applyRoute, { 'all.yaml': fromUmpire([service(a)], []) }, { source });
    const channel = await db().notificationChannel.create({
      data: { slug: uniqueSlug('ch'), name: 'Team hook', kind: 'webhook', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, createdBy: 'test' },
    });
    const tiers = [{ severity: 'page' as const, longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }];
    const withTarget = fromUmpire(
      [service(a)],
      [{ ...slo(a, 'one', { alertPolicy: { tiers } }), targets: [{ channel: channel.slug, severity: 'page' as const, kind: 'slack' }] }],
    );
    await send(applyRoute, { 'all.yaml': fromUmpire([service(a)], [slo(a, 'one', { alertPolicy: { tiers } })]) }, { source });
    const hand = await db().notificationRoute.create({
      data: { team: 'gitops-team', channelId: channel.id, services: [a], slos: ['one'], severities: ['page'], kinds: ['burn_rate'], createdBy: 'test' },
    });
    const applied = await send(applyRoute, { 'all.yaml': withTarget }, { source });
    expect(applied.body.steps.find((s) => s.kind === 'route')).toMatchObject({ action: 'create' });
    await send(applyRoute, { 'all.yaml': fromUmpire([service(a)], [slo(a, 'one', { alertPolicy: { tiers } })]) }, { source });
    const left = await db().notificationRoute.findMany({ where: { channelId: channel.id } });
    expect(left.map((r) => [r.id, r.managedSource])).toEqual([[hand.id, null]]);
  });

  test('a hand-made service holding managed SLOs cannot be deleted, renamed or handed over while hand edits are refused', async () => {
    const hand = await makeService({ ownerTeam: 'gitops-team' });
    const source = `github.com/acme/${hand.slug}`;
    expect((await send(applyRoute, { 'slos.yaml': fromUmpire([], [slo(hand.slug, 'one')]) }, { source })).status).toBe(200);
    const removed = await callRoute(serviceRoute.DELETE, { method: 'DELETE', path: `/api/v1/services/${hand.slug}`, params: { service: hand.slug } });
    expect(removed.status).toBe(409);
    expect(((await removed.json()) as { error: { message: string } }).error.message).toContain(`(its SLO "one") is managed in git by ${source}`);
    const renamed = await callRoute(serviceRoute.PATCH, {
      method: 'PATCH',
      path: `/api/v1/services/${hand.slug}`,
      params: { service: hand.slug },
      body: { slug: `${hand.slug}-2` },
    });
    expect(renamed.status).toBe(409);
    // Its name is not git's: that edit is fine.
    const named = await callRoute(serviceRoute.PATCH, {
      method: 'PATCH',
      path: `/api/v1/services/${hand.slug}`,
      params: { service: hand.slug },
      body: { name: 'Renamed by hand' },
    });
    expect(named.status).toBe(200);
    expect(await db().slo.count({ where: { service: { slug: hand.slug } } })).toBe(1);
  });

  test('an upload (no source) that changes a managed SLO under warn is marked as a hand edit in the audit trail', async () => {
    const a = uniqueSlug('git');
    const source = `github.com/acme/${a}`;
    await send(applyRoute, { 'all.yaml': fromUmpire([service(a)], [slo(a, 'one')]) }, { source });
    const upload = { 'pasted.yaml': fromUmpire([service(a)], [slo(a, 'one', { objective: 0.95 })]) };
    expect((await send(applyRoute, upload)).status).toBe(409);
    setEnv('UMPIRE_MANAGED_EDITS', 'warn');
    expect((await send(applyRoute, upload)).status).toBe(200);
    const row = await db().slo.findFirstOrThrow({ where: { service: { slug: a }, slug: 'one' } });
    expect([row.objective, row.managedSource]).toEqual([0.95, source]);
    const entry = await db().auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: 'slo.update' } });
    expect(entry.details).toMatchObject({ managedEdit: { source, path: 'all.yaml' }, apply: { source: null, path: 'pasted.yaml' } });
  });
});
