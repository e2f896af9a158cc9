/** Dates, ticks and labels for the UI; numbers come from lib/slo/format.ts, re-exported here. */

// Figures are written by the domain core's one formatter (lib/slo/format.ts); this module adds dates and labels.
export {
  formatBudget,
  formatBudgetSpent,
  formatBurnRate,
  formatCount,
  formatExactPercent,
  formatMinutes,
  formatObjective,
  formatPercent,
  formatSeconds,
  formatSli,
  formatSliShort,
  formatSpan,
  formatThreshold,
} from '@/lib/slo/format';

export function formatTier(tier: number): string {
  return `Tier ${tier}`;
}

/** Rolling "30-day rolling", calendar "Calendar month (Europe/Berlin)". */
export function describeWindow(
  window: { kind: 'rolling'; days: number } | { kind: 'calendar'; unit: 'week' | 'month' | 'quarter'; timeZone: string },
): string {
  if (window.kind === 'rolling') return `${window.days}-day rolling`;
  return `Calendar ${window.unit} (${window.timeZone})`;
}

/** Where and how dates are shown: the browser's locale and zone once hydrated, a fixed one before. */
export interface DateContext {
  locale: string | undefined;
  timeZone: string | undefined;
}

/** The fixed context used on the server and during hydration, so both render the same text. */
export const SERVER_DATE_CONTEXT: DateContext = { locale: 'en-GB', timeZone: 'UTC' };

/** "27 Oct 14:00" (with the year when asked); an explicit date and a 24-hour time, in the reader's locale. */
export function formatDateTime(iso: string | number, ctx: DateContext, opts: { year?: boolean; zoneName?: boolean } = {}): string {
  const date = new Date(iso);
  // Date and time formatted apart and joined by a space: "27 Oct 14:00", not the locale's "27 Oct, 14:00".
  const day = new Intl.DateTimeFormat(ctx.locale, {
    timeZone: ctx.timeZone,
    day: 'numeric',
    month: 'short',
    ...(opts.year ? { year: 'numeric' } : {}),
  }).format(date);
  const time = new Intl.DateTimeFormat(ctx.locale, {
    timeZone: ctx.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(opts.zoneName ? { timeZoneName: 'short' } : {}),
  }).format(date);
  return `${day} ${time}`;
}

/** Axis ticks: times for short ranges, dates for long ones. */
export function formatTick(t: number, rangeSeconds: number, ctx: DateContext): string {
  const options: Intl.DateTimeFormatOptions =
    rangeSeconds <= 86_400
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : rangeSeconds <= 7 * 86_400
        ? { weekday: 'short', day: 'numeric' }
        : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(ctx.locale, { timeZone: ctx.timeZone, ...options }).format(new Date(t));
}

/** Health labels: text as well as colour, never colour alone. */
export const HEALTH_LABEL = {
  page: 'Paging',
  ticket: 'Ticket',
  ok: 'OK',
  no_data: 'No data',
} as const;

/** Tone for a remaining budget: below zero is danger, under a quarter is a warning. */
export function budgetTone(remaining: number | null): 'danger' | 'warning' | 'ok' | 'muted' {
  if (remaining === null || !Number.isFinite(remaining)) return 'muted';
  if (remaining < 0) return 'danger';
  if (remaining < 0.25) return 'warning';
  return 'ok';
}
