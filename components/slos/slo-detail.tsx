'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { lazy, Suspense, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Deployment, Slo, SloSeries, SloStatus } from '@/lib/schemas';
import { durationToMinutes } from '@/lib/slo/duration';
import { errorMessage } from '@/lib/queries/api';
import { chartDeploymentsOptions } from '@/lib/queries/gates';
import { parseRange, sloKeys, sloSeriesOptions, sloStatusOptions, TIME_RANGES, type TimeRange } from '@/lib/queries/slo';
import { BudgetBar, BudgetValue } from '../badges';
import type { DeployMarker } from '../charts/deploy-markers';
import { formatBurnRate, formatDateTime, formatMinutes, formatObjective, formatSli, type DateContext } from '@/lib/format';
import { useDateContext, useHydrated } from '../use-hydrated';
import { backfillRunning, DataQualityPanel, EvaluationPanel, isPushed, ProvisionalNote, StaleBanner, UnreadNote } from './evaluation-state';
import { RangePicker } from './range-picker';
import { TierTable } from './tier-table';
import { WindowSentence } from './window-sentence';

export interface SloDetailProps {
  slo: Slo;
  /** Rendered by the server, so the page has figures before the first fetch. */
  initialStatus: SloStatus;
  /** Whether the reader may change it (re-run its backfill). */
  canEdit: boolean;
  /** The charts drawn on the server for `range`, shown at first paint until the interactive ones have loaded. */
  serverCharts?: ServerCharts | null;
}

/** Inline SVG from lib/embed (renderSloChartSvg), every string in it escaped there. */
export interface ServerCharts {
  range: TimeRange;
  sli: string;
  budget: string;
  burnRate: string;
}

/*
 * The interactive charts draw in the browser only (recharts renders nothing on the server): their code loads after
 * the page, and until it has, the charts the server drew from the same series stand in their place.
 */
const SliChart = lazy(() => import('../charts/sli-chart').then((m) => ({ default: m.SliChart })));
const BudgetChart = lazy(() => import('../charts/budget-chart').then((m) => ({ default: m.BudgetChart })));
const BurnRateChart = lazy(() => import('../charts/burn-rate-chart').then((m) => ({ default: m.BurnRateChart })));

function ServerChart({ svg, height }: { svg: string; height: number }) {
  // Markup from renderSloChartSvg (lib/embed/render-panel.ts): no script, no event attribute, every text escaped.
  return <div className="chart-frame server-chart" style={{ height, marginTop: 30 }} data-testid="server-chart" dangerouslySetInnerHTML={{ __html: svg }} />;
}

/** The server's chart (or a skeleton) until hydrated and the interactive chart's code is in; then the interactive one. */
function ChartSlot({ svg, height, children }: { svg: string | undefined; height: number; children: ReactNode }) {
  const hydrated = useHydrated();
  const standIn = svg ? <ServerChart svg={svg} height={height} /> : <ChartSkeleton height={height} />;
  if (!hydrated) return standIn;
  return <Suspense fallback={standIn}>{children}</Suspense>;
}

function stepLabel(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}-hour` : `${seconds / 60}-minute`;
}

/** "5 minutes", "1 hour": the step in words. */
function stepWords(seconds: number): string {
  const [n, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function windowLabel(slo: Slo): string {
  return slo.window.kind === 'rolling' ? `${slo.window.days}-day` : `calendar-${slo.window.unit}`;
}

/** The series reshaped for the charts: epoch-ms times, burn rates by window. */
function chartData(series: SloSeries) {
  const points = series.points.map((p) => ({
    t: Date.parse(p.t),
    sli: p.sli,
    windowSli: p.windowSli,
    budgetRemaining: p.budgetRemaining,
    rates: p.burnRates,
  }));
  const longWindows = [...new Set(series.tiers.map((t) => t.longWindow))].sort((a, b) => durationToMinutes(a) - durationToMinutes(b));
  return { points, longWindows };
}

/** The service's deploys as chart markers, oldest first. */
function deployMarkers(deployments: Deployment[] | undefined): DeployMarker[] {
  return (deployments ?? [])
    .map((d) => ({ id: d.id, t: Date.parse(d.startedAt), version: d.version, environment: d.environment, url: d.url }))
    .sort((a, b) => a.t - b.t);
}

function ErrorCallout({ title, error, onRetry, retrying }: { title: string; error: unknown; onRetry: () => void; retrying: boolean }) {
  return (
    <div className="callout callout-danger" role="alert">
      <span>
        <strong>{title}</strong> {errorMessage(error)}
      </span>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}

function ChartCard({ title, sub, wide, children }: { title: string; sub: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <section className={`card chart-card${wide ? ' chart-wide' : ''}`} aria-label={title}>
      <h3>{title}</h3>
      <p className="chart-sub">{sub}</p>
      {children}
    </section>
  );
}

function ChartSkeleton({ height }: { height: number }) {
  return (
    <div className="chart-frame" style={{ height, marginTop: 30 }}>
      <div className="skeleton skeleton-chart" aria-hidden="true" />
      <span className="visually-hidden">Loading the chart…</span>
    </div>
  );
}

/**
 * The live part of the SLO page: status and series from the API through react-query (refetched every
 * minute), the range in the URL (?range=7d), and the charts, sentence and tier table drawn from them.
 */
export function SloDetail({ slo, initialStatus, canEdit, serverCharts }: SloDetailProps) {
  const searchParams = useSearchParams();
  const range = parseRange(searchParams.get('range'));
  const ctx = useDateContext();

  // Normally hydrated from the server (HydrationBoundary in the page); the prop covers the type's undefined.
  const statusQuery = useQuery(sloStatusOptions(slo.service, slo.slug));
  const seriesQuery = useQuery({ ...sloSeriesOptions(slo.service, slo.slug, range), placeholderData: keepPreviousData });
  const status = statusQuery.data ?? initialStatus;
  const data = useMemo(() => (seriesQuery.data ? chartData(seriesQuery.data) : null), [seriesQuery.data]);
  // Deploys are the service's, fetched here for the charts' range: the charts only draw what they are given.
  const deploysQuery = useQuery({ ...chartDeploymentsOptions(slo.service, range), placeholderData: keepPreviousData });
  const deploys = useMemo(() => deployMarkers(deploysQuery.data), [deploysQuery.data]);

  // When a backfill finishes, the charts are redrawn from the filled history rather than a minute later.
  const queryClient = useQueryClient();
  const running = backfillRunning(status.evaluation);
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: [...sloKeys.detail(slo.service, slo.slug), 'series'] });
    wasRunning.current = running;
  }, [running, queryClient, slo.service, slo.slug]);

  function selectRange(next: TimeRange) {
    const params = new URLSearchParams(searchParams.toString());
    params.set('range', next);
    // Next.js syncs useSearchParams with history.replaceState: the URL stays linkable, with no server round trip.
    window.history.replaceState(null, '', `?${params.toString()}`);
  }

  const rangeSeconds = TIME_RANGES[range].seconds;
  const firing = status.alerts.filter((a) => a.firing);
  const burn1h = status.burnRates['1h'] ?? null;
  const burn5m = status.burnRates['5m'] ?? null;
  const chartsLoading = seriesQuery.isPending;
  const note = data ? chartNote(data.points, status, ctx) : null;
  const drawCharts = note === null || note.draw;
  const seriesError = seriesQuery.isError ? seriesQuery.error : null;
  // The server's charts stand for the range they were drawn for only.
  const drawn = serverCharts && serverCharts.range === range ? serverCharts : null;

  return (
    <>
      {statusQuery.isError ? (
        <ErrorCallout
          title="Could not refresh the status; the figures below are from the last successful update."
          error={statusQuery.error}
          onRetry={() => void statusQuery.refetch()}
          retrying={statusQuery.isFetching}
        />
      ) : null}

      <StaleBanner evaluation={status.evaluation} pushed={isPushed(slo.sli.source)} />
      <ProvisionalNote status={status} />

      <dl className="summary-grid" aria-label="Current status">
        <div className="stat">
          <dt>SLI ({windowLabel(slo)})</dt>
          <dd className="num">
            {formatSli(status.sli)}
            <span className="stat-sub">objective {formatObjective(status.objective)}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Error budget left</dt>
          <dd>
            <span style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
              <BudgetValue remaining={status.errorBudget.remaining} />
              <BudgetBar remaining={status.errorBudget.remaining} />
            </span>
            <span className="stat-sub">of {formatMinutes(status.errorBudget.allowedMinutes)} of errors per period</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Burn rate (1h)</dt>
          <dd className="num">
            {formatBurnRate(burn1h)}
            <span className="stat-sub">5m: {formatBurnRate(burn5m)} · 1× spends the budget in exactly one period</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Alerts</dt>
          <dd>
            {firing.length > 0 ? (
              <span className={firing.some((a) => a.severity === 'page') ? 'budget budget-danger' : 'budget budget-warning'}>{firing.length} firing</span>
            ) : status.dataState === 'no_data' ? (
              <span className="budget budget-muted">No data</span>
            ) : (
              <span className="budget budget-ok">None firing</span>
            )}
            <span className="stat-sub">
              {status.alerts.length} {status.alerts.length === 1 ? 'tier' : 'tiers'} · as of{' '}
              <time dateTime={status.asOf}>
                {formatDateTime(status.asOf, ctx)}
                {ctx.timeZone === 'UTC' ? ' UTC' : ''}
              </time>
            </span>
          </dd>
        </div>
      </dl>

      <WindowSentence status={status} />
      <UnreadNote status={status} />

      {slo.sli.source !== 'demo' || running || status.evaluation.staleSince ? <EvaluationPanel slo={slo} status={status} canEdit={canEdit} /> : null}
      <DataQualityPanel
        dataQuality={status.dataQuality}
        carriedGaps={status.carriedGaps}
        threshold={slo.sli.source === 'prometheus' && slo.sli.kind === 'latency' ? slo.sli.thresholdSeconds : undefined}
      />

      <div className="toolbar">
        <div>
          <h2>History</h2>
          <p className="refresh-note">
            Last {TIME_RANGES[range].label}, one point per {stepWords(TIME_RANGES[range].step)}; refreshes every minute.
            {seriesQuery.isPlaceholderData ? ' Loading…' : ''}
          </p>
          {deploys.length > 0 ? (
            <p className="refresh-note" data-testid="deploy-note">
              Dashed grey lines mark the service’s {deploys.length === 1 ? 'deploy' : `${deploys.length} deploys`} in this range; hover one for its version and
              time.
            </p>
          ) : null}
          {deploysQuery.isError ? <p className="refresh-note">Deploy markers unavailable: {errorMessage(deploysQuery.error)}</p> : null}
        </div>
        <RangePicker value={range} onChange={selectRange} />
      </div>

      {seriesError && !data ? (
        <ErrorCallout title="Could not load the history." error={seriesError} onRetry={() => void seriesQuery.refetch()} retrying={seriesQuery.isFetching} />
      ) : null}
      {seriesError && data ? (
        <ErrorCallout
          title="Could not refresh the history; the charts show the last successful load."
          error={seriesError}
          onRetry={() => void seriesQuery.refetch()}
          retrying={seriesQuery.isFetching}
        />
      ) : null}

      {note?.draw ? (
        <p className="refresh-note" data-testid="chart-note">
          {note.message}
        </p>
      ) : null}
      {!(seriesError && !data) ? (
        <div className="chart-grid" aria-busy={chartsLoading} data-testid="slo-charts" style={{ marginTop: seriesError ? 12 : 0 }}>
          <ChartCard title="SLI vs objective" sub={`Per-step SLI and the ${windowLabel(slo)} window SLI, against the objective.`}>
            {data ? (
              drawCharts ? (
                <ChartSlot svg={drawn?.sli} height={240}>
                  <SliChart
                    points={data.points}
                    objective={status.objective}
                    rangeSeconds={rangeSeconds}
                    stepLabel={stepLabel(TIME_RANGES[range].step)}
                    windowLabel={windowLabel(slo)}
                    ctx={ctx}
                    deploys={deploys}
                  />
                </ChartSlot>
              ) : (
                <EmptyChart message={note?.message ?? 'No events in this range.'} />
              )
            ) : (
              <ChartSkeleton height={240} />
            )}
          </ChartCard>
          <ChartCard title="Error budget burndown" sub={`Budget remaining over the ${windowLabel(slo)} window ending at each point.`}>
            {data ? (
              drawCharts ? (
                <ChartSlot svg={drawn?.budget} height={240}>
                  <BudgetChart points={data.points} rangeSeconds={rangeSeconds} ctx={ctx} deploys={deploys} />
                </ChartSlot>
              ) : (
                <EmptyChart message={note?.message ?? 'No events in this range.'} />
              )
            ) : (
              <ChartSkeleton height={240} />
            )}
          </ChartCard>
          <ChartCard title="Burn rate" sub="Burn rate over each alert tier’s long window (log scale); dashed lines are the tiers’ thresholds." wide>
            {data && seriesQuery.data ? (
              drawCharts ? (
                <ChartSlot svg={drawn?.burnRate} height={280}>
                  <BurnRateChart
                    points={data.points}
                    windows={data.longWindows}
                    tiers={seriesQuery.data.tiers}
                    rangeSeconds={rangeSeconds}
                    ctx={ctx}
                    deploys={deploys}
                  />
                </ChartSlot>
              ) : (
                <EmptyChart message={note?.message ?? 'No events in this range.'} />
              )
            ) : (
              <ChartSkeleton height={280} />
            )}
          </ChartCard>
        </div>
      ) : null}

      <div className="section-header">
        <h2>Alert tiers</h2>
        <p>
          {slo.alertPolicy.isDefault
            ? 'Default policy (SRE Workbook; Sloth’s budget shares for short periods), scaled to this SLO’s period, never below 1×'
            : 'Custom policy'}
        </p>
      </div>
      <TierTable
        alerts={status.alerts}
        periodMinutes={status.window.periodMinutes}
        minEvents={status.minEvents}
        sliceMinutes={slo.budgeting.method === 'timeslices' ? slo.budgeting.sliceMinutes : undefined}
      />
      <p className="field-hint" data-testid="other-alerts">
        Also a ticket{' '}
        {slo.alertPolicy.budgetLow.share !== null
          ? `when less than ${Number((slo.alertPolicy.budgetLow.share * 100).toFixed(2))}% of the budget is left${slo.alertPolicy.budgetLow.isDefault ? ' (Umpire’s default)' : ''}, and `
          : ''}
        after {slo.alertPolicy.absent.minutes} minutes without data{slo.alertPolicy.absent.isDefault ? ' (Umpire’s default)' : ''}
        {slo.alertPolicy.budgetLow.share === null ? '; no budget-low alert for this SLO' : ''}.
      </p>
    </>
  );
}

/**
 * What the charts say about a young SLO, or null when they have a line to draw: with no point holding data they say
 * why there is nothing yet; with one they draw it as a dot and say a line follows. Never a blank chart.
 */
export function chartNote(
  points: ReadonlyArray<{ t: number; sli: number | null; windowSli: number | null }>,
  status: SloStatus,
  ctx: DateContext,
): { message: string; draw: boolean } | null {
  const withData = points.filter((p) => p.sli !== null || p.windowSli !== null);
  if (withData.length >= 2) return null;
  if (withData.length === 1 && status.dataSince !== null) {
    const minutes = Math.max(1, Math.round((Date.parse(status.asOf) - Date.parse(status.dataSince)) / 60_000));
    return {
      message: `Data since ${formatDateTime(status.dataSince, ctx)} (${formatMinutes(minutes)}): one point so far, drawn as a dot; the lines fill in as the next points arrive.`,
      draw: true,
    };
  }
  return { message: waitingFor(status), draw: false };
}

function waitingFor(status: SloStatus): string {
  if (status.dataSince === null) {
    if (status.evaluation.lastSuccessAt === null) {
      return status.source === 'otel'
        ? 'No points received yet: the charts start with the first OTLP export that matches this SLI.'
        : 'Waiting for the first reading from the source: the charts start with it.';
    }
    return 'No events in this range: the source has no data for this SLI yet.';
  }
  return 'No events in this range.';
}

function EmptyChart({ message }: { message: string }) {
  return (
    <div className="chart-empty" style={{ height: 240, marginTop: 30 }} data-testid="chart-empty">
      {message}
    </div>
  );
}
