import { ALERT_DEFAULTS, type AlertStatus } from '../schemas/index';
import type { AlertCondition } from './alert-lifecycle';
import { canonicalDuration, durationToMinutes } from './duration';

const MINUTE_MS = 60_000;

/** Which alert of an SLO a burn-rate tier is: "burn_rate:page:1h/5m". */
export function burnAlertKey(tier: Pick<AlertStatus, 'severity' | 'longWindow' | 'shortWindow'>): string {
  return `burn_rate:${tier.severity}:${canonicalDuration(tier.longWindow)}/${canonicalDuration(tier.shortWindow)}`;
}

export const ABSENT_ALERT_KEY = 'data_absent';
export const budgetLowKey = (share: number) => `budget_low:${Math.round(share * 100)}`;

/** Alertmanager's alertname per kind. */
export const ALERT_NAMES = { burn_rate: 'SLOErrorBudgetBurn', data_absent: 'SLODataAbsent', budget_low: 'SLOErrorBudgetLow' } as const;

export interface ConditionInput {
  /** The status's alert tiers (lib/slo/alerts.ts evaluateAlerts). */
  alerts: readonly AlertStatus[];
  budgetRemaining: number | null;
  provisional: boolean;
  /** The SLO has ever had data (its oldest bucket), so data missing now means it stopped. */
  hadData: boolean;
  /** End of the newest minute that counted events, or null if none lately. */
  lastEventAt: Date | null;
  /** The source has failed since then (the evaluator's "stale since"). */
  staleSince: Date | null;
  now: Date;
}

export interface ConditionSettings {
  absentMinutes: number;
  /** null: the SLO has no budget-low alert. */
  budgetLowShare: number | null;
}

/**
 * The SLO's alert conditions as of an evaluation: one per burn-rate tier (firing as lib/slo/alerts.ts decides),
 * data absent (no events for absentMinutes, or the source failing that long, after there was data: Pyrra's absent
 * alert) and budget low (a measured budget below the share; provisional budgets never page).
 */
export function alertConditions(input: ConditionInput, settings: ConditionSettings = ALERT_DEFAULTS): AlertCondition[] {
  const tiers = input.alerts.map((tier): AlertCondition => ({
    alertKey: burnAlertKey(tier),
    kind: 'burn_rate',
    severity: tier.severity,
    active: tier.firing,
    forMinutes: tier.for ? durationToMinutes(tier.for) : 0,
    burnRate: tier.firing ? tier.longBurnRate : null,
    details: {
      longWindow: tier.longWindow,
      shortWindow: tier.shortWindow,
      threshold: tier.threshold,
      longBurnRate: tier.longBurnRate,
      shortBurnRate: tier.shortBurnRate,
    },
  }));
  const limit = settings.absentMinutes * MINUTE_MS;
  const quietFor = input.lastEventAt === null ? Infinity : input.now.getTime() - input.lastEventAt.getTime();
  const failingFor = input.staleSince === null ? 0 : input.now.getTime() - input.staleSince.getTime();
  const absent: AlertCondition = {
    alertKey: ABSENT_ALERT_KEY,
    kind: 'data_absent',
    severity: 'ticket',
    active: input.hadData && (quietFor >= limit || failingFor >= limit),
    forMinutes: 0,
    burnRate: null,
    details: {
      afterMinutes: settings.absentMinutes,
      lastEventAt: input.lastEventAt?.toISOString() ?? null,
      staleSince: input.staleSince?.toISOString() ?? null,
    },
  };
  if (settings.budgetLowShare === null) return [...tiers, absent];
  const low: AlertCondition = {
    alertKey: budgetLowKey(settings.budgetLowShare),
    kind: 'budget_low',
    severity: 'ticket',
    active: !input.provisional && input.budgetRemaining !== null && input.budgetRemaining < settings.budgetLowShare,
    forMinutes: 0,
    burnRate: null,
    details: { share: settings.budgetLowShare, budgetRemaining: input.budgetRemaining },
  };
  return [...tiers, absent, low];
}
