import type { RecentTraffic } from './load';
import { describeFaults, formatPercent, type Faults } from './model';
import type { ExportStatus } from './telemetry';

/** One line: what is injected, what the callers see, and whether Umpire is receiving. */
export function statusLine(faults: Faults, traffic: ReturnType<RecentTraffic['summary']>, exports: ExportStatus, now = Date.now()): string {
  const seen =
    traffic.errorRatio === null
      ? 'no requests yet'
      : `${traffic.perSecond.toFixed(1)} req/s, 5xx ${formatPercent(traffic.errorRatio)}, over 500 ms ${formatPercent(traffic.slowRatio ?? 0)}, p99 ${Math.round(traffic.p99Ms ?? 0)} ms`;
  let sent: string;
  if (exports.problem) sent = `export failing: ${exports.problem}`;
  else if (exports.lastOkAt === null) sent = 'first export pending';
  else sent = `exported ${exports.ok}x, last ${Math.round((now - exports.lastOkAt) / 1000)} s ago`;
  if (exports.refused) sent += `; Umpire refused points: ${exports.refused}`;
  return `[${describeFaults(faults)}] ${seen} | ${sent}`;
}
