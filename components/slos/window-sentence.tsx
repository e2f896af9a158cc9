'use client';

import type { SloStatus } from '@/lib/schemas';
import { formatBudget, formatBurnRate, formatCount, formatDateTime, formatMinutes, formatSpan, rollingDays, type DateContext } from '@/lib/format';
import { useDateContext } from '../use-hydrated';

const UNIT_NAMES = { week: 'week', month: 'month', quarter: 'quarter' } as const;

/** An explicit date and time; the year only when it differs from `asOf`'s. */
function when(iso: string, ctx: DateContext, zone: string | undefined, asOfYear: number): string {
  return formatDateTime(iso, zone ? { ...ctx, timeZone: zone } : ctx, { year: new Date(iso).getUTCFullYear() !== asOfYear });
}

/**
 * The window in words, the text equivalent of the charts: which span the budget covers, how big it is, how
 * much is left, and when it runs out at the current burn rate.
 */
export function WindowSentence({ status }: { status: SloStatus }) {
  const ctx = useDateContext();
  const w = status.window;
  const year = new Date(status.asOf).getUTCFullYear();
  // Calendar windows read in their own zone (they start at its midnight); rolling ones in the reader's.
  const zone = w.kind === 'calendar' ? w.timeZone : undefined;
  const utcNote = !zone && ctx.timeZone === 'UTC' ? ' UTC' : '';
  const from = when(w.from, ctx, zone, year);
  const to = when(w.to, ctx, zone, year);
  const remaining = status.errorBudget.remaining;
  const budget = `budget ${formatMinutes(status.errorBudget.allowedMinutes)} of errors, ${
    remaining === null ? 'no data yet to measure it against' : `${formatBudget(remaining)} left`
  }`;

  const head =
    w.kind === 'rolling'
      ? `${rollingDays(w)}-day rolling window: ${from} to ${to}${utcNote}; ${budget}.`
      : `Calendar ${UNIT_NAMES[w.unit ?? 'month']} (${w.timeZone}): ${from} to ${to}, resets ${when(w.periodEnd, ctx, zone, year)}; ${budget}.`;

  const burn = status.burnRates['1h'] ?? null;
  let exhaustion: string | null = null;
  if (remaining !== null && remaining <= 0) {
    exhaustion = `The budget is spent: this window is ${formatBudget(-remaining)} over it.`;
  } else if (status.timeToExhaustion !== null && burn !== null) {
    const runsOut = Date.parse(status.asOf) + status.timeToExhaustion * 1000;
    const afterReset = w.kind === 'calendar' && runsOut > Date.parse(w.periodEnd);
    exhaustion = `At the last hour’s burn rate (${formatBurnRate(burn)}) the budget runs out in ${formatSpan(status.timeToExhaustion)}${
      afterReset ? ', after this period’s budget resets' : ''
    }.`;
  } else if (burn === 0) {
    exhaustion = 'Nothing failed in the last hour: the budget is not burning.';
  }

  let counts: string;
  if (status.budgeting === 'timeslices' && status.slices) {
    // Slices at a window's edges count with the share of them inside it: counts can have a fraction.
    const whole = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
    counts = `Budgeted in time slices: ${whole(status.slices.good)} of ${whole(status.slices.total)} slices with data met their threshold (${formatCount(status.total)} events).`;
  } else {
    counts = `${formatCount(status.total)} events in the window, ${formatCount(Math.max(0, status.total - status.good))} of them failed.`;
  }

  let coverage: string | null = null;
  if (status.dataState === 'partial' && status.dataSince) {
    coverage = `Data since ${when(status.dataSince, ctx, zone, year)}${zone ? '' : utcNote}: the window is not fully covered yet, so the budget counts only what was measured (${formatMinutes(status.measured.minutes)} of ${formatMinutes(status.measured.windowMinutes)}).`;
  } else if (status.dataState === 'no_data') {
    coverage = 'No events in this window yet: the SLI, budget and burn rates show No data until some arrive.';
  }

  return (
    <div className="window-sentence" data-testid="window-sentence">
      <p>{head}</p>
      {exhaustion ? <p>{exhaustion}</p> : null}
      <p>{counts}</p>
      {coverage ? <p>{coverage}</p> : null}
    </div>
  );
}
