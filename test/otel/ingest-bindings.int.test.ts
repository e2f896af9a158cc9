// Issue 14, item 1: an ingest token feeds only the SLOs it may. A token limited to team "payments" once pushed
// 100,000 errors (budget -9801%, gate fail) and then 30,000,000 good events (gate pass) into a "discovery" SLO.
// Through the real receiver (POST /v1/metrics): the refused points change nothing in the database (no bucket, no
// figure, no verdict, not even the catalogue), the OTLP partial-success answer names each refusal, and the SLO's
// feeders say which tokens fed it.
import { beforeEach, describe, expect, test } from 'vitest';
import { POST } from '@/app/v1/metrics/route';
import * as feedersRoute from '@/app/api/v1/services/[service]/slos/[slo]/feeders/route';
import { db } from '@/lib/db/client';
import { otelTemplate, PolicyInput, type SloFeeders } from '@/lib/schemas';
import { forgetCatalogWrites } from './forget-catalog-writes';
import { getSloStatus } from '@/lib/use-cases/slos/get-slo-status';
import { listOtelMetrics } from '@/lib/use-cases/ingest/list-otel-metrics';
import { putServicePolicy } from '@/lib/use-cases/gates/gate-policy';
import { previewGate } from '@/lib/use-cases/gates/release-gate';
import { updateApiToken } from '@/lib/use-cases/access/api-tokens';
import { verifiedTokens } from '@/lib/use-cases/access/verified-tokens';
import { TokenPatch } from '@/lib/schemas';
import { makeIngestToken, makeUser, sessionFor } from '../auth';
import { callRoute, makeService, makeSlo, SYSTEM, uniqueSlug } from '../factories';
import { captureOutput, diff, snapshot } from '../security/support';

const MIN = 60_000_000_000n;
const METRIC = 'http.server.request.duration';

/** A whole minute `minutesAgo` before now, plus 15 s, in nanoseconds. */
function at(minutesAgo: number): bigint {
  return (BigInt(Math.floor(Date.now() / 60_000)) - BigInt(minutesAgo)) * MIN + 15_000_000_000n;
}

interface Point {
  status: number;
  count: number;
  time: bigint;
  start: bigint;
}

/** An OTLP/JSON body: one resource per service.name, one cumulative histogram of http.server.request.duration each. */
function otlp(resources: Array<{ serviceName: string | null; points: Point[]; metric?: string }>): string {
  return JSON.stringify({
    resourceMetrics: resources.map((r) => ({
      resource: { attributes: r.serviceName === null ? [] : [{ key: 'service.name', value: { stringValue: r.serviceName } }] },
      scopeMetrics: [
        {
          scope: { name: 'test' },
          metrics: [
            {
              name: r.metric ?? METRIC,
              unit: 's',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: r.points.map((p) => ({
                  attributes: [{ key: 'http.response.status_code', value: { intValue: String(p.status) } }],
                  startTimeUnixNano: String(p.start),
                  timeUnixNano: String(p.time),
                  count: String(p.count),
                  bucketCounts: [String(p.count), '0', '0', '0'],
                  explicitBounds: [0.1, 0.25, 0.5],
                })),
              },
            },
          ],
        },
      ],
    })),
  });
}

async function push(token: string, body: string): Promise<{ status: number; partial: { rejectedDataPoints?: string; errorMessage?: string } | undefined }> {
  const response = await POST(
    new Request('http://umpire.test/v1/metrics', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }),
  );
  const text = await response.text();
  return {
    status: response.status,
    partial: text ? (JSON.parse(text) as { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } }).partialSuccess : undefined,
  };
}

/** A team's service with an OpenTelemetry availability SLO on `serviceName`, gated on its budget. */
async function teamSlo(team: string, serviceName: string) {
  const service = await makeService({ ownerTeam: team });
  const filters = [{ kind: 'match' as const, attribute: 'service.name', scope: 'resource' as const, operator: 'in' as const, values: [serviceName] }];
  const slo = await makeSlo(service.slug, { sli: { source: 'otel', ...otelTemplate('http_availability'), filters }, objective: 0.99 });
  await putServicePolicy({
    actor: SYSTEM,
    service: service.slug,
    input: PolicyInput.parse({ rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }] }),
  });
  const row = await db().slo.findFirstOrThrow({ where: { slug: slo.slug, service: { slug: service.slug } }, select: { id: true } });
  return { service: service.slug, slo: slo.slug, id: row.id, label: `${service.slug}/${slo.slug}` };
}

async function buckets(sloId: string) {
  const rows = await db().sliBucket.findMany({ where: { sloId }, orderBy: { start: 'asc' } });
  return rows.map((b) => ({ start: b.start.toISOString(), good: b.good, total: b.total }));
}

async function figures(s: { service: string; slo: string }) {
  const status = await getSloStatus({ service: s.service, slo: s.slo });
  const gate = await previewGate({ service: s.service });
  return { good: status.good, total: status.total, errorBudget: status.errorBudget, verdict: gate.verdict };
}

async function feeders(s: { service: string; slo: string }, headers?: Record<string, string>): Promise<SloFeeders> {
  const response = await callRoute(feedersRoute.GET, {
    path: `/api/v1/services/${s.service}/slos/${s.slo}/feeders`,
    params: s,
    ...(headers ? { headers } : {}),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SloFeeders;
}

beforeEach(() => forgetCatalogWrites());

describe('a token limited to a team', () => {
  test('cannot move another team’s SLO: buckets, figures and the gate verdict unchanged, every refusal named', async () => {
    const payments = uniqueSlug('payments');
    const discovery = uniqueSlug('discovery');
    const searchApp = uniqueSlug('search-api');
    const search = await teamSlo(discovery, searchApp);
    const own = await makeIngestToken({ teams: [discovery], name: `search exporter ${uniqueSlug()}` });
    const attacker = await makeIngestToken({ teams: [payments], name: `payments exporter ${uniqueSlug()}` });

    // The discovery service's own exporter: 1,000 good requests.
    const start = at(6);
    const fed = await push(own.token, otlp([{ serviceName: searchApp, points: [{ status: 200, count: 1000, time: at(3), start }] }]));
    expect(fed).toEqual({ status: 200, partial: undefined });
    const before = { buckets: await buckets(search.id), figures: await figures(search) };
    expect(before.figures).toMatchObject({ good: 1000, total: 1000, verdict: 'pass' });
    const database = await snapshot();

    // The payments token: 100,000 errors, then 30,000,000 good events, for the same series and new ones.
    const output = captureOutput();
    const errors = await push(attacker.token, otlp([{ serviceName: searchApp, points: [{ status: 503, count: 100_000, time: at(2), start }] }]));
    const refusal = `token ${JSON.stringify(attacker.name)} may not feed SLO ${search.label} (team "${discovery}" not in ["${payments}"])`;
    expect(errors).toEqual({ status: 200, partial: { rejectedDataPoints: '1', errorMessage: `1 point: ${refusal}` } });
    const good = await push(
      attacker.token,
      otlp([
        {
          serviceName: searchApp,
          points: [
            { status: 200, count: 30_000_000, time: at(1), start: at(2) },
            { status: 200, count: 1000, time: at(1), start },
          ],
        },
      ]),
    );
    expect(good).toEqual({ status: 200, partial: { rejectedDataPoints: '2', errorMessage: `2 points: ${refusal}` } });
    output.stop();
    // Logged, so an admin can see it: the token by name and id, the SLO, the points; never the token itself.
    const logged = output.text();
    const lines = logged
      .split('\n')
      .filter((l) => l.includes('"event":"ingest.slos_refused"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 'warn', senderId: attacker.id, sender: attacker.name, slos: [{ slo: search.label, points: 1 }] },
      { senderId: attacker.id, slos: [{ slo: search.label, points: 2 }] },
    ]);
    expect(logged).not.toContain(attacker.token);

    expect(await buckets(search.id)).toEqual(before.buckets);
    expect(await figures(search)).toEqual(before.figures);
    expect(diff(database, await snapshot()), 'refused points changed the database').toBe('');

    // The SLO's feeders: its own exporter only.
    const listed = await feeders(search);
    expect(listed).toEqual({
      days: 7,
      feeders: [
        { token: { id: own.id, name: own.name, kind: 'service', revoked: false }, points: 1, firstFedAt: expect.any(String), lastFedAt: expect.any(String) },
      ],
    });
  });

  test('still feeds its own team’s SLOs in the same request; the other team’s points are refused', async () => {
    const payments = uniqueSlug('payments');
    const discovery = uniqueSlug('discovery');
    const [checkoutApp, searchApp] = [uniqueSlug('checkout-api'), uniqueSlug('search-api')];
    const checkout = await teamSlo(payments, checkoutApp);
    const search = await teamSlo(discovery, searchApp);
    const token = await makeIngestToken({ teams: [payments] });
    const answer = await push(
      token.token,
      otlp([
        {
          serviceName: checkoutApp,
          points: [
            { status: 200, count: 90, time: at(2), start: at(5) },
            { status: 500, count: 10, time: at(2), start: at(5) },
          ],
        },
        { serviceName: searchApp, points: [{ status: 500, count: 70, time: at(2), start: at(5) }] },
      ]),
    );
    expect(answer.partial).toEqual({
      rejectedDataPoints: '1',
      errorMessage: `1 point: token ${JSON.stringify(token.name)} may not feed SLO ${search.label} (team "${discovery}" not in ["${payments}"])`,
    });
    expect(await figures(checkout)).toMatchObject({ good: 90, total: 100 });
    expect(await buckets(search.id)).toEqual([]);
    expect((await feeders(checkout)).feeders).toMatchObject([{ token: { id: token.id }, points: 2 }]);
    expect((await feeders(search)).feeders).toEqual([]);
  });

  test('cannot rewrite a series another team’s token sends (its own SLO on the same series keeps its own state)', async () => {
    const payments = uniqueSlug('payments');
    const discovery = uniqueSlug('discovery');
    const searchApp = uniqueSlug('search-api');
    const search = await teamSlo(discovery, searchApp);
    // A payments editor may put an SLO of their own on the discovery service's points: the same series.
    const mirror = await teamSlo(payments, searchApp);
    const own = await makeIngestToken({ teams: [discovery] });
    const attacker = await makeIngestToken({ teams: [payments] });
    const start = at(8);
    await push(own.token, otlp([{ serviceName: searchApp, points: [{ status: 200, count: 1000, time: at(5), start }] }]));
    // Counts going down under the same start time read as a restart: a shared state would count the next 1,100 whole.
    const reset = await push(attacker.token, otlp([{ serviceName: searchApp, points: [{ status: 200, count: 0, time: at(4), start }] }]));
    expect(reset.partial?.errorMessage).toBe(
      `1 point: token ${JSON.stringify(attacker.name)} may not feed SLO ${search.label} (team "${discovery}" not in ["${payments}"])`,
    );
    // ... and a point minutes ahead would make the real ones look like redeliveries.
    await push(attacker.token, otlp([{ serviceName: searchApp, points: [{ status: 200, count: 5, time: at(-4), start }] }]));
    await push(own.token, otlp([{ serviceName: searchApp, points: [{ status: 200, count: 1100, time: at(2), start }] }]));
    expect((await buckets(search.id)).reduce((n, b) => n + b.total, 0)).toBe(1100);
    expect((await buckets(mirror.id)).reduce((n, b) => n + b.total, 0)).toBe(5);
  });

  test('a team added to the token takes effect at once; the feeders list it from then on', async () => {
    const payments = uniqueSlug('payments');
    const discovery = uniqueSlug('discovery');
    const searchApp = uniqueSlug('search-api');
    const search = await teamSlo(discovery, searchApp);
    const token = await makeIngestToken({ teams: [payments] });
    const body = (count: number, minutesAgo: number) =>
      otlp([{ serviceName: searchApp, points: [{ status: 200, count, time: at(minutesAgo), start: at(7) }] }]);
    expect((await push(token.token, body(10, 4))).partial?.rejectedDataPoints).toBe('1');
    await updateApiToken({ actor: SYSTEM, id: token.id, patch: TokenPatch.parse({ teams: [payments, discovery] }) });
    expect((await push(token.token, body(25, 2))).partial).toBeUndefined();
    // Its series are new from the change on (its teams are part of their identity); begun 7 minutes ago, under 15: counted whole.
    expect((await buckets(search.id)).reduce((n, b) => n + b.total, 0)).toBe(25);
    expect((await feeders(search)).feeders).toMatchObject([{ token: { id: token.id }, points: 1 }]);
  });
});

describe('a token pinned to service.name values', () => {
  test('feeds from its services only; other service.names are refused for every team, and stay out of the catalogue', async () => {
    const team = uniqueSlug('shop');
    const [checkoutApp, searchApp] = [uniqueSlug('checkout-api'), uniqueSlug('search-api')];
    const checkout = await teamSlo(team, checkoutApp);
    const search = await teamSlo(team, searchApp);
    const pinned = await makeIngestToken({ serviceNames: [checkoutApp] });
    const answer = await push(
      pinned.token,
      otlp([
        { serviceName: checkoutApp, points: [{ status: 200, count: 40, time: at(2), start: at(5) }] },
        { serviceName: searchApp, points: [{ status: 200, count: 60, time: at(2), start: at(5) }] },
        { serviceName: null, points: [{ status: 200, count: 5, time: at(2), start: at(5) }] },
      ]),
    );
    expect(answer.partial).toEqual({
      rejectedDataPoints: '1',
      errorMessage: `1 point: token ${JSON.stringify(pinned.name)} may not feed SLO ${search.label} (service.name "${searchApp}" not in ["${checkoutApp}"])`,
    });
    expect(await figures(checkout)).toMatchObject({ good: 40, total: 40 });
    expect(await buckets(search.id)).toEqual([]);
    const names =
      (await listOtelMetrics()).metrics.find((m) => m.name === METRIC)?.attributes.find((a) => a.scope === 'resource' && a.key === 'service.name')?.values ??
      [];
    expect(names).toContain(checkoutApp);
    expect(names).not.toContain(searchApp);
  });

  test('a pin and teams both hold', async () => {
    const [payments, discovery] = [uniqueSlug('payments'), uniqueSlug('discovery')];
    const app = uniqueSlug('shared-api');
    const theirs = await teamSlo(discovery, app);
    const ours = await teamSlo(payments, app);
    const token = await makeIngestToken({ teams: [payments], serviceNames: [app] });
    const answer = await push(token.token, otlp([{ serviceName: app, points: [{ status: 200, count: 8, time: at(2), start: at(5) }] }]));
    expect(answer.partial?.errorMessage).toBe(
      `1 point: token ${JSON.stringify(token.name)} may not feed SLO ${theirs.label} (team "${discovery}" not in ["${payments}"])`,
    );
    expect(await figures(ours)).toMatchObject({ total: 8 });
    expect(await buckets(theirs.id)).toEqual([]);
  });
});

describe('tokens without teams or pins', () => {
  test('feed every team’s SLOs, as before bindings (an admin’s choice); personal tokens of admins too', async () => {
    const app = uniqueSlug('any-api');
    const slo = await teamSlo(uniqueSlug('team'), app);
    const admin = await makeUser({ role: 'admin' });
    for (const token of [await makeIngestToken(), await makeIngestToken({ owner: admin })]) {
      const answer = await push(token.token, otlp([{ serviceName: app, points: [{ status: 200, count: 3, time: at(2), start: at(5) }] }]));
      expect(answer.partial).toBeUndefined();
    }
    // Two tokens sending the same series keep one state: the second adds only its own increase (none).
    expect((await figures(slo)).total).toBe(3);
  });
});

describe('GET .../feeders', () => {
  test('is a read: any reader sees token names, never token values; other sources list none', async () => {
    const viewer = await makeUser({ role: 'viewer' });
    const app = uniqueSlug('read-api');
    const slo = await teamSlo(uniqueSlug('team'), app);
    const token = await makeIngestToken();
    await push(token.token, otlp([{ serviceName: app, points: [{ status: 200, count: 1, time: at(2), start: at(5) }] }]));
    verifiedTokens.clear();
    const seen = await feeders(slo, (await sessionFor(viewer)).headers);
    expect(seen.feeders.map((f) => f.token.name)).toEqual([token.name]);
    expect(JSON.stringify(seen)).not.toContain(token.token);
    const demo = await makeSlo((await makeService()).slug);
    expect((await feeders({ service: demo.service, slo: demo.slug })).feeders).toEqual([]);
    const nobody = await callRoute(feedersRoute.GET, { params: slo, as: 'nobody' });
    expect(nobody.status).toBe(401);
  });
});
