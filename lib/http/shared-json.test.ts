import { describe, expect, test } from 'vitest';
import { sharedJsonResponse } from './shared-json';

const get = (headers: Record<string, string> = {}) => new Request('http://umpire.test/api/v1/services', { headers });

describe('sharedJsonResponse', () => {
  test('serialises an answer once, however many ask for it, and tags it', async () => {
    const answer = [{ slug: 'checkout' }];
    let built = 0;
    const build = (value: typeof answer) => {
      built++;
      return { services: value };
    };
    const first = sharedJsonResponse(get(), answer, build);
    const second = sharedJsonResponse(get(), answer, build);
    expect(built).toBe(1);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.headers.get('cache-control')).toBe('private, no-cache, no-transform');
    expect(await first.text()).toBe('{"services":[{"slug":"checkout"}]}');
    expect(await second.text()).toBe('{"services":[{"slug":"checkout"}]}');
    expect(first.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  test('a new answer is serialised again; its tag changes with its content only', () => {
    const a = sharedJsonResponse(get(), [{ slug: 'a' }], (v) => v);
    const b = sharedJsonResponse(get(), [{ slug: 'b' }], (v) => v);
    const again = sharedJsonResponse(get(), [{ slug: 'a' }], (v) => v);
    expect(b.headers.get('etag')).not.toBe(a.headers.get('etag'));
    expect(again.headers.get('etag')).toBe(a.headers.get('etag'));
  });

  test('If-None-Match naming the answer gets 304 without a body; another tag gets the answer', async () => {
    const answer = [{ slug: 'checkout' }];
    const etag = sharedJsonResponse(get(), answer, (v) => v).headers.get('etag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const response = sharedJsonResponse(get({ 'if-none-match': header }), answer, (v) => v);
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
    }
    const stale = sharedJsonResponse(get({ 'if-none-match': '"other"' }), answer, (v) => v);
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe('[{"slug":"checkout"}]');
  });
});
