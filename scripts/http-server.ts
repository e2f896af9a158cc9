/**
 * The limits of Umpire's HTTP server (scripts/server.ts), apart from Next so a test can hold them against a
 * real socket. Node's defaults let a client hold a connection for minutes by sending its headers or body a byte
 * at a time, and accept connections until the process runs out of file descriptors.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /** From the first byte of a request to its last (headers and body); then 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** From the first byte of a request (or the connection, for the first) to the end of its headers; then 408. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; the ones beyond are closed as soon as they are accepted. */
  maxConnections: number;
  /** How often the two timeouts above are checked: they fire up to this much late. */
  checkIntervalMs: number;
}

/** Headers are small: a client that needs longer than this to send them is not sending a request. */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * Longer than the idle timeout of the proxies Umpire usually sits behind (nginx's upstream keepalive_timeout and
 * AWS load balancers: 60 s), so the proxy, not Umpire, closes an idle connection: else a request the proxy sends
 * just as Umpire closes it fails with a 502.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The limits for UMPIRE_REQUEST_TIMEOUT_SECONDS and UMPIRE_MAX_CONNECTIONS (lib/env.ts). */
export function serverLimits(config: { requestTimeoutSeconds: number; maxConnections: number }): ServerLimits {
  const requestTimeoutMs = config.requestTimeoutSeconds * 1000;
  return {
    requestTimeoutMs,
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeoutMs: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.maxConnections,
    checkIntervalMs: 1000,
  };
}

/** A node:http server that holds to `limits`. */
export function createLimitedServer(listener: RequestListener, limits: ServerLimits): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
