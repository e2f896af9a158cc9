import { finiteValues, sparklineDomain } from '@/lib/charts/scales';

export interface SparklinePoint {
  /** Epoch ms. */
  t: number;
  value: number | null;
}

export interface SparklineProps {
  points: SparklinePoint[];
  /** A dashed reference value (1× burn rate: the budget lasts exactly the window). */
  reference?: number;
  /** Describes the series for screen readers. */
  label: string;
  tone?: 'ok' | 'warning' | 'danger' | 'muted';
  /** zero: the axis starts at 0 (burn rates); fit: it spans the values, for ratios that live near 1 (SLIs). */
  domain?: 'zero' | 'fit';
}

const W = 300;

const H = 48;
const PAD = 2;

/**
 * A small trend line drawn as plain SVG from the given points: server-rendered, no measuring, no fetching.
 * Gaps (null) break the line rather than being drawn as zero.
 */
export function Sparkline({ points, reference, label, tone = 'ok', domain = 'zero' }: SparklineProps) {
  const values = finiteValues(points.map((p) => p.value));
  const first = points[0];
  const last = points[points.length - 1];
  if (values.length === 0 || !first || !last || first.t === last.t) {
    return (
      <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: no data`} preserveAspectRatio="none">
        <line x1={0} x2={W} y1={H - PAD} y2={H - PAD} stroke="var(--border-strong)" strokeDasharray="3 4" vectorEffect="non-scaling-stroke" />
      </svg>
    );
  }
  const [lo, hi] = sparklineDomain(values, reference, domain);
  const x = (t: number) => ((t - first.t) / (last.t - first.t)) * W;
  const y = (v: number) => H - PAD - ((Math.max(lo, v) - lo) / (hi - lo)) * (H - 2 * PAD);

  // One sub-path per run of consecutive values.
  const runs: SparklinePoint[][] = [];
  let run: SparklinePoint[] = [];
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value)) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(p);
  }
  if (run.length) runs.push(run);

  const line = runs.map((r) => r.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.value!).toFixed(1)}`).join('')).join('');
  const area = runs
    .filter((r) => r.length > 1)
    .map((r) => {
      const head = r[0]!;
      const tail = r[r.length - 1]!;
      const body = r.map((p) => `L${x(p.t).toFixed(1)},${y(p.value!).toFixed(1)}`).join('');
      return `M${x(head.t).toFixed(1)},${H - PAD}${body}L${x(tail.t).toFixed(1)},${H - PAD}Z`;
    })
    .join('');
  const colour = tone === 'danger' ? 'var(--danger)' : tone === 'warning' ? 'var(--warning)' : tone === 'muted' ? 'var(--text-3)' : 'var(--chart-1)';

  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
      {reference !== undefined ? (
        <line
          x1={0}
          x2={W}
          y1={y(reference)}
          y2={y(reference)}
          stroke="var(--text-3)"
          strokeDasharray="4 4"
          strokeWidth={1}
          vectorEffect="non-scaling-stroke"
        />
      ) : null}
      <path d={area} fill={colour} fillOpacity={0.12} stroke="none" />
      <path d={line} fill="none" stroke={colour} strokeWidth={1.75} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
