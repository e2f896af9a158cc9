// A decoder for opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest (opentelemetry-proto v1.x)
// written against the wire format, not generated: it reads only what model.ts keeps, allocates nothing per byte
// and checks every length against its enclosing message, so any malformed body ends in an OtlpDecodeError.
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

/** model.ts keeps only the fields every point shares for summaries. */
type SummaryPoint = Extract<MetricData, { type: 'summary' }>['points'][number];

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;

const WIRE_TYPE_NAMES = ['0 (varint)', '1 (64-bit)', '2 (length-delimited)', '3 (start group)', '4 (end group)', '5 (32-bit)'];

/** Deeper AnyValue nesting is refused: each level costs a sender two bytes and us a stack frame. */
const MAX_ANY_VALUE_DEPTH = 32;

// fatal: false replaces invalid UTF-8 with U+FFFD instead of throwing: a bad byte in a label is not worth a 400.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
}

function malformed(message: string): OtlpDecodeError {
  return new OtlpDecodeError(`malformed protobuf: ${message}`);
}

/** A varint as a number: exact below 2^53, which covers lengths, tags, enums and counts. */
function readVarint(r: Reader, end: number): number {
  const buf = r.buf;
  let pos = r.pos;
  if (pos >= end) throw malformed(`varint at byte ${pos} runs past the end of its message`);
  let byte = buf[pos++]!;
  if (byte < 0x80) {
    r.pos = pos;
    return byte;
  }
  let value = byte & 0x7f;
  let scale = 0x80;
  for (let i = 1; i < 10; i++) {
    if (pos >= end) throw malformed(`varint at byte ${r.pos} runs past the end of its message`);
    byte = buf[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      r.pos = pos;
      return value;
    }
    scale *= 0x80;
  }
  throw malformed(`varint at byte ${r.pos} is longer than 10 bytes`);
}

/** An int64 varint as exact decimal text (two's complement, so -1 arrives as ten bytes). */
function readInt64Text(r: Reader, end: number): string {
  const buf = r.buf;
  const start = r.pos;
  let pos = start;
  let lo = 0;
  let hi = 0;
  let byte = 0;
  // Bits 0-27 come in the first four bytes, bits 28-34 straddle the halves, bits 35-63 follow.
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) throw malformed(`varint at byte ${start} runs past the end of its message`);
    byte = buf[pos++]!;
    lo |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      r.pos = pos;
      return String(lo >>> 0);
    }
  }
  if (pos >= end) throw malformed(`varint at byte ${start} runs past the end of its message`);
  byte = buf[pos++]!;
  lo |= (byte & 0x0f) << 28;
  hi = (byte & 0x7f) >> 4;
  if (byte >= 0x80) {
    for (let shift = 3; ; shift += 7) {
      if (shift > 31) throw malformed(`varint at byte ${start} is longer than 10 bytes`);
      if (pos >= end) throw malformed(`varint at byte ${start} runs past the end of its message`);
      byte = buf[pos++]!;
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
  }
  r.pos = pos;
  return int64Text(lo >>> 0, hi >>> 0);
}

function int64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  if (hi >= 0xffe00000) {
    // Negative with magnitude below 2^53: negate the two's complement in doubles, exactly.
    return String((hi - 0x100000000) * 0x100000000 + lo);
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function readTag(r: Reader, end: number): number {
  const at = r.pos;
  const tag = readVarint(r, end);
  if (tag > 0xffffffff) throw malformed(`tag at byte ${at} is out of range`);
  if (tag < 8) throw malformed(`field number 0 at byte ${at}`);
  return tag;
}

function wrongWireType(message: string, field: number, at: number, wireType: number, expected: string): OtlpDecodeError {
  const got = WIRE_TYPE_NAMES[wireType] ?? String(wireType);
  return malformed(`${message} field ${field} at byte ${at} has wire type ${got}, expected ${expected}`);
}

/** Reads a length-delimited field's length; returns where its payload ends. */
function lengthDelimited(r: Reader, end: number, wireType: number, message: string, field: number, at: number): number {
  if (wireType !== LEN) throw wrongWireType(message, field, at, wireType, WIRE_TYPE_NAMES[LEN]!);
  const length = readVarint(r, end);
  if (length > end - r.pos) {
    throw malformed(`length-delimited field ${field} of ${message} at byte ${at} runs past the end of its message`);
  }
  return r.pos + length;
}

/** Checks a 64-bit field and returns the position of its eight bytes. */
function fixed64At(r: Reader, end: number, wireType: number, message: string, field: number, at: number): number {
  if (wireType !== I64) throw wrongWireType(message, field, at, wireType, WIRE_TYPE_NAMES[I64]!);
  const pos = r.pos;
  if (end - pos < 8) throw malformed(`64-bit field ${field} of ${message} at byte ${at} runs past the end of its message`);
  r.pos = pos + 8;
  return pos;
}

function varintField(r: Reader, end: number, wireType: number, message: string, field: number, at: number): number {
  if (wireType !== VARINT) throw wrongWireType(message, field, at, wireType, WIRE_TYPE_NAMES[VARINT]!);
  return readVarint(r, end);
}

function uint64At(view: DataView, pos: number): number {
  return view.getUint32(pos + 4, true) * 0x100000000 + view.getUint32(pos, true);
}

function zigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

function temporalityOf(value: number): Temporality {
  return value === 1 ? 'delta' : value === 2 ? 'cumulative' : 'unspecified';
}

/** Skips a field we do not read, of any wire type, so newer senders' additions pass through. */
function skipField(r: Reader, end: number, wireType: number, message: string, field: number, at: number): void {
  switch (wireType) {
    case VARINT:
      readVarint(r, end);
      return;
    case I64:
      if (end - r.pos < 8) throw malformed(`64-bit field ${field} of ${message} at byte ${at} runs past the end of its message`);
      r.pos += 8;
      return;
    case LEN:
      r.pos = lengthDelimited(r, end, wireType, message, field, at);
      return;
    case I32:
      if (end - r.pos < 4) throw malformed(`32-bit field ${field} of ${message} at byte ${at} runs past the end of its message`);
      r.pos += 4;
      return;
    case SGROUP:
      skipGroup(r, end, message, field, at);
      return;
    case EGROUP:
      throw malformed(`end-group field ${field} at byte ${at} in ${message} closes no group`);
    default:
      throw malformed(`field ${field} of ${message} at byte ${at} has invalid wire type ${wireType}`);
  }
}

// Groups (proto2) can nest; a stack of open field numbers keeps this iterative whatever the sender nests.
function skipGroup(r: Reader, end: number, message: string, field: number, at: number): void {
  const open = [field];
  while (open.length > 0) {
    if (r.pos >= end) throw malformed(`group field ${field} of ${message} at byte ${at} is never closed`);
    const innerAt = r.pos;
    const tag = readTag(r, end);
    const innerField = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === SGROUP) open.push(innerField);
    else if (wireType === EGROUP) {
      if (open.pop() !== innerField) throw malformed(`end-group field ${innerField} at byte ${innerAt} does not match its start group`);
    } else skipField(r, end, wireType, message, innerField, innerAt);
  }
}

// Names, keys and most values repeat across thousands of points. Short ASCII strings are looked up by their
// length and a few of their bytes, compared in full and reused: that saves a TextDecoder call (slow for short
// strings) and an allocation per string.
const CACHED_STRING_MAX_LENGTH = 64;
const STRING_CACHE_BITS = 12;
const stringCache: string[] = new Array<string>(1 << STRING_CACHE_BITS).fill('');

function readString(r: Reader, end: number): string {
  const buf = r.buf;
  const start = r.pos;
  const length = end - start;
  r.pos = end;
  if (length === 0) return '';
  if (length > CACHED_STRING_MAX_LENGTH) return utf8.decode(buf.subarray(start, end));
  const last = end - 1;
  const sample = (buf[start]! | (buf[last]! << 8) | (buf[last - (length >> 1)]! << 16) | (buf[last - (length >> 2)]! << 24)) ^ length;
  const slot = Math.imul(sample, 0x9e3779b1) >>> (32 - STRING_CACHE_BITS);
  const cached = stringCache[slot]!;
  if (cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === length) return cached;
  }
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    if (byte >= 0x80) return utf8.decode(buf.subarray(start, end));
    text += String.fromCharCode(byte);
  }
  stringCache[slot] = text;
  return text;
}

function setAttribute(attributes: Attributes, key: string, value: string): void {
  // A plain assignment to "__proto__" would change the object's prototype instead of adding the key.
  if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  else attributes[key] = value;
}

// Metric attributes are low-cardinality by design, so the same KeyValue bytes recur in point after point. The
// last KeyValue seen per hash slot is kept (bytes in one preallocated arena, decoded key and text beside them);
// a byte-for-byte match reuses the decoded pair without parsing or allocating anything.
const KEY_VALUE_CACHE_SIZE = 4096;
const KEY_VALUE_CACHE_MAX_LENGTH = 96;
const keyValueArena = new Uint8Array(KEY_VALUE_CACHE_SIZE * KEY_VALUE_CACHE_MAX_LENGTH);
const keyValueArenaView = new DataView(keyValueArena.buffer);
const keyValueLengths = new Int32Array(KEY_VALUE_CACHE_SIZE);
const keyValueKeys: string[] = new Array<string>(KEY_VALUE_CACHE_SIZE).fill('');
const keyValueTexts: string[] = new Array<string>(KEY_VALUE_CACHE_SIZE).fill('');

function decodeKeyValue(r: Reader, end: number, attributes: Attributes): void {
  const buf = r.buf;
  const view = r.view;
  const start = r.pos;
  const length = end - start;
  if (length === 0 || length > KEY_VALUE_CACHE_MAX_LENGTH) {
    decodeKeyValueFields(r, end, attributes, -1);
    return;
  }
  // Four bytes at a time: hashing and comparing dominate the cost of a hit.
  const words = end - 3;
  let hash = length;
  let i = start;
  for (; i < words; i += 4) hash = Math.imul(hash ^ view.getUint32(i, true), 0x9e3779b1);
  for (; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x9e3779b1);
  const slot = (hash ^ (hash >>> 15)) & (KEY_VALUE_CACHE_SIZE - 1);
  if (keyValueLengths[slot] === length) {
    const offset = slot * KEY_VALUE_CACHE_MAX_LENGTH - start;
    i = start;
    while (i < words && keyValueArenaView.getUint32(offset + i, true) === view.getUint32(i, true)) i += 4;
    if (i >= words) while (i < end && keyValueArena[offset + i] === buf[i]) i++;
    if (i === end) {
      setAttribute(attributes, keyValueKeys[slot]!, keyValueTexts[slot]!);
      r.pos = end;
      return;
    }
  }
  decodeKeyValueFields(r, end, attributes, slot);
}

function decodeKeyValueFields(r: Reader, end: number, attributes: Attributes, cacheSlot: number): void {
  const start = r.pos;
  let key = '';
  let value = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) key = readString(r, lengthDelimited(r, end, wireType, 'KeyValue', field, at));
    else if (field === 2) value = decodeAnyValue(r, lengthDelimited(r, end, wireType, 'KeyValue', field, at), 0, false);
    else skipField(r, end, wireType, 'KeyValue', field, at);
  }
  setAttribute(attributes, key, value);
  if (cacheSlot >= 0) {
    const buf = r.buf;
    const base = cacheSlot * KEY_VALUE_CACHE_MAX_LENGTH;
    for (let i = start; i < end; i++) keyValueArena[base + i - start] = buf[i]!;
    keyValueLengths[cacheSlot] = end - start;
    keyValueKeys[cacheSlot] = key;
    keyValueTexts[cacheSlot] = value;
  }
}

/**
 * An AnyValue as the text model.ts describes; inside arrays and key/value lists (`nested`) as a JSON value.
 * An unset AnyValue is "" at the top and null inside JSON.
 */
function decodeAnyValue(r: Reader, end: number, depth: number, nested: boolean): string {
  let text = nested ? 'null' : '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 1: {
        const value = readString(r, lengthDelimited(r, end, wireType, 'AnyValue', field, at));
        text = nested ? JSON.stringify(value) : value;
        break;
      }
      case 2:
        text = varintField(r, end, wireType, 'AnyValue', field, at) === 0 ? 'false' : 'true';
        break;
      case 3:
        if (wireType !== VARINT) throw wrongWireType('AnyValue', field, at, wireType, WIRE_TYPE_NAMES[VARINT]!);
        text = readInt64Text(r, end);
        break;
      case 4: {
        const value = r.view.getFloat64(fixed64At(r, end, wireType, 'AnyValue', field, at), true);
        text = nested && !Number.isFinite(value) ? `"${value}"` : String(value);
        break;
      }
      case 5:
      case 6: {
        const valueEnd = lengthDelimited(r, end, wireType, 'AnyValue', field, at);
        if (depth >= MAX_ANY_VALUE_DEPTH) throw malformed(`AnyValue at byte ${at} is nested more than ${MAX_ANY_VALUE_DEPTH} levels deep`);
        text = field === 5 ? decodeArrayValue(r, valueEnd, depth + 1) : decodeKeyValueList(r, valueEnd, depth + 1);
        break;
      }
      case 7: {
        const valueEnd = lengthDelimited(r, end, wireType, 'AnyValue', field, at);
        const base64 = Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, valueEnd - r.pos).toString('base64');
        r.pos = valueEnd;
        text = nested ? `"${base64}"` : base64;
        break;
      }
      default:
        skipField(r, end, wireType, 'AnyValue', field, at);
    }
  }
  return text;
}

function decodeArrayValue(r: Reader, end: number, depth: number): string {
  let json = '[';
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      const value = decodeAnyValue(r, lengthDelimited(r, end, wireType, 'ArrayValue', field, at), depth, true);
      json += json.length === 1 ? value : `,${value}`;
    } else skipField(r, end, wireType, 'ArrayValue', field, at);
  }
  return `${json}]`;
}

function decodeKeyValueList(r: Reader, end: number, depth: number): string {
  let json = '{';
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field !== 1) {
      skipField(r, end, wireType, 'KeyValueList', field, at);
      continue;
    }
    const entryEnd = lengthDelimited(r, end, wireType, 'KeyValueList', field, at);
    let key = '';
    let value = 'null';
    while (r.pos < entryEnd) {
      const entryAt = r.pos;
      const entryTag = readTag(r, entryEnd);
      const entryField = entryTag >>> 3;
      const entryWireType = entryTag & 7;
      if (entryField === 1) key = readString(r, lengthDelimited(r, entryEnd, entryWireType, 'KeyValue', entryField, entryAt));
      else if (entryField === 2) value = decodeAnyValue(r, lengthDelimited(r, entryEnd, entryWireType, 'KeyValue', entryField, entryAt), depth, true);
      else skipField(r, entryEnd, entryWireType, 'KeyValue', entryField, entryAt);
    }
    json += `${json.length === 1 ? '' : ','}${JSON.stringify(key)}:${value}`;
  }
  return `${json}}`;
}

function decodeResource(r: Reader, end: number, attributes: Attributes): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) decodeKeyValue(r, lengthDelimited(r, end, wireType, 'Resource', field, at), attributes);
    else skipField(r, end, wireType, 'Resource', field, at);
  }
}

function decodeScope(r: Reader, end: number, scope: { name: string; version: string }): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) scope.name = readString(r, lengthDelimited(r, end, wireType, 'InstrumentationScope', field, at));
    else if (field === 2) scope.version = readString(r, lengthDelimited(r, end, wireType, 'InstrumentationScope', field, at));
    else skipField(r, end, wireType, 'InstrumentationScope', field, at);
  }
}

function decodeNumberPoint(r: Reader, end: number): NumberPoint {
  const view = r.view;
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  // No value set is an invalid point by the spec; NaN keeps it visibly valueless rather than a plausible 0.
  let value = NaN;
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 7:
        decodeKeyValue(r, lengthDelimited(r, end, wireType, 'NumberDataPoint', field, at), attributes);
        break;
      case 2:
        startTimeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'NumberDataPoint', field, at), true);
        break;
      case 3:
        timeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'NumberDataPoint', field, at), true);
        break;
      case 4:
        value = view.getFloat64(fixed64At(r, end, wireType, 'NumberDataPoint', field, at), true);
        break;
      case 6: {
        const pos = fixed64At(r, end, wireType, 'NumberDataPoint', field, at);
        value = view.getInt32(pos + 4, true) * 0x100000000 + view.getUint32(pos, true);
        break;
      }
      case 8:
        flags = varintField(r, end, wireType, 'NumberDataPoint', field, at) >>> 0;
        break;
      default:
        skipField(r, end, wireType, 'NumberDataPoint', field, at);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, flags, value };
}

/**
 * HistogramDataPoint's repeated fixed64 or double: packed (one length-delimited run, what senders use) or one
 * field per value, which parsers must accept too. Appends to `values`, or sizes a new array once.
 */
function readRepeated64(r: Reader, end: number, wireType: number, field: number, at: number, values: number[] | null, asDouble: boolean): number[] {
  const view = r.view;
  if (wireType === I64) {
    const pos = fixed64At(r, end, wireType, 'HistogramDataPoint', field, at);
    const value = asDouble ? view.getFloat64(pos, true) : uint64At(view, pos);
    if (values === null) return [value];
    values.push(value);
    return values;
  }
  if (wireType !== LEN) throw wrongWireType('HistogramDataPoint', field, at, wireType, '1 (64-bit) or 2 (length-delimited)');
  const packedEnd = lengthDelimited(r, end, wireType, 'HistogramDataPoint', field, at);
  const start = r.pos;
  r.pos = packedEnd;
  if ((packedEnd - start) % 8 !== 0) {
    throw malformed(`packed field ${field} of HistogramDataPoint at byte ${at} is ${packedEnd - start} bytes, not a multiple of 8`);
  }
  const out = values ?? new Array<number>((packedEnd - start) / 8);
  let index = values === null ? 0 : values.length;
  if (asDouble) for (let pos = start; pos < packedEnd; pos += 8) out[index++] = view.getFloat64(pos, true);
  else for (let pos = start; pos < packedEnd; pos += 8) out[index++] = uint64At(view, pos);
  return out;
}

function decodeHistogramPoint(r: Reader, end: number): HistogramPoint {
  const view = r.view;
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  let count = 0;
  let sum: number | null = null;
  let bucketCounts: number[] | null = null;
  let explicitBounds: number[] | null = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 9:
        decodeKeyValue(r, lengthDelimited(r, end, wireType, 'HistogramDataPoint', field, at), attributes);
        break;
      case 2:
        startTimeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'HistogramDataPoint', field, at), true);
        break;
      case 3:
        timeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'HistogramDataPoint', field, at), true);
        break;
      case 4:
        count = uint64At(view, fixed64At(r, end, wireType, 'HistogramDataPoint', field, at));
        break;
      case 5:
        sum = view.getFloat64(fixed64At(r, end, wireType, 'HistogramDataPoint', field, at), true);
        break;
      case 6:
        bucketCounts = readRepeated64(r, end, wireType, field, at, bucketCounts, false);
        break;
      case 7:
        explicitBounds = readRepeated64(r, end, wireType, field, at, explicitBounds, true);
        break;
      case 10:
        flags = varintField(r, end, wireType, 'HistogramDataPoint', field, at) >>> 0;
        break;
      default:
        skipField(r, end, wireType, 'HistogramDataPoint', field, at);
    }
  }
  return {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    flags,
    count,
    sum,
    bucketCounts: bucketCounts ?? [],
    explicitBounds: explicitBounds ?? [],
  };
}

function decodeBuckets(r: Reader, end: number): { offset: number; bucketCounts: number[] } {
  let offset = 0;
  const bucketCounts: number[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) offset = zigzag32(varintField(r, end, wireType, 'Buckets', field, at));
    else if (field === 2 && wireType === VARINT) bucketCounts.push(readVarint(r, end));
    else if (field === 2) {
      if (wireType !== LEN) throw wrongWireType('Buckets', field, at, wireType, '0 (varint) or 2 (length-delimited)');
      const packedEnd = lengthDelimited(r, end, wireType, 'Buckets', field, at);
      while (r.pos < packedEnd) bucketCounts.push(readVarint(r, packedEnd));
    } else skipField(r, end, wireType, 'Buckets', field, at);
  }
  return { offset, bucketCounts };
}

function decodeExponentialHistogramPoint(r: Reader, end: number): ExponentialHistogramPoint {
  const view = r.view;
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
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 1:
        decodeKeyValue(r, lengthDelimited(r, end, wireType, 'ExponentialHistogramDataPoint', field, at), attributes);
        break;
      case 2:
        startTimeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'ExponentialHistogramDataPoint', field, at), true);
        break;
      case 3:
        timeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'ExponentialHistogramDataPoint', field, at), true);
        break;
      case 4:
        count = uint64At(view, fixed64At(r, end, wireType, 'ExponentialHistogramDataPoint', field, at));
        break;
      case 5:
        sum = view.getFloat64(fixed64At(r, end, wireType, 'ExponentialHistogramDataPoint', field, at), true);
        break;
      case 6:
        scale = zigzag32(varintField(r, end, wireType, 'ExponentialHistogramDataPoint', field, at));
        break;
      case 7:
        zeroCount = uint64At(view, fixed64At(r, end, wireType, 'ExponentialHistogramDataPoint', field, at));
        break;
      case 8:
        positive = decodeBuckets(r, lengthDelimited(r, end, wireType, 'ExponentialHistogramDataPoint', field, at));
        break;
      case 9:
        negative = decodeBuckets(r, lengthDelimited(r, end, wireType, 'ExponentialHistogramDataPoint', field, at));
        break;
      case 10:
        flags = varintField(r, end, wireType, 'ExponentialHistogramDataPoint', field, at) >>> 0;
        break;
      default:
        skipField(r, end, wireType, 'ExponentialHistogramDataPoint', field, at);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, flags, count, sum, scale, zeroCount, positive, negative };
}

function decodeSummaryPoint(r: Reader, end: number): SummaryPoint {
  const view = r.view;
  const attributes: Attributes = {};
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let flags = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 7:
        decodeKeyValue(r, lengthDelimited(r, end, wireType, 'SummaryDataPoint', field, at), attributes);
        break;
      case 2:
        startTimeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'SummaryDataPoint', field, at), true);
        break;
      case 3:
        timeUnixNano = view.getBigUint64(fixed64At(r, end, wireType, 'SummaryDataPoint', field, at), true);
        break;
      case 8:
        flags = varintField(r, end, wireType, 'SummaryDataPoint', field, at) >>> 0;
        break;
      default:
        skipField(r, end, wireType, 'SummaryDataPoint', field, at);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, flags };
}

interface DataFields {
  temporality: Temporality;
  monotonic: boolean;
}

/** Sum, Gauge, Histogram, ExponentialHistogram and Summary share a layout: points in field 1, temporality in 2. */
function decodeDataFields<P>(
  r: Reader,
  end: number,
  message: string,
  decodePoint: (r: Reader, end: number) => P,
  points: P[],
  known: { temporality: boolean; monotonic: boolean },
): DataFields {
  const fields: DataFields = { temporality: 'unspecified', monotonic: false };
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) points.push(decodePoint(r, lengthDelimited(r, end, wireType, message, field, at)));
    else if (field === 2 && known.temporality) fields.temporality = temporalityOf(varintField(r, end, wireType, message, field, at));
    else if (field === 3 && known.monotonic) fields.monotonic = varintField(r, end, wireType, message, field, at) !== 0;
    else skipField(r, end, wireType, message, field, at);
  }
  return fields;
}

const NONE = { temporality: false, monotonic: false };
const TEMPORALITY = { temporality: true, monotonic: false };
const TEMPORALITY_AND_MONOTONIC = { temporality: true, monotonic: true };

function decodeData(r: Reader, end: number, metricField: number): MetricData {
  switch (metricField) {
    case 5: {
      const points: NumberPoint[] = [];
      decodeDataFields(r, end, 'Gauge', decodeNumberPoint, points, NONE);
      return { type: 'gauge', points };
    }
    case 7: {
      const points: NumberPoint[] = [];
      const { temporality, monotonic } = decodeDataFields(r, end, 'Sum', decodeNumberPoint, points, TEMPORALITY_AND_MONOTONIC);
      return { type: 'sum', temporality, monotonic, points };
    }
    case 9: {
      const points: HistogramPoint[] = [];
      const { temporality } = decodeDataFields(r, end, 'Histogram', decodeHistogramPoint, points, TEMPORALITY);
      return { type: 'histogram', temporality, points };
    }
    case 10: {
      const points: ExponentialHistogramPoint[] = [];
      const { temporality } = decodeDataFields(r, end, 'ExponentialHistogram', decodeExponentialHistogramPoint, points, TEMPORALITY);
      return { type: 'exponential_histogram', temporality, points };
    }
    default: {
      const points: SummaryPoint[] = [];
      decodeDataFields(r, end, 'Summary', decodeSummaryPoint, points, NONE);
      return { type: 'summary', points };
    }
  }
}

function decodeMetric(r: Reader, end: number): Metric {
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData = { type: 'empty', points: [] };
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 1:
        name = readString(r, lengthDelimited(r, end, wireType, 'Metric', field, at));
        break;
      case 2:
        description = readString(r, lengthDelimited(r, end, wireType, 'Metric', field, at));
        break;
      case 3:
        unit = readString(r, lengthDelimited(r, end, wireType, 'Metric', field, at));
        break;
      // The data oneof: senders set one; if several arrive, the last wins as protobuf specifies.
      case 5:
      case 7:
      case 9:
      case 10:
      case 11:
        data = decodeData(r, lengthDelimited(r, end, wireType, 'Metric', field, at), field);
        break;
      default:
        skipField(r, end, wireType, 'Metric', field, at);
    }
  }
  return { name, description, unit, data };
}

function decodeScopeMetrics(r: Reader, end: number): ScopeMetrics {
  const scope = { name: '', version: '' };
  const metrics: Metric[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) decodeScope(r, lengthDelimited(r, end, wireType, 'ScopeMetrics', field, at), scope);
    else if (field === 2) metrics.push(decodeMetric(r, lengthDelimited(r, end, wireType, 'ScopeMetrics', field, at)));
    else skipField(r, end, wireType, 'ScopeMetrics', field, at);
  }
  return { scope, metrics };
}

function decodeResourceMetrics(r: Reader, end: number): ResourceMetrics {
  const resource: Attributes = {};
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) decodeResource(r, lengthDelimited(r, end, wireType, 'ResourceMetrics', field, at), resource);
    else if (field === 2) scopeMetrics.push(decodeScopeMetrics(r, lengthDelimited(r, end, wireType, 'ResourceMetrics', field, at)));
    else skipField(r, end, wireType, 'ResourceMetrics', field, at);
  }
  return { resource, scopeMetrics };
}

/** Decodes an ExportMetricsServiceRequest; throws OtlpDecodeError, and only that, on malformed input. */
export function decodeProtobufMetricsRequest(body: Uint8Array): MetricsRequest {
  const r = new Reader(body);
  const end = body.length;
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = readTag(r, end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) resourceMetrics.push(decodeResourceMetrics(r, lengthDelimited(r, end, wireType, 'ExportMetricsServiceRequest', field, at)));
    else skipField(r, end, wireType, 'ExportMetricsServiceRequest', field, at);
  }
  return { resourceMetrics };
}
