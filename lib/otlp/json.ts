// A decoder for the OTLP/JSON encoding of ExportMetricsServiceRequest: the protobuf JSON mapping as the OTLP
// spec constrains it (lowerCamelCase keys, 64-bit integers as decimal strings, enums as integers), read leniently
// where senders differ (snake_case keys, integers as numbers, enum names, "NaN") and strictly where a wrong type
// would otherwise surface later as a TypeError: every failure is an OtlpDecodeError naming the path.
import {
  OtlpDecodeError,
  type Attributes,
  type ExponentialHistogramPoint,
  type HistogramPoint,
  type Metric,
  type MetricData,
  type MetricsRequest,
  type NumberPoint,
  type ResourceMetrics,
  type ScopeMetrics,
  type Temporality,
} from './model';

type SummaryPoint = Extract<MetricData, { type: 'summary' }>['points'][number];
type JsonObject = { [key: string]: unknown };

const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
/** As in the protobuf decoder: deeper AnyValue nesting is refused rather than recursed into. */
const MAX_ANY_VALUE_DEPTH = 32;

const UINT_TEXT = /^\d+$/;
const INT_TEXT = /^-?\d+$/;
const DOUBLE_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;

// Lossy like the protobuf decoder: invalid UTF-8 becomes U+FFFD rather than a 400.
const utf8 = new TextDecoder('utf-8', { fatal: false });

type Key = string | number;

/**
 * Where the decoder is, as a stack of keys and indexes; turned into text such as
 * `resourceMetrics[0].scopeMetrics[1].metrics[3].sum` only when something is wrong.
 */
class Path {
  private readonly parts: Key[] = [];

  push(part: Key): void {
    this.parts.push(part);
  }

  pop(): void {
    this.parts.pop();
  }

  error(key: Key | null, problem: string): OtlpDecodeError {
    let text = '';
    for (const part of key === null ? this.parts : [...this.parts, key]) {
      text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
    }
    return new OtlpDecodeError(`${text === '' ? 'request body' : text}: ${problem}`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: Path, key: Key): JsonObject {
  if (!isObject(value)) throw path.error(key, 'must be an object');
  return value;
}

function array(value: unknown, path: Path, key: Key): unknown[] {
  if (!Array.isArray(value)) throw path.error(key, 'must be an array');
  return value;
}

function string(value: unknown, path: Path, key: Key): string {
  if (typeof value !== 'string') throw path.error(key, 'must be a string');
  return value;
}

function bool(value: unknown, path: Path, key: Key): boolean {
  if (typeof value !== 'boolean') throw path.error(key, 'must be true or false');
  return value;
}

/** fixed64/uint64 kept exact (times). */
function uint64(value: unknown, path: Path, key: Key): bigint {
  if (typeof value === 'string' && UINT_TEXT.test(value)) {
    const n = BigInt(value);
    if (n <= MAX_UINT64) return n;
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 18446744073709551615) {
    return BigInt(value);
  }
  throw path.error(key, 'must be an unsigned 64-bit integer');
}

/** fixed64/uint64 as a number (counts): exact below 2^53, which no real count reaches. */
function uint64Number(value: unknown, path: Path, key: Key): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 18446744073709551615) return value;
  } else if (typeof value === 'string' && UINT_TEXT.test(value)) {
    if (value.length < 16 || BigInt(value) <= MAX_UINT64) return Number(value);
  }
  throw path.error(key, 'must be an unsigned 64-bit integer');
}

function int64Number(value: unknown, path: Path, key: Key): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -9223372036854775808 && value < 9223372036854775808) return value;
  } else if (typeof value === 'string' && INT_TEXT.test(value)) {
    if (value.length < 16) return Number(value);
    const n = BigInt(value);
    if (n >= MIN_INT64 && n <= MAX_INT64) return Number(n);
  }
  throw path.error(key, 'must be a signed 64-bit integer');
}

/** An int64 attribute value as exact decimal text, whichever way it was written. */
function int64Text(value: unknown, path: Path, key: Key): string {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    // Beyond 2^53 JSON.parse has already rounded the number; this is the exact value of that double.
    if (Number.isInteger(value) && value >= -9223372036854775808 && value < 9223372036854775808) return BigInt(value).toString();
  } else if (typeof value === 'string' && INT_TEXT.test(value)) {
    if (value.length < 16) return String(Number(value));
    const n = BigInt(value);
    if (n >= MIN_INT64 && n <= MAX_INT64) return n.toString();
  }
  throw path.error(key, 'must be a signed 64-bit integer');
}

function uint32(value: unknown, path: Path, key: Key): number {
  const n = typeof value === 'string' && UINT_TEXT.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  throw path.error(key, 'must be an unsigned 32-bit integer');
}

function int32(value: unknown, path: Path, key: Key): number {
  const n = typeof value === 'string' && INT_TEXT.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) return n;
  throw path.error(key, 'must be a signed 32-bit integer');
}

function double(value: unknown, path: Path, key: Key): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    if (DOUBLE_TEXT.test(value)) return Number(value);
  }
  throw path.error(key, 'must be a number, "NaN", "Infinity" or "-Infinity"');
}

const TEMPORALITY_NAMES: Record<string, Temporality> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 'unspecified',
  AGGREGATION_TEMPORALITY_DELTA: 'delta',
  AGGREGATION_TEMPORALITY_CUMULATIVE: 'cumulative',
};

function temporality(value: unknown, path: Path, key: Key): Temporality {
  // Protobuf enums are open: an integer this version does not know is kept as unspecified, not refused.
  if (typeof value === 'number' && Number.isInteger(value)) return value === 1 ? 'delta' : value === 2 ? 'cumulative' : 'unspecified';
  if (typeof value === 'string' && Object.hasOwn(TEMPORALITY_NAMES, value)) return TEMPORALITY_NAMES[value]!;
  throw path.error(key, 'must be an AggregationTemporality: 0, 1, 2 or its name, e.g. AGGREGATION_TEMPORALITY_DELTA');
}

function base64(value: unknown, path: Path, key: Key): string {
  if (typeof value !== 'string' || !BASE64_TEXT.test(value)) throw path.error(key, 'must be base64 text');
  // Normalized (URL-safe alphabet, padding) so the same bytes give the same attribute text as in protobuf.
  return Buffer.from(value, 'base64').toString('base64');
}

/** Decodes each element of a repeated field into `into`; an absent or null list is empty. */
function each<T>(value: unknown, path: Path, key: Key, decode: (element: unknown, path: Path, index: number) => T, into: T[]): void {
  const list = array(value, path, key);
  path.push(key);
  for (let i = 0; i < list.length; i++) into.push(decode(list[i], path, i));
  path.pop();
}

function numbers(value: unknown, path: Path, key: Key, decode: (element: unknown, path: Path, index: number) => number): number[] {
  const out: number[] = [];
  each(value, path, key, decode, out);
  return out;
}

function setAttribute(attributes: Attributes, key: string, value: string): void {
  // A plain assignment to "__proto__" would change the object's prototype instead of adding the key.
  if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  else attributes[key] = value;
}

function attributesInto(value: unknown, path: Path, key: Key, attributes: Attributes): void {
  const list = array(value, path, key);
  path.push(key);
  for (let i = 0; i < list.length; i++) {
    const keyValue = object(list[i], path, i);
    const name = keyValue.key ?? '';
    if (typeof name !== 'string') {
      path.push(i);
      throw path.error('key', 'must be a string');
    }
    const anyValue = keyValue.value;
    if (anyValue === null || anyValue === undefined) {
      setAttribute(attributes, name, '');
      continue;
    }
    path.push(i);
    setAttribute(attributes, name, anyValueText(anyValue, path, 'value', 0, false));
    path.pop();
  }
  path.pop();
}

/**
 * An AnyValue as the text model.ts describes; inside arrays and key/value lists (`nested`) as a JSON value.
 * Gives the protobuf decoder's text for the same value; an unset AnyValue is "" at the top and null inside.
 */
function anyValueText(value: unknown, path: Path, key: Key, depth: number, nested: boolean): string {
  const anyValue = object(value, path, key);
  path.push(key);
  let text: string | null = null;
  let setBy = '';
  for (const field in anyValue) {
    const v = anyValue[field];
    if (v === null || v === undefined) continue;
    let fieldText: string;
    switch (field) {
      case 'stringValue':
      case 'string_value': {
        const s = string(v, path, field);
        fieldText = nested ? JSON.stringify(s) : s;
        break;
      }
      case 'boolValue':
      case 'bool_value':
        fieldText = bool(v, path, field) ? 'true' : 'false';
        break;
      case 'intValue':
      case 'int_value':
        fieldText = int64Text(v, path, field);
        break;
      case 'doubleValue':
      case 'double_value': {
        const d = double(v, path, field);
        fieldText = nested && !Number.isFinite(d) ? `"${d}"` : String(d);
        break;
      }
      case 'bytesValue':
      case 'bytes_value': {
        const b = base64(v, path, field);
        fieldText = nested ? `"${b}"` : b;
        break;
      }
      case 'arrayValue':
      case 'array_value':
      case 'kvlistValue':
      case 'kvlist_value':
        if (depth >= MAX_ANY_VALUE_DEPTH) throw path.error(field, `is nested more than ${MAX_ANY_VALUE_DEPTH} levels deep`);
        fieldText = field.startsWith('array') ? arrayValueJson(v, path, field, depth + 1) : keyValueListJson(v, path, field, depth + 1);
        break;
      default:
        continue;
    }
    if (text !== null) throw path.error(null, `sets both ${setBy} and ${field}; an AnyValue holds one value`);
    text = fieldText;
    setBy = field;
  }
  path.pop();
  return text ?? (nested ? 'null' : '');
}

function arrayValueJson(value: unknown, path: Path, key: Key, depth: number): string {
  const values = object(value, path, key).values ?? [];
  path.push(key);
  const parts: string[] = [];
  each(values, path, 'values', (element, path, i) => anyValueText(element, path, i, depth, true), parts);
  path.pop();
  return `[${parts.join(',')}]`;
}

function keyValueListJson(value: unknown, path: Path, key: Key, depth: number): string {
  const values = object(value, path, key).values ?? [];
  path.push(key);
  const parts: string[] = [];
  each(
    values,
    path,
    'values',
    (element, path, i) => {
      const keyValue = object(element, path, i);
      path.push(i);
      const name = string(keyValue.key ?? '', path, 'key');
      const text = keyValue.value === null || keyValue.value === undefined ? 'null' : anyValueText(keyValue.value, path, 'value', depth, true);
      path.pop();
      return `${JSON.stringify(name)}:${text}`;
    },
    parts,
  );
  path.pop();
  return `{${parts.join(',')}}`;
}

function numberPoint(value: unknown, path: Path, index: number): NumberPoint {
  const point = object(value, path, index);
  path.push(index);
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  // No value set is an invalid point by the spec; NaN keeps it visibly valueless rather than a plausible 0.
  let pointValue = NaN;
  let valueField = '';
  for (const field in point) {
    const v = point[field];
    if (v === null || v === undefined) continue;
    switch (field) {
      case 'attributes':
        attributesInto(v, path, field, attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeUnixNano = uint64(v, path, field);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeUnixNano = uint64(v, path, field);
        break;
      case 'asDouble':
      case 'as_double':
      case 'asInt':
      case 'as_int':
        if (valueField !== '') throw path.error(null, `sets both ${valueField} and ${field}; a point has one value`);
        pointValue = field === 'asDouble' || field === 'as_double' ? double(v, path, field) : int64Number(v, path, field);
        valueField = field;
        break;
      case 'flags':
        flags = uint32(v, path, field);
        break;
    }
  }
  path.pop();
  return { attributes, startTimeUnixNano, timeUnixNano, flags, value: pointValue };
}

function histogramPoint(value: unknown, path: Path, index: number): HistogramPoint {
  const point = object(value, path, index);
  path.push(index);
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  let count = 0;
  let sum: number | null = null;
  let bucketCounts: number[] = [];
  let explicitBounds: number[] = [];
  for (const field in point) {
    const v = point[field];
    if (v === null || v === undefined) continue;
    switch (field) {
      case 'attributes':
        attributesInto(v, path, field, attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeUnixNano = uint64(v, path, field);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeUnixNano = uint64(v, path, field);
        break;
      case 'count':
        count = uint64Number(v, path, field);
        break;
      case 'sum':
        sum = double(v, path, field);
        break;
      case 'bucketCounts':
      case 'bucket_counts':
        bucketCounts = numbers(v, path, field, uint64Number);
        break;
      case 'explicitBounds':
      case 'explicit_bounds':
        explicitBounds = numbers(v, path, field, double);
        break;
      case 'flags':
        flags = uint32(v, path, field);
        break;
    }
  }
  path.pop();
  return { attributes, startTimeUnixNano, timeUnixNano, flags, count, sum, bucketCounts, explicitBounds };
}

function buckets(value: unknown, path: Path, key: Key): { offset: number; bucketCounts: number[] } {
  const message = object(value, path, key);
  path.push(key);
  let offset = 0;
  let bucketCounts: number[] = [];
  for (const field in message) {
    const v = message[field];
    if (v === null || v === undefined) continue;
    if (field === 'offset') offset = int32(v, path, field);
    else if (field === 'bucketCounts' || field === 'bucket_counts') bucketCounts = numbers(v, path, field, uint64Number);
  }
  path.pop();
  return { offset, bucketCounts };
}

function exponentialHistogramPoint(value: unknown, path: Path, index: number): ExponentialHistogramPoint {
  const point = object(value, path, index);
  path.push(index);
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  let count = 0;
  let sum: number | null = null;
  let scale = 0;
  let zeroCount = 0;
  let positive = { offset: 0, bucketCounts: [] as number[] };
  let negative = { offset: 0, bucketCounts: [] as number[] };
  for (const field in point) {
    const v = point[field];
    if (v === null || v === undefined) continue;
    switch (field) {
      case 'attributes':
        attributesInto(v, path, field, attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeUnixNano = uint64(v, path, field);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeUnixNano = uint64(v, path, field);
        break;
      case 'count':
        count = uint64Number(v, path, field);
        break;
      case 'sum':
        sum = double(v, path, field);
        break;
      case 'scale':
        scale = int32(v, path, field);
        break;
      case 'zeroCount':
      case 'zero_count':
        zeroCount = uint64Number(v, path, field);
        break;
      case 'positive':
        positive = buckets(v, path, field);
        break;
      case 'negative':
        negative = buckets(v, path, field);
        break;
      case 'flags':
        flags = uint32(v, path, field);
        break;
    }
  }
  path.pop();
  return { attributes, startTimeUnixNano, timeUnixNano, flags, count, sum, scale, zeroCount, positive, negative };
}

function summaryPoint(value: unknown, path: Path, index: number): SummaryPoint {
  const point = object(value, path, index);
  path.push(index);
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  for (const field in point) {
    const v = point[field];
    if (v === null || v === undefined) continue;
    switch (field) {
      case 'attributes':
        attributesInto(v, path, field, attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        startTimeUnixNano = uint64(v, path, field);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        timeUnixNano = uint64(v, path, field);
        break;
      case 'flags':
        flags = uint32(v, path, field);
        break;
    }
  }
  path.pop();
  return { attributes, startTimeUnixNano, timeUnixNano, flags };
}

/** Sum, Gauge, Histogram, ExponentialHistogram and Summary: dataPoints, and temporality and monotonic where they have them. */
function dataFields<P>(
  value: unknown,
  path: Path,
  key: Key,
  decodePoint: (element: unknown, path: Path, index: number) => P,
  points: P[],
): { temporality: Temporality; monotonic: boolean } {
  const message = object(value, path, key);
  path.push(key);
  const fields = { temporality: 'unspecified' as Temporality, monotonic: false };
  for (const field in message) {
    const v = message[field];
    if (v === null || v === undefined) continue;
    switch (field) {
      case 'dataPoints':
      case 'data_points':
        each(v, path, field, decodePoint, points);
        break;
      case 'aggregationTemporality':
      case 'aggregation_temporality':
        fields.temporality = temporality(v, path, field);
        break;
      case 'isMonotonic':
      case 'is_monotonic':
        fields.monotonic = bool(v, path, field);
        break;
    }
  }
  path.pop();
  return fields;
}

function metricData(value: unknown, path: Path, field: string): MetricData | null {
  switch (field) {
    case 'gauge': {
      const points: NumberPoint[] = [];
      dataFields(value, path, field, numberPoint, points);
      return { type: 'gauge', points };
    }
    case 'sum': {
      const points: NumberPoint[] = [];
      const { temporality, monotonic } = dataFields(value, path, field, numberPoint, points);
      return { type: 'sum', temporality, monotonic, points };
    }
    case 'histogram': {
      const points: HistogramPoint[] = [];
      const { temporality } = dataFields(value, path, field, histogramPoint, points);
      return { type: 'histogram', temporality, points };
    }
    case 'exponentialHistogram':
    case 'exponential_histogram': {
      const points: ExponentialHistogramPoint[] = [];
      const { temporality } = dataFields(value, path, field, exponentialHistogramPoint, points);
      return { type: 'exponential_histogram', temporality, points };
    }
    case 'summary': {
      const points: SummaryPoint[] = [];
      dataFields(value, path, field, summaryPoint, points);
      return { type: 'summary', points };
    }
    default:
      return null;
  }
}

function metric(value: unknown, path: Path, index: number): Metric {
  const message = object(value, path, index);
  path.push(index);
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData = { type: 'empty', points: [] };
  let dataField = '';
  for (const field in message) {
    const v = message[field];
    if (v === null || v === undefined) continue;
    if (field === 'name') name = string(v, path, field);
    else if (field === 'description') description = string(v, path, field);
    else if (field === 'unit') unit = string(v, path, field);
    else {
      const fieldData = metricData(v, path, field);
      if (fieldData === null) continue;
      if (dataField !== '') throw path.error(null, `sets both ${dataField} and ${field}; a metric has one kind of data`);
      data = fieldData;
      dataField = field;
    }
  }
  path.pop();
  return { name, description, unit, data };
}

function scopeMetrics(value: unknown, path: Path, index: number): ScopeMetrics {
  const message = object(value, path, index);
  path.push(index);
  const scope = { name: '', version: '' };
  const metrics: Metric[] = [];
  for (const field in message) {
    const v = message[field];
    if (v === null || v === undefined) continue;
    if (field === 'scope') {
      const scopeMessage = object(v, path, field);
      path.push(field);
      if (scopeMessage.name !== null && scopeMessage.name !== undefined) scope.name = string(scopeMessage.name, path, 'name');
      if (scopeMessage.version !== null && scopeMessage.version !== undefined) scope.version = string(scopeMessage.version, path, 'version');
      path.pop();
    } else if (field === 'metrics') each(v, path, field, metric, metrics);
  }
  path.pop();
  return { scope, metrics };
}

function resourceMetrics(value: unknown, path: Path, index: number): ResourceMetrics {
  const message = object(value, path, index);
  path.push(index);
  const resource: Attributes = {};
  const scopes: ScopeMetrics[] = [];
  for (const field in message) {
    const v = message[field];
    if (v === null || v === undefined) continue;
    if (field === 'resource') {
      const attributes = object(v, path, field).attributes;
      if (attributes === null || attributes === undefined) continue;
      path.push(field);
      attributesInto(attributes, path, 'attributes', resource);
      path.pop();
    } else if (field === 'scopeMetrics' || field === 'scope_metrics') each(v, path, field, scopeMetrics, scopes);
  }
  path.pop();
  return { resource, scopeMetrics: scopes };
}

/** Decodes an OTLP/JSON ExportMetricsServiceRequest; throws OtlpDecodeError, and only that, on bad input. */
export function decodeJsonMetricsRequest(body: Uint8Array): MetricsRequest {
  let root: unknown;
  try {
    root = JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const path = new Path();
  if (!isObject(root)) throw path.error(null, 'must be a JSON object');
  const out: ResourceMetrics[] = [];
  for (const field in root) {
    const v = root[field];
    if (v === null || v === undefined) continue;
    if (field === 'resourceMetrics' || field === 'resource_metrics') each(v, path, field, resourceMetrics, out);
  }
  return { resourceMetrics: out };
}
