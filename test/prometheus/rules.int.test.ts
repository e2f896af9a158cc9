import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import * as allRules from '../../app/api/v1/rules/route';
import * as serviceRules from '../../app/api/v1/services/[service]/rules/route';
import * as sloRulesRoute from '../../app/api/v1/services/[service]/slos/[slo]/rules/route';
import { systemActor } from '../../lib/auth/authorize';
import { findSloRecord } from '../../lib/db/slos';
import { errorRatioExpr } from '../../lib/rules/slo-rules';
import { PrometheusSli, type AlertTier } from '../../lib/schemas';
import { durationToMinutes } from '../../lib/slo';
import { PrometheusClient, type QueryData } from '../../lib/sources/prometheus/client';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { evaluateSlo } from '../../lib/use-cases/evaluation/evaluate-slo';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { callRoute, makeService, makeSlo, uniqueSlug } from '../factories';
import { startPrometheus, type RunningPrometheus } from './harness';
import { generateCounters, openMetricsParts } from './generate-counters';

// The generated rules prove themselves (docs/prometheus-rules.md): Debian's promtool accepts every file the API
// answers, the generated tests pass on the generated rules and fail on broken ones, and a real Prometheus running
// the recording rules' expressions over known history agrees with Umpire's own burn rates and alert states.

const run = promisify(execFile);
const PROMTOOL = process.env.UMPIRE_TEST_PROMTOOL ?? '/usr/bin/promtool';
const SYSTEM = systemActor('test');
const MIN = 60_000;

const history = generateCounters();
const END = new Date(Math.floor(history.scenario.end / MIN) * MIN);
let prometheus: RunningPrometheus;
let datasource: string;
let dir: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(history.series, 2) });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Prom', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
  });
  dir = await mkdtemp(join(tmpdir(), 'umpire-rules-'));
}, 60_000);
afterAll(async () => {
  await prometheus?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function promtool(...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
}

async function saved(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

type Handler = Parameters<typeof callRoute>[0];
async function yamlOf(handler: Handler, params: Record<string, string>, format: string): Promise<string> {
  const response = await callRoute(handler, { params, path: `/api/v1/rules?format=${format}` });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
  return response.text();
}

const ratio = (job: string) =>
  PrometheusSli.parse({
    source: 'prometheus',
    datasource,
    kind: 'ratio',
    totalSelector: `http_requests_total{job="${job}"}`,
    goodSelector: `http_requests_total{job="${job}",code!~"5.."}`,
  });

describe('generated rules and tests, checked by promtool', () => {
  test('a service: every format passes promtool check, its tests pass, and a broken threshold fails them', async () => {
    // A hostile team and SLO name must come out as plain text in labels and annotations.
    const service = await makeService({ ownerTeam: 'payments {{ .Labels }} "quoted" #', links: { runbook: 'https://runbooks.example/checkout?a={{x}}&b=2' } });
    await makeSlo(service.slug, { slug: 'availability', name: 'Availability: "all" {{ requests }}', sli: ratio('aligned') });
    const latencyTiers: AlertTier[] = [
      { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, for: '10m' },
      { severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate: 200 }, // 200 x 1% = 2: never fires
    ];
    await makeSlo(service.slug, {
      slug: 'latency',
      objective: 0.99,
      sli: { source: 'prometheus', datasource, kind: 'latency', metric: 'request_duration_seconds', thresholdSeconds: 1, filters: { job: 'latency' } },
      alertPolicy: { tiers: latencyTiers },
    });
    await makeSlo(service.slug, {
      slug: 'errors',
      sli: {
        source: 'prometheus',
        datasource,
        kind: 'ratio',
        totalSelector: 'http_requests_total{job="offset"}',
        badSelector: 'http_requests_total{job="offset",code="500"}',
      },
      alertPolicy: { tiers: [{ severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6 }] },
    });
    await makeSlo(service.slug, { slug: 'demo' });

    const rules = await yamlOf(serviceRules.GET, { service: service.slug }, 'prometheus');
    expect(rules).toContain(`# Skipped ${service.slug}/demo: its SLI comes from demo, not Prometheus.`);
    expect(rules).toContain(`# Never fires: ${service.slug}/latency ErrorBudgetBurnTicket1h5m`);
    const groups = (parse(rules) as { groups: Array<{ name: string }> }).groups.map((g) => g.name);
    expect(groups).toEqual([`umpire-slo:${service.slug}/availability`, `umpire-slo:${service.slug}/errors`, `umpire-slo:${service.slug}/latency`]);
    const check = await promtool('check', 'rules', await saved('umpire-rules.yaml', rules));
    expect(check.output).toContain('SUCCESS: 24 rules found');
    expect(check.ok, check.output).toBe(true);

    // The operator's object holds the same groups: promtool checks them as a rule file.
    const operator = parse(await yamlOf(serviceRules.GET, { service: service.slug }, 'operator')) as { kind: string; spec: { groups: unknown } };
    expect(operator.kind).toBe('PrometheusRule');
    expect(operator.spec.groups).toEqual((parse(rules) as { groups: unknown }).groups);
    const operatorCheck = await promtool('check', 'rules', await saved('operator-groups.yaml', stringify({ groups: operator.spec.groups })));
    expect(operatorCheck.ok, operatorCheck.output).toBe(true);

    const tests = await yamlOf(serviceRules.GET, { service: service.slug }, 'tests');
    expect(tests).toContain(`# No test for ${service.slug}/latency ErrorBudgetBurnTicket1h5m: it can never fire`);
    const testFile = await saved('umpire-rules.test.yaml', tests);
    const passed = await promtool('test', 'rules', testFile);
    expect(passed.output).toContain('SUCCESS');
    expect(passed.ok, passed.output).toBe(true);
    // 4 default tiers x 3 cases, the latency page's 3 (its ticket never fires), the errors page's 3.
    expect((parse(tests) as { tests: unknown[] }).tests).toHaveLength(18);

    // The same tests against rules whose fast page is a little too eager must fail, on the case that says so.
    await saved('umpire-rules.yaml', rules.replaceAll('(14.4 * (1 - 0.999))', '(13 * (1 - 0.999))'));
    const broken = await promtool('test', 'rules', testFile);
    expect(broken.ok).toBe(false);
    expect(broken.output).toContain('ErrorBudgetBurnPage1h5m: stays quiet on an error ratio of 0.01368');
  }, 300_000);

  test('one SLO and all SLOs: promtool check accepts both; the SLO file has only its own group', async () => {
    const service = await makeService();
    await makeSlo(service.slug, { slug: 'availability', sli: ratio('aligned') });
    const one = await yamlOf(sloRulesRoute.GET, { service: service.slug, slo: 'availability' }, 'prometheus');
    expect((parse(one) as { groups: Array<{ name: string }> }).groups.map((g) => g.name)).toEqual([`umpire-slo:${service.slug}/availability`]);
    const all = await yamlOf(allRules.GET, {}, 'prometheus');
    expect(all).toContain(`name: umpire-slo:${service.slug}/availability`);
    for (const [name, text] of [
      ['one.yaml', one],
      ['all.yaml', all],
    ] as const) {
      const check = await promtool('check', 'rules', await saved(name, text));
      expect(check.ok, check.output).toBe(true);
    }
  });

  test('a tier that can never fire is named in a header and in the comment of every format', async () => {
    const service = await makeService();
    await makeSlo(service.slug, {
      slug: 'strict',
      objective: 0.99,
      sli: ratio('aligned'),
      alertPolicy: { tiers: [{ severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate: 150 }] },
    });
    for (const format of ['prometheus', 'operator', 'tests']) {
      const response = await callRoute(sloRulesRoute.GET, { params: { service: service.slug, slo: 'strict' }, path: `/x?format=${format}` });
      expect(response.headers.get('umpire-never-firing-tiers')).toBe(`${service.slug}/strict/ErrorBudgetBurnTicket1h5m`);
      expect(await response.text()).toContain(`# Never fires: ${service.slug}/strict ErrorBudgetBurnTicket1h5m needs an error ratio above 1.5`);
    }
  });

  test('a bad format is a 400 naming the field; an unknown SLO a 404', async () => {
    const service = await makeService();
    const bad = await callRoute(serviceRules.GET, { params: { service: service.slug }, path: '/x?format=json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ format: 'must be prometheus, operator or tests' });
    const missing = await callRoute(sloRulesRoute.GET, { params: { service: service.slug, slo: 'nope' }, path: '/x' });
    expect(missing.status).toBe(404);
  });
});

describe('a real Prometheus running the rules agrees with Umpire', () => {
  test('each recorded error ratio / budget equals Umpire`s burn rate for that window within 0.1%, and the alert states match', async () => {
    const objective = 0.995;
    const service = await makeService();
    const slo = await makeSlo(service.slug, { objective, window: { kind: 'rolling', days: 3 }, sli: ratio('aligned') });
    const record = await findSloRecord(service.slug, slo.slug);
    expect(await evaluateSlo(record, { now: END, backfillDays: 4 })).toMatchObject({ status: 'ok' });
    const client = new PrometheusClient({ baseUrl: prometheus.url });
    const vector = async (query: string, at: Date) => {
      const data: QueryData = await client.query(query, at);
      if (data.resultType !== 'vector') throw new Error(`not a vector: ${query}`);
      return data.result.map((r) => Number(r.value[1]));
    };
    const sli = record.sli as PrometheusSli;
    // Now (quiet: 0.3% errors), and 39 minutes into the 5% incident, when both pages fire.
    const during = new Date(history.scenario.incident.from + 39 * MIN);
    const firingAt: Record<string, string[]> = {};
    for (const at of [END, during]) {
      const status = await computeSloStatus(record, { now: at });
      expect(status.asOf).toBe(at.toISOString());
      let compared = 0;
      for (const alert of status.alerts) {
        for (const [window, burn] of [
          [alert.longWindow, alert.longBurnRate],
          [alert.shortWindow, alert.shortBurnRate],
        ] as const) {
          const [ratioFromRules] = await vector(errorRatioExpr(sli, window), at);
          expect(burn, `${window}: Umpire has a burn rate`).not.toBeNull();
          const fromRules = ratioFromRules! / (1 - objective);
          expect(Math.abs(fromRules - burn!) / burn!, `${window} at ${at.toISOString()}: rules ${fromRules}, Umpire ${burn}`).toBeLessThanOrEqual(0.001);
          compared++;
        }
        // The alerting rule's conditions, on the recording rules' expressions.
        const limit = `(${alert.threshold} * (1 - ${objective}))`;
        const firing = await vector(`(${errorRatioExpr(sli, alert.longWindow)}) > ${limit} and (${errorRatioExpr(sli, alert.shortWindow)}) > ${limit}`, at);
        expect(firing.length > 0, `${alert.longWindow}/${alert.shortWindow} firing at ${at.toISOString()}`).toBe(alert.firing);
      }
      expect(compared).toBe(2 * status.alerts.length);
      expect(status.alerts.map((a) => durationToMinutes(a.longWindow))).toEqual([60, 360, 1440, 4320]);
      firingAt[at === END ? 'now' : 'during'] = status.alerts.filter((a) => a.firing).map((a) => `${a.longWindow}/${a.shortWindow}`);
    }
    // Whether the 1d/2h ticket fires mid-incident depends on the hour the history ends (its daily traffic), so only
    // the pages are pinned; every tier's state was compared with Umpire's above.
    expect(firingAt.now).toEqual([]);
    expect(firingAt.during).toEqual(expect.arrayContaining(['1h/5m', '6h/30m']));
  }, 180_000);

  test('a good counter with no series yet: every event failed, for the rules as for Umpire', async () => {
    const objective = 0.995;
    const service = await makeService();
    const sli = PrometheusSli.parse({
      source: 'prometheus',
      datasource,
      kind: 'ratio',
      totalSelector: 'http_requests_total{job="aligned"}',
      goodSelector: 'http_requests_total{job="aligned",code="never"}',
    });
    const slo = await makeSlo(service.slug, { objective, window: { kind: 'rolling', days: 3 }, sli });
    const record = await findSloRecord(service.slug, slo.slug);
    expect(await evaluateSlo(record, { now: END, backfillDays: 1 })).toMatchObject({ status: 'ok' });
    const status = await computeSloStatus(record, { now: END });
    const page = status.alerts[0]!;
    const data = await new PrometheusClient({ baseUrl: prometheus.url }).query(errorRatioExpr(sli, page.longWindow), END);
    expect(data.resultType === 'vector' && data.result.map((r) => Number(r.value[1]))).toEqual([1]);
    expect(page.longBurnRate).toBeCloseTo(1 / (1 - objective), 9);
    expect(page.firing).toBe(true);
  });
});
