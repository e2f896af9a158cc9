import type { EmbedTheme } from './panel-data';

// The app's palettes (app/(app)/globals.css), so an embedded panel reads like the page it links to.
const LIGHT = {
  surface: '#ffffff',
  border: '#e1e4e9',
  text: '#151922',
  text2: '#4a5261',
  axis: '#687081',
  grid: '#e6e8ec',
  chart1: '#3451c7',
  chart2: '#0d9488',
  chart3: '#d97706',
  chart4: '#a21caf',
  danger: '#c0282d',
  warning: '#a65300',
  ok: '#22803a',
  muted: '#687081',
  demo: '#6d3fb8',
};

export type PaletteKey = keyof typeof LIGHT;

const DARK: Record<PaletteKey, string> = {
  surface: '#161920',
  border: '#2a2f39',
  text: '#e7e9ee',
  text2: '#b0b6c2',
  axis: '#8d94a3',
  grid: '#262b35',
  chart1: '#8ea2ff',
  chart2: '#2dd4bf',
  chart3: '#fbbf24',
  chart4: '#e879f9',
  danger: '#ff7b7f',
  warning: '#ffb95a',
  ok: '#5fd37a',
  muted: '#8d94a3',
  demo: '#c5a6ff',
};

export const PALETTES: Record<'light' | 'dark', Record<PaletteKey, string>> = { light: LIGHT, dark: DARK };

export interface Paint {
  fill?: PaletteKey;
  stroke?: PaletteKey;
}

export interface Painter {
  /** `fill="…" stroke="…"` plus, for `auto`, the classes the dark-mode rules override. */
  paint(p: Paint): string;
  /** The `<style>` element (auto only), else ''. */
  style: string;
}

/**
 * Colours go in presentation attributes, which every renderer honours; `auto` adds classes and a
 * prefers-color-scheme rule that overrides them in browsers. resvg ignores media queries, so its PNG is light.
 */
export function painter(theme: EmbedTheme | 'app'): Painter {
  if (theme === 'app') return appPainter();
  const base = PALETTES[theme === 'dark' ? 'dark' : 'light'];
  const classes = theme === 'auto';
  const paint = ({ fill, stroke }: Paint): string => {
    const parts: string[] = [];
    const names: string[] = [];
    if (fill) {
      parts.push(`fill="${base[fill]}"`);
      names.push(`f-${fill}`);
    }
    if (stroke) {
      parts.push(`stroke="${base[stroke]}"`);
      names.push(`s-${stroke}`);
    }
    if (classes && names.length > 0) parts.push(`class="${names.join(' ')}"`);
    return parts.join(' ');
  };
  if (!classes) return { paint, style: '' };
  const rules = (Object.keys(DARK) as PaletteKey[]).map((key) => `.f-${key}{fill:${DARK[key]}}.s-${key}{stroke:${DARK[key]}}`).join('');
  return { paint, style: `<style>@media (prefers-color-scheme: dark){${rules}}</style>` };
}

/**
 * For a chart drawn inside Umpire's own pages: light colours in attributes, and classes (prefixed, as the rules
 * apply to the whole page) that turn dark as the page does: by its theme toggle (data-theme) or, unset, by the
 * system's preference (app/(app)/globals.css).
 */
function appPainter(): Painter {
  const paint = ({ fill, stroke }: Paint): string => {
    const parts: string[] = [];
    const names: string[] = [];
    if (fill) {
      parts.push(`fill="${LIGHT[fill]}"`);
      names.push(`uc-f-${fill}`);
    }
    if (stroke) {
      parts.push(`stroke="${LIGHT[stroke]}"`);
      names.push(`uc-s-${stroke}`);
    }
    if (names.length > 0) parts.push(`class="${names.join(' ')}"`);
    return parts.join(' ');
  };
  const rules = (scope: string) =>
    (Object.keys(DARK) as PaletteKey[]).map((key) => `${scope} .uc-f-${key}{fill:${DARK[key]}}${scope} .uc-s-${key}{stroke:${DARK[key]}}`).join('');
  return {
    paint,
    style: `<style>${rules(":root[data-theme='dark']")}@media (prefers-color-scheme: dark){${rules(":root:not([data-theme='light'])")}}</style>`,
  };
}
