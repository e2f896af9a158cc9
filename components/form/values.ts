/** Pure conversions between what people type in the forms and what the schemas hold. */

/** "checkout API v2" -> "checkout-api-v2": the slug a name suggests (Slug schema: a-z, 0-9, single hyphens). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}

/** "99.9" (or "99.9%") -> 0.999 without float noise (99.9 / 100 is 0.9990000000000001); NaN for anything else. */
export function percentToFraction(text: string): number {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (!/^-?\d+(\.\d+)?$|^-?\.\d+$/.test(trimmed)) return Number.NaN;
  return Number((Number(trimmed) / 100).toPrecision(12));
}

/** 0.999 -> "99.9", for a form field showing a stored fraction as a percentage. */
export function fractionToPercent(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(10)));
}

/** A number as typed; NaN when it is not one, so the schema reports it instead of it becoming 0. */
export function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** "checkout-api, cart-api\n search" -> ["checkout-api", "cart-api", "search"]: a list typed into one field (commas or lines). */
export function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
