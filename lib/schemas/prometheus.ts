import { z } from 'zod';
import { Slug } from './common';

/** One label matcher of an instant vector selector; `value` is the decoded string, not its PromQL spelling. */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface ParsedSelector {
  metric: string;
  matchers: LabelMatcher[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_SELECTOR_LENGTH = 1000;

/**
 * Parses `metric{label="value", other!~"5.."}` and nothing else: no functions, ranges, offsets or
 * single-quoted strings. Deliberately conservative, because the text is pasted into the PromQL Umpire builds;
 * anything this accepts is a single selector. Returns the reason on failure.
 */
export function parseCounterSelector(text: string): { ok: true; selector: ParsedSelector } | { ok: false; error: string } {
  if (text.length > MAX_SELECTOR_LENGTH) return { ok: false, error: `must be at most ${MAX_SELECTOR_LENGTH} characters` };
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const word = (pattern: RegExp) => {
    const match = pattern.exec(text.slice(i));
    if (!match) return null;
    i += match[0].length;
    return match[0];
  };
  const fail = (error: string) => ({ ok: false as const, error });

  skipSpace();
  const metric = word(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
  if (!metric) return fail('must start with a metric name, e.g. http_requests_total{job="api"}');
  const matchers: LabelMatcher[] = [];
  skipSpace();
  if (text[i] === '{') {
    i++;
    for (;;) {
      skipSpace();
      if (text[i] === '}') break;
      const label = word(/^[a-zA-Z_][a-zA-Z0-9_]*/);
      if (!label) return fail(`expected a label name at position ${i + 1}`);
      skipSpace();
      const op = word(/^(=~|!~|!=|=)/) as LabelMatcher['op'] | null;
      if (!op) return fail(`expected =, !=, =~ or !~ after ${label}`);
      skipSpace();
      const value = readString();
      if (value === null) return fail(`expected a double-quoted value for ${label}`);
      matchers.push({ label, op, value });
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== '}') return fail(`expected , or } at position ${i + 1}`);
      break;
    }
    i++;
    skipSpace();
  }
  if (i !== text.length) {
    return fail('must be a plain selector such as http_requests_total{code!~"5.."}: no functions, ranges or operators');
  }
  return { ok: true, selector: { metric, matchers } };

  /** A Go-style double-quoted string as PromQL reads it; null if malformed. */
  function readString(): string | null {
    if (text[i] !== '"') return null;
    i++;
    let out = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n') return null;
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const next = text[i + 1];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
      if (next !== undefined && Object.hasOwn(simple, next)) {
        out += simple[next];
        i += 2;
        continue;
      }
      const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/.exec(text.slice(i + 1));
      if (!hex) return null;
      const code = hex[4] !== undefined ? parseInt(hex[4], 8) : parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16);
      // As Go's strconv.Unquote: no surrogates, no octal above \377; bytes above 0x7f would not be UTF-8.
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || ((hex[1] ?? hex[4]) !== undefined && code > 0x7f)) return null;
      out += String.fromCodePoint(code);
      i += 1 + hex[0].length;
    }
    return null;
  }
}

/** An instant vector selector of counters, e.g. http_requests_total{job="api",code!~"5.."}. */
export const CounterSelector = z
  .string({ error: 'must be a selector such as http_requests_total{job="api"}' })
  .trim()
  .min(1, 'is required')
  .superRefine((text, ctx) => {
    const parsed = parseCounterSelector(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
export type CounterSelector = z.infer<typeof CounterSelector>;

const prometheusFields = {
  source: z.literal('prometheus'),
  /** Slug of the Prometheus-compatible data source (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics). */
  datasource: Slug,
};

/** good (or bad) events over all events, from two counter selectors; Umpire writes the PromQL. */
export const PrometheusRatioSli = z
  .strictObject({
    ...prometheusFields,
    kind: z.literal('ratio'),
    goodSelector: CounterSelector.optional(),
    badSelector: CounterSelector.optional(),
    totalSelector: CounterSelector,
  })
  .superRefine((sli, ctx) => {
    if ((sli.goodSelector === undefined) === (sli.badSelector === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either goodSelector or badSelector', path: ['goodSelector'] });
    }
  });
export type PrometheusRatioSli = z.infer<typeof PrometheusRatioSli>;

/** Requests at or under a bucket boundary of a classic histogram, over all requests. */
export const PrometheusLatencySli = z.strictObject({
  ...prometheusFields,
  kind: z.literal('latency'),
  /** Histogram base name, without _bucket/_count. */
  metric: z
    .string()
    .regex(METRIC_NAME, 'must be a metric name, e.g. http_request_duration_seconds')
    .max(200, 'must be at most 200 characters')
    .refine((name) => !/_(bucket|count|sum)$/.test(name), { message: 'give the histogram name without _bucket, _count or _sum' }),
  thresholdSeconds: z.number({ error: 'must be a number of seconds' }).positive('must be above 0').refine(Number.isFinite, { message: 'must be finite' }),
  /** Equality matchers, label -> value. */
  filters: z
    .record(z.string(), z.string().max(200, 'must be at most 200 characters'))
    .superRefine((filters, ctx) => {
      const names = Object.keys(filters);
      if (names.length > 20) ctx.addIssue({ code: 'custom', message: 'at most 20 filters' });
      for (const name of names) {
        // Checked here rather than by a key schema, whose error would only say "Invalid key in record".
        if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', message: 'label names must be letters, digits and underscores', path: [name] });
        else if (name === 'le' || name === '__name__') ctx.addIssue({ code: 'custom', message: 'le and __name__ are set by Umpire', path: [name] });
      }
    })
    .default({}),
});
export type PrometheusLatencySli = z.infer<typeof PrometheusLatencySli>;

export const RANGE_PLACEHOLDER = '$__range';

const AdvancedQuery = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(2000, 'must be at most 2000 characters')
  .refine((q) => q.includes(RANGE_PLACEHOLDER), { message: `must contain ${RANGE_PLACEHOLDER}` });

/** Raw PromQL for what the builders cannot say; every $__range becomes the bucket's range. */
export const PrometheusAdvancedSli = z.strictObject({
  ...prometheusFields,
  kind: z.literal('advanced'),
  goodQuery: AdvancedQuery,
  totalQuery: AdvancedQuery,
});
export type PrometheusAdvancedSli = z.infer<typeof PrometheusAdvancedSli>;

/** An SLI read from a Prometheus-compatible backend, by kind. Joins SliSpec's union on `source`. */
export const PrometheusSli = z.discriminatedUnion('kind', [PrometheusRatioSli, PrometheusLatencySli, PrometheusAdvancedSli], {
  error: 'kind must be ratio, latency or advanced',
});
export type PrometheusSli = z.infer<typeof PrometheusSli>;
