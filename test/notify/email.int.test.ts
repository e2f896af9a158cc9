import { createServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessage } from '../../lib/notify/message.fixture';
import { sendToChannel } from '../../lib/notify/send';
import type { ChannelTarget } from '../../lib/notify/types';

interface ReceivedMail {
  user: string | undefined;
  from: string | undefined;
  to: string[];
  raw: string;
}

/** Undoes quoted-printable (RFC 2045) over a whole message: enough to read the bodies nodemailer wrote. */
function decodeQuotedPrintable(raw: string): string {
  const latin1 = Buffer.from(raw, 'utf8')
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

// A real SMTP server on loopback: AUTH over the plain connection (no certificate to trust in a test), a recipient it
// refuses for good and one it defers.
const received: ReceivedMail[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'umpire' && auth.password === 'smtp-pa55') return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === 'nobody@example.com') return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      if (address.address === 'later@example.com') return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          user: session.user,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null, 'Message queued as 1234');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function channel(overrides: Partial<{ host: string; to: string[]; secret: string | null; username: string }> = {}): ChannelTarget {
  return {
    slug: 'mail',
    config: {
      kind: 'email',
      host: overrides.host ?? '127.0.0.1',
      port,
      secure: false,
      username: overrides.username ?? 'umpire',
      from: 'umpire@example.com',
      to: overrides.to ?? ['oncall@example.com', 'lead@example.com'],
    },
    secret: overrides.secret === undefined ? 'smtp-pa55' : overrides.secret,
  };
}

describe('e-mail over SMTP, to a local server', () => {
  it('logs in and delivers the page to every recipient, with both bodies and the user strings escaped', async () => {
    const message = alertMessage({ slo: { slug: 'availability', name: 'Avail <script>alert(1)</script>', objective: 0.999, labels: {} } });
    const result = await sendToChannel(channel({ host: 'localhost' }), message);
    expect(result).toMatchObject({ ok: true, statusCode: 250, retryable: false });
    expect(result.response).toContain('Message queued as 1234');
    const mail = received.at(-1)!;
    expect(mail).toMatchObject({ user: 'umpire', from: 'umpire@example.com', to: ['oncall@example.com', 'lead@example.com'] });
    expect(mail.raw).toMatch(/^Subject: \[PAGE\] checkout-api\/availability burns its budget 14\.4x \(page\)\r?$/m);
    expect(mail.raw).toMatch(/^X-Umpire-Idempotency-Key: evt-1:trigger:ops-pager\r?$/m);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const decoded = decodeQuotedPrintable(mail.raw);
    expect(decoded).toContain('Budget left: 42%');
    const html = decoded.slice(decoded.indexOf('Content-Type: text/html'));
    expect(html).toContain('<h2 style="margin:0 0 8px">[PAGE] Checkout API / Avail &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).not.toContain('<script>');
  });

  it('a resolve is marked in the subject', async () => {
    expect(await sendToChannel(channel(), alertMessage({ action: 'resolve' }))).toMatchObject({ ok: true });
    expect(received.at(-1)!.raw).toMatch(/^Subject: \[RESOLVED\] /m);
  });

  it('a wrong password is a 535: final, and the password is not in the log', async () => {
    const result = await sendToChannel(channel({ secret: 'wrong-pa55' }), alertMessage());
    expect(result).toMatchObject({ ok: false, statusCode: 535, retryable: false });
    expect(result.response).not.toContain('wrong-pa55');
  });

  it('a recipient refused with 550 is final; one deferred with 451 may pass later', async () => {
    expect(await sendToChannel(channel({ to: ['nobody@example.com'] }), alertMessage())).toMatchObject({ ok: false, statusCode: 550, retryable: false });
    expect(await sendToChannel(channel({ to: ['later@example.com'] }), alertMessage())).toMatchObject({ ok: false, statusCode: 451, retryable: true });
  });

  it('some recipients refused: delivered to the rest, and the log names the refused', async () => {
    const result = await sendToChannel(channel({ to: ['oncall@example.com', 'nobody@example.com'] }), alertMessage());
    expect(result).toMatchObject({ ok: true, statusCode: 250 });
    expect(result.response).toContain('rejected: nobody@example.com');
    expect(received.at(-1)!.to).toEqual(['oncall@example.com']);
  });

  it.each(['169.254.169.254', 'metadata.google.internal'])('an SMTP host at %s is refused by the guard before connecting', async (host) => {
    const before = received.length;
    const result = await sendToChannel(channel({ host }), alertMessage());
    expect(result).toMatchObject({ ok: false, statusCode: null, retryable: false });
    expect(result.response).toMatch(/^Refused to connect: .*(link-local or cloud-metadata address|cloud-metadata endpoint)/);
    expect(received.length).toBe(before);
  });

  it('a server that accepts the connection but never greets times out, retryable', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const target = channel();
    const config = { ...target.config, port: (silent.address() as AddressInfo).port } as ChannelTarget['config'];
    const started = Date.now();
    const result = await sendToChannel({ ...target, config }, alertMessage(), { timeoutMs: 500 });
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(result).toEqual({ ok: false, statusCode: null, response: 'no answer within 500 ms', retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a server that is not there may be there later', async () => {
    const gone = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], logger: false });
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const gonePort = (gone.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const target = channel();
    const result = await sendToChannel({ ...target, config: { ...target.config, port: gonePort } as ChannelTarget['config'] }, alertMessage(), {
      timeoutMs: 2000,
    });
    expect(result).toMatchObject({ ok: false, statusCode: null, retryable: true });
  });
});
