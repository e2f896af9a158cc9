// An OTLP/HTTP metrics body from its bytes and headers to a MetricsRequest, and the answers OTLP/HTTP expects
// back (ExportMetricsServiceResponse, google.rpc.Status) in the encoding the request came in.
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { decodeJsonMetricsRequest } from './json';
import { OtlpDecodeError, type MetricsRequest } from './model';
import { decodeProtobufMetricsRequest } from './protobuf';

export type OtlpFormat = 'protobuf' | 'json';

/** A Content-Type or Content-Encoding Umpire does not read; answered 415. */
export class OtlpUnsupportedMediaTypeError extends Error {
  override readonly name = 'OtlpUnsupportedMediaTypeError';
}

/** A body larger than the limit once decompressed (a gzip bomb stops here); answered 413. */
export class OtlpTooLargeError extends Error {
  override readonly name = 'OtlpTooLargeError';
}

export interface DecodeMetricsBodyOptions {
  contentType: string | null;
  contentEncoding: string | null;
  /** The most bytes the body may have after decompression. */
  maxDecodedBytes: number;
}

const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
const JSON_CONTENT_TYPE = 'application/json';

/** The wire format a Content-Type names (parameters and case ignored); OtlpUnsupportedMediaTypeError otherwise. */
export function formatOfContentType(contentType: string | null): OtlpFormat {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === PROTOBUF_CONTENT_TYPE || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === JSON_CONTENT_TYPE) return 'json';
  throw new OtlpUnsupportedMediaTypeError(
    contentType === null || mediaType === ''
      ? `a Content-Type is required: ${PROTOBUF_CONTENT_TYPE} or ${JSON_CONTENT_TYPE}`
      : `unsupported Content-Type "${contentType}": send ${PROTOBUF_CONTENT_TYPE} or ${JSON_CONTENT_TYPE}`,
  );
}

function isGzipped(contentEncoding: string | null): boolean {
  // A list such as "gzip, identity" is allowed; identity is a no-op, and one gzip layer is all senders use.
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return false;
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return true;
  throw new OtlpUnsupportedMediaTypeError(`unsupported Content-Encoding "${contentEncoding}": send gzip or identity`);
}

function gunzip(body: Uint8Array, maxDecodedBytes: number): Uint8Array {
  try {
    // maxOutputLength makes zlib stop as soon as the output passes the cap, so a bomb never inflates in memory.
    return gunzipSync(body, { maxOutputLength: Math.min(maxDecodedBytes, bufferConstants.MAX_LENGTH) });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new OtlpTooLargeError(`the body exceeds ${maxDecodedBytes} bytes once decompressed`);
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new OtlpDecodeError(`malformed gzip: ${(error as Error).message}`);
    }
    throw error;
  }
}

/**
 * Decodes a POST /v1/metrics body. Throws OtlpUnsupportedMediaTypeError (415), OtlpTooLargeError (413) or
 * OtlpDecodeError (400); anything else is a bug.
 */
export function decodeMetricsBody(body: Uint8Array, options: DecodeMetricsBodyOptions): MetricsRequest & { format: OtlpFormat } {
  const { maxDecodedBytes } = options;
  if (!Number.isSafeInteger(maxDecodedBytes) || maxDecodedBytes < 1) throw new RangeError(`maxDecodedBytes must be a positive integer, not ${maxDecodedBytes}`);
  const format = formatOfContentType(options.contentType);
  let bytes = body;
  if (isGzipped(options.contentEncoding)) {
    if (body.length === 0) throw new OtlpDecodeError('malformed gzip: the body is empty');
    bytes = gunzip(body, maxDecodedBytes);
  } else if (body.length > maxDecodedBytes) {
    throw new OtlpTooLargeError(`the body exceeds ${maxDecodedBytes} bytes`);
  }
  const request = format === 'protobuf' ? decodeProtobufMetricsRequest(bytes) : decodeJsonMetricsRequest(bytes);
  return { resourceMetrics: request.resourceMetrics, format };
}

export interface EncodedResponse {
  body: Uint8Array | string;
  contentType: string;
}

const utf8 = new TextEncoder();

/** Appends a varint; int32/int64 negatives take the ten-byte two's complement form protobuf specifies. */
function pushVarint(out: number[], value: number): void {
  let n = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
}

function pushString(out: number[], field: number, text: string): void {
  const bytes = utf8.encode(text);
  pushVarint(out, (field << 3) | 2);
  pushVarint(out, bytes.length);
  for (const byte of bytes) out.push(byte);
}

/**
 * The ExportMetricsServiceResponse for a request: empty when everything was accepted, partial_success when
 * points were rejected (or there is a warning to pass on), in the request's encoding.
 */
export function encodeExportResponse(format: OtlpFormat, partial: { rejectedDataPoints: number; errorMessage: string } | null): EncodedResponse {
  const empty = partial === null || (partial.rejectedDataPoints === 0 && partial.errorMessage === '');
  if (format === 'json') {
    if (empty) return { body: '{}', contentType: JSON_CONTENT_TYPE };
    const partialSuccess = { rejectedDataPoints: String(Math.trunc(partial.rejectedDataPoints)), errorMessage: partial.errorMessage };
    return { body: JSON.stringify({ partialSuccess }), contentType: JSON_CONTENT_TYPE };
  }
  if (empty) return { body: new Uint8Array(0), contentType: PROTOBUF_CONTENT_TYPE };
  const inner: number[] = [];
  if (partial.rejectedDataPoints !== 0) {
    pushVarint(inner, (1 << 3) | 0);
    pushVarint(inner, partial.rejectedDataPoints);
  }
  if (partial.errorMessage !== '') pushString(inner, 2, partial.errorMessage);
  const out: number[] = [];
  pushVarint(out, (1 << 3) | 2);
  pushVarint(out, inner.length);
  return { body: Uint8Array.from([...out, ...inner]), contentType: PROTOBUF_CONTENT_TYPE };
}

/** A google.rpc.Status, the body OTLP/HTTP error responses carry, in the request's encoding. */
export function encodeStatus(format: OtlpFormat, code: number, message: string): EncodedResponse {
  if (format === 'json') return { body: JSON.stringify({ code, message }), contentType: JSON_CONTENT_TYPE };
  const out: number[] = [];
  if (code !== 0) {
    pushVarint(out, (1 << 3) | 0);
    pushVarint(out, code);
  }
  if (message !== '') pushString(out, 2, message);
  return { body: Uint8Array.from(out), contentType: PROTOBUF_CONTENT_TYPE };
}
