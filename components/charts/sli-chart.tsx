'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { finiteValues, sliDomain, sliTickDigits, sliTickLabel } from '@/lib/charts/scales';
import { formatObjective, formatSli, type DateContext } from '@/lib/format';
import {
  AXIS_PROPS,
  LABEL_BACKGROUND,
  CHART_MARGIN,
  ChartLegend,
  ChartTooltip,
  dotsWhenSparse,
  GRID_PROPS,
  INITIAL_DIMENSION,
  payloadRows,
  timeAxisProps,
} from './chart-kit';
import { DEPLOY_LEGEND, deployReferenceLines, visibleDeploys, type DeployMarker } from './deploy-markers';

export interface SliChartPoint {
  /** Epoch ms at the end of the step. */
  t: number;
  /** SLI over the step alone. */
  sli: number | null;
  /** SLI over the SLO window ending at t. */
  windowSli: number | null;
}

export interface SliChartProps {
  points: SliChartPoint[];
  objective: number;
  rangeSeconds: number;
  /** "5-minute", for the legend. */
  stepLabel: string;
  /** "30-day", for the legend. */
  windowLabel: string;
  ctx: DateContext;
  height?: number;
  /** Deployments to mark; those outside the points' range are left out. */
  deploys?: DeployMarker[];
}

export function SliChart({ points, objective, rangeSeconds, stepLabel, windowLabel, ctx, height = 240, deploys }: SliChartProps) {
  // Down to the data's lowest point but at most five budgets below the objective (lib/charts/scales.ts, as the
  // embeds); lower points are drawn at the bottom edge and the tooltip keeps their value.
  const domain = sliDomain(finiteValues(points.flatMap((p) => [p.sli, p.windowSli])), objective);
  const digits = sliTickDigits(domain[1] - domain[0]);
  const times = points.map((p) => p.t);
  const marked = visibleDeploys(deploys, times);
  return (
    <>
      <ChartLegend
        items={[
          { label: `SLI per ${stepLabel} step`, colour: 'var(--chart-1)' },
          { label: `${windowLabel} window SLI`, colour: 'var(--chart-2)' },
          { label: `Objective ${formatObjective(objective)}`, colour: 'var(--danger)', dashed: true },
          ...(marked.length > 0 ? [DEPLOY_LEGEND] : []),
        ]}
      />
      <div className="chart-frame" style={{ height }}>
        <ResponsiveContainer width="100%" height={height} minWidth={0} initialDimension={{ ...INITIAL_DIMENSION, height }}>
          <LineChart data={points} margin={CHART_MARGIN} aria-label={`SLI over time against the ${formatObjective(objective)} objective`}>
            <CartesianGrid {...GRID_PROPS} />
            <XAxis {...timeAxisProps(rangeSeconds, ctx, times)} />
            <YAxis {...AXIS_PROPS} domain={domain} allowDataOverflow width={68} tickFormatter={(v: number) => sliTickLabel(v, digits)} tickCount={5} />
            <Tooltip content={(props) => <ChartTooltip active={props.active} label={props.label} rows={payloadRows(props, formatSli)} ctx={ctx} />} />
            <ReferenceLine
              y={objective}
              stroke="var(--danger)"
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{
                value: `Objective ${formatObjective(objective)}`,
                position: 'insideBottomRight',
                fill: 'var(--danger)',
                fontSize: 12,
                background: LABEL_BACKGROUND,
              }}
            />
            {deployReferenceLines(marked, times, ctx)}
            <Line
              name={`SLI per ${stepLabel} step`}
              dataKey="sli"
              type="linear"
              stroke="var(--chart-1)"
              strokeWidth={1.5}
              dot={dotsWhenSparse(points.map((p) => p.sli))}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              name={`${windowLabel} window SLI`}
              dataKey="windowSli"
              type="monotone"
              stroke="var(--chart-2)"
              strokeWidth={2}
              dot={dotsWhenSparse(points.map((p) => p.windowSli))}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
