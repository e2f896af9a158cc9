import type { SloStatus } from '@/lib/schemas';
import { Badge } from '../badges';

/** Firing tiers as badges, "No alerts firing" otherwise; text carries the state, colour only repeats it. */
export function AlertBadges({ status }: { status: SloStatus }) {
  const firing = status.alerts.filter((a) => a.firing);
  if (firing.length > 0) {
    return (
      <div className="alert-badges" aria-label="Firing alerts">
        {firing.map((a) => (
          <Badge key={`${a.severity}-${a.longWindow}-${a.shortWindow}`} tone={a.severity === 'page' ? 'danger' : 'warning'}>
            <span className="badge-dot" aria-hidden="true" />
            {a.severity === 'page' ? 'Page' : 'Ticket'} firing · {a.longWindow}/{a.shortWindow}
          </Badge>
        ))}
      </div>
    );
  }
  if (status.dataState === 'no_data') {
    return (
      <div className="alert-badges">
        <Badge tone="muted">No data: alerts cannot evaluate</Badge>
      </div>
    );
  }
  return (
    <div className="alert-badges">
      <Badge tone="ok">
        <span className="badge-dot" aria-hidden="true" />
        No alerts firing
      </Badge>
    </div>
  );
}
