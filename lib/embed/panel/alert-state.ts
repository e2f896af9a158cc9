import { HEALTH_LABEL } from '@/lib/format/labels';
import { formatThreshold } from '@/lib/slo/format';
import type { AlertStatus, SloStatus } from '../../schemas';
import type { PaletteKey } from '../render-theme';

/* Alert state: an SLO's health and the words and colour for its firing tiers. */

export type Health = 'page' | 'ticket' | 'ok' | 'no_data';

export const HEALTH_COLOUR: Record<Health, PaletteKey> = { page: 'danger', ticket: 'warning', ok: 'ok', no_data: 'muted' };

/** One SLO's state, as the service list derives it: a firing page wins, then a ticket, then "no data". */
export function sloHealth(status: SloStatus): Health {
  const firing = status.alerts.filter((a) => a.firing);
  if (firing.some((a) => a.severity === 'page')) return 'page';
  if (firing.length > 0) return 'ticket';
  if (status.dataState === 'no_data') return 'no_data';
  return 'ok';
}

function tierWords(a: Pick<AlertStatus, 'longWindow' | 'shortWindow' | 'threshold'>): string {
  return `${a.longWindow}/${a.shortWindow} above ${formatThreshold(a.threshold)}`;
}

/** "Paging: 1h/5m above 14.4×" (long) and "Paging · 2 firing" (short). */
export function alertState(status: SloStatus): { long: string; short: string; colour: PaletteKey; health: Health } {
  const health = sloHealth(status);
  const firing = status.alerts.filter((a) => a.firing).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'page' ? -1 : 1));
  const worst = firing[0];
  if (worst) {
    const label = HEALTH_LABEL[health];
    const more = firing.length > 1 ? ` and ${firing.length - 1} more` : '';
    return {
      long: `${label}: ${tierWords(worst)}${more}`,
      short: firing.length > 1 ? `${label} · ${firing.length} firing` : label,
      colour: HEALTH_COLOUR[health],
      health,
    };
  }
  if (health === 'no_data') return { long: 'No data', short: 'No data', colour: 'muted', health };
  return { long: 'No alert firing', short: 'OK', colour: 'ok', health };
}
