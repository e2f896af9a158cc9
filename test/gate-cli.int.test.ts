// `umpire gate` and `umpire deploy` as a pipeline runs them: the real CLI in a child process (plain node, nothing
// but its own file), over real HTTP to a node:http server that hands each request to Umpire's route handlers, with
// PostgreSQL behind them. Stub servers stand in for what a healthy Umpire cannot do on cue: 5xx, silence.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as deployments from '../app/api/v1/deployments/route';
import * as gateRoute from '../app/api/v1/services/[service]/gate/route';
import * as policyRoute from '../app/api/v1/services/[service]/policy/route';
import * as catalogApplyRoute from '../app/api/v1/catalog/apply/route';
import * as catalogPlanRoute from '../app/api/v1/catalog/plan/route';
import * as opensloRoute from '../app/api/v1/openslo/route';
import { db } from '../lib/db/client';
import { Deployment, GateEvaluation } from '../lib/schemas';
import { makeToken, makeUser } from './auth';
import { createGateOverride } from '../lib/use-cases/gates/gate-overrides';
import { callRoute, constantBuckets, makeSloWithBuckets } from './factories';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/umpire.mjs', import.meta.url));
const MIN = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A gate token, as a pipeline holds in UMPIRE_TOKEN: may ask the gate and record deploys, nothing else. */
let gateToken = '';

/**
 * Runs the CLI as a pipeline would; the environment is only what is given (no CI variables of the test runner)
 * and the gate token, unless the test sets UMPIRE_TOKEN itself (or gives `{ UMPIRE_TOKEN: '' }` for none).
 */
function umpire(args: string[], extra: Record<string, string> = {}, cwd = ROOT): Promise<Run> {
  const env = { UMPIRE_TOKEN: gateToken, ...extra };
  if (env.UMPIRE_TOKEN === '') delete (env as Record<string, string | undefined>).UMPIRE_TOKEN;
  return new Promise((resolve, reject) => {
    // NODE_ENV too: Next's types require it in a process environment; the CLI ignores it.
    const childEnv: NodeJS.ProcessEnv = { NODE_ENV: 'test', PATH: process.env.PATH ?? '', ...env };
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;

/** The routes the CLI calls, as Next would route them. */
function routeFor(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
  const gatePath = /^\/api\/v1\/services\/([^/]+)\/gate$/.exec(path);
  if (method === 'POST' && gatePath) return { handler: gateRoute.POST, params: { service: decodeURIComponent(gatePath[1]!) } };
  if (method === 'POST' && path === '/api/v1/deployments') return { handler: deployments.POST, params: {} };
  if (method === 'GET' && path === '/api/v1/openslo') return { handler: opensloRoute.GET, params: {} };
  if (method === 'POST' && path === '/api/v1/catalog/plan') return { handler: catalogPlanRoute.POST, params: {} };
  if (method === 'POST' && path === '/api/v1/catalog/apply') return { handler: catalogApplyRoute.POST, params: {} };
  return null;
}

async function forward(incoming: IncomingMessage, outgoing: ServerResponse, base: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', base);
  const found = routeFor(incoming.method ?? 'GET', url.pathname);
  if (!found) {
    outgoing.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    return;
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(key, value);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: incoming.method, headers, body: body && incoming.method !== 'GET' ? body : undefined });
  const response = await found.handler(request, { params: Promise.resolve(found.params) });
  const answer = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(answer);
}

async function listen(
  handle: (incoming: IncomingMessage, outgoing: ServerResponse) => void,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let umpireServer: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  gateToken = (await makeToken({ scopes: ['gate'] })).token;
  umpireServer = await listen((incoming, outgoing) => {
    forward(incoming, outgoing, umpireServer.url).catch((error: unknown) => outgoing.writeHead(500).end(String(error)));
  });
});

afterAll(async () => {
  await umpireServer?.close();
});

/** A service with one SLO (objective 99.9%) whose last two days had this error ratio; its slug. */
async function serviceWithErrors(errorRatio: number): Promise<{ service: string; slo: string }> {
  const to = new Date(Math.floor(Date.now() / MIN) * MIN);
  // The whole 30-day window measured: figures that are not provisional.
  const record = await makeSloWithBuckets(constantBuckets(new Date(to.getTime() - 30 * 1440 * MIN), to, 100, errorRatio), { objective: 0.999 });
  return { service: record.serviceSlug, slo: record.slug };
}

const gateArgs = (service: string, ...more: string[]) => ['gate', '--url', umpireServer.url, '--service', service, '--version', 'v1.2.3', ...more];

describe('umpire gate against Umpire', () => {
  test('a healthy service passes: exit 0, the summary says so', async () => {
    const { service } = await serviceWithErrors(0.0001);
    const run = await umpire(gateArgs(service));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        `PASS  ${service}@v1.2.3 → production`,
        '  ✓ no rule broken by 1 SLO',
        '  data: ok, 1 SLO counted',
        "  policy: Umpire's built-in policy, 4 rules, missing data fails",
        `  ${umpireServer.url}/services/${service}`,
        '',
      ].join('\n'),
    );
  });

  test('a spent budget fails: exit 1, each reason on its own line, worst first', async () => {
    const { service, slo } = await serviceWithErrors(0.01); // ten times the budget for two days
    const run = await umpire(gateArgs(service));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    // 10x the sustainable burn: the 6h/30m page tier (6x) fires, the 1h/5m one (14.4x) does not.
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      `FAIL  ${service}@v1.2.3 → production`,
      `  ✗ ${service}/${slo}: budget remaining −900% < 0% (fail)`,
      `  ✗ ${service}/${slo}: page burn-rate alert firing (6h/30m above 6×) (fail)`,
      `  ! ${service}/${slo}: budget remaining −900% < 25% (warn)`,
      `  ! ${service}/${slo}: ticket burn-rate alert firing (1d/2h above 3×, 3d/6h above 1×) (warn)`,
    ]);
  });

  test('warn: exit 0 by default, 1 with --warn-exit-code 1 or UMPIRE_GATE_WARN_EXIT=1', async () => {
    const { service, slo } = await serviceWithErrors(0.0001); // 90% of the budget left
    const policy = await callRoute(policyRoute.PUT, {
      method: 'PUT',
      params: { service },
      body: { rules: [{ kind: 'budget_remaining', below: 0.95, verdict: 'warn' }] },
    });
    expect(policy.status).toBe(200);

    const lenient = await umpire(gateArgs(service));
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(
      `WARN  ${service}@v1.2.3 → production  (warn lets it through)\n  ! ${service}/${slo}: budget remaining 90% < 95% (warn)\n`,
    );
    expect(lenient.stdout).toContain("  policy: the service's own policy, 1 rule, missing data fails\n");

    const strict = await umpire(gateArgs(service, '--warn-exit-code', '1'));
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('(warn fails this pipeline: --warn-exit-code 1)');
    expect((await umpire(gateArgs(service), { UMPIRE_GATE_WARN_EXIT: '1' })).code).toBe(1);
  });

  test('an override lets a failing version through: exit 0, and the summary says who and why', async () => {
    const { service } = await serviceWithErrors(0.01);
    // Overridden by an editor of the service's team, signed in: the override names them, not what they typed.
    const alice = await makeUser({ role: 'editor', teams: ['test-team'] });
    await createGateOverride({
      actor: alice.actor,
      service,
      input: { version: 'v1.2.3', reason: 'The fix for the incident burning the budget', expiresInHours: 24 },
    });
    const run = await umpire(gateArgs(service));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^PASS \\(override; the policy says FAIL\\)  ${service}@v1\\.2\\.3 → production\n`));
    expect(run.stdout).toMatch(new RegExp(`\n {2}override: by ${alice.username} until \\S+: The fix for the incident burning the budget\n`));
  });

  test('--json prints the stored evaluation; commit and pipeline URL come from the CI variables', async () => {
    const { service } = await serviceWithErrors(0.0001);
    const run = await umpire(gateArgs(service, '--json', '--environment', 'staging'), {
      GITHUB_SHA: '0123456789abcdef',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'shop/checkout',
      GITHUB_RUN_ID: '4242',
    });
    expect(run.code).toBe(0);
    const answer = GateEvaluation.parse(JSON.parse(run.stdout));
    expect(answer).toMatchObject({
      service,
      version: 'v1.2.3',
      environment: 'staging',
      verdict: 'pass',
      commit: '0123456789abcdef',
      pipelineUrl: 'https://github.com/shop/checkout/actions/runs/4242',
    });
    expect(await db().gateCheck.count({ where: { id: answer.id } })).toBe(1);
  });

  test("an unknown service: exit 2 with Umpire's 404 message", async () => {
    const run = await umpire(gateArgs('no-such-service'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('umpire: Umpire refused the request (404 Not Found, not_found): Service "no-such-service" does not exist\n');
  });

  test('a token that may not ask this gate: exit 2 with the reason, never a pass', async () => {
    const { service } = await serviceWithErrors(0.0001);
    const reader = await makeToken({ scopes: ['read'] });
    const readOnly = await umpire(gateArgs(service), { UMPIRE_TOKEN: reader.token });
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toBe(
      'umpire: Umpire refused the request (403 Forbidden): This token lacks the gate or write scope needed to ask the release gate: check that UMPIRE_TOKEN holds a valid token allowed to do this\n',
    );
    // A gate token of another team: the gate of this service is not its to ask, nor its deploys to record.
    const otherTeam = await makeToken({ scopes: ['gate'], teams: ['payments'] });
    const refused = await umpire(gateArgs(service), { UMPIRE_TOKEN: otherTeam.token });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(403 Forbidden): This token may ask the release gate only for the teams “payments”; this belongs to team “test-team”');
    expect((await umpire(['deploy', '--url', umpireServer.url, '--service', service, '--version', 'v9'], { UMPIRE_TOKEN: otherTeam.token })).code).toBe(2);
    const unknown = await umpire(gateArgs(service), { UMPIRE_TOKEN: 'umpire_not-a-real-token' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('(401 Unauthorized): The API token is not valid (unknown or revoked)');
    expect(await db().gateCheck.count({ where: { service: { slug: service } } })).toBe(0);
  });

  test('a --url that is not Umpire (a 404 page): exit 2, asking whether --url is right', async () => {
    const run = await umpire(['gate', '--url', `${umpireServer.url}/not-umpire`, '--service', 'checkout', '--version', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`without an Umpire error: is ${umpireServer.url}/not-umpire Umpire's base URL (--url)?`);
  });

  test('usage errors: exit 2 without asking', async () => {
    const missing = await umpire(['gate', '--url', umpireServer.url, '--service', 'checkout']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'umpire: --version is required (umpire gate --help)\n' });
    expect((await umpire(['gate', '--url', umpireServer.url, '--service', 'checkout', '--version', '1', '--warn-exit-code', '3'])).code).toBe(2);
    expect((await umpire(['release'])).code).toBe(2);
    expect((await umpire(['gate', '--service', 'checkout', '--version', '1'])).stderr).toBe('umpire: --url (or UMPIRE_URL) is required (umpire gate --help)\n');
  });

  test('help: exit 0', async () => {
    const run = await umpire(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('umpire gate --url URL --service SLUG --version VERSION');
  });
});

describe('umpire deploy against Umpire', () => {
  test('records the deployment: exit 0, its id and the page', async () => {
    const { service } = await serviceWithErrors(0.0001);
    const run = await umpire(
      [
        'deploy',
        '--service',
        service,
        '--version',
        'v1.2.3',
        '--started-at',
        '2026-11-26T10:00:00Z',
        '--finished-at',
        '2026-11-26T10:04:30Z',
        '--commit',
        'abc123',
      ],
      { UMPIRE_URL: umpireServer.url, CI_PIPELINE_URL: 'https://gitlab.example.com/shop/checkout/-/pipelines/7' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const match = /^Recorded deployment ([0-9a-f-]{36}): (\S+)@v1\.2\.3 → production\n {2}(\S+)\n$/.exec(run.stdout);
    expect(match?.[2]).toBe(service);
    expect(match?.[3]).toBe(`${umpireServer.url}/services/${service}`);
    const row = await db().deployment.findUniqueOrThrow({ where: { id: match![1]! } });
    expect(row).toMatchObject({
      version: 'v1.2.3',
      environment: 'production',
      startedAt: new Date('2026-11-26T10:00:00Z'),
      finishedAt: new Date('2026-11-26T10:04:30Z'),
      commit: 'abc123',
      url: 'https://gitlab.example.com/shop/checkout/-/pipelines/7',
    });
  });

  test('--json prints the deployment; an unknown service is exit 2', async () => {
    const { service } = await serviceWithErrors(0.0001);
    const run = await umpire(['deploy', '--url', umpireServer.url, '--service', service, '--version', 'v9', '--json']);
    expect(run.code).toBe(0);
    expect(Deployment.parse(JSON.parse(run.stdout))).toMatchObject({ service, version: 'v9', environment: 'production' });
    const unknown = await umpire(['deploy', '--url', umpireServer.url, '--service', 'no-such-service', '--version', 'v9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('(404 Not Found, not_found)');
  });
});

describe('when Umpire cannot be asked: exit 3', () => {
  test('nothing listens on the port', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const run = await umpire(['gate', '--url', closed.url, '--service', 'checkout', '--version', '1']);
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: `umpire: could not reach Umpire at ${closed.url}/api/v1/services/checkout/gate: connection refused (ECONNREFUSED)\n`,
    });
  });

  test('it answers 5xx (database down, a proxy with nobody behind it)', async () => {
    const down = await listen((_, outgoing) => {
      outgoing.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', 'x-request-id': 'req-1' });
      outgoing.end(JSON.stringify({ error: { code: 'database_unavailable', message: 'The database is unreachable; try again shortly' } }));
    });
    const proxy = await listen((_, outgoing) => void outgoing.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>'));
    try {
      const run = await umpire(['gate', '--url', down.url, '--service', 'checkout', '--version', '1']);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(
        `umpire: Umpire could not answer POST ${down.url}/api/v1/services/checkout/gate (503 Service Unavailable): The database is unreachable; try again shortly (request id req-1, retry after 5s)\n`,
      );
      expect((await umpire(['deploy', '--url', proxy.url, '--service', 'checkout', '--version', '1'])).code).toBe(3);
    } finally {
      await down.close();
      await proxy.close();
    }
  });

  test('it does not answer within --timeout', async () => {
    const silent = await listen(() => undefined); // accepts, reads, never answers
    try {
      const started = Date.now();
      const run = await umpire(['gate', '--url', silent.url, '--service', 'checkout', '--version', '1', '--timeout', '500ms']);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(`umpire: Umpire did not answer POST ${silent.url}/api/v1/services/checkout/gate within 500ms (--timeout)\n`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  });
});

describe('what goes over the wire', () => {
  test('UMPIRE_TOKEN is sent as a bearer token; without it, no Authorization header', async () => {
    const seen: Array<{ authorization: string | undefined; body: unknown }> = [];
    const stub = await listen((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        seen.push({ authorization: incoming.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString()) });
        outgoing.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'Invalid token' } }));
      });
    });
    try {
      const run = await umpire(['gate', '--url', stub.url, '--service', 'checkout', '--version', '1', '--commit', 'abc'], { UMPIRE_TOKEN: 'umpire_s3cret' });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'umpire: Umpire refused the request (401 Unauthorized): Invalid token: check that UMPIRE_TOKEN holds a valid token allowed to do this\n',
      );
      expect((await umpire(['gate', '--url', stub.url, '--service', 'checkout', '--version', '1'], { UMPIRE_TOKEN: '' })).stderr).toContain(
        'set UMPIRE_TOKEN to an Umpire token',
      );
      expect(seen).toEqual([
        { authorization: 'Bearer umpire_s3cret', body: { version: '1', environment: 'production', commit: 'abc' } },
        { authorization: undefined, body: { version: '1', environment: 'production' } },
      ]);
    } finally {
      await stub.close();
    }
  });
});

test('the server ships the CLI it matches at /cli/umpire.mjs', async () => {
  const { GET } = await import('../app/cli/umpire.mjs/route');
  const response = await GET();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  const { readFile } = await import('node:fs/promises');
  expect(await response.text()).toBe(await readFile(new URL('../bin/umpire.mjs', import.meta.url), 'utf8'));
});

describe('umpire export and umpire diff against Umpire', () => {
  test('a service exported to a file diffs as unchanged (exit 0); an edited objective is a change (exit 1)', async () => {
    const { service, slo } = await serviceWithErrors(0.0001);
    const reader = (await makeToken({ scopes: ['read'] })).token;
    const exported = await umpire(['export', '--url', umpireServer.url, '--service', service], { UMPIRE_TOKEN: reader });
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain('apiVersion: openslo/v1');
    const dir = await mkdtemp(path.join(tmpdir(), 'umpire-openslo-'));
    try {
      const file = path.join(dir, 'catalogue.yaml');
      await writeFile(file, exported.stdout);
      // Run outside any git repository and without --source: nothing names a source, and the CLI says so.
      const noSource = 'umpire: no source (--source, UMPIRE_SOURCE or a git remote "origin"): what is applied is not marked as managed\n';
      const same = await umpire(['diff', '--url', umpireServer.url, '-f', file], { UMPIRE_TOKEN: reader }, dir);
      expect(same).toMatchObject({ code: 0, stderr: noSource });
      expect(same.stdout).toContain(`= SLO ${service}/${slo}`);
      await writeFile(file, exported.stdout.replace(/target: 0\.999\b/, 'target: 0.995'));
      const changed = await umpire(['diff', '--url', umpireServer.url, '-f', file], { UMPIRE_TOKEN: reader }, dir);
      expect(changed).toMatchObject({ code: 1, stderr: noSource });
      expect(changed.stdout).toContain(`~ SLO ${service}/${slo}: objective 0.999 → 0.995`);
      await writeFile(file, 'apiVersion: openslo/v1\nkind: Widget\nmetadata:\n  name: x\n');
      const refused = await umpire(['diff', '--url', umpireServer.url, '-f', file], { UMPIRE_TOKEN: reader }, dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'umpire: Umpire refused: it cannot take the files; nothing was applied:\n  catalogue.yaml#1 Widget x: kind: must be one of',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('umpire apply against Umpire', () => {
  test('a folder applied from a source creates its objects (exit 0), a second apply changes nothing, prune deletes what the folder dropped', async () => {
    const editor = (await makeToken({ scopes: ['read', 'write'] })).token;
    const slug = `cli-${Date.now().toString(36)}`;
    const dir = await mkdtemp(path.join(tmpdir(), 'umpire-apply-'));
    const service = `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${slug}\n  labels:\n    team: cli-team\n    tier: "2"\n`;
    try {
      await writeFile(path.join(dir, 'service.yaml'), service);
      await writeFile(path.join(dir, 'notes.txt'), 'not read');
      const env = { UMPIRE_TOKEN: editor, UMPIRE_SOURCE: `example.com/acme/${slug}`, GITHUB_SHA: 'c0ffee' };
      const first = await umpire(['apply', '--url', umpireServer.url, '-f', dir], env, dir);
      expect(first, first.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toBe(`+ service ${slug}\n1 to create, 0 to change, 0 unchanged\nApplied from example.com/acme/${slug} at c0ffee.\n`);
      const row = await db().service.findUniqueOrThrow({ where: { slug } });
      expect([row.managedSource, row.managedPath]).toEqual([`example.com/acme/${slug}`, 'service.yaml']);
      const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: 'service.create' } });
      expect(audit.details).toMatchObject({ apply: { source: `example.com/acme/${slug}`, revision: 'c0ffee', path: 'service.yaml' } });

      const again = await umpire(['apply', '--url', umpireServer.url, '-f', dir], env, dir);
      expect(again).toMatchObject({ code: 0, stdout: `= service ${slug}\n0 to create, 0 to change, 1 unchanged\nNothing to apply.\n` });

      await rm(path.join(dir, 'service.yaml'));
      await writeFile(path.join(dir, 'empty.yaml'), '');
      const plan = await umpire(['diff', '--url', umpireServer.url, '-f', dir, '--prune'], env, dir);
      expect(plan).toMatchObject({ code: 1, stdout: `- service ${slug}\n0 to create, 0 to change, 1 to delete, 0 unchanged\n` });
      expect(await db().service.count({ where: { slug } })).toBe(1);
      const pruned = await umpire(['apply', '--url', umpireServer.url, '-f', dir, '--prune'], env, dir);
      expect(pruned.code).toBe(0);
      expect(await db().service.count({ where: { slug } })).toBe(0);

      const viewer = (await makeToken({ scopes: ['read'] })).token;
      await writeFile(path.join(dir, 'service.yaml'), service);
      const forbidden = await umpire(['apply', '--url', umpireServer.url, '-f', dir], { ...env, UMPIRE_TOKEN: viewer }, dir);
      expect(forbidden.code).toBe(2);
      expect(forbidden.stderr).toContain('Umpire refused the request (403 Forbidden)');
      expect(await db().service.count({ where: { slug } })).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
