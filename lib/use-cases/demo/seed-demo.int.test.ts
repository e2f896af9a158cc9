import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../test/database';
import { makeService } from '../../../test/factories';
import { sdkPayload } from '../../../test/otel/sdk-payloads';
import { systemActor } from '../../auth/authorize';
import { db } from '../../db/client';
import { decodeMetricsBody } from '../../otlp/decode';
import { SloInput } from '../../schemas/index';
import { HTTP_DURATION_BUCKETS } from '../../telemetry/metrics';
import { createSlo } from '../slos/create-slo';
import { verifyApiToken } from '../access/api-tokens';
import { ingestOtlp } from '../ingest/ingest-otlp';
import { findSloRecord } from '../../db/slos';
import { DEMO_CATALOG, SELF_OBSERVATION } from './seed-demo';
import { ensureSelfIngestToken } from '../ingest/self-ingest-token';

const SYSTEM = systemActor('test');

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

describe('seedDemo', () => {
  // Its own empty database: seedDemo only seeds one, and the shared test database never is.
  test('seeds the demo catalogue and Umpire observing itself into an empty database, and only once', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase('umpire_seed');
    const client = new pg.Client({ connectionString: database.url });
    try {
      const seed = () =>
        run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/seed-demo.ts'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: database.url, UMPIRE_LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '4' },
        });
      const { stdout } = await seed();
      expect(stdout).toContain('seeded the demo catalogue');
      // Progress, a line per service, as npm start prints it during the long first seed.
      const entries = [...DEMO_CATALOG.map((e) => ({ slug: e.service.slug, slos: e.slos.length })), { slug: 'umpire', slos: 2 }];
      for (const [i, entry] of entries.entries()) {
        expect(stdout).toContain(`seeded ${i + 1} of ${entries.length}: ${entry.slug} (${entry.slos} SLO${entry.slos === 1 ? '' : 's'})`);
      }
      await client.connect();
      const services = await client.query<{ slug: string; owner_team: string; tier: number }>('SELECT slug, owner_team, tier FROM services ORDER BY slug');
      expect(services.rows.map((r) => r.slug)).toEqual([...DEMO_CATALOG.map((e) => e.service.slug), 'umpire'].sort());
      expect(services.rows.find((r) => r.slug === 'umpire')).toMatchObject({ owner_team: 'platform', tier: 1 });

      const slos = await client.query<{ slo: string; objective: number; sli: { source: string; filters?: unknown[] }; buckets: string }>(
        `SELECT sl.slug AS slo, sl.objective, sl.sli, (SELECT count(*) FROM sli_buckets b WHERE b.slo_id = sl.id) AS buckets
         FROM slos sl JOIN services s ON s.id = sl.service_id WHERE s.slug = 'umpire' ORDER BY sl.slug`,
      );
      expect(slos.rows.map((r) => [r.slo, r.objective, r.sli.source])).toEqual([
        ['availability', 0.999, 'otel'],
        ['latency', 0.99, 'otel'],
      ]);
      // Live data only: no synthetic history is invented for Umpire itself.
      expect(slos.rows.map((r) => Number(r.buckets))).toEqual([0, 0]);
      const demoBuckets = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM sli_buckets b JOIN slos sl ON sl.id = b.slo_id JOIN services s ON s.id = sl.service_id WHERE s.slug = 'checkout-api'`,
      );
      expect(Number(demoBuckets.rows[0]!.n)).toBeGreaterThan(80 * 1440);
      // Demo deploys for the charts' markers and the ledger: quiet ones, and one just before recent incidents.
      const deploys = await client.query<{ slug: string; n: string }>(
        `SELECT s.slug, count(d.id) AS n FROM services s LEFT JOIN deployments d ON d.service_id = s.id GROUP BY s.slug ORDER BY s.slug`,
      );
      for (const row of deploys.rows) {
        if (row.slug === 'umpire') expect(Number(row.n)).toBe(0);
        else expect(Number(row.n)).toBeGreaterThanOrEqual(4);
      }

      const counts = async () =>
        (await client.query<{ s: string; l: string }>('SELECT (SELECT count(*) FROM services) AS s, (SELECT count(*) FROM slos) AS l')).rows[0];
      const before = await counts();
      expect((await seed()).stdout).toContain('not seeded');
      expect(await counts()).toEqual(before);
    } finally {
      await client.end().catch(() => undefined);
      await database.drop();
    }
  });
});

describe("Umpire's own SLOs", () => {
  test("count what Umpire's telemetry sends: 5xx are bad for availability, over 0.5 s bad for latency, other services ignored", async () => {
    const service = await makeService({ ownerTeam: 'platform' });
    const ids: Record<string, string> = {};
    for (const slo of SELF_OBSERVATION.slos) {
      await createSlo({ actor: SYSTEM, service: service.slug, input: SloInput.parse(slo) });
      ids[String(slo.slug)] = (await findSloRecord(service.slug, String(slo.slug))).id;
    }
    // What lib/telemetry records for each request it serves: the semantic-convention histogram and attributes.
    const requests: Array<[string, string, number, number]> = [
      ['GET', '/services/[service]', 200, 0.04],
      ['GET', '/services/[service]', 200, 0.3],
      ['GET', '/api/v1/services', 200, 0.5], // at the boundary: good
      ['GET', '/api/v1/services', 200, 0.7],
      ['GET', '/api/v1/services', 200, 0.6],
      ['POST', '/v1/metrics', 200, 0.02],
      ['POST', '/v1/metrics', 503, 0.01],
      ['GET', '/services/[service]/slos/[slo]', 500, 2],
      ['GET', '/', 404, 0.01],
    ];
    const payload = (serviceName: string) =>
      sdkPayload({
        format: 'protobuf',
        resource: { 'service.name': serviceName, 'service.version': '0.1.0' },
        scope: { name: 'umpire' },
        record: (meter) => {
          const histogram = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS } });
          for (const [method, route, status, seconds] of requests) {
            histogram.record(seconds, { 'http.request.method': method, 'http.route': route, 'http.response.status_code': status });
          }
        },
      });
    // Sent as self-observation sends them: with the token derived from UMPIRE_SECRET_KEY, pinned to service.name umpire.
    const check = await verifyApiToken(await ensureSelfIngestToken(), 'ingest');
    if (!check.ok) throw new Error(check.reason);
    expect([...(check.binding.serviceNames ?? [])]).toEqual(['umpire']);
    for (const name of ['umpire', 'not-umpire']) {
      const body = await payload(name);
      const result = await ingestOtlp(
        decodeMetricsBody(body, { contentType: 'application/x-protobuf', contentEncoding: null, maxDecodedBytes: 1 << 24 }),
        check.binding,
      );
      expect(result.rejected).toBe(0);
    }
    const sums = async (sloId: string) => {
      const rows = await db().sliBucket.findMany({ where: { sloId } });
      return { good: rows.reduce((s, r) => s + r.good, 0), total: rows.reduce((s, r) => s + r.total, 0) };
    };
    expect(await sums(ids.availability!)).toEqual({ good: 7, total: 9 });
    expect(await sums(ids.latency!)).toEqual({ good: 6, total: 9 });
  });
});
