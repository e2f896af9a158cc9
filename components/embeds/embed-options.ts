import { EmbedInput, EmbedView, zodFieldErrors, type EmbedPanel, type FieldErrors } from '@/lib/schemas';
import type { EmbedInputDraft } from '@/lib/queries/embeds';
import { SIZE_PRESETS, type SizePreset } from './embed-code';

// The Embed dialog's choices as typed, and what they become: the body of POST /api/v1/embeds (panel, SLO,
// expiry and label are bound into the signed link) and the view (range, theme, size: query parameters that
// may change at any time without a new link).

export const EXPIRY_CHOICES = ['never', '7', '30', '90', '365'] as const;
export type Expiry = (typeof EXPIRY_CHOICES)[number];

export const EXPIRY_LABELS: Record<Expiry, string> = {
  never: 'Never',
  '7': 'In 7 days',
  '30': 'In 30 days',
  '90': 'In 90 days',
  '365': 'In a year',
};

export const RANGE_LABELS: Record<EmbedView['range'], string> = { '1d': 'Last day', '7d': 'Last 7 days', '30d': 'Last 30 days' };
export const THEME_LABELS: Record<EmbedView['theme'], string> = { auto: 'Auto (the viewer’s system setting)', light: 'Light', dark: 'Dark' };

export interface EmbedOptions {
  panel: EmbedPanel;
  /** The SLO of an SLO panel; ignored for the service panel. */
  slo: string | null;
  range: EmbedView['range'];
  theme: EmbedView['theme'];
  size: SizePreset | 'custom';
  /** As typed, for the custom size. */
  width: string;
  height: string;
  expiry: Expiry;
  label: string;
}

export function initialOptions(panel: EmbedPanel, slo: string | null): EmbedOptions {
  return { panel, slo, range: '7d', theme: 'auto', size: 'medium', width: '600', height: '300', expiry: 'never', label: '' };
}

/** The view parameters, or the size fields' errors (messages from the API's own schema). */
export function viewOf(options: EmbedOptions): { view: EmbedView; errors: null } | { view: null; errors: FieldErrors } {
  const size = options.size === 'custom' ? { width: options.width.trim(), height: options.height.trim() } : SIZE_PRESETS[options.size];
  const parsed = EmbedView.safeParse({ range: options.range, theme: options.theme, ...size });
  if (parsed.success && size.width !== '' && size.height !== '') return { view: parsed.data, errors: null };
  const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
  // An empty field is coerced to 0 and would read "must be 200 to 1600"; say what is wrong instead.
  if (size.width === '') errors.width = 'is required';
  if (size.height === '') errors.height = 'is required';
  return { view: null, errors };
}

/** The POST body, or the fields' errors (same schema as the API). */
export function inputOf(service: string, options: EmbedOptions): { input: EmbedInputDraft; errors: null } | { input: null; errors: FieldErrors } {
  const input: EmbedInputDraft = {
    service,
    ...(options.panel === 'service' || options.slo === null ? {} : { slo: options.slo }),
    panel: options.panel,
    label: options.label,
    expiresInDays: options.expiry === 'never' ? null : Number(options.expiry),
  };
  const parsed = EmbedInput.safeParse(input);
  return parsed.success ? { input, errors: null } : { input: null, errors: zodFieldErrors(parsed.error) };
}
