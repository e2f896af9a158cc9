'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CarriedGap, DataQuality, DataQualityFault, EvaluationState, FaultReason, Slo, SloStatus } from '@/lib/schemas';
import { formatCount, formatPercent } from '@/lib/format';
import { errorMessage } from '@/lib/queries/api';
import { rerunBackfill } from '@/lib/queries/services';
import { sloKeys } from '@/lib/queries/slo';
import { LocalTime } from '../local-time';
import { SloFeedersSection } from './slo-feeders';

const REASON_WORDS: Record<FaultReason, string> = {
  good_above_total: 'good above total',
  not_a_number: 'not a number',
  infinite: 'infinite',
  negative: 'negative count',
  histogram_bucket_missing: 'histogram bucket missing',
};

/** A share of work done or of the window covered, in whole percent rounded down (never "100%" before it is all). */
const percent = (share: number) => formatPercent(share, 'down', 0);

function formatStoredCount(value: DataQualityFault['good']): string {
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : value;
}

/** True while history is still being filled: the status then changes every few seconds. */
export function backfillRunning(evaluation: EvaluationState | undefined): boolean {
  return (evaluation?.backfill != null && evaluation.backfill.progress < 1) || (evaluation?.reread != null && evaluation.reread.progress < 1);
}

/** Sources that push to Umpire (OpenTelemetry) rather than being read by the evaluator. */
export function isPushed(source: Slo['sli']['source']): boolean {
  return source === 'otel';
}

/**
 * "Provisional: 4 min of 28 days measured." A young SLO's (or a quiet window's) figures are shown, marked, with what
 * follows from it: alerts need the SLO's minimum events, and the release gate's policy decides what it makes of them.
 */
export function ProvisionalNote({ status, compact = false }: { status: SloStatus; compact?: boolean }) {
  if (!status.provisional || !status.provisionalReason) return null;
  if (compact) {
    return (
      <p className="data-note data-note-warning" data-testid="provisional-note">
        {status.provisionalReason}
      </p>
    );
  }
  return (
    <div className="callout callout-warning" role="note" data-testid="provisional-note">
      <span>
        <strong>{status.provisionalReason}</strong> The SLI, budget and burn rates below count only what has been measured, so a few events can swing them. A
        tier fires only with at least {status.minEvents.toLocaleString('en-US')} events in its long window; the release gate’s policy decides what it makes of
        provisional figures.
      </span>
    </div>
  );
}

/** "As of 12:04; 12:04 to 12:06 not read yet": the figures' minute when the evaluator is behind the clock. */
export function UnreadNote({ status }: { status: SloStatus }) {
  if (!status.unread) return null;
  return (
    <p className="small muted" data-testid="unread-note">
      Figures as of <LocalTime iso={status.asOf} />: the minutes to <LocalTime iso={status.unread.to} /> have not been read from the source yet.
    </p>
  );
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

      {evaluation.reread && evaluation.reread.progress < 1 ? (
        <div className="backfill" data-testid="reread-progress">
          <div className="backfill-line">
            <strong>Reading history again: {percent(evaluation.reread.progress)}</strong>
            <ProgressBar value={evaluation.reread.progress} label="History re-read" />
          </div>
          <p className="small">
            Minutes before <LocalTime iso={evaluation.reread.until} /> are still to be read again, back to <LocalTime iso={evaluation.reread.from} year />. The
            figures stay whole meanwhile: each minute is replaced as it is read.
          </p>
        </div>
      ) : null}

      {running && backfill && backfill.progress < 1 ? (
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

      {pushed ? <SloFeedersSection service={slo.service} slo={slo.slug} /> : null}

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

export interface DataQualityPanelProps {
  dataQuality: DataQuality;
  carriedGaps: CarriedGap[];
  /** The SLI's latency threshold, for naming a vanished histogram bucket ("le=0.3"). */
  threshold?: number;
}

/**
 * The window's faulty minutes (impossible counts, or a fault the source found), left out of every figure and listed
 * as they were stored, never clamped; and gaps in the backend's samples whose events were counted after them.
 */
export function DataQualityPanel({ dataQuality, carriedGaps, threshold }: DataQualityPanelProps) {
  const { faultCount, faults, spans } = dataQuality;
  if (faultCount <= 0 && carriedGaps.length === 0) return null;
  const words = (reason: FaultReason) =>
    reason === 'histogram_bucket_missing' && threshold !== undefined ? `histogram bucket le=${threshold} missing` : REASON_WORDS[reason];
  return (
    <section className="card data-quality" aria-labelledby="data-quality-title" data-testid="data-quality">
      <h2 id="data-quality-title">
        Data quality: {faultCount.toLocaleString('en-US')} faulty {faultCount === 1 ? 'minute' : 'minutes'} in the window
      </h2>
      {faultCount > 0 ? (
        <>
          <p className="small muted">
            Minutes whose counts are impossible, or whose data the source reported broken. They are left out of every figure (the window then holds fewer
            measured minutes), kept as they came, never clamped; check the selectors or queries.
            {faults.length < faultCount ? ` The newest ${faults.length} are listed.` : ''}
          </p>
          <ul className="fault-spans" data-testid="fault-spans">
            {spans.map((span) => (
              <li key={`${span.from}-${span.reason}`}>
                <strong>{words(span.reason)}</strong>: <LocalTime iso={span.from} year /> to <LocalTime iso={span.to} /> ({span.minutes}{' '}
                {span.minutes === 1 ? 'minute' : 'minutes'})
              </li>
            ))}
          </ul>
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
                    <td>{words(fault.reason)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {carriedGaps.length > 0 ? (
        <div data-testid="carried-gaps">
          <h3>Gaps in the backend’s samples</h3>
          <p className="small muted">
            The backend had no samples for these spans. The events its counters counted meanwhile are not lost: they are counted in the first minute after each
            gap, the only place the data can put them.
          </p>
          <ul>
            {carriedGaps.map((gap) => (
              <li key={gap.to}>
                <LocalTime iso={gap.from} year /> to <LocalTime iso={gap.to} />: {formatCount(gap.total)} events ({formatCount(gap.total - gap.good)} bad)
                counted at <LocalTime iso={gap.to} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
