/** Words and tones for states: shared by pages, embeds and badges so a state reads the same everywhere. */

export function formatTier(tier: number): string {
  return `Tier ${tier}`;
}

/** Rolling "30-day rolling", calendar "Calendar month (Europe/Berlin)". */
export function describeWindow(window: { kind: 'rolling'; days: number } | { kind: 'calendar'; unit: 'week' | 'month' | 'quarter'; timeZone: string }): string {
  if (window.kind === 'rolling') return `${window.days}-day rolling`;
  return `Calendar ${window.unit} (${window.timeZone})`;
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

/** A rolling window's length in days, as its words state it: its own count, else its period in whole days. */
export function rollingDays(window: { days?: number; periodMinutes: number }): number {
  return window.days ?? Math.round(window.periodMinutes / 1440);
}
