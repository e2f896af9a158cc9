import {
  budgetScale as sharedBudgetScale,
  budgetTickLabel,
  burnScale as sharedBurnScale,
  burnTickLabel,
  evenTicks,
  linearUnit,
  sliDomain,
  sliTickDigits,
  sliTickLabel,
  symlogUnit,
} from '@/lib/charts/scales';
import type { AlertTier } from '../../schemas';

/* Scales: the app's charts' own (lib/charts/scales.ts), with the position of a value on the axis added. */

export interface YScale {
  /** Value to 0 (bottom) .. 1 (top), clamped. */
  unit(v: number): number;
  ticks: Array<{ v: number; label: string }>;
}

/** Symmetric log: outages reach hundreds while thresholds sit at 1 to 14.4. */
export function burnScale(values: number[], tiers: AlertTier[]): YScale {
  const { domain, ticks } = sharedBurnScale(
    values,
    tiers.map((t) => t.burnRate),
  );
  const upper = domain[1];
  return { unit: (v) => symlogUnit(upper, v), ticks: ticks.map((v) => ({ v, label: burnTickLabel(v) })) };
}

/** Always 0 and 100%, below 0 when overspent; whole ticks. */
export function budgetScale(values: number[]): YScale {
  const { domain, ticks } = sharedBudgetScale(values);
  return { unit: (v) => linearUnit(domain, v), ticks: ticks.map((v) => ({ v, label: budgetTickLabel(v) })) };
}

/** Down to the data's lowest point but no further than five budgets below the objective; five even ticks. */
export function sliScale(values: number[], objective: number): YScale {
  const domain = sliDomain(values, objective);
  const digits = sliTickDigits(domain[1] - domain[0] || 1);
  return { unit: (v) => linearUnit(domain, v), ticks: evenTicks(domain, 5).map((v) => ({ v, label: sliTickLabel(v, digits) })) };
}
