// /metrics exposes each SLO's stored state (slo_states) as per-SLO series, from one snapshot query, capped at
// UMPIRE_METRICS_MAX_SLOS SLOs (least budget left first) with the rest counted.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as metricsRoute from '../../app/metrics/route';
import { db } from '../../lib/db/client';
import { upsertStates } from '../../lib/db/slo-states';
import { findSloRecord } from '../../lib/db/slos';
import { reloadEnv } from '../../lib/env';
import { startTelemetry } from '../../lib/telemetry/sdk';
import { setTelemetryState, telemetryState } from '../../lib/telemetry/state';
import { readSloStateSnapshot } from '../../lib/use-cases/system/slo-state-metrics';
import { withFreshDatabase } from '../database';
import { callRoute, makeService, makeSlo } from '../factories';
import { buildSloStatus, type StatusSpec } from '../slo-status';

const MIN = 60_000;

beforeAll(async () => {
  await startTelemetry({ sloStates: readSloStateSnapshot });
});
afterAll(async () => {
  await telemetryState()?.shutdown();
  setTelemetryState(undefined);
  delete process.env.UMPIRE_METRICS_MAX_SLOS;
  reloadEnv();
});

/** A new SLO in a service of team `team`, with this stored state. */
async function sloWithState(team: string, spec: Omit<StatusSpec, 'service' | 'slo'>): Promise<{ service: string; slo: string }> {
  const service = await makeService({ ownerTeam: team });
  const slo = await makeSlo(service.slug);
  const record = await findSloRecord(service.slug, slo.slug);
  const status = buildSloStatus({ service: service.slug, slo: slo.slug, ...spec });
  await upsertStates(db(), [
    {
      sloId: record.id,
      asOf: new Date(status.asOf),
      status,
      dataState: status.dataState,
      budgetRemaining: status.errorBudget.remaining,
      firing: status.alerts.find((a) => a.firing)?.severity ?? null,
    },
  ]);
  return { service: service.slug, slo: slo.slug };
}

/** The scrape's samples of one metric, as label sets and values. */
async function scrape(): Promise<Map<string, Array<{ labels: Record<string, string>; value: number }>>> {
  telemetryState()!.sloStates!.clear();
  const response = await callRoute((request) => metricsRoute.GET(request), { path: '/metrics' });
  expect(response.status).toBe(200);
  const text = await response.text();
  const out = new Map<string, Array<{ labels: Record<string, string>; value: number }>>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    // otel_scope_name (and version) is on every series of the exporter's: left out here.
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].filter((m) => !m[1]!.startsWith('otel_scope_')).map((m) => [m[1]!, m[2]!]),
    );
    const list = out.get(match[1]!) ?? [];
    list.push({ labels, value: Number(match[3]) });
    out.set(match[1]!, list);
  }
  return out;
}

const of = (samples: Array<{ labels: Record<string, string>; value: number }> | undefined, slo: string) =>
  (samples ?? []).filter((s) => s.labels.slo === slo).map(({ labels, value }) => ({ labels, value }));

test('each stored state becomes its series; the cap keeps the SLOs with least budget left and counts the rest', async () => {
  await withFreshDatabase('umpire_metrics', async () => {
    const asOf = new Date(Math.floor(Date.now() / MIN) * MIN - 2 * MIN);
    const paging = await sloWithState('payments', { asOf, budgetRemaining: -0.25, firing: ['page'] });
    const young = await sloWithState('search', { asOf, budgetRemaining: 0.5, provisional: true, burnRates: { '1h': 0.5, '5m': null } });
    const quiet = await sloWithState('search', { asOf, budgetRemaining: null });

    let series = await scrape();
    expect(of(series.get('umpire_slo_budget_remaining_ratio'), paging.slo)).toEqual([
      { labels: { service: paging.service, slo: paging.slo, team: 'payments' }, value: -0.25 },
    ]);
    expect(of(series.get('umpire_slo_sli_ratio'), paging.slo)[0]!.value).toBeCloseTo(1 - 1.25 * 0.001, 9);
    // jsonb keeps keys in its own order: compared as a set.
    expect(
      of(series.get('umpire_slo_burn_rate_ratio'), paging.slo)
        .map((s) => s.labels.window)
        .sort(),
    ).toEqual(['1h', '30m', '3d', '5m', '6h']);
    // Only the windows the stored status has, and none without events.
    expect(of(series.get('umpire_slo_burn_rate_ratio'), young.slo)).toEqual([{ labels: { service: young.service, slo: young.slo, window: '1h' }, value: 0.5 }]);
    expect(of(series.get('umpire_slo_alert_firing'), paging.slo).map((s) => [s.labels.severity, s.labels.long_window, s.labels.short_window, s.value])).toEqual(
      [
        ['page', '1h', '5m', 1],
        ['page', '6h', '30m', 0],
        ['ticket', '3d', '6h', 0],
      ],
    );
    const state = (slo: string) => Object.fromEntries(of(series.get('umpire_slo_data_state'), slo).map((s) => [s.labels.state, s.value]));
    expect(state(paging.slo)).toEqual({ ok: 1, partial: 0, no_data: 0 });
    expect(state(young.slo)).toEqual({ ok: 0, partial: 1, no_data: 0 });
    expect(state(quiet.slo)).toEqual({ ok: 0, partial: 0, no_data: 1 });
    // No budget, no SLI: no series rather than a made-up value.
    expect(of(series.get('umpire_slo_budget_remaining_ratio'), quiet.slo)).toEqual([]);
    const age = of(series.get('umpire_slo_state_age_seconds'), paging.slo)[0]!.value;
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(300);
    expect(series.get('umpire_slo_series_dropped')).toEqual([{ labels: {}, value: 0 }]);

    // Capped at two: the paging SLO (-25%) and the young one (50%) stay; the one without a budget is counted.
    process.env.UMPIRE_METRICS_MAX_SLOS = '2';
    reloadEnv();
    series = await scrape();
    const listed = new Set((series.get('umpire_slo_data_state') ?? []).map((s) => s.labels.slo));
    expect(listed).toEqual(new Set([paging.slo, young.slo]));
    expect(series.get('umpire_slo_series_dropped')).toEqual([{ labels: {}, value: 1 }]);

    // A deleted SLO's series go with it (nothing is remembered between scrapes).
    process.env.UMPIRE_METRICS_MAX_SLOS = '10';
    reloadEnv();
    await db().slo.deleteMany({ where: { slug: paging.slo } });
    series = await scrape();
    expect(of(series.get('umpire_slo_data_state'), paging.slo)).toEqual([]);
    expect(new Set((series.get('umpire_slo_data_state') ?? []).map((s) => s.labels.slo))).toEqual(new Set([young.slo, quiet.slo]));
  });
});
