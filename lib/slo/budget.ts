/** Event counts over some span: good events and all valid events. */
export interface Counts {
  good: number;
  total: number;
}

/**
 * `x` read to 12 significant digits. Figures are sums of doubles, and the same figure summed in another order (by
 * minute or by hour) differs past there: 0.9995 can come out as 0.99949999999999997, a burn of exactly 14.4 as
 * 14.400000000000002. Every comparison with a threshold and every figure shown read the value this way, so a figure
 * never fires or shows on one side of a threshold while summation noise puts it on the other.
 */
export function denoised(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

/** Throws unless 0 < objective < 1: 1 leaves no error budget and makes every ratio below divide by zero. */
export function assertObjective(objective: number): void {
  if (!(objective > 0 && objective < 1)) {
    throw new RangeError(`objective ${objective} must be a fraction strictly between 0 and 1, e.g. 0.999`);
  }
}

/**
 * Traffic-weighted SLI = good / total; null without events, because 0/0 is "no data", never 0% or 100%.
 * good > total is returned as is (> 1): a data-quality fault to show, not to clamp (docs/slo-math.md).
 */
export function sliOf(c: Counts): number | null {
  if (!Number.isFinite(c.good) || !Number.isFinite(c.total) || c.total === 0) return null;
  return c.good / c.total;
}

/**
 * Budget consumed = (1 - SLI) / (1 - objective), remaining = 1 - consumed (SRE Workbook, ch. 2).
 * Remaining goes negative once the budget is overspent; that is shown, not clamped.
 */
export function errorBudget(sli: number | null, objective: number): { consumed: number | null; remaining: number | null } {
  assertObjective(objective);
  if (sli === null || !Number.isFinite(sli)) return { consumed: null, remaining: null };
  const consumed = (1 - sli) / (1 - objective);
  return { consumed, remaining: 1 - consumed };
}

/**
 * The share of the whole budget a span's bad events (timeslices: bad slices) spent: bad / ((1 - objective) x the
 * window's total), the allowance errorBudget's consumed divides by, so the whole window's span spends exactly
 * consumed. Null while the window has no data (consumed is null then too).
 */
export function budgetSpentBy(span: Counts, window: Counts, objective: number): number | null {
  assertObjective(objective);
  if (sliOf(window) === null || !Number.isFinite(span.good) || !Number.isFinite(span.total)) return null;
  return (span.total - span.good) / ((1 - objective) * window.total);
}

export function burnRate(errorRatio: number, objective: number): number {
  const budget = 1 - objective;
  if (budget <= 0) throw new RangeError(`objective ${objective} leaves no error budget`);
  return errorRatio / budget; // 1.0 = the budget lasts exactly one SLO window
}

/** Burn rate of a window's counts (SRE Workbook, ch. 5); null when the window has no events. */
export function burnRateOf(c: Counts, objective: number): number | null {
  assertObjective(objective);
  if (sliOf(c) === null) return null;
  // (total - good) / total rather than 1 - good/total: exactly 0 when nothing failed.
  return burnRate((c.total - c.good) / c.total, objective);
}

/** Minutes of total outage the budget allows: (1 - objective) x period; 99.9% over 30 days = 43.2 min. */
export function allowedErrorMinutes(objective: number, periodMinutes: number): number {
  assertObjective(objective);
  return (1 - objective) * periodMinutes;
}

/**
 * Seconds until the remaining budget is spent at a constant burn rate: remaining x period / burn
 * (SRE Workbook, ch. 5: a full budget lasts period / burn, so 14.4 empties 30 days in about 2.08 days).
 */
export function timeToExhaustion(remaining: number | null, burn: number | null, periodMinutes: number): number | null {
  if (remaining === null || burn === null || !Number.isFinite(remaining) || !Number.isFinite(burn)) return null;
  if (remaining <= 0) return 0;
  if (burn <= 0) return null; // not burning: the budget is never spent
  return (remaining * periodMinutes * 60) / burn;
}
