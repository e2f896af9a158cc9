'use client';

import { useQuery } from '@tanstack/react-query';
import { alertTimelineOptions, type AlertTimelineScope } from '@/lib/queries/alerts';
import { errorMessage } from '@/lib/queries/api';
import { AlertItem } from './alert-item';
import { useNow } from './use-now';

export interface AlertTimelineProps {
  scope: AlertTimelineScope;
  title: string;
  description: string;
}

/** Alert events newest first: when each began and ended, how long, how hard it burned, what it cost. Polled. */
export function AlertTimeline({ scope, title, description }: AlertTimelineProps) {
  const query = useQuery(alertTimelineOptions(scope));
  const now = useNow();
  const headingId = 'slo' in scope ? 'alert-history-title' : 'service-alerts-title';
  return (
    <section aria-labelledby={headingId} className="alert-timeline" data-testid="alert-timeline">
      <div className="section-header">
        <h2 id={headingId}>{title}</h2>
        <p>{description}</p>
      </div>
      {query.isError ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Could not load the alerts.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : query.isPending ? (
        <div className="skeleton skeleton-line" aria-hidden="true" />
      ) : query.data.length === 0 ? (
        <p className="muted">{'slo' in scope ? 'This SLO has never alerted.' : 'No SLO of this service has alerted.'}</p>
      ) : (
        <ol className="alert-list" aria-label={`${title}, newest first`}>
          {query.data.map((event) => (
            <AlertItem key={event.id} event={event} now={now} subject={'slo' in scope ? 'none' : 'slo'} />
          ))}
        </ol>
      )}
    </section>
  );
}
