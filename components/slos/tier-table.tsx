import type { AlertStatus } from '@/lib/schemas';
import { budgetConsumedAtFiring } from '@/lib/slo/alerts';
import { Badge } from '../badges';
import { formatBurnRate, formatThreshold } from '../format';

export interface TierTableProps {
  alerts: AlertStatus[];
  periodMinutes: number;
}

function state(alert: AlertStatus): { label: string; tone: 'danger' | 'warning' | 'ok' | 'muted' } {
  if (alert.firing) return { label: 'Firing', tone: alert.severity === 'page' ? 'danger' : 'warning' };
  if (alert.longBurnRate === null || alert.shortBurnRate === null) return { label: 'No data', tone: 'muted' };
  return { label: 'OK', tone: 'ok' };
}

function rateClass(rate: number | null, threshold: number): string {
  return rate !== null && rate > threshold ? 'budget budget-danger' : 'num';
}

/** Multi-window, multi-burn-rate alert tiers (SRE Workbook ch. 5): a tier fires when both windows exceed it. */
export function TierTable({ alerts, periodMinutes }: TierTableProps) {
  return (
    <div className="table-wrap">
      <table className="data-table tier-table">
        <caption className="visually-hidden">Alert tiers: a tier fires when both its long and short window burn faster than its threshold</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Long window</th>
            <th scope="col">Short window</th>
            <th scope="col" className="num">Threshold</th>
            <th scope="col" className="num">Budget spent when it fires</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => {
            const s = state(alert);
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
                <td className="num">{Number.isFinite(consumed) ? `${Number((consumed * 100).toPrecision(3))}%` : '—'}</td>
                <td>
                  <Badge tone={s.tone}>
                    <span className="badge-dot" aria-hidden="true" />
                    {s.label}
                  </Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
