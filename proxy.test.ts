import { NextRequest } from 'next/server';
import { afterEach, describe, expect, test } from 'vitest';
import { reloadEnv } from './lib/env';
import { proxy } from './proxy';

const saved = process.env.UMPIRE_ANONYMOUS_READ;
afterEach(() => {
  if (saved === undefined) delete process.env.UMPIRE_ANONYMOUS_READ;
  else process.env.UMPIRE_ANONYMOUS_READ = saved;
  reloadEnv();
});

const page = (path: string, headers: Record<string, string> = {}) => proxy(new NextRequest(`http://umpire.test${path}`, { headers }));

describe('proxy', () => {
  test('nobody signed in: to the sign-in page, remembering where they were going', () => {
    const response = page('/services/checkout-api?range=7d');
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://umpire.test/login?next=%2Fservices%2Fcheckout-api%3Frange%3D7d');
    expect(page('/').headers.get('location')).toBe('http://umpire.test/login');
  });

  test('sign-in pages and anonymous reading go through, with a fresh nonce in the CSP every time', () => {
    const login = page('/login');
    expect(login.headers.get('location')).toBeNull();
    const csp = login.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page('/login').headers.get('content-security-policy')).not.toBe(csp);
    process.env.UMPIRE_ANONYMOUS_READ = 'on';
    reloadEnv();
    expect(page('/services/x').headers.get('location')).toBeNull();
  });

  test('a session cookie lets the page decide (it checks the session for real); over TLS, insecure loads are upgraded', () => {
    const response = page('/services/x', { cookie: 'umpire_session=whatever', 'x-forwarded-proto': 'https' });
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
