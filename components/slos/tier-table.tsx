import type { AlertStatus } from '@/lib/schemas';
import { budgetConsumedAtFiring } from '@/lib/slo/alerts';
import { Badge } from '../badges';
import { durationToMinutes } from '@/lib/slo/duration';
import { formatBudgetSpent, formatBurnRate, formatCount, formatThreshold } from '@/lib/format';

export interface TierTableProps {
  alerts: AlertStatus[];
  periodMinutes: number;
  /** The SLO's minimum events per long window (the guard a tier needs before it may fire). */
  minEvents: number;
  /** Timeslice SLOs: windows shorter than a slice measure the slice they fall in, and the table says so. */
  sliceMinutes?: number;
}

function state(alert: AlertStatus, minEvents: number): { label: string; tone: 'danger' | 'warning' | 'ok' | 'muted'; title?: string } {
  if (alert.firing) return { label: 'Firing', tone: alert.severity === 'page' ? 'danger' : 'warning' };
  if (alert.longBurnRate === null || alert.shortBurnRate === null) return { label: 'No data', tone: 'muted' };
  if (alert.guarded) {
    return {
      label: 'Too few events',
      tone: 'muted',
      title: `${formatCount(alert.longEvents)} events in ${alert.longWindow}, fewer than the ${formatCount(minEvents)} this SLO needs before the tier may fire`,
    };
  }
  return { label: 'OK', tone: 'ok' };
}

function rateClass(rate: number | null, threshold: number): string {
  return rate !== null && rate > threshold ? 'budget budget-danger' : 'num';
}

/** Multi-window, multi-burn-rate alert tiers (SRE Workbook ch. 5): a tier fires when both windows exceed it. */
export function TierTable({ alerts, periodMinutes, minEvents, sliceMinutes }: TierTableProps) {
  // The "for" column only when a tier has one: most SLOs fire at once.
  const anyFor = alerts.some((a) => a.for !== undefined);
  const short = sliceMinutes ? alerts.filter((a) => durationToMinutes(a.shortWindow) < sliceMinutes).map((a) => a.shortWindow) : [];
  return (
    <div className="table-wrap">
      <table className="data-table tier-table">
        <caption className="visually-hidden">Alert tiers: a tier fires when both its long and short window burn faster than its threshold</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Long window</th>
            <th scope="col">Short window</th>
            <th scope="col" className="num">
              Threshold
            </th>
            {anyFor ? <th scope="col">For</th> : null}
            <th scope="col" className="num">
              Budget spent when it fires
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => {
            const s = state(alert, minEvents);
            const consumed = budgetConsumedAtFiring(
              { severity: alert.severity, longWindow: alert.longWindow, shortWindow: alert.shortWindow, burnRate: alert.threshold },
              periodMinutes,
            );
            return (
              <tr key={`${alert.severity}-${alert.longWindow}-${alert.shortWindow}-${alert.threshold}`}>
                <th scope="row">
                  <strong>{alert.severity === 'page' ? 'Page' : 'Ticket'}</strong>
                </th>
                <td>
                  <span className="window">{alert.longWindow}</span>
                  <span className={rateClass(alert.longBurnRate, alert.threshold)}>{formatBurnRate(alert.longBurnRate)}</span>
                </td>
                <td>
                  <span className="window">{alert.shortWindow}</span>
                  <span className={rateClass(alert.shortBurnRate, alert.threshold)}>{formatBurnRate(alert.shortBurnRate)}</span>
                </td>
                <td className="num">&gt; {formatThreshold(alert.threshold)}</td>
                {anyFor ? <td>{alert.for !== undefined ? <span className="window">{alert.for}</span> : 'at once'}</td> : null}
                <td className="num">{Number.isFinite(consumed) ? formatBudgetSpent(consumed) : '—'}</td>
                <td>
                  <Badge tone={s.tone} title={s.title}>
                    <span className="badge-dot" aria-hidden="true" />
                    {s.label}
                  </Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="small muted tier-notes">
        A tier fires only when its long window holds at least {formatCount(minEvents)} events, so a handful of requests cannot page anyone.
        {short.length > 0
          ? ` With ${sliceMinutes}-minute slices, the ${[...new Set(short)].join(' and ')} ${short.length === 1 ? 'window measures' : 'windows measure'} the slice ${short.length === 1 ? 'it falls' : 'they fall'} in (each slice counts with the share of it inside a window; the running slice is judged on its minutes so far).`
          : ''}
      </p>
    </div>
  );
}
