import { floorToMinute, type TimeRange } from './window';
import { formatCount, formatMinutes } from './format';

/**
 * The minute an SLO's figures are as of: the end of the last minute whose data has been read, never after the last
 * whole minute (docs/slo-math.md, "As of a minute that was read"). A pulled SLI (Prometheus, demo) is read by the
 * evaluator up to `freshUntil`, a few seconds after each minute ends. A pushed one (OpenTelemetry) is written as its
 * points arrive, each counted in the minute of its timestamp, so a minute is whole once it has ended. `at` asks for
 * an earlier minute.
 */
export function readAsOf(args: { pushed: boolean; freshUntil: Date | null; now: Date; at?: Date }): { asOf: Date; unread: TimeRange | null } {
  const lastWhole = floorToMinute(args.at && args.at < args.now ? args.at : args.now);
  let read = lastWhole;
  if (!args.pushed && args.freshUntil && args.freshUntil < read) read = floorToMinute(args.freshUntil);
  return { asOf: read, unread: read < lastWhole ? { from: read, to: lastWhole } : null };
}

/** What a window's figures rest on. */
export interface Measured {
  minutes: number;
  windowMinutes: number;
  events: number;
}

/**
 * Why an SLO's figures are provisional, in a sentence, or null when they are not (docs/slo-math.md, "Young and
 * quiet SLOs"): its history is still being read, its data begins inside the window, or the window holds fewer events
 * than its figures need (`minEvents`).
 */
export function provisionalReason(args: { measured: Measured; minEvents: number; dataBeginsInWindow: boolean; historyPending: boolean }): string | null {
  const { measured, minEvents } = args;
  const of = `${formatMinutes(measured.minutes)} of ${formatMinutes(measured.windowMinutes)} measured`;
  if (args.historyPending) return `Provisional: history is still being read (${of} so far).`;
  if (args.dataBeginsInWindow) return `Provisional: ${of}.`;
  if (measured.events < minEvents) {
    return `Provisional: ${formatCount(measured.events)} ${measured.events === 1 ? 'event' : 'events'} in the window, fewer than the ${formatCount(minEvents)} its figures need.`;
  }
  return null;
}
