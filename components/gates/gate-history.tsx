'use client';

import { useQuery } from '@tanstack/react-query';
import type { GateEvaluation } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { gateEvaluationsOptions } from '@/lib/queries/gates';
import { LocalTime } from '../local-time';
import { GateReasons, POLICY_SOURCE_TEXT, VERDICT_LABEL, VerdictBadge } from './verdict';

export interface GateHistoryProps {
  service: string;
}

function EvaluationRow({ service, evaluation }: { service: string; evaluation: GateEvaluation }) {
  const overridden = evaluation.override !== null && evaluation.verdict !== evaluation.policyVerdict;
  const names = new Map(evaluation.slos.map((s) => [s.slo, s.name]));
  return (
    <tr data-evaluation-version={evaluation.version} data-verdict={evaluation.verdict}>
      <th scope="row">
        <code>{evaluation.version}</code>
        {evaluation.commit ? (
          <div className="row-meta">
            <code>{evaluation.commit.slice(0, 12)}</code>
          </div>
        ) : null}
      </th>
      <td>{evaluation.environment}</td>
      <td>
        <VerdictBadge verdict={evaluation.verdict} />
        {overridden ? <div className="small muted">policy said {VERDICT_LABEL[evaluation.policyVerdict].toLowerCase()}, overridden</div> : null}
      </td>
      <td>
        <LocalTime iso={evaluation.evaluatedAt} />
        {evaluation.pipelineUrl ? (
          <div>
            <a className="small-link" href={evaluation.pipelineUrl} target="_blank" rel="noopener noreferrer">
              Pipeline <span aria-hidden="true">↗</span>
            </a>
          </div>
        ) : null}
      </td>
      <td className="gate-history-details">
        {evaluation.override ? (
          <p className="gate-override-note" data-testid="evaluation-override">
            Let through by override: {evaluation.override.createdBy}, “{evaluation.override.reason}” (until <LocalTime iso={evaluation.override.expiresAt} />)
          </p>
        ) : null}
        {evaluation.reasons.length === 0 ? (
          <span className="muted small">No rule broken · {POLICY_SOURCE_TEXT[evaluation.policy.source]}</span>
        ) : (
          <details>
            <summary>
              {evaluation.reasons.length === 1 ? '1 reason' : `${evaluation.reasons.length} reasons`} · {POLICY_SOURCE_TEXT[evaluation.policy.source]}
            </summary>
            <GateReasons
              service={service}
              reasons={evaluation.reasons}
              names={names}
              caption={`Why ${evaluation.version} got ${evaluation.policyVerdict}`}
              variant="list"
            />
          </details>
        )}
      </td>
    </tr>
  );
}

/** The answers the gate gave to releases (stored by POST .../gate), newest first. */
export function GateHistory({ service }: GateHistoryProps) {
  const query = useQuery(gateEvaluationsOptions(service));
  return (
    <section aria-labelledby="gate-history-title" className="gate-section" data-testid="gate-history">
      <div className="section-header">
        <h2 id="gate-history-title">Gate history</h2>
        <p>What the gate answered to each release that asked, newest first.</p>
      </div>
      {query.isError ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Could not load the gate history.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : query.isPending ? (
        <div className="skeleton skeleton-line" aria-hidden="true" />
      ) : query.data.length === 0 ? (
        <p className="muted">
          No release has asked yet. A pipeline asks with <code>POST /api/v1/services/{service}/gate</code> and a version.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table gate-history">
            <caption className="visually-hidden">Gate evaluations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Environment</th>
                <th scope="col">Verdict</th>
                <th scope="col">Asked</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((evaluation) => (
                <EvaluationRow key={evaluation.id} service={service} evaluation={evaluation} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
