/**
 * Number and time formatting for SLO figures. SLOs live in the last few nines, so precision is chosen to
 * never round a miss into a hit (99.9996% is not "100%"), and negatives get a real minus sign.
 */

const MINUS = '\u2212';

function signed(text: string, negative: boolean): string {
  return negative ? `${MINUS}${text}` : text;
}

/**
 * Floors toward zero at `digits` decimals: an SLI is never shown better than it is. Read to 12 significant digits
 * first: sums of doubles added in another order differ past there (0.9995 can come out as 0.99949999999999997),
 * and that noise must not cost the last digit.
 */
function truncate(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.trunc(Number((value * f).toPrecision(12))) / f;
}

/** An objective as typed by people: 0.999 -> "99.9%", 0.9995 -> "99.95%". */
export function formatObjective(objective: number): string {
  const pct = Number((objective * 100).toPrecision(10));
  return `${pct.toLocaleString('en-US', { maximumFractionDigits: 6 })}%`;
}

/** An SLI to four decimals of a percent, truncated: 0.99973108 -> "99.9731%". null -> "No data". */
export function formatSli(sli: number | null): string {
  if (sli === null || !Number.isFinite(sli)) return 'No data';
  const pct = truncate(sli * 100, 4);
  return `${pct.toFixed(4)}%`;
}

/** A short SLI for tooltips and axes, still never rounded up to 100%. */
export function formatSliShort(sli: number, digits = 2): string {
  return `${truncate(sli * 100, digits).toFixed(digits)}%`;
}

/**
 * Budget remaining as a percent: whole percents from 10% up, one decimal below; negative when overspent
 * ("−35%"). Never rounds an almost-untouched budget up to "100%".
 */
export function formatBudget(remaining: number | null): string {
  if (remaining === null || !Number.isFinite(remaining)) return 'No data';
  const pct = remaining * 100;
  const abs = Math.abs(pct);
  let digits = abs >= 10 ? 0 : 1;
  if (abs > 99 && abs < 100) digits = 1;
  const text = truncate(abs, digits).toFixed(digits);
  return signed(`${text}%`, pct < 0 && Number(text) !== 0);
}

/** A burn rate to two decimals with a multiplication sign: 14.4 -> "14.40×". */
export function formatBurnRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'No data';
  return `${rate.toFixed(2)}\u00d7`;
}

/** A threshold as configured: 14.4 -> "14.4×", 6 -> "6×". */
export function formatThreshold(rate: number): string {
  return `${Number(rate.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 4 })}\u00d7`;
}

const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Minutes of errors: 43.2 -> "43.2 min", 216 -> "3.6 h", 4320 -> "3 days". */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return '—';
  if (minutes < 120) return `${oneDecimal.format(minutes)} min`;
  if (minutes < 48 * 60) return `${oneDecimal.format(minutes / 60)} h`;
  return `${oneDecimal.format(minutes / 1440)} days`;
}

/** A span of seconds in words for "runs out in ...": 181440 -> "2.1 days". */
export function formatSpan(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = seconds / 60;
  if (minutes < 90) return `${wholeNumber.format(minutes)} minutes`;
  const hours = minutes / 60;
  if (hours < 48) return `${oneDecimal.format(hours)} hours`;
  return `${oneDecimal.format(hours / 24)} days`;
}

/** Event counts in a compact form: 34517661 -> "34.5M". */
export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

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
