'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { AuditEvent } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { auditKeys, listAudit, type AuditScope } from '@/lib/queries/auth';
import { LocalTime } from '../local-time';
import { diffObjects } from './diff';

export interface AuditTrailProps {
  /** Whose history: a service (with all it holds), an SLO, a data source, a user, a token, or everything (admins). */
  scope: AuditScope;
  title: string;
  description?: string;
  /** Show which object each entry is about (when the scope holds more than one). */
  showTarget?: boolean;
}

/** "service.update" → "changed the service"; unknown actions are shown as they are. */
const VERBS: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  revoke: 'revoked',
  disable: 'disabled',
  backfill: 'asked to re-read the history of',
  login: 'signed in as',
  logout: 'signed out as',
  password_set: 'set the password of',
  password_change: 'changed the password of',
  reset_link: 'made a password reset link for',
};

const KINDS: Record<string, string> = {
  service: 'service',
  slo: 'SLO',
  policy: 'policy',
  datasource: 'data source',
  token: 'token',
  override: 'override',
  embed: 'embed link',
  deployment: 'deploy',
  user: 'user',
};

export function describeAction(event: Pick<AuditEvent, 'action' | 'target'>): string {
  const verb = event.action.split('.')[1] ?? event.action;
  return `${VERBS[verb] ?? verb} the ${KINDS[event.target.type] ?? event.target.type}`;
}

function Changes({ event }: { event: AuditEvent }) {
  // Drawn when opened: a long trail holds many objects' worth of fields nobody asked to see.
  const [open, setOpen] = useState(false);
  const changes = useMemo(() => diffObjects(event.before, event.after), [event.before, event.after]);
  const details = Object.entries(event.details ?? {});
  if (changes.length === 0 && details.length === 0) return null;
  return (
    <details className="audit-changes" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{changes.length === 0 ? 'Details' : `${changes.length} ${changes.length === 1 ? 'field' : 'fields'}`}</summary>
      {open ? (
        <table className="data-table audit-diff">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path}>
                <td className="mono">{c.path}</td>
                <td className="audit-before">{c.before ?? <span className="muted">—</span>}</td>
                <td className="audit-after">{c.after ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
            {details.map(([key, value]) => (
              <tr key={`details.${key}`}>
                <td className="mono">{key}</td>
                <td colSpan={2}>{typeof value === 'string' ? value : JSON.stringify(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </details>
  );
}

/** Who changed what and when, newest first, each with its before and after; more on request. */
export function AuditTrail({ scope, title, description, showTarget = false }: AuditTrailProps) {
  const id = useId();
  const query = useInfiniteQuery({
    queryKey: auditKeys.scope(scope),
    queryFn: ({ pageParam, signal }) => listAudit(scope, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <section className="section audit-trail" aria-labelledby={`${id}-title`} data-testid="audit-trail">
      <div className="section-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {description ? <p>{description}</p> : null}
      </div>
      {query.isError ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Could not load the history.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : query.isPending ? (
        <div className="skeleton skeleton-line" aria-hidden="true" />
      ) : events.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table audit-table">
            <caption className="visually-hidden">{title}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">
                    <LocalTime iso={event.at} year />
                  </td>
                  <td>
                    {event.actor.name}
                    {event.ip ? <div className="muted small">from {event.ip}</div> : null}
                  </td>
                  <td>
                    {describeAction(event)}
                    {showTarget || event.target.type !== scopeType(scope) ? <span className="mono"> {event.target.name}</span> : null}
                  </td>
                  <td>
                    <Changes event={event} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage ? (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Older changes'}
        </button>
      ) : null}
    </section>
  );
}

/** The kind of object a scope is about, so entries about that very object need not name it again. */
function scopeType(scope: AuditScope): string | null {
  if (scope.slo) return 'slo';
  if (scope.service) return 'service';
  if (scope.datasource) return 'datasource';
  if (scope.user) return 'user';
  if (scope.token) return 'token';
  if (scope.policy) return 'policy';
  return null;
}
