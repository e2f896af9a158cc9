import { z } from 'zod';
import { findMetricStates } from '../../db/slo-states';
import { env } from '../../env';
import { log } from '../../log';
import { AlertStatus, BurnRates, DataState } from '../../schemas/index';
import type { SloStateSample, SloStateSnapshot } from '../../telemetry/metrics';

/** The parts of a stored status the series read, parsed as the status schema admits them. */
const Parts = z.object({
  sli: z.number().nullable().catch(null),
  burnRates: BurnRates.catch({}),
  alerts: z.array(AlertStatus.pick({ severity: true, longWindow: true, shortWindow: true, firing: true })).catch([]),
  dataState: DataState,
});

/**
 * What /metrics exposes of the SLOs' stored states, in one query: at most UMPIRE_METRICS_MAX_SLOS of them, those
 * with the least budget left first (the ones worth watching), and how many more there are.
 */
export async function readSloStateSnapshot(): Promise<SloStateSnapshot> {
  const limit = env().UMPIRE_METRICS_MAX_SLOS;
  const { rows, total } = await findMetricStates(limit);
  const samples: SloStateSample[] = [];
  let unreadable = 0;
  for (const row of rows) {
    const parts = Parts.safeParse({ sli: row.sli, burnRates: row.burnRates, alerts: row.alerts, dataState: row.dataState });
    if (!parts.success) {
      unreadable++;
      continue;
    }
    samples.push({ service: row.service, slo: row.slo, team: row.team, asOf: row.asOf, budgetRemaining: row.budgetRemaining, ...parts.data });
  }
  if (unreadable > 0) log.warn('slo_state.metrics_unreadable', { states: unreadable });
  return { samples, dropped: Math.max(0, total - rows.length) + unreadable };
}
