'use client';

import Link from 'next/link';
import {
  ALERT_STATE_LABEL,
  alertDurationMs,
  alertSince,
  describeAlertKind,
  formatAgo,
  formatBudgetSpent,
  formatBurnRate,
  formatDuration,
  SEVERITY_LABEL,
} from '@/lib/format';
import type { AlertEvent, AlertState } from '@/lib/schemas';
import { Badge, type Tone } from '../badges';
import { LocalTime } from '../local-time';

const STATE_TONE: Record<AlertState, Tone> = { firing: 'danger', pending: 'warning', resolved: 'ok' };

/** An alert's state as text and colour: "Firing", "Pending", "Resolved". */
export function AlertStateBadge({ state }: { state: AlertState }) {
  return (
    <Badge tone={STATE_TONE[state]}>
      <span className="badge-dot" aria-hidden="true" />
      {ALERT_STATE_LABEL[state]}
    </Badge>
  );
}

export interface AlertItemProps {
  event: AlertEvent;
  /** The ticking clock (components/alerts/use-now.ts); null before hydration: relative times are left out. */
  now: number | null;
  /** Name the service and SLO (lists across SLOs), or not (an SLO's own history). */
  subject: 'service' | 'slo' | 'none';
}

const sloHref = (event: AlertEvent) => `/services/${encodeURIComponent(event.service)}/slos/${encodeURIComponent(event.slo)}`;

/** One alert event: what fired, where, since when, until when, how hard it burned and what it cost. */
export function AlertItem({ event, now, subject }: AlertItemProps) {
  const since = alertSince(event);
  const duration = event.endedAt || now !== null ? alertDurationMs(event, now ?? 0) : null;
  const open = event.state !== 'resolved';
  return (
    <li
      className={`alert-item alert-item-${event.state}`}
      data-alert-id={event.id}
      data-state={event.state}
      data-kind={event.kind}
      data-severity={event.severity}
    >
      <div className="alert-item-head">
        <AlertStateBadge state={event.state} />
        <Badge tone={event.severity === 'page' ? 'danger' : 'warning'}>{SEVERITY_LABEL[event.severity]}</Badge>
        {event.silenced ? (
          <Badge tone="muted" title="A silence holds this alert's notifications">
            Silenced
          </Badge>
        ) : null}
        <strong className="alert-kind">{describeAlertKind(event)}</strong>
      </div>
      {subject !== 'none' ? (
        <p className="alert-subject">
          {subject === 'service' ? (
            <>
              <Link href={`/services/${encodeURIComponent(event.service)}`}>{event.service}</Link>
              <span aria-hidden="true"> · </span>
            </>
          ) : null}
          <Link href={sloHref(event)}>{event.sloName}</Link>
          {subject === 'service' ? <span className="muted small"> (team {event.team})</span> : null}
        </p>
      ) : null}
      <dl className="alert-facts">
        <div>
          <dt>{event.state === 'pending' ? 'Pending since' : 'Started'}</dt>
          <dd>
            {since ? (
              <>
                <LocalTime iso={since} />
                {now !== null ? <span className="muted"> ({formatAgo(since, now)})</span> : null}
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{event.endedAt ? <LocalTime iso={event.endedAt} /> : <strong>{open && event.state === 'firing' ? 'firing now' : 'not yet firing'}</strong>}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration === null ? '—' : formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Peak burn</dt>
          <dd>{event.peakBurnRate === null ? '—' : formatBurnRate(event.peakBurnRate)}</dd>
        </div>
        <div>
          <dt>Budget spent</dt>
          <dd>{event.budgetSpent === null ? '—' : formatBudgetSpent(event.budgetSpent)}</dd>
        </div>
      </dl>
    </li>
  );
}
