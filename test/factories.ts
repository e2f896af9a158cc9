import { randomBytes } from 'node:crypto';
import { systemActor } from '../lib/auth/authorize';
import { db } from '../lib/db/client';
import { ServiceInput, SloInput, TokenInput, type Service, type Slo } from '../lib/schemas';
import { createApiToken } from '../lib/use-cases/access/api-tokens';
import type { z } from 'zod';
import { createService } from '../lib/use-cases/services/create-service';
import { createSlo } from '../lib/use-cases/slos/create-slo';
import { evaluateSlo, HISTORY_DAYS } from '../lib/use-cases/evaluation/evaluate-slo';
import { findSloRecord, type SloRecord } from '../lib/db/slos';
import { writeBuckets } from '../lib/db/buckets';

/** Umpire itself, for rows a test needs before it starts (never a request). */
export const SYSTEM = systemActor('test');

/** A slug no other test uses, so tests never share rows. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export async function makeService(overrides: Partial<z.input<typeof ServiceInput>> = {}): Promise<Service> {
  return createService({
    actor: SYSTEM,
    input: ServiceInput.parse({ slug: uniqueSlug('svc'), name: 'Test service', ownerTeam: 'test-team', tier: 2, ...overrides }),
  });
}

export function sloInput(overrides: Partial<z.input<typeof SloInput>> = {}): z.input<typeof SloInput> {
  return {
    slug: uniqueSlug('slo'),
    name: 'Test SLO',
    objective: 0.999,
    sli: { source: 'demo', profile: 'availability', eventsPerMinute: 100, baselineErrorRatio: 0.0005, seed: 'test' },
    ...overrides,
  };
}

/**
 * An SLO, as the API creates it: without history (the evaluator is off in tests). `{ history: true }` fills a demo
 * SLO's 90 days here, as the server's evaluator does in the background after creation, for tests that read them.
 */
export async function makeSlo(service: string, overrides: Partial<z.input<typeof SloInput>> = {}, options: { history?: boolean } = {}): Promise<Slo> {
  const slo = await createSlo({ actor: SYSTEM, service, input: SloInput.parse(sloInput(overrides)) });
  if (options.history && slo.sli.source === 'demo') await fillHistory(service, slo.slug);
  return slo;
}

/** Runs the evaluator on one SLO until its whole history is read, as the server's does in the background. */
export async function fillHistory(service: string, slo: string): Promise<void> {
  const outcome = await evaluateSlo(await findSloRecord(service, slo), { backfillDays: HISTORY_DAYS });
  if (outcome.status !== 'ok' || !outcome.complete) throw new Error(`${service}/${slo}: history not filled: ${JSON.stringify(outcome)}`);
}

/**
 * An SLO whose buckets are exactly `buckets`, and no evaluator bookkeeping (its figures are then as of the last
 * whole minute, not of the minute it was made).
 */
export async function makeSloWithBuckets(
  buckets: Array<{ start: Date; good: number; total: number }>,
  overrides: Partial<z.input<typeof SloInput>> = {},
): Promise<SloRecord> {
  const service = await makeService();
  // Created and never evaluated (the evaluator is off in tests): these buckets are all it has.
  const slo = await createSlo({ actor: SYSTEM, service: service.slug, input: SloInput.parse(sloInput(overrides)) });
  const record = await findSloRecord(service.slug, slo.slug);
  await writeBuckets(record.id, buckets);
  return record;
}

const MINUTE_MS = 60_000;

/** Minute buckets over [from, to) with constant traffic and error ratio. */
export function constantBuckets(from: Date, to: Date, perMinute: number, errorRatio: number) {
  const out: Array<{ start: Date; good: number; total: number }> = [];
  for (let t = from.getTime(); t < to.getTime(); t += MINUTE_MS) {
    out.push({ start: new Date(t), good: perMinute * (1 - errorRatio), total: perMinute });
  }
  return out;
}

const adminTokens = new WeakMap<object, Promise<string>>();

/**
 * An admin service token (every scope), made once per test file and database (withFreshDatabase swaps it): what
 * callRoute sends unless told otherwise.
 */
export function testAdminToken(): Promise<string> {
  const database = db();
  let token = adminTokens.get(database);
  if (!token) {
    token = createApiToken({
      actor: SYSTEM,
      input: TokenInput.parse({ name: 'test admin', kind: 'service', scopes: ['read', 'write', 'gate', 'ingest', 'admin'] }),
    }).then((t) => t.token);
    adminTokens.set(database, token);
  }
  return token;
}

export interface CallInit<P> {
  method?: string;
  path?: string;
  params?: P;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Who calls: an admin token (the default), headers of your own (a session, another token), or nobody. */
  as?: 'admin' | 'nobody';
}

export async function callRoute<P extends Record<string, string>>(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>,
  init: CallInit<P> = {},
): Promise<Response> {
  const own = Object.keys(init.headers ?? {}).some((h) => ['authorization', 'cookie'].includes(h.toLowerCase()));
  const auth: Record<string, string> = init.as === 'nobody' || own ? {} : { authorization: `Bearer ${await testAdminToken()}` };
  const headers: Record<string, string> = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth, ...init.headers };
  const request = new Request(`http://umpire.test${init.path ?? '/'}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  return handler(request, { params: Promise.resolve(init.params ?? {}) });
}
