// npm run demo:traffic, in-process: its setup calls and its OpenTelemetry SDK exporter talk over real HTTP to a
// node:http server that hands each request to Umpire's own route handlers, so every byte goes the way it does
// against `npm start`, and the buckets that land are checked in PostgreSQL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as health from '../../app/api/health/route';
import * as services from '../../app/api/v1/services/route';
import * as slos from '../../app/api/v1/services/[service]/slos/route';
import * as tokens from '../../app/api/v1/tokens/route';
import * as me from '../../app/api/v1/me/route';
import * as metrics from '../../app/v1/metrics/route';
import { db } from '../../lib/db/client';
import { findSloRecord } from '../../lib/db/slos';
import { callShop } from '../../scripts/demo-traffic/load';
import { NO_FAULTS, ROUTES, seededRandom, type Faults } from '../../scripts/demo-traffic/model';
import { startShop, type RunningShop } from '../../scripts/demo-traffic/shop';
import { startShopTelemetry, type ShopTelemetry } from '../../scripts/demo-traffic/telemetry';
import { checkIngestToken, setUpUmpire, UmpireAuthError, type SetupResult, type UmpireClient } from '../../scripts/demo-traffic/umpire-api';
import { makeToken } from '../auth';
import { uniqueSlug } from '../factories';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;

/** The routes demo:traffic uses, as Next would route them. */
function routeFor(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
  if (method === 'GET' && path === '/api/health') return { handler: () => health.GET(), params: {} };
  if (method === 'POST' && path === '/api/v1/tokens') return { handler: tokens.POST, params: {} };
  if (method === 'GET' && path === '/api/v1/me') return { handler: me.GET, params: {} };
  if (method === 'POST' && path === '/api/v1/services') return { handler: services.POST, params: {} };
  const sloPath = /^\/api\/v1\/services\/([^/]+)\/slos$/.exec(path);
  if (method === 'POST' && sloPath) return { handler: slos.POST, params: { service: decodeURIComponent(sloPath[1]!) } };
  if (method === 'POST' && path === '/v1/metrics') return { handler: (request) => metrics.POST(request), params: {} };
  return null;
}

async function forward(incoming: IncomingMessage, outgoing: ServerResponse, base: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', base);
  const found = routeFor(incoming.method ?? 'GET', url.pathname);
  if (!found) {
    outgoing.writeHead(404).end();
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

let umpire: { url: string; close: () => Promise<void> };
let client: UmpireClient;

beforeAll(async () => {
  const server = createServer((incoming, outgoing) => {
    forward(incoming, outgoing, umpire.url).catch((error: unknown) => {
      outgoing.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  umpire = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  // An admin's service token: it may create the service and SLOs (write) and an ingest-only token (admin, and
  // ingest itself: a token mints only within its own scopes).
  const apiToken = (await makeToken({ scopes: ['write', 'ingest', 'admin'] })).token;
  client = { baseUrl: umpire.url, fetch: (input, init) => fetch(input, init), apiToken };
});

afterAll(async () => {
  await umpire.close();
});

const QUIET = { errorRatio: 0, slowRatio: 0, notFoundRatio: 0 };

describe('demo:traffic against Umpire', { shuffle: false }, () => {
  let setup: SetupResult;
  let service: string;

  test('sets up a token, the service and its SLOs through the public API, idempotently', async () => {
    service = uniqueSlug('demo-shop');
    setup = await setUpUmpire(client, { service });
    expect(setup.tokenCreated).toBe(true);
    expect(setup.token).toMatch(/^umpire_/);
    expect(setup.steps).toEqual([`service ${service}: created`, `SLO ${service}/availability: created`, `SLO ${service}/latency: created`]);
    expect(setup.pageUrl).toBe(`${umpire.url}/services/${service}`);

    const again = await setUpUmpire(client, { service, token: setup.token });
    expect(again.tokenCreated).toBe(false);
    expect(again.steps).toEqual([`service ${service}: already there`, `SLO ${service}/availability: already there`, `SLO ${service}/latency: already there`]);

    await expect(checkIngestToken(client, 'umpire_not-a-token')).rejects.toThrow(UmpireAuthError);
  });

  test("the shop's SDK exports land in its SLOs' buckets: all errors, then slow, then healthy", async () => {
    expect(setup, 'the setup test ran first').toBeDefined();
    const ids = {
      availability: (await findSloRecord(service, 'availability')).id,
      latency: (await findSloRecord(service, 'latency')).id,
    };
    const sums = async (sloId: string) => {
      const rows = await db().sliBucket.findMany({ where: { sloId } });
      return { good: rows.reduce((s, r) => s + r.good, 0), total: rows.reduce((s, r) => s + r.total, 0) };
    };
    let faults: Faults = { errorRatio: 1, errorRoutes: 'all', addedLatencyMs: 0 };
    // Exports only when flushed here: the 10-minute interval never comes round during the test.
    const telemetry: ShopTelemetry = startShopTelemetry({ umpireUrl: umpire.url, token: setup.token, serviceName: service, exportIntervalMs: 600_000 });
    let shop: RunningShop | undefined;
    try {
      shop = await startShop({ requestDuration: telemetry.requestDuration, faults: () => faults, rand: seededRandom(4), baseline: QUIET });
      const rand = seededRandom(8);
      const batch = async (n: number) => {
        const served = await Promise.all(Array.from({ length: n }, (_, i) => callShop(shop!.url, ROUTES[i % 3]!, rand)));
        await telemetry.forceFlush();
        expect(telemetry.status.problem).toBeNull();
        return served;
      };

      // An incident: every request fails (fast). Availability good = 0; latency is still good.
      const failed = await batch(40);
      expect(failed.every((s) => s.status >= 500)).toBe(true);
      expect(await sums(ids.availability)).toEqual({ good: 0, total: 40 });
      expect(await sums(ids.latency)).toEqual({ good: 40, total: 40 });

      // Slow, not failing: 600 ms is over the 0.5 s threshold.
      faults = { ...NO_FAULTS, addedLatencyMs: 600 };
      await batch(20);
      expect(await sums(ids.availability)).toEqual({ good: 20, total: 60 });
      expect(await sums(ids.latency)).toEqual({ good: 40, total: 60 });

      // Cleared. Cumulative exports: each series' increase is counted once, however often it is re-sent.
      faults = NO_FAULTS;
      await batch(30);
      await telemetry.forceFlush();
      expect(await sums(ids.availability)).toEqual({ good: 50, total: 90 });
      expect(await sums(ids.latency)).toEqual({ good: 70, total: 90 });
      expect(telemetry.status).toMatchObject({ ok: 4, failed: 0, refused: null });
    } finally {
      await shop?.close();
      await telemetry.shutdown();
    }
  });

  test('a wrong token: the export fails and the status says the token is wrong', async () => {
    const telemetry = startShopTelemetry({ umpireUrl: umpire.url, token: 'umpire_wrong', serviceName: uniqueSlug('demo-shop'), exportIntervalMs: 600_000 });
    try {
      telemetry.requestDuration.record(0.1, { 'http.request.method': 'GET', 'http.route': '/cart', 'http.response.status_code': 200 });
      await telemetry.forceFlush().catch(() => undefined);
      expect(telemetry.status.ok).toBe(0);
      expect(telemetry.status.problem).toMatch(/^Umpire refused the ingest token \(401\): it is wrong, revoked or expired/);
    } finally {
      await telemetry.shutdown().catch(() => undefined);
    }
  });
});
