'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AlertTier } from '@/lib/schemas';
import { burnScale, burnTickLabel, finiteValues, seriesSlot, severityTone } from '@/lib/charts/scales';
import { formatBurnRate, formatThreshold, type DateContext } from '@/lib/format';
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

export interface BurnRateChartPoint {
  t: number;
  /** Burn rate per window ("1h") at t; null when the window had no events. */
  rates: Record<string, number | null>;
}

export interface BurnRateChartProps {
  points: BurnRateChartPoint[];
  /** The windows drawn as lines, e.g. every tier's long window. */
  windows: string[];
  tiers: AlertTier[];
  rangeSeconds: number;
  ctx: DateContext;
  height?: number;
  /** Deployments to mark; those outside the points' range are left out. */
  deploys?: DeployMarker[];
}

/** Burn rate over each long window, with every tier's threshold as a labelled line. */
export function BurnRateChart({ points, windows, tiers, rangeSeconds, ctx, height = 280, deploys }: BurnRateChartProps) {
  // A symmetric-log scale (lib/charts/scales.ts, as the embeds): outages reach hundreds while thresholds sit at 1 to 14.4.
  const { domain, ticks } = burnScale(
    finiteValues(points.flatMap((p) => windows.map((w) => p.rates[w] ?? null))),
    tiers.map((t) => t.burnRate),
  );
  const times = points.map((p) => p.t);
  const marked = visibleDeploys(deploys, times);
  const colour = (i: number) => `var(--chart-${seriesSlot(i)})`;
  return (
    <>
      <ChartLegend
        items={[
          ...windows.map((w, i) => ({ label: `${w} burn rate`, colour: colour(i) })),
          { label: 'Page threshold', colour: 'var(--danger)', dashed: true },
          { label: 'Ticket threshold', colour: 'var(--warning)', dashed: true },
          ...(marked.length > 0 ? [DEPLOY_LEGEND] : []),
        ]}
      />
      <div className="chart-frame" style={{ height }}>
        <ResponsiveContainer width="100%" height={height} minWidth={0} initialDimension={{ ...INITIAL_DIMENSION, height }}>
          <LineChart data={points} margin={CHART_MARGIN} aria-label="Burn rate over time with each alert tier's threshold">
            <CartesianGrid {...GRID_PROPS} />
            <XAxis {...timeAxisProps(rangeSeconds, ctx, times)} />
            {/* The domain holds every value already; allowDataOverflow lets it stand without data, so deploy markers still show. */}
            <YAxis {...AXIS_PROPS} scale="symlog" domain={domain} allowDataOverflow ticks={ticks} interval={0} width={56} tickFormatter={burnTickLabel} />
            <Tooltip content={(props) => <ChartTooltip active={props.active} label={props.label} rows={payloadRows(props, formatBurnRate)} ctx={ctx} />} />
            {tiers.map((tier) => (
              <ReferenceLine
                key={`${tier.severity}-${tier.longWindow}-${tier.shortWindow}-${tier.burnRate}`}
                y={tier.burnRate}
                stroke={`var(--${severityTone(tier.severity)})`}
                strokeDasharray="6 4"
                label={{
                  value: `${tier.severity} ${tier.longWindow}/${tier.shortWindow} > ${formatThreshold(tier.burnRate)}`,
                  position: 'insideTopRight',
                  fill: `var(--${severityTone(tier.severity)})`,
                  fontSize: 11,
                  background: LABEL_BACKGROUND,
                }}
              />
            ))}
            {deployReferenceLines(marked, times, ctx)}
            {windows.map((w, i) => (
              <Line
                key={w}
                name={`${w} burn rate`}
                dataKey={(p: BurnRateChartPoint) => p.rates[w] ?? null}
                type="linear"
                stroke={colour(i)}
                strokeWidth={1.75}
                dot={dotsWhenSparse(points.map((p) => p.rates[w] ?? null))}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
