import { expect, test } from 'vitest';
import { PrometheusClient } from './client';
import { countingClient } from './counting-client';

test('counts every request it sends and answers exactly as the client it wraps', async () => {
  let sent = 0;
  const client = new PrometheusClient({
    baseUrl: 'http://prometheus.test',
    fetchImpl: async () => {
      sent++;
      return new Response('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[60,"1.5"]]}]}}');
    },
  });
  const counter = { requests: 0 };
  const counted = countingClient(client, counter);
  const at = new Date(60_000);
  expect(await counted.queryRange('up', at, at, 60)).toEqual(await client.queryRange('up', at, at, 60));
  await expect(counted.query('up', at)).resolves.toMatchObject({ resultType: 'matrix' });
  expect(counter.requests).toBe(2);
  expect(sent).toBe(3);
  expect(counted.baseUrl).toBe('http://prometheus.test');
});
