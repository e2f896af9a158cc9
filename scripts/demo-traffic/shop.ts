// The demo shop: a plain node:http server whose handlers take as long, and answer with the status, the traffic
// model says, and which records http.server.request.duration for every request it serves as the semantic
// conventions define it (seconds; http.request.method, http.route, http.response.status_code, error.type, ...).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attributes, Histogram } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { DEFAULT_BASELINE, outcome, ROUTES, type Baseline, type Faults, type Random, type Route } from './model';

export interface ShopOptions {
  requestDuration: Histogram;
  /** Read on every request, so faults changed at run time apply at once. */
  faults: () => Faults;
  rand: Random;
  baseline?: Baseline;
  /** 0: any free port. */
  port?: number;
  host?: string;
}

export interface RunningShop {
  url: string;
  close(): Promise<void>;
}

const matchers = ROUTES.map((route) => ({ route, pattern: new RegExp(`^${route.route.replace(/:[a-z]+/g, '[^/]+')}$`) }));

/** The route template a request path belongs to, and whether the method fits it. */
export function matchRoute(method: string, path: string): { route: Route | null; methodAllowed: boolean } {
  const found = matchers.filter((m) => m.pattern.test(path));
  const route = found.find((m) => m.route.method === method)?.route ?? null;
  return { route, methodAllowed: route !== null || found.length === 0 };
}

/** The attributes the semantic conventions require (and recommend) on http.server.request.duration. */
export function durationAttributes(request: Pick<IncomingMessage, 'method' | 'httpVersion'>, route: Route | null, status: number): Attributes {
  const method = request.method ?? 'GET';
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].includes(method) ? method : '_OTHER',
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
    [ATTR_URL_SCHEME]: 'http',
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
  };
  // Only a known route: raw paths would make one series per product id.
  if (route) attributes[ATTR_HTTP_ROUTE] = route.route;
  if (status >= 500) attributes[ATTR_ERROR_TYPE] = String(status);
  return attributes;
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function handle(options: ShopOptions, request: IncomingMessage, response: ServerResponse): void {
  const started = process.hrtime.bigint();
  const path = (request.url ?? '/').split('?', 1)[0]!;
  const { route, methodAllowed } = matchRoute(request.method ?? 'GET', path);
  let status = 404;
  response.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.requestDuration.record(seconds, durationAttributes(request, route, status));
  });
  request.resume(); // the checkout body is not read: the outcome comes from the model
  if (!route) {
    status = methodAllowed ? 404 : 405;
    respond(response, status, { error: methodAllowed ? 'not found' : 'method not allowed' });
    return;
  }
  const result = outcome(route, options.faults(), options.rand, options.baseline ?? DEFAULT_BASELINE);
  status = result.status;
  setTimeout(() => {
    if (response.destroyed) return;
    if (status >= 500) respond(response, status, { error: status === 503 ? 'inventory service unavailable' : 'internal error' });
    else if (status === 404) respond(response, 404, { error: 'no such product' });
    else respond(response, status, { ok: true, route: route.route });
  }, result.latencyMs);
}

export function startShop(options: ShopOptions): Promise<RunningShop> {
  const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => handle(options, request, response));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
