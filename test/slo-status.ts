import { SloStatus, type AlertStatus, type DataState } from '../lib/schemas';

// A valid SloStatus as an evaluator pass would store it (slo_states.status), built without buckets: for tests and
// the overview benchmark, which write states directly.

export interface StatusSpec {
  service: string;
  slo: string;
  asOf?: Date;
  objective?: number;
  /** Error budget left (1 = untouched); null means no data. */
  budgetRemaining?: number | null;
  /** Severities of the tiers that fire. */
  firing?: Array<AlertStatus['severity']>;
  provisional?: boolean;
  dataState?: DataState;
  /** Replaces the burn rates (defaults: the default tiers' windows and 1h, from the budget spent). */
  burnRates?: Record<string, number | null>;
  source?: string;
  staleSince?: Date | null;
}

const DAY_MIN = 1440;

/** The default tiers of a 30-day window: page 1h/5m at 14.4 and 6h/30m at 6, ticket 3d/6h at 1. */
const TIERS = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', threshold: 6 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', threshold: 1 },
] as const;

export function buildSloStatus(spec: StatusSpec): SloStatus {
  const asOf = new Date(Math.floor((spec.asOf ?? new Date()).getTime() / 60_000) * 60_000);
  const objective = spec.objective ?? 0.999;
  const remaining = spec.budgetRemaining === undefined ? 0.8 : spec.budgetRemaining;
  const noData = remaining === null;
  const consumed = remaining === null ? null : 1 - remaining;
  const sli = consumed === null ? null : 1 - consumed * (1 - objective);
  const windowMinutes = 30 * DAY_MIN;
  const total = noData ? 0 : 1_000_000;
  const firing = new Set(spec.firing ?? []);
  const baseRate = consumed === null ? null : Math.max(0, consumed);
  const burnRates: Record<string, number | null> = spec.burnRates ?? {
    '5m': baseRate,
    '30m': baseRate,
    '1h': baseRate,
    '6h': baseRate,
    '3d': baseRate,
  };
  const alerts: AlertStatus[] = TIERS.map((tier) => {
    const fires = firing.has(tier.severity) && (tier.severity !== 'page' || tier.longWindow === '1h');
    const rate = fires ? tier.threshold * 2 : (burnRates[tier.longWindow] ?? null);
    return {
      ...tier,
      longBurnRate: rate,
      shortBurnRate: fires ? tier.threshold * 2 : (burnRates[tier.shortWindow] ?? null),
      longEvents: total,
      guarded: false,
      firing: fires,
    };
  });
  const from = new Date(asOf.getTime() - windowMinutes * 60_000).toISOString();
  const provisional = spec.provisional ?? false;
  const measuredMinutes = provisional ? 600 : windowMinutes;
  return SloStatus.parse({
    service: spec.service,
    slo: spec.slo,
    source: spec.source ?? 'demo',
    objective,
    window: { kind: 'rolling', from, to: asOf.toISOString(), periodEnd: asOf.toISOString(), periodMinutes: windowMinutes, days: 30 },
    budgeting: 'occurrences',
    sli,
    good: sli === null ? 0 : Math.round(total * sli),
    total,
    errorBudget: { consumed, remaining, allowedMinutes: (1 - objective) * windowMinutes },
    burnRates,
    alerts,
    timeToExhaustion: null,
    dataState: spec.dataState ?? (noData ? 'no_data' : provisional ? 'partial' : 'ok'),
    dataSince: noData ? null : provisional ? new Date(asOf.getTime() - measuredMinutes * 60_000).toISOString() : from,
    coverage: measuredMinutes / windowMinutes,
    measured: { minutes: noData ? 0 : measuredMinutes, windowMinutes, events: total },
    provisional,
    provisionalReason: provisional ? `Provisional: 10 h of 30 d measured.` : null,
    minEvents: 100,
    dataQuality: { faultCount: 0, faults: [], spans: [] },
    carriedGaps: [],
    evaluation: {
      lastSuccessAt: asOf.toISOString(),
      staleSince: spec.staleSince?.toISOString() ?? null,
      lastError: null,
      backfill: null,
      reread: null,
    },
    asOf: asOf.toISOString(),
    unread: null,
  });
}
