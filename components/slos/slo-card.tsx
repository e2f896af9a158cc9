import Link from 'next/link';
import type { Slo, SloStatus } from '@/lib/schemas';
import { Badge, BudgetValue, DemoBadge } from '../badges';
import { Sparkline, type SparklinePoint } from '../charts/sparkline';
import { describeWindow, formatBurnRate, formatMinutes, formatObjective, formatPercent, formatSli } from '@/lib/format';
import { LocalTime } from '../local-time';
import { AlertBadges } from './alert-badges';
import { ProvisionalNote } from './evaluation-state';
import { SourceLine } from './source-description';

export interface BurnTrend {
  /** The burn-rate window drawn, e.g. "1h". */
  window: string;
  points: SparklinePoint[];
}

export interface SloCardProps {
  slo: Slo;
  status: SloStatus | { error: string };
  trend: BurnTrend | { error: string };
}

export const sloHref = (service: string, slo: string) => `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;

function trendTone(points: SparklinePoint[]): 'ok' | 'warning' | 'danger' | 'muted' {
  const last = [...points].reverse().find((p) => p.value !== null)?.value ?? null;
  if (last === null) return 'muted';
  if (last >= 6) return 'danger';
  if (last > 1) return 'warning';
  return 'ok';
}

/** One SLO on its service's page: SLI against objective, budget left, the burn trend, firing alerts. */
export function SloCard({ slo, status, trend }: SloCardProps) {
  const href = sloHref(slo.service, slo.slug);
  return (
    <article className="card slo-card" aria-labelledby={`slo-${slo.slug}-title`} data-slo={slo.slug}>
      <div className="slo-card-head">
        <div>
          <h3 id={`slo-${slo.slug}-title`}>
            <Link href={href}>{slo.name}</Link>
          </h3>
          <p className="slo-card-sub">
            {describeWindow(slo.window)} · {slo.budgeting.method === 'timeslices' ? `${slo.budgeting.sliceMinutes}-min slices` : 'events'}
          </p>
          <SourceLine sli={slo.sli} />
        </div>
        <div className="slo-card-badges">
          {slo.sli.source === 'demo' ? <DemoBadge /> : null}
          {'error' in status || !status.provisional ? null : (
            <Badge tone="warning" title={status.provisionalReason ?? undefined}>
              Provisional
            </Badge>
          )}
          {'error' in status || !status.evaluation.staleSince ? null : (
            <Badge
              tone="warning"
              title={`No fresh data since ${status.evaluation.staleSince}${status.evaluation.lastError ? `: ${status.evaluation.lastError.message}` : ''}`}
            >
              Stale
            </Badge>
          )}
        </div>
      </div>

      {'error' in status ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Status unavailable.</strong> {status.error}
          </span>
        </div>
      ) : (
        <>
          <dl className="stats">
            <div className="stat">
              <dt>SLI</dt>
              <dd className="num">
                {formatSli(status.sli)}
                <span className="stat-sub">objective {formatObjective(slo.objective)}</span>
              </dd>
            </div>
            <div className="stat">
              <dt>Budget left</dt>
              <dd>
                <BudgetValue remaining={status.errorBudget.remaining} />
                <span className="stat-sub">of {formatMinutes(status.errorBudget.allowedMinutes)} of errors</span>
              </dd>
            </div>
          </dl>
          {status.evaluation.staleSince ? (
            <p className="data-note data-note-warning">
              Stale since <LocalTime iso={status.evaluation.staleSince} />
              {status.evaluation.lastError ? `: ${status.evaluation.lastError.message}` : ''}
            </p>
          ) : null}
          {status.evaluation.backfill && status.evaluation.backfill.progress < 1 ? (
            <p className="data-note">
              Filling history: {formatPercent(status.evaluation.backfill.progress, 'down', 0)} · window coverage {formatPercent(status.coverage, 'down', 0)}
            </p>
          ) : (
            <ProvisionalNote status={status} compact />
          )}
          {status.dataState === 'no_data' ? <p className="data-note">No data in this window yet.</p> : null}
        </>
      )}

      <div className="sparkline-block">
        {'error' in trend ? (
          <p className="muted small">Burn-rate trend unavailable: {trend.error}</p>
        ) : (
          <>
            <div className="sparkline-caption">
              <span>{trend.window} burn rate, last 24 h (dashed: 1×)</span>
              <span className="num">now {formatBurnRate([...trend.points].reverse().find((p) => p.value !== null)?.value ?? null)}</span>
            </div>
            <Sparkline
              points={trend.points}
              reference={1}
              tone={trendTone(trend.points)}
              label={`${trend.window} burn rate of ${slo.name} over the last 24 hours`}
            />
          </>
        )}
      </div>

      {'error' in status ? null : <AlertBadges status={status} />}
    </article>
  );
}
