/** Dates and axis ticks, in the reader's locale and zone once hydrated and a fixed one on the server. */

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
