import { describe, expect, test } from 'vitest';
import { OptionsError, parseDuration, parseOptions } from './options';

describe('parseOptions', () => {
  test('defaults: local Umpire, demo-shop, 20 req/s, no faults, 10 s exports, run until quit', () => {
    expect(parseOptions([], {})).toEqual({
      umpireUrl: 'http://127.0.0.1:3000',
      token: undefined,
      apiToken: undefined,
      service: 'demo-shop',
      rate: 20,
      faults: { errorRatio: 0, errorRoutes: 'all', addedLatencyMs: 0 },
      durationMs: undefined,
      port: 0,
      exportIntervalMs: 10_000,
      seed: undefined,
      help: false,
    });
  });

  test('UMPIRE_URL and UMPIRE_TOKEN come from the environment; flags win', () => {
    expect(parseOptions([], { UMPIRE_URL: 'http://umpire:8080/', UMPIRE_TOKEN: 'umpire_abc' })).toMatchObject({
      umpireUrl: 'http://umpire:8080',
      token: 'umpire_abc',
    });
    expect(parseOptions(['--umpire', 'https://u.example', '--token', 't2'], { UMPIRE_URL: 'http://x', UMPIRE_TOKEN: 't1' })).toMatchObject({
      umpireUrl: 'https://u.example',
      token: 't2',
    });
    expect(parseOptions([], { UMPIRE_TOKEN: '' }).token).toBeUndefined();
    expect(parseOptions([], { UMPIRE_API_TOKEN: 'umpire_api' }).apiToken).toBe('umpire_api');
    expect(parseOptions(['--api-token', 'umpire_flag'], { UMPIRE_API_TOKEN: 'umpire_api' }).apiToken).toBe('umpire_flag');
  });

  test('non-interactive faults: --errors 0.3 --latency 800 --duration 10m', () => {
    expect(parseOptions(['--errors', '0.3', '--latency', '800', '--duration', '10m'], {})).toMatchObject({
      faults: { errorRatio: 0.3, errorRoutes: 'all', addedLatencyMs: 800 },
      durationMs: 600_000,
    });
    expect(parseOptions(['--errors', '1', '--error-route', '/checkout', '--error-route', 'cart'], {}).faults.errorRoutes).toEqual(['/checkout', '/cart']);
  });

  test.each([
    [['--errors', '30'], '--errors must be a number from 0 to 1'],
    [['--errors', 'lots'], '--errors must be a number'],
    [['--latency=-5'], '--latency must be a number from 0'],
    [['--rate', '0'], '--rate must be a number from 0.1'],
    [['--duration', '10 minutes'], '--duration must be a duration such as 90s'],
    [['--port', '3.5'], '--port must be a whole number'],
    [['--service', 'Demo Shop'], '--service must be lowercase'],
    [['--umpire', 'localhost:3000'], '--umpire must be an http(s) URL'],
    [['--umpire', 'not a url'], '--umpire (or UMPIRE_URL) must be a URL'],
    [['--colour', 'red'], "Unknown option '--colour'"],
  ])('%j is refused naming the flag', (argv, message) => {
    expect(() => parseOptions(argv, {})).toThrow(OptionsError);
    expect(() => parseOptions(argv, {})).toThrow(message);
  });
});

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['500ms', 500],
    ['30', 30_000],
    ['1.5m', 90_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text, '--duration')).toBe(ms));

  test.each(['0s', '-1m', 'm', '1d'])('%s is refused', (text) => expect(() => parseDuration(text, '--duration')).toThrow(OptionsError));
});
