import { describe, expect, test } from 'vitest';
import { ClientAbortedError, isClientAbort, readBodyBytes, readBodyText } from './client-abort';

/** What Node's IncomingMessage gives a reader when the client hangs up mid-body. */
const nodeAborted = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
const aborted = () => {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
};
const live = () => new AbortController().signal;

describe('isClientAbort', () => {
  test.each([
    ['a body read cut short, client still there by the signal', new ClientAbortedError(nodeAborted()), live(), true],
    ['a body read cut short, no signal', new ClientAbortedError(new Error('anything')), undefined, true],
    ["Node's aborted (ECONNRESET) once the client is gone", nodeAborted(), aborted(), true],
    ['an AbortError once the client is gone', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), aborted(), true],
    ['a premature close once the client is gone', Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), aborted(), true],
    // The database's ECONNRESET while the client waits is the database's (503), not the client's.
    ['ECONNRESET while the client is still there', nodeAborted(), live(), false],
    ['ECONNRESET with no signal', nodeAborted(), undefined, false],
    ["Prisma's unreachable database once the client is gone", Object.assign(new Error("Can't reach database server"), { code: 'P1001' }), aborted(), false],
    ['a plain error once the client is gone', new TypeError('x is undefined'), aborted(), false],
    ['a thrown string', 'aborted', aborted(), false],
    ['null', null, aborted(), false],
  ])('%s: %s', (_label, error, signal, want) => {
    expect(isClientAbort(error, signal)).toBe(want);
  });
});

/** A body stream that sends `sent`, then breaks as a hung-up client's does. */
function breakingBody(sent: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(sent));
      setTimeout(() => controller.error(nodeAborted()), 5);
    },
  });
}

const post = (body: BodyInit) => new Request('http://t/x', { method: 'POST', body, duplex: 'half' } as RequestInit);

describe('reading a body', () => {
  test('a body that breaks off is a ClientAbortedError carrying the stream error, as text or bytes', async () => {
    const text = await readBodyText(post(breakingBody('{"a":'))).catch((error: unknown) => error);
    expect(text).toBeInstanceOf(ClientAbortedError);
    expect((text as ClientAbortedError).cause).toMatchObject({ code: 'ECONNRESET' });
    await expect(readBodyBytes(post(breakingBody('\x0a\x10')), 1024)).rejects.toBeInstanceOf(ClientAbortedError);
  });

  test('a whole body is read; bytes beyond the limit give null', async () => {
    expect(await readBodyText(post('{"a":1}'))).toBe('{"a":1}');
    expect(Buffer.from((await readBodyBytes(post('abcdef'), 6))!).toString()).toBe('abcdef');
    expect(await readBodyBytes(post('abcdefg'), 6)).toBeNull();
    expect(await readBodyBytes(new Request('http://t/x', { method: 'POST' }), 6)).toEqual(new Uint8Array(0));
  });
});
