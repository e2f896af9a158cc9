'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { GatePreview } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { gateStatusOptions } from '@/lib/queries/gates';
import { Badge, BudgetValue } from '../badges';
import { LocalTime } from '../local-time';
import { DATA_STATE_LABEL, DATA_STATE_TEXT, GateReasons, POLICY_SOURCE_TEXT, SloRef, VerdictBadge } from './verdict';

export interface GateStatusCardProps {
  service: string;
}

const MISSING_DATA_TEXT = { fail: 'missing data fails', warn: 'missing data warns', pass: 'missing data passes' } as const;
const PARTIAL_DATA_TEXT = {
  evaluate: 'provisional figures count as complete',
  warn: 'provisional figures can only warn',
  fail: 'provisional figures fail',
} as const;

/** "A release asking now would fail: 2 reasons." */
function headline(status: GatePreview): string {
  const count = status.reasons.length;
  const because = count === 0 ? '' : `: ${count === 1 ? '1 reason' : `${count} reasons`}`;
  if (status.verdict === 'pass') return count === 0 ? 'A release asking now would pass.' : `A release asking now would pass${because}.`;
  return `A release asking now would ${status.verdict === 'warn' ? 'pass with a warning' : 'be stopped'}${because}.`;
}

export function PolicyLine({ status, policyHref }: { status: Pick<GatePreview, 'policy'>; policyHref: string }) {
  return (
    <p className="gate-policy-line">
      Judged by <strong>{POLICY_SOURCE_TEXT[status.policy.source]}</strong>
      {status.policy.updatedAt ? (
        <>
          {' '}
          (changed <LocalTime iso={status.policy.updatedAt} />)
        </>
      ) : null}
      : {status.policy.rules.length} {status.policy.rules.length === 1 ? 'rule' : 'rules'}, {MISSING_DATA_TEXT[status.policy.onMissingData]},{' '}
      {PARTIAL_DATA_TEXT[status.policy.onPartialData]}.{' '}
      <Link href={policyHref}>{status.policy.source === 'service' ? 'Edit the policy' : 'Give this service its own policy'}</Link>
    </p>
  );
}

/** The gate as it would answer now (live, not stored): verdict, reasons, data state, and which policy applies. */
export function GateStatusCard({ service }: GateStatusCardProps) {
  const query = useQuery(gateStatusOptions(service));
  const policyHref = `/services/${encodeURIComponent(service)}/policy`;
  const status = query.data;

  return (
    <section
      className="card gate-card"
      aria-labelledby="gate-title"
      data-testid="gate-status"
      data-verdict={status?.verdict ?? 'unknown'}
      aria-busy={query.isPending}
    >
      <div className="gate-card-head">
        <div>
          <h2 id="gate-title">Release gate</h2>
          {status ? <p className="gate-headline">{headline(status)}</p> : query.isPending ? <p className="gate-headline muted">Working out the gate…</p> : null}
        </div>
        {status ? <VerdictBadge verdict={status.verdict} /> : query.isError ? <VerdictBadge verdict={null} /> : null}
      </div>

      {query.isError ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>{status ? 'Could not refresh the gate; this is the last answer.' : 'Could not work out the gate.'}</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? 'Retrying…' : 'Retry'}
          </button>
        </div>
      ) : null}

      {status ? (
        <>
          {status.reasons.length > 0 ? (
            <GateReasons
              service={service}
              reasons={status.reasons}
              names={new Map(status.slos.map((s) => [s.slo, s.name]))}
              caption="Why the gate answers as it does now"
            />
          ) : null}
          <dl className="gate-facts">
            <div>
              <dt>Data</dt>
              <dd>
                <Badge tone={status.dataState === 'ok' ? 'ok' : 'warning'}>{DATA_STATE_LABEL[status.dataState]}</Badge>{' '}
                <span className="muted small">{DATA_STATE_TEXT[status.dataState]}</span>
              </dd>
            </div>
            <div>
              <dt>SLOs counted</dt>
              <dd>
                {status.slos.length === 0 ? (
                  <span className="muted">None</span>
                ) : (
                  <ul className="gate-slo-list">
                    {status.slos.map((slo) => (
                      <li key={slo.slo}>
                        <SloRef service={service} slo={slo.slo} name={slo.name} /> <BudgetValue remaining={slo.budgetRemaining} /> left
                        {slo.firing.length > 0 ? <span className="budget budget-danger"> · {slo.firing.join(', ')} firing</span> : null}
                        {slo.dataState !== 'ok' ? <span className="muted"> · data {slo.dataState.replace('_', ' ')}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
          <PolicyLine status={status} policyHref={policyHref} />
          <p className="muted small">
            As of <LocalTime iso={status.evaluatedAt} />; refreshes every minute. CI asks with <code>POST /api/v1/services/{service}/gate</code>.
          </p>
        </>
      ) : query.isPending ? (
        <div className="skeleton skeleton-line" aria-hidden="true" />
      ) : null}
    </section>
  );
}
