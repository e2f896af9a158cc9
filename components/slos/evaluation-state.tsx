'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DataQualityFault, EvaluationState, Slo, SloStatus } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { rerunBackfill } from '@/lib/queries/services';
import { sloKeys } from '@/lib/queries/slo';
import { LocalTime } from '../local-time';

const REASON_WORDS: Record<DataQualityFault['reason'], string> = {
  good_above_total: 'good above total',
  not_a_number: 'not a number',
  infinite: 'infinite',
  negative: 'negative',
};

const percent = (share: number) => `${Math.floor(share * 100)}%`;

function formatStoredCount(value: DataQualityFault['good']): string {
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : value;
}

/** True while history is still being filled: the status then changes every few seconds. */
export function backfillRunning(evaluation: EvaluationState | undefined): boolean {
  return evaluation?.backfill != null && evaluation.backfill.progress < 1;
}

/** Sources that push to Umpire (OpenTelemetry) rather than being read by the evaluator. */
export function isPushed(source: Slo['sli']['source']): boolean {
  return source === 'otel';
}

/** "Stale since T: <the source's error>": figures stop at T and the page says so rather than looking current. */
export function StaleBanner({ evaluation, pushed = false }: { evaluation: EvaluationState; pushed?: boolean }) {
  if (!evaluation.staleSince && evaluation.lastError && !evaluation.lastSuccessAt) {
    return (
      <div className="callout callout-warning stale-banner" role="alert" data-testid="stale-banner">
        <span>
          <strong>{pushed ? 'No points received yet:' : 'No data read yet:'}</strong> <span className="verbatim">{evaluation.lastError.message}</span>
        </span>
      </div>
    );
  }
  if (!evaluation.staleSince) return null;
  return (
    <div className="callout callout-warning stale-banner" role="alert" data-testid="stale-banner">
      <span>
        <strong>
          Stale since <LocalTime iso={evaluation.staleSince} />
          {evaluation.lastError ? ':' : '.'}
        </strong>{' '}
        {evaluation.lastError ? (
          <span className="verbatim">{evaluation.lastError.message}</span>
        ) : pushed ? (
          'No points have arrived since then.'
        ) : (
          'The source has not answered since then.'
        )}{' '}
        <span className="muted">The figures below include data up to then only.</span>
      </span>
    </div>
  );
}

function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <span className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(value * 100)}>
      <span style={{ width: `${Math.min(100, Math.max(0, value * 100))}%` }} />
    </span>
  );
}

export interface EvaluationPanelProps {
  slo: Slo;
  status: SloStatus;
  /** Whether the reader may re-run the backfill (an editor of the team, or an admin). */
  canEdit: boolean;
}

/**
 * How complete the SLO's data is: history backfill progress, the share of the window covered, when the
 * evaluator last succeeded, and a way to fill the history again. Shown for sources Umpire reads remotely,
 * and for pushed ones (OpenTelemetry): when points last arrived, and no backfill (there is nothing to re-read).
 */
export function EvaluationPanel({ slo, status, canEdit }: EvaluationPanelProps) {
  const queryClient = useQueryClient();
  const evaluation = status.evaluation;
  const backfill = evaluation.backfill;
  const pushed = isPushed(slo.sli.source);
  const running = !pushed && backfillRunning(evaluation);
  const rerun = useMutation({
    mutationFn: () => rerunBackfill(slo.service, slo.slug),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sloKeys.detail(slo.service, slo.slug) }),
  });

  return (
    <section className="card evaluation-panel" aria-labelledby="evaluation-title" data-testid="evaluation-panel">
      <div className="evaluation-head">
        <div>
          <h2 id="evaluation-title">Data collection</h2>
          <p className="refresh-note">
            {evaluation.lastSuccessAt ? (
              <>
                {pushed ? 'Last points received' : 'Last evaluated'} <LocalTime iso={evaluation.lastSuccessAt} />
              </>
            ) : pushed ? (
              'No points received yet: counting starts with the first OTLP export that matches this SLI.'
            ) : evaluation.lastError ? (
              'Never evaluated successfully'
            ) : (
              'Waiting for the evaluator’s first pass…'
            )}
          </p>
        </div>
        {pushed || !canEdit ? null : (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => rerun.mutate()} disabled={rerun.isPending}>
            {rerun.isPending ? 'Starting…' : 'Re-run backfill'}
          </button>
        )}
      </div>

      {running && backfill ? (
        <div className="backfill" data-testid="backfill-progress">
          <div className="backfill-line">
            <strong>Filling history: {percent(backfill.progress)}</strong>
            <ProgressBar value={backfill.progress} label="History backfill" />
          </div>
          <p className="small">
            History from <LocalTime iso={backfill.completeFrom} /> to <LocalTime iso={backfill.to} /> so far; filling back to{' '}
            <LocalTime iso={backfill.from} year />.
          </p>
        </div>
      ) : null}

      <div className="backfill-line" data-testid="window-coverage">
        <span>
          Window coverage <strong className="num">{percent(status.coverage)}</strong>
        </span>
        <ProgressBar value={status.coverage} label="Window coverage" />
      </div>
      {status.coverage < 1 ? (
        <p className="small muted">
          {status.dataState === 'partial' || status.dataState === 'no_data'
            ? pushed
              ? 'Pushed metrics are counted from when the SLO was saved: until the window is covered, the SLI and error budget count only the minutes received so far.'
              : 'Until the window is covered, the SLI and error budget are partial: they count only the minutes measured so far.'
            : pushed
              ? 'Some minutes of the window have no data (no matching points arrived for them).'
              : 'Some minutes of the window have no data (the source had no samples for them).'}
        </p>
      ) : null}

      {rerun.isSuccess && !running ? (
        <p className="small" role="status">
          Backfill requested; progress shows here as it runs.
        </p>
      ) : null}
      {rerun.isError ? (
        <div className="callout callout-danger" role="alert" style={{ marginTop: 10 }}>
          <span>
            <strong>Could not start the backfill.</strong> {errorMessage(rerun.error)}
          </span>
        </div>
      ) : null}
    </section>
  );
}

/** Buckets with impossible counts, listed as they were stored: they are kept, never clamped. */
export function DataQualityPanel({ evaluation }: { evaluation: EvaluationState }) {
  const { faultCount, faults } = evaluation.dataQuality;
  if (faultCount <= 0) return null;
  return (
    <section className="card data-quality" aria-labelledby="data-quality-title" data-testid="data-quality">
      <h2 id="data-quality-title">
        Data quality: {faultCount.toLocaleString('en-US')} {faultCount === 1 ? 'fault' : 'faults'}
      </h2>
      <p className="small muted">
        Minutes where the source returned impossible counts. They are kept as they came, not clamped, and can skew the SLI; check the selectors or queries.
        {faults.length < faultCount ? ` The newest ${faults.length} are listed.` : ''}
      </p>
      <div className="table-wrap flat">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Bucket (minute)</th>
              <th scope="col" className="num">
                Good
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {faults.map((fault) => (
              <tr key={`${fault.start}-${fault.reason}`}>
                <td>
                  <LocalTime iso={fault.start} year />
                </td>
                <td className="num mono">{formatStoredCount(fault.good)}</td>
                <td className="num mono">{formatStoredCount(fault.total)}</td>
                <td>{REASON_WORDS[fault.reason]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
