'use client';

import { ReferenceLine } from 'recharts';
import { formatDateTime, type DateContext } from '@/lib/format';
import type { LegendItem } from './chart-kit';

/** A deployment as a chart marks it: a vertical line at its start, labelled with its version. */
export interface DeployMarker {
  id: string;
  /** Epoch ms when the deployment started. */
  t: number;
  version: string;
  environment: string;
  /** Where the deploy is described (a pipeline run, a release page); the marker links to it. */
  url: string | null;
}

const COLOUR = 'var(--text-2)';
/** Labels closer than this share of the chart's width would overlap: the older deploy keeps its tooltip only. */
const LABEL_GAP = 0.12;

export const DEPLOY_LEGEND: LegendItem = { label: 'Deploy', colour: COLOUR, dashed: true };

/** "Deploy v1.42 to production, 27 Oct 2026 14:00": the marker's tooltip and accessible name. */
export function deployTitle(deploy: DeployMarker, ctx: DateContext): string {
  return `Deploy ${deploy.version} to ${deploy.environment}, ${formatDateTime(deploy.t, ctx, { year: true })}`;
}

/**
 * The deploys a chart of these points can show: none before its first point (outside the range). One after
 * its last point (the series ends at the last whole step) is kept and widens the axis by at most that step.
 */
export function visibleDeploys(deploys: readonly DeployMarker[] | undefined, times: readonly number[]): DeployMarker[] {
  const first = times[0];
  if (!deploys || first === undefined) return [];
  return deploys.filter((d) => Number.isFinite(d.t) && d.t >= first);
}

interface ShapeProps {
  x1?: number;
  y1?: number;
  y2?: number;
}

interface MarkerShapeProps extends ShapeProps {
  deploy: DeployMarker;
  title: string;
  label: boolean;
  /** Label to the left of the line (most deploys are recent, near the right edge) unless near the left edge. */
  anchor: 'start' | 'end';
}

function MarkerShape({ x1, y1, y2, deploy, title, label, anchor }: MarkerShapeProps) {
  if (x1 === undefined || y1 === undefined || y2 === undefined || ![x1, y1, y2].every(Number.isFinite)) return <g />;
  const top = Math.min(y1, y2);
  const bottom = Math.max(y1, y2);
  const marker = (
    <g className="deploy-marker" data-deploy-version={deploy.version} aria-label={title} role="img">
      <title>{deploy.url ? `${title} (opens the deploy’s page)` : title}</title>
      {/* A wide transparent stroke: a 1.5 px line is too thin to hover. */}
      <line x1={x1} x2={x1} y1={top} y2={bottom} stroke="transparent" strokeWidth={10} />
      <line x1={x1} x2={x1} y1={top} y2={bottom} stroke={COLOUR} strokeWidth={1.5} strokeDasharray="3 3" />
      {label ? (
        <text x={anchor === 'end' ? x1 - 4 : x1 + 4} y={top + 11} textAnchor={anchor} fontSize={11} fill={COLOUR} className="deploy-marker-label">
          {deploy.version}
        </text>
      ) : null}
    </g>
  );
  return deploy.url ? (
    <a href={deploy.url} target="_blank" rel="noopener noreferrer" className="deploy-marker-link">
      {marker}
    </a>
  ) : (
    marker
  );
}

/**
 * The deploys whose version fits as a label: the newest first, then each one far enough from the last labelled
 * (labels sit left of their line, so a deploy just before a labelled one would overlap it).
 */
export function labelledDeploys(deploys: readonly DeployMarker[], first: number, last: number): Set<string> {
  const span = Math.max(last, ...deploys.map((d) => d.t)) - first;
  const labelled = new Set<string>();
  let previous = Number.POSITIVE_INFINITY;
  for (const deploy of [...deploys].sort((a, b) => b.t - a.t)) {
    if (span <= 0 || previous - deploy.t >= span * LABEL_GAP) {
      labelled.add(deploy.id);
      previous = deploy.t;
    }
  }
  return labelled;
}

/**
 * One ReferenceLine per deploy, returned as elements (not a component) so they sit directly in the chart.
 * `times` are the chart's point times, ascending.
 */
export function deployReferenceLines(deploys: DeployMarker[], times: readonly number[], ctx: DateContext) {
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) return null;
  const nearLeft = first + (last - first) * LABEL_GAP;
  const labelled = labelledDeploys(deploys, first, last);
  return deploys.map((deploy) => {
    const title = deployTitle(deploy, ctx);
    return (
      <ReferenceLine
        key={deploy.id}
        x={deploy.t}
        ifOverflow="extendDomain"
        shape={(props: ShapeProps) => (
          <MarkerShape {...props} deploy={deploy} title={title} label={labelled.has(deploy.id)} anchor={deploy.t < nearLeft ? 'start' : 'end'} />
        )}
      />
    );
  });
}
