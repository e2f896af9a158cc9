import { describe, expect, test } from 'vitest';
import { clientAddress, plainAddress, withPeer } from './forwarded';

describe('withPeer: what the server passes on', () => {
  test.each([
    [undefined, '127.0.0.1', '127.0.0.1'],
    ['', '10.0.0.2', '10.0.0.2'],
    ['203.0.113.9', '10.0.0.2', '203.0.113.9, 10.0.0.2'],
    ['  198.51.100.1 ,, 203.0.113.9 ', '10.0.0.2', '198.51.100.1, 203.0.113.9, 10.0.0.2'],
    [['198.51.100.1', '203.0.113.9'], '10.0.0.2', '198.51.100.1, 203.0.113.9, 10.0.0.2'],
    ['203.0.113.9', '::ffff:127.0.0.1', '203.0.113.9, 127.0.0.1'],
    ['203.0.113.9', '::1', '203.0.113.9, ::1'],
    ['203.0.113.9', undefined, '203.0.113.9, unknown'],
  ])('%j from %s gives %s', (sent, peer, expected) => {
    expect(withPeer(sent, peer)).toBe(expected);
  });
});

describe('clientAddress: who the client is', () => {
  test('without proxies it is the peer, whatever the client claimed before it', () => {
    expect(clientAddress(withPeer('203.0.113.9', '192.0.2.10'), 0)).toBe('192.0.2.10');
    expect(clientAddress(withPeer(undefined, '192.0.2.10'), 0)).toBe('192.0.2.10');
  });

  test('behind n proxies it is the address the outermost one saw, not what the client sent before', () => {
    // client 192.0.2.10 -> proxy 10.0.0.5 (appends the client) -> proxy 10.0.0.6 (appends 10.0.0.5) -> Umpire (appends 10.0.0.6)
    const chain = withPeer('203.0.113.9, 192.0.2.10, 10.0.0.5', '10.0.0.6');
    expect(clientAddress(chain, 2)).toBe('192.0.2.10');
    expect(clientAddress(withPeer('203.0.113.9, 192.0.2.10', '10.0.0.5'), 1)).toBe('192.0.2.10');
  });

  test('more proxies configured than entries: the first entry; nothing at all: unknown', () => {
    expect(clientAddress('10.0.0.5', 3)).toBe('10.0.0.5');
    expect(clientAddress(null, 0)).toBe('unknown');
    expect(clientAddress(' , ', 1)).toBe('unknown');
  });

  test('an entry is cut to 64 characters', () => {
    expect(clientAddress('x'.repeat(500), 0)).toHaveLength(64);
  });

  test('IPv4-mapped IPv6 reads as IPv4; other addresses are kept', () => {
    expect(plainAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(plainAddress('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(plainAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(plainAddress('::ffff:abcd')).toBe('::ffff:abcd');
  });
});
