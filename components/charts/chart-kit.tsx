'use client';

import type { TooltipContentProps } from 'recharts';
import { dayTicks } from '@/lib/charts/scales';
import { formatDateTime, formatTick, type DateContext } from '@/lib/format';

/** Shared look of the SLO charts: the theme's colours (CSS variables work in SVG attributes) and sizes. */
export const AXIS_PROPS = {
  stroke: 'var(--border-strong)',
  tick: { fill: 'var(--chart-axis)', fontSize: 12 },
  tickLine: false,
} as const;

export const GRID_PROPS = { stroke: 'var(--chart-grid)', vertical: false } as const;

export const CHART_MARGIN = { top: 10, right: 16, bottom: 4, left: 4 };

/** recharts measures its parent after mount; this first guess avoids a 0×0 first render (and its warning). */
export const INITIAL_DIMENSION = { width: 560, height: 240 };

/** Keeps reference-line labels readable where they cross a series. */
export const LABEL_BACKGROUND = { fill: 'var(--surface)', fillOpacity: 0.92, rx: 3, padding: 3 };

/**
 * The time axis: ticks where the day changes (in the reader's zone) for multi-day ranges, so labels fall on dates
 * (recharts thins them to fit); short ranges keep recharts' own time ticks.
 */
export function timeAxisProps(rangeSeconds: number, ctx: DateContext, times: number[] = []) {
  return {
    ticks: dayTicks(times, rangeSeconds, ctx),
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: ['dataMin', 'dataMax'] as [string, string],
    tickFormatter: (t: number) => formatTick(t, rangeSeconds, ctx),
    minTickGap: 48,
    ...AXIS_PROPS,
  };
}

export interface TooltipRow {
  label: string;
  value: string;
  colour: string;
}

/** A tooltip body: the point's time, then one formatted row per series. */
export function ChartTooltip({ active, label, rows, ctx }: { active: boolean; label: unknown; rows: TooltipRow[]; ctx: DateContext }) {
  if (!active || typeof label !== 'number' || rows.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-time">{formatDateTime(label, ctx, { year: true })}</p>
      <ul>
        {rows.map((row) => (
          <li key={row.label}>
            <span className="legend-swatch" style={{ background: row.colour, display: 'inline-block', marginRight: 6, verticalAlign: 'middle' }} />
            {row.label}: <strong className="num">{row.value}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Rows from recharts' payload, formatting each value with `format` (null values read "No data"). */
export function payloadRows(props: TooltipContentProps, format: (value: number | null) => string): TooltipRow[] {
  return (props.payload ?? []).map((entry) => {
    const value = typeof entry.value === 'number' && Number.isFinite(entry.value) ? entry.value : null;
    return { label: String(entry.name ?? ''), value: format(value), colour: String(entry.color ?? entry.stroke ?? 'currentColor') };
  });
}

export interface LegendItem {
  label: string;
  colour: string;
  dashed?: boolean;
}

/** A plain HTML legend: readable, wraps, and is text for screen readers. */
export function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.label} style={{ color: item.colour }}>
          <span className={`legend-swatch${item.dashed ? ' dashed' : ''}`} style={{ background: item.colour }} aria-hidden="true" />
          <span style={{ color: 'var(--text-2)' }}>{item.label}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Dots for a line with fewer than two values (a young SLO's first minutes): a single value draws no line, so it is
 * drawn as a dot instead of not at all.
 */
export function dotsWhenSparse(values: ReadonlyArray<number | null | undefined>): false | { r: number } {
  return values.filter((v) => v !== null && v !== undefined).length < 2 ? { r: 3 } : false;
}
