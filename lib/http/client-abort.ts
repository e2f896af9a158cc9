/**
 * A client that hangs up mid-body is not a fault of Umpire's. Node reports it as `Error: aborted` with code
 * ECONNRESET, the same code a dropped database connection has, so it must be told apart by where it happened
 * (reading the request body) and not by its code: else it is logged as `database_unavailable` and answered 503.
 */

/** The request body ended before it was whole: the client went away, or its stream broke. */
export class ClientAbortedError extends Error {
  constructor(cause: unknown) {
    super('The request body ended before it was complete (the client went away)', { cause });
    this.name = 'ClientAbortedError';
  }
}

/** What a stream cut short throws: Node's "aborted", a premature close, an abort. */
const STREAM_CUT_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR', 'UND_ERR_ABORTED', 'UND_ERR_SOCKET']);

function isStreamCut(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return name === 'AbortError' || (typeof code === 'string' && STREAM_CUT_CODES.has(code)) || message === 'aborted';
}

/**
 * Whether a request failed because its client went away: a body read cut short (always), or, once the request's
 * signal says the client is gone, any error a cut stream or an abort throws (a handler reading the body itself).
 */
export function isClientAbort(error: unknown, signal?: AbortSignal | null): boolean {
  if (error instanceof ClientAbortedError) return true;
  return Boolean(signal?.aborted) && isStreamCut(error);
}

/** The body as text; a read that breaks off is a ClientAbortedError, whatever error the stream gave. */
export async function readBodyText(request: Request): Promise<string> {
  try {
    return await request.text();
  } catch (error) {
    throw new ClientAbortedError(error);
  }
}

/**
 * The body's bytes, or null as soon as they exceed `limit` (the rest is not read); a read that breaks off is a
 * ClientAbortedError.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch (error) {
    throw new ClientAbortedError(error);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
