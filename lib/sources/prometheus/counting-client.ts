import type { PrometheusClient } from './client';

/** Requests sent, per pass or benchmark run. */
export interface RequestCounter {
  requests: number;
}

/**
 * The same client, counting each query it sends (one HTTP request each) in `counter`; behaviour unchanged.
 * The counted client delegates to the original, so its connection settings and credentials stay where they are.
 */
export function countingClient(client: PrometheusClient, counter: RequestCounter): PrometheusClient {
  const counted = Object.create(client) as PrometheusClient;
  counted.query = (...args) => {
    counter.requests++;
    return client.query(...args);
  };
  counted.queryRange = (...args) => {
    counter.requests++;
    return client.queryRange(...args);
  };
  counted.buildInfo = (...args) => {
    counter.requests++;
    return client.buildInfo(...args);
  };
  return counted;
}
