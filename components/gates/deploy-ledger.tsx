'use client';

import { useQuery } from '@tanstack/react-query';
import type { Deployment } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { deployLedgerOptions } from '@/lib/queries/gates';
import { formatBudgetSpent } from '@/lib/format';
import { LocalTime } from '../local-time';
import { ImpactBadge } from './verdict';

export interface DeployLedgerProps {
  service: string;
}

/** "3.1%" of the period's budget, as the ledger's message writes it (rounded up: a burn never reads smaller). */
function formatBurned(fraction: number | null): string {
  return fraction === null || !Number.isFinite(fraction) ? '—' : formatBudgetSpent(fraction);
}

/** The ledger window in words: 60 -> "hour", 120 -> "2 hours", 30 -> "30 minutes". */
function windowWords(minutes: number): string {
  if (minutes === 60) return 'hour';
  return minutes % 60 === 0 ? `${minutes / 60} hours` : `${minutes} minutes`;
}

function DeploymentRow({ deployment }: { deployment: Deployment }) {
  return (
    <tr data-deployment-version={deployment.version}>
      <th scope="row">
        {deployment.url ? (
          <a href={deployment.url} target="_blank" rel="noopener noreferrer" className="row-title">
            <code>{deployment.version}</code> <span aria-hidden="true">↗</span>
          </a>
        ) : (
          <code className="row-title">{deployment.version}</code>
        )}
        <div className="row-meta">
          <span>{deployment.environment}</span>
          {deployment.commit ? <code>{deployment.commit.slice(0, 12)}</code> : null}
        </div>
      </th>
      <td>
        <LocalTime iso={deployment.startedAt} />
        {deployment.finishedAt ? (
          <div className="row-meta">
            finished <LocalTime iso={deployment.finishedAt} />
          </div>
        ) : null}
      </td>
      <td>
        {deployment.impact.length === 0 ? (
          <span className="muted small">No SLOs to weigh it against.</span>
        ) : (
          <ul className="impact-list">
            {deployment.impact.map((impact) => (
              <li key={impact.slo} data-impact-verdict={impact.verdict}>
                <ImpactBadge verdict={impact.verdict} /> <strong>{impact.name}</strong>{' '}
                <span className="num muted small">
                  after {formatBurned(impact.burnedAfter)} · before {formatBurned(impact.burnedBefore)}
                </span>
                <div className="impact-message">{impact.message}</div>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/**
 * The deploy ledger: each deploy of the last week with the budget it burned in the window after it against the
 * same window before it, per SLO. "Pending" until the window after has passed.
 */
export function DeployLedger({ service }: DeployLedgerProps) {
  const query = useQuery(deployLedgerOptions(service));
  const window = query.data?.[0]?.windowMinutes;
  return (
    <section aria-labelledby="deploys-title" className="gate-section" data-testid="deploy-ledger">
      <div className="section-header">
        <h2 id="deploys-title">Deploys</h2>
        <p>
          The last 7 days. Budget burned in the {windowWords(window ?? 60)} after each deploy against the same time before it, as a share of the period’s
          budget.
        </p>
      </div>
      {query.isError ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Could not load the deploys.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : query.isPending ? (
        <div className="skeleton skeleton-line" aria-hidden="true" />
      ) : query.data.length === 0 ? (
        <p className="muted">
          No deploys recorded in the last 7 days. A pipeline records one with <code>POST /api/v1/deployments</code>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table deploy-ledger">
            <caption className="visually-hidden">Deploys of the last 7 days, newest first, with their budget impact</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Started</th>
                <th scope="col">Budget impact per SLO</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((deployment) => (
                <DeploymentRow key={deployment.id} deployment={deployment} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
