/**
 * The SLO form's alert tiers as typed, and where their starting values come from: the default tiers of the
 * window chosen in the form (docs/slo-math.md, "Default alert tiers"), which the rows follow until edited.
 */
import { SloWindow, type AlertTier } from '@/lib/schemas';
import { defaultAlertTiers } from '@/lib/slo/alerts';
import { sloWindowRange } from '@/lib/slo/window';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { numberOf } from '../form/values';

export interface TierRow {
  key: number;
  severity: 'page' | 'ticket';
  longWindow: string;
  shortWindow: string;
  burnRate: string;
  /** The tier's `for` as typed; empty: fires at once. */
  for: string;
}

/** The window fields as typed. */
export interface WindowFields {
  windowKind: 'rolling' | 'calendar';
  rollingDays: string;
  calendarUnit: 'week' | 'month' | 'quarter';
  /** null: the browser's zone. */
  timeZone: string | null;
}

export interface TierDraft extends WindowFields {
  policy: 'default' | 'custom';
  tiers: TierRow[];
  /**
   * false while the rows are the window's defaults as seeded, so they follow the window; editing, adding or
   * removing a row makes them the user's own, and only "Reset" gives them back to the window.
   */
  tiersEdited: boolean;
  /** Next row key, shared with the form's other rows; part of the state so server and client render the same ids. */
  seq: number;
}

/** The moment whose calendar period counts (the page's render time) and the zone a calendar window without one uses. */
export interface PeriodContext {
  asOf: Date;
  browserZone: string;
}

export function tierRows(tiers: readonly AlertTier[], firstKey: number): TierRow[] {
  return tiers.map((t, i) => ({
    key: firstKey + i,
    severity: t.severity,
    longWindow: t.longWindow,
    shortWindow: t.shortWindow,
    burnRate: String(t.burnRate),
    for: t.for ?? '',
  }));
}

/** The policy part of an existing SLO's draft: custom tiers are the user's own, default ones follow the window. */
export function tierDraftOf(alertPolicy: { isDefault: boolean; tiers: readonly AlertTier[] }): Pick<TierDraft, 'policy' | 'tiers' | 'tiersEdited'> {
  return { policy: alertPolicy.isDefault ? 'default' : 'custom', tiers: tierRows(alertPolicy.tiers, 0), tiersEdited: !alertPolicy.isDefault };
}

/**
 * The period the window's defaults are for, in minutes: a rolling window's days, a calendar window's current
 * period (its true length at `asOf`, as the server's effectiveTiers uses). null while the window is not valid.
 */
export function windowPeriodMinutes(fields: WindowFields, ctx: PeriodContext): number | null {
  const window = SloWindow.safeParse(
    fields.windowKind === 'rolling'
      ? { kind: 'rolling', days: numberOf(fields.rollingDays) }
      : { kind: 'calendar', unit: fields.calendarUnit, timeZone: (fields.timeZone ?? ctx.browserZone).trim() },
  );
  return window.success ? sloWindowRange(window.data, ctx.asOf).periodMinutes : null;
}

/** The default tiers of the window as typed; none while it is not valid. */
export function windowDefaultTiers(fields: WindowFields, ctx: PeriodContext): AlertTier[] {
  const period = windowPeriodMinutes(fields, ctx);
  return period === null ? [] : defaultAlertTiers(period);
}

/** The rows reset to the window's defaults, not edited; unchanged while the window is not valid. */
export function withWindowDefaults<D extends TierDraft>(d: D, ctx: PeriodContext): D {
  const tiers = windowDefaultTiers(d, ctx);
  if (tiers.length === 0) return d;
  return { ...d, tiers: tierRows(tiers, d.seq), seq: d.seq + tiers.length, tiersEdited: false };
}

/** A change to the window fields; rows not yet edited follow the new period's defaults. */
export function withWindow<D extends TierDraft>(d: D, patch: Partial<WindowFields>, ctx: PeriodContext): D {
  const next = { ...d, ...patch };
  return next.tiersEdited ? next : withWindowDefaults(next, ctx);
}

/** Default or Custom; Custom starts from the window's defaults unless the rows are already the user's own. */
export function withPolicy<D extends TierDraft>(d: D, policy: TierDraft['policy'], ctx: PeriodContext): D {
  const next = { ...d, policy };
  return policy === 'custom' && !next.tiersEdited ? withWindowDefaults(next, ctx) : next;
}

export function withTierChanged<D extends TierDraft>(d: D, key: number, patch: Partial<Omit<TierRow, 'key'>>): D {
  return { ...d, tiers: rowChanged(d.tiers, key, patch), tiersEdited: true };
}

export function withTierAdded<D extends TierDraft>(d: D): D {
  return {
    ...d,
    seq: d.seq + 1,
    tiers: rowAdded(d.tiers, { key: d.seq, severity: 'ticket', longWindow: '', shortWindow: '', burnRate: '', for: '' }),
    tiersEdited: true,
  };
}

export function withTierRemoved<D extends TierDraft>(d: D, key: number): D {
  return { ...d, tiers: rowRemoved(d.tiers, key), tiersEdited: true };
}
