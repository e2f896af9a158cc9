import type { PanelOptions } from '../panel-data';

/** The panel's sizes, which scale with it; small panels drop the description and the legend. */
export interface Frame {
  width: number;
  height: number;
  compact: boolean;
  large: boolean;
  pad: number;
  title: number;
  text: number;
  small: number;
  figure: number;
}

export const PANEL_MIN = { width: 200, height: 100 } as const;
export const PANEL_MAX = { width: 4000, height: 4000 } as const;

export function frameFor(options: PanelOptions): Frame {
  const { width, height } = options;
  if (
    !Number.isFinite(width) ||
    !Number.isFinite(height) ||
    width < PANEL_MIN.width ||
    height < PANEL_MIN.height ||
    width > PANEL_MAX.width ||
    height > PANEL_MAX.height
  ) {
    throw new RangeError(`panel size ${width}x${height} is outside ${PANEL_MIN.width}x${PANEL_MIN.height} to ${PANEL_MAX.width}x${PANEL_MAX.height}`);
  }
  const fit = Math.min(width / 600, height / 300);
  // Shrink with the panel down to a legible floor; grow more slowly, so a big panel shows more, not just larger.
  const scale = fit < 1 ? Math.max(0.75, fit) : Math.min(1.6, 1 + (fit - 1) * 0.5);
  const half = (v: number) => Math.round(v * 2) / 2;
  return {
    width: Math.round(width),
    height: Math.round(height),
    compact: width < 520 || height < 250,
    large: width >= 800 && height >= 360,
    pad: half(Math.max(10, 14 * scale)),
    title: half(Math.max(13, 15 * scale)),
    text: half(Math.max(10.5, 12 * scale)),
    small: half(Math.max(10, 11 * scale)),
    figure: half(Math.max(20, 26 * scale)),
  };
}

/** A rectangle of the panel, in its pixels. */
export interface Region {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
