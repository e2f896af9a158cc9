import { describe, expect, it } from 'vitest';
import { OutboundBlockedError } from '../sources/http/outbound';
import { RESPONSE_LIMIT, failureResult, httpResult, redact, retryableStatus } from './deliver';

describe('retryableStatus', () => {
  it.each([
    [400, false],
    [401, false],
    [404, false],
    [408, true],
    [413, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [301, false],
  ])('%i -> %s', (status, want) => expect(retryableStatus(status)).toBe(want));
});

describe('responses', () => {
  it('are cut to the limit after the secret is taken out, so no part of it survives the cut', () => {
    const secret = 'S'.repeat(40);
    const text = redact(`${'a'.repeat(RESPONSE_LIMIT - 10)}${secret}${'b'.repeat(5000)}`, [secret]);
    expect(text).toHaveLength(RESPONSE_LIMIT);
    expect(text).not.toContain('SS');
  });

  it('take out the URL-encoded secret too', () => expect(redact('key=a%2Fb', ['a/b'])).toBe('key=[redacted]'));

  it('name the status when the body is empty', () =>
    expect(httpResult(202, '', [])).toEqual({ ok: true, statusCode: 202, response: 'HTTP 202', retryable: false }));

  it('a refusal by the guard is final; a connection error is not', () => {
    expect(failureResult(new OutboundBlockedError('Refused to connect: 169.254.169.254 is a link-local or cloud-metadata address'), [], 10)).toEqual({
      ok: false,
      statusCode: null,
      response: 'Refused to connect: 169.254.169.254 is a link-local or cloud-metadata address',
      retryable: false,
    });
    const wrapped = new TypeError('fetch failed', { cause: new OutboundBlockedError('metadata.example resolves to 169.254.169.254') });
    expect(failureResult(wrapped, [], 10)).toMatchObject({ response: 'metadata.example resolves to 169.254.169.254', retryable: false });
    expect(failureResult(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), [], 10)).toMatchObject({ retryable: true });
    expect(failureResult(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), [], 10)).toEqual({
      ok: false,
      statusCode: null,
      response: 'no answer within 10 ms',
      retryable: true,
    });
  });
});
