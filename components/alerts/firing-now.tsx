'use client';

import { useQuery } from '@tanstack/react-query';
import { byUrgency } from '@/lib/format';
import { alertsOptions, type AlertFilter } from '@/lib/queries/alerts';
import { errorMessage } from '@/lib/queries/api';
import type { AlertEvent } from '@/lib/schemas';
import { AlertItem } from './alert-item';
import type { AlertView } from './alert-filters';
import { useNow } from './use-now';

export interface FiringNowProps {
  filter: AlertFilter;
  view: AlertView;
  /** Whether a team or service filter applies: the empty state says so. */
  filtered: boolean;
}

function count(events: readonly AlertEvent[], severity: AlertEvent['severity']): number {
  return events.filter((e) => e.severity === severity).length;
}

function Group({ id, title, events, now }: { id: string; title: string; events: AlertEvent[]; now: number | null }) {
  if (events.length === 0) return null;
  return (
    <section aria-labelledby={id} className="alert-group" data-testid={id}>
      <h2 id={id} className="alert-group-title">
        {title} <span className="muted">({events.length})</span>
      </h2>
      <ol className="alert-list">
        {events.map((event) => (
          <AlertItem key={event.id} event={event} now={now} subject="service" />
        ))}
      </ol>
    </section>
  );
}

/** Every open alert, firing ones first, pages before tickets within each; or the ones resolved lately. Polled. */
export function FiringNow({ filter, view, filtered }: FiringNowProps) {
  const query = useQuery(alertsOptions(filter));
  const now = useNow();
  if (query.isError) {
    return (
      <div className="callout callout-danger" role="alert">
        <span>
          <strong>Could not load the alerts.</strong> {errorMessage(query.error)}
        </span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  if (query.isPending) return <div className="skeleton skeleton-card" aria-busy="true" aria-label="Loading alerts" />;
  const events = query.data;
  const scope = filtered ? ' for these filters' : '';

  if (view === 'resolved') {
    return events.length === 0 ? (
      <section className="empty-state" aria-labelledby="no-resolved-title">
        <h2 id="no-resolved-title">No resolved alerts{scope}</h2>
        <p>Alerts that fired and then stopped are listed here, newest first.</p>
      </section>
    ) : (
      <Group id="resolved-alerts" title="Resolved" events={events} now={now} />
    );
  }

  if (events.length === 0) {
    return (
      <section className="empty-state" aria-labelledby="nothing-fires-title" data-testid="nothing-fires">
        <h2 id="nothing-fires-title">Nothing is firing{scope}</h2>
        <p>No alert is firing or pending right now. When an SLO burns its error budget too fast, loses its data or runs low on budget, it shows here.</p>
      </section>
    );
  }
  const sorted = [...events].sort(byUrgency);
  const firing = sorted.filter((e) => e.state === 'firing');
  const pending = sorted.filter((e) => e.state === 'pending');
  return (
    <>
      <p className="result-summary" role="status">
        <span>
          <strong>{firing.length} firing</strong>
          {pending.length > 0 ? `, ${pending.length} pending` : ''}
        </span>
        {count(firing, 'page') > 0 ? <span className="summary-item summary-danger">{count(firing, 'page')} paging</span> : null}
        {count(firing, 'ticket') > 0 ? <span className="summary-item summary-warning">{count(firing, 'ticket')} ticket</span> : null}
      </p>
      <Group id="firing-alerts" title="Firing" events={firing} now={now} />
      <Group id="pending-alerts" title="Pending" events={pending} now={now} />
    </>
  );
}
