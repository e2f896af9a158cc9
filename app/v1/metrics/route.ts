import { isClientAbort, readBodyBytes } from '@/lib/http/client-abort';
import { IngestLimitError } from '@/lib/errors';
import { isDatabaseUnavailable } from '@/lib/http/route';
import { log } from '@/lib/log';
import { decodeMetricsBody, encodeExportResponse, encodeStatus, OtlpTooLargeError, OtlpUnsupportedMediaTypeError } from '@/lib/otlp/decode';
import { OtlpDecodeError } from '@/lib/otlp/model';
import { recordIngest } from '@/lib/telemetry/metrics';
import { verifyApiToken } from '@/lib/use-cases/access/api-tokens';
import { ingestOtlp } from '@/lib/use-cases/ingest/ingest-otlp';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Request bodies (as sent, possibly gzip-compressed) above this are refused with 413. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Decompressed bodies above this are refused with 413 (a gzip bomb stops here). */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

// google.rpc.Code values used in OTLP error responses.
const INVALID_ARGUMENT = 3;
const UNAUTHENTICATED = 16;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;

type Format = 'protobuf' | 'json';

function formatOf(request: Request): Format {
  return /^\s*application\/json\b/i.test(request.headers.get('content-type') ?? '') ? 'json' : 'protobuf';
}

/** An OTLP/HTTP error: a google.rpc.Status in the request's encoding. */
function failure(format: Format, status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  const { body, contentType } = encodeStatus(format, code, message);
  return new Response(body as BodyInit, { status, headers: { 'content-type': contentType, ...headers } });
}

async function readBody(request: Request): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return null;
  return readBodyBytes(request, MAX_BODY_BYTES);
}

/**
 * The OTLP/HTTP metrics receiver: an SDK's OTLP exporter pointed at Umpire's base URL posts here. Ingest tokens
 * (Authorization: Bearer ...) only; the body is protobuf or JSON, gzip or not; the answer is the OTLP export
 * response, with partial success when some points were refused.
 */
export async function POST(request: Request): Promise<Response> {
  const started = performance.now();
  const format = formatOf(request);
  const authorization = request.headers.get('authorization');
  const presented = authorization && /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : null;
  try {
    const check = await verifyApiToken(presented, 'ingest');
    if (!check.ok) {
      const message = {
        missing: 'an ingest token is required: send Authorization: Bearer <token>',
        invalid: 'the token is not valid (unknown or revoked)',
        expired: 'the token has expired',
        scope: 'the token does not have the ingest scope',
      }[check.reason];
      log.warn('ingest.unauthorized', { reason: check.reason });
      return failure(format, 401, UNAUTHENTICATED, message, { 'www-authenticate': 'Bearer realm="umpire-otlp"' });
    }
    const body = await readBody(request);
    if (body === null) return failure(format, 413, RESOURCE_EXHAUSTED, `the body exceeds ${MAX_BODY_BYTES} bytes`);
    let decoded;
    try {
      decoded = decodeMetricsBody(body, {
        contentType: request.headers.get('content-type'),
        contentEncoding: request.headers.get('content-encoding'),
        maxDecodedBytes: MAX_DECODED_BYTES,
      });
    } catch (error) {
      if (error instanceof OtlpUnsupportedMediaTypeError) return failure('json', 415, INVALID_ARGUMENT, error.message);
      if (error instanceof OtlpTooLargeError) return failure(format, 413, RESOURCE_EXHAUSTED, error.message);
      if (error instanceof OtlpDecodeError) {
        log.warn('ingest.undecodable', { senderId: check.tokenId, format, reason: error.message });
        return failure(format, 400, INVALID_ARGUMENT, error.message);
      }
      throw error;
    }
    const result = await ingestOtlp(decoded, check.binding);
    recordIngest({ accepted: result.accepted, rejected: result.rejected, dropped: result.dropped });
    // Named as the sender: the logger redacts every field whose name says token.
    const fields = {
      senderId: check.tokenId,
      sender: check.binding.tokenName,
      format: decoded.format,
      accepted: result.accepted,
      rejected: result.rejected,
      dropped: result.dropped,
      duplicates: result.duplicates,
      buckets: result.buckets,
      ms: Math.round(performance.now() - started),
    };
    // A token pushing into SLOs it may not feed is how an attack (or a misconfigured exporter) shows: named, never its value.
    if (result.refusedSlos.length > 0)
      log.warn('ingest.slos_refused', { senderId: check.tokenId, sender: check.binding.tokenName, slos: result.refusedSlos.slice(0, 50) });
    if (result.rejected > 0 || result.notCatalogued > 0)
      log.warn('ingest.partial', { ...fields, notCatalogued: result.notCatalogued, reasons: result.errorMessage.slice(0, 2000) });
    else log.debug('ingest.request', fields);
    const { body: answer, contentType } = encodeExportResponse(
      decoded.format,
      result.errorMessage !== '' ? { rejectedDataPoints: result.rejected, errorMessage: result.errorMessage } : null,
    );
    return new Response(answer as BodyInit, { status: 200, headers: { 'content-type': contentType } });
  } catch (error) {
    // Before the database check: a hang-up's ECONNRESET would otherwise pass for the database's.
    if (isClientAbort(error, request.signal)) {
      log.info('request.aborted', { method: 'POST', path: '/v1/metrics' });
      return failure(format, 400, INVALID_ARGUMENT, 'the body ended before it was complete');
    }
    if (error instanceof IngestLimitError) {
      log.warn('ingest.refused', { reason: error.message, status: error.status });
      return failure(format, error.status, error.status === 413 ? RESOURCE_EXHAUSTED : INVALID_ARGUMENT, error.message);
    }
    if (isDatabaseUnavailable(error)) {
      log.error('ingest.database_unavailable', { error });
      return failure(format, 503, UNAVAILABLE, 'the database is unavailable; retry later', { 'retry-after': '5' });
    }
    log.error('ingest.failed', { error });
    return failure(format, 500, 13, 'internal error');
  }
}
