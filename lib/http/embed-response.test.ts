import { afterEach, expect, test } from 'vitest';
import { reloadEnv } from '../env';
import { embedHeaders, embedOrigin } from './embed-response';

const request = (headers: Record<string, string>) => new Request('http://localhost:3000/embed/t', { headers });

afterEach(() => {
  delete process.env.UMPIRE_PUBLIC_URL;
  reloadEnv();
});

// Without UMPIRE_PUBLIC_URL the links follow the asker's headers, so no shared cache may keep the answer.
test.each([
  [undefined, {}, 'http://localhost:3000', 'private, max-age=60'],
  [undefined, { host: 'umpire.internal:3000' }, 'http://umpire.internal:3000', 'private, max-age=60'],
  [undefined, { host: 'umpire.example.com', 'x-forwarded-host': 'evil.example' }, 'http://evil.example', 'private, max-age=60'],
  ['   ', { host: 'evil.example' }, 'http://evil.example', 'private, max-age=60'],
  [
    'https://slo.example.com/',
    { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    'https://slo.example.com',
    'public, max-age=60',
  ],
  ['https://slo.example.com', {}, 'https://slo.example.com', 'public, max-age=60'],
])('UMPIRE_PUBLIC_URL=%j, headers %j: links on %s, %s', (configured, headers, origin, cacheControl) => {
  if (configured !== undefined) process.env.UMPIRE_PUBLIC_URL = configured;
  reloadEnv();
  expect(embedOrigin(request(headers))).toEqual({ origin, cacheControl });
});

test('embed headers are shared-cacheable unless told otherwise', () => {
  expect(embedHeaders('image/svg+xml')['cache-control']).toBe('public, max-age=60');
  expect(embedHeaders('text/html', 'private, max-age=60')['cache-control']).toBe('private, max-age=60');
});
