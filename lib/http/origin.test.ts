import { afterEach, expect, test } from 'vitest';
import { reloadEnv } from '../env';
import { publicOrigin } from './origin';

const request = (headers: Record<string, string>, url = 'http://localhost:3000/api/v1/embeds') => new Request(url, { headers });

afterEach(() => {
  delete process.env.UMPIRE_PUBLIC_URL;
  reloadEnv();
});

test.each([
  [{}, 'http://localhost:3000'],
  [{ host: '127.0.0.1:3107' }, 'http://127.0.0.1:3107'],
  [{ host: 'umpire.example.com', 'x-forwarded-proto': 'https' }, 'https://umpire.example.com'],
  [{ host: 'internal:3000', 'x-forwarded-host': 'umpire.example.com', 'x-forwarded-proto': 'https' }, 'https://umpire.example.com'],
  [{ host: '[::1]:3000' }, 'http://[::1]:3000'],
  [{ host: 'evil.com/"><script>' }, 'http://localhost:3000'],
  [{ host: 'umpire.example.com', 'x-forwarded-proto': 'javascript' }, 'http://localhost:3000'],
])('publicOrigin(%j) = %s', (headers, want) => {
  expect(publicOrigin(request(headers))).toBe(want);
});

test('UMPIRE_PUBLIC_URL wins', () => {
  process.env.UMPIRE_PUBLIC_URL = 'https://slo.example.com/';
  reloadEnv();
  expect(publicOrigin(request({ host: 'other:1' }))).toBe('https://slo.example.com');
});
