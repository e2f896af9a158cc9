import { formatBudget, formatSliShort } from '@/lib/slo/format';
import { escapeXml } from './escape';
import type { BadgeData } from './panel-data';
import { textWidth } from './render-text';

export type BadgeTone = 'ok' | 'warning' | 'danger' | 'muted';

/** The app's light-theme tones: each keeps white 11px text above 4.5:1 contrast, unlike shields' bright green. */
export const BADGE_COLOURS: Record<BadgeTone, string> = { ok: '#22803a', warning: '#a65300', danger: '#c0282d', muted: '#687081' };
const LABEL_COLOUR = '#555555';

const HEIGHT = 20;
const FONT_SIZE = 11;
const PADDING = 6;
const BADGE_FONT = 'Verdana, Geneva, DejaVu Sans, sans-serif';

function hasData(data: BadgeData): boolean {
  const known = (v: number | null) => v !== null && Number.isFinite(v);
  return data.dataState !== 'no_data' && (known(data.sli) || known(data.budgetRemaining));
}

/** Red for a page or an overspent budget, amber for a ticket or under a quarter left, grey without data. */
export function badgeTone(data: BadgeData): BadgeTone {
  if (!hasData(data)) return 'muted';
  const budget = data.budgetRemaining !== null && Number.isFinite(data.budgetRemaining) ? data.budgetRemaining : null;
  if (data.alert === 'page' || (budget !== null && budget < 0)) return 'danger';
  if (data.alert === 'ticket' || (budget !== null && budget < 0.25)) return 'warning';
  return 'ok';
}

/** "99.93% | budget 41% left", "… (provisional)", "no data"; the SLI truncated like the app's, never rounded up. */
export function badgeValue(data: BadgeData): string {
  if (!hasData(data)) return 'no data';
  const sli = data.sli !== null && Number.isFinite(data.sli) ? formatSliShort(data.sli, 2) : 'no data';
  const budget = data.budgetRemaining !== null && Number.isFinite(data.budgetRemaining) ? ` | budget ${formatBudget(data.budgetRemaining)} left` : '';
  return `${sli}${budget}${data.provisional ? ' (provisional)' : ''}`;
}

function textPair(text: string, centre: number, width: number): string {
  const content = escapeXml(text);
  const common = `x="${centre}" textLength="${width}" lengthAdjust="spacing"`;
  return (
    `<text aria-hidden="true" ${common} y="15" fill="#010101" fill-opacity=".3">${content}</text>` + `<text ${common} y="14" fill="#ffffff">${content}</text>`
  );
}

/**
 * A shields.io-style flat badge: the label on grey, the SLI and budget on the state's colour. Widths come from
 * the DejaVu Sans/Verdana table, and textLength pins the text to them, so the badge always fits its text.
 */
export function renderBadgeSvg(data: BadgeData): string {
  const label = data.label.trim();
  const value = badgeValue(data);
  const tone = badgeTone(data);
  const labelText = Math.ceil(textWidth(label, FONT_SIZE));
  const valueText = Math.ceil(textWidth(value, FONT_SIZE));
  const left = label ? labelText + 2 * PADDING : 0;
  const right = valueText + 2 * PADDING;
  const width = left + right;
  const alert = data.alert && hasData(data) ? `, ${data.alert} alert firing` : '';
  const title = `${label ? `${label}: ` : ''}${value}${alert}`;
  // No ids (clipPath, gradient): several badges inlined in one wiki page would otherwise share them.
  const labelShape = left > 0 ? `<path d="M3 0h${left - 3}v${HEIGHT}H3a3 3 0 0 1-3-3V3a3 3 0 0 1 3-3z" fill="${LABEL_COLOUR}"/>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${HEIGHT}" rx="3" fill="${BADGE_COLOURS[tone]}"/>${labelShape}` +
    `<g text-anchor="middle" font-family="${BADGE_FONT}" font-size="${FONT_SIZE}" text-rendering="geometricPrecision">` +
    (left > 0 ? textPair(label, left / 2, labelText) : '') +
    textPair(value, left + right / 2, valueText) +
    `</g></svg>`
  );
}
