'use client';

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { budgetScale, budgetTickLabel, finiteValues } from '@/lib/charts/scales';
import { formatBudget, type DateContext } from '@/lib/format';
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

export interface BudgetChartPoint {
  t: number;
  /** Error budget remaining over the window ending at t: 1 untouched, below 0 overspent. */
  budgetRemaining: number | null;
}

export interface BudgetChartProps {
  points: BudgetChartPoint[];
  rangeSeconds: number;
  ctx: DateContext;
  height?: number;
  /** Deployments to mark; those outside the points' range are left out. */
  deploys?: DeployMarker[];
}

/** Error-budget burndown: remaining budget over time, with the 0 line where it runs out. */
export function BudgetChart({ points, rangeSeconds, ctx, height = 240, deploys }: BudgetChartProps) {
  // The scale is the embeds' too (lib/charts/scales.ts): 0 and 100% always shown, whole ticks.
  const { domain, ticks } = budgetScale(finiteValues(points.map((p) => p.budgetRemaining)));
  const [lower] = domain;
  const times = points.map((p) => p.t);
  const marked = visibleDeploys(deploys, times);
  return (
    <>
      <ChartLegend
        items={[
          { label: 'Budget remaining', colour: 'var(--chart-1)' },
          { label: 'Budget spent (0%)', colour: 'var(--danger)', dashed: true },
          ...(marked.length > 0 ? [DEPLOY_LEGEND] : []),
        ]}
      />
      <div className="chart-frame" style={{ height }}>
        <ResponsiveContainer width="100%" height={height} minWidth={0} initialDimension={{ ...INITIAL_DIMENSION, height }}>
          <LineChart data={points} margin={CHART_MARGIN} aria-label="Error budget remaining over time">
            <CartesianGrid {...GRID_PROPS} />
            <XAxis {...timeAxisProps(rangeSeconds, ctx, times)} />
            {/* The domain holds every value already; allowDataOverflow lets it stand without data, so deploy markers still show. */}
            <YAxis {...AXIS_PROPS} domain={domain} allowDataOverflow ticks={ticks} interval={0} width={56} tickFormatter={budgetTickLabel} />
            <Tooltip content={(props) => <ChartTooltip active={props.active} label={props.label} rows={payloadRows(props, formatBudget)} ctx={ctx} />} />
            {lower < 0 ? <ReferenceArea y1={lower} y2={0} fill="var(--danger)" fillOpacity={0.07} ifOverflow="hidden" /> : null}
            <ReferenceLine
              y={0}
              stroke="var(--danger)"
              strokeDasharray="6 4"
              label={{ value: 'Budget spent', position: 'insideBottomRight', fill: 'var(--danger)', fontSize: 12, background: LABEL_BACKGROUND }}
            />
            {deployReferenceLines(marked, times, ctx)}
            <Line
              name="Budget remaining"
              dataKey="budgetRemaining"
              type="monotone"
              stroke="var(--chart-1)"
              strokeWidth={2}
              dot={dotsWhenSparse(points.map((p) => p.budgetRemaining))}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
