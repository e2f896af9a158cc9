/** Alert events in words: what fired, since when, for how long. Shared by the Firing now page and the timelines. */
import { z } from 'zod';
import type { AlertEvent, AlertKind, AlertState } from '@/lib/schemas';
import { formatThreshold } from '@/lib/slo/format';

const BurnDetails = z.object({ longWindow: z.string(), shortWindow: z.string(), threshold: z.number() });
const AbsentDetails = z.object({ afterMinutes: z.number() });
const LowDetails = z.object({ share: z.number() });

const KIND_LABEL: Record<AlertKind, string> = { burn_rate: 'Burn rate', data_absent: 'No data', budget_low: 'Budget low' };

export const ALERT_STATE_LABEL: Record<AlertState, string> = { firing: 'Firing', pending: 'Pending', resolved: 'Resolved' };
export const SEVERITY_LABEL = { page: 'Page', ticket: 'Ticket' } as const;

/** A share as a whole or one-decimal percent: 0.25 -> "25%", 0.125 -> "12.5%". */
function sharePercent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/**
 * What an alert is about, from its kind and the details stored with it: "Burn rate 1h/5m above 14.4×",
 * "No data for 15 min", "Budget below 25%"; the bare kind when the details lack what the words need.
 */
export function describeAlertKind(event: Pick<AlertEvent, 'kind' | 'details'>): string {
  switch (event.kind) {
    case 'burn_rate': {
      const d = BurnDetails.safeParse(event.details);
      return d.success ? `Burn rate ${d.data.longWindow}/${d.data.shortWindow} above ${formatThreshold(d.data.threshold)}` : KIND_LABEL.burn_rate;
    }
    case 'data_absent': {
      const d = AbsentDetails.safeParse(event.details);
      return d.success ? `No data for ${d.data.afterMinutes} min` : KIND_LABEL.data_absent;
    }
    case 'budget_low': {
      const d = LowDetails.safeParse(event.details);
      return d.success ? `Budget below ${sharePercent(d.data.share)}` : KIND_LABEL.budget_low;
    }
  }
}

/** When the event began as the reader sees it: firing since it fired, pending since it first held. */
export function alertSince(event: Pick<AlertEvent, 'startedAt' | 'pendingSince'>): string | null {
  return event.startedAt ?? event.pendingSince;
}

/** A duration in one or two units, rounded down: 42 s, 12 min, 1 h 5 min, 2 d 3 h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** How long ago an instant was, in the same units: "just now", "12 min ago", "1 h 5 min ago". */
export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (ms < 60_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/** How long an event lasted (or has lasted, while open): from its start (or pending start) to its end or now. */
export function alertDurationMs(event: Pick<AlertEvent, 'startedAt' | 'pendingSince' | 'endedAt'>, now: number): number | null {
  const since = alertSince(event);
  if (since === null) return null;
  return (event.endedAt ? Date.parse(event.endedAt) : now) - Date.parse(since);
}

const STATE_ORDER: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2 };
const SEVERITY_ORDER = { page: 0, ticket: 1 } as const;

/** Open alerts in the order to act on them: firing before pending, pages before tickets, the oldest first. */
export function byUrgency(a: AlertEvent, b: AlertEvent): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (Date.parse(alertSince(a) ?? '') || 0) - (Date.parse(alertSince(b) ?? '') || 0)
  );
}
