// The CLI's arguments, summary and exit codes, run in-process with a fake fetch; the answers are built by the
// server's own gate (lib/slo/gate.ts) and typed by its contract (lib/schemas/gate.ts), so the two cannot drift.
// A .mts file: it is type-checked with the CLI by bin/tsconfig.json (npx tsc -p bin), which allows JavaScript.
import { describe, expect, test } from 'vitest';
import { BUILTIN_POLICY, type GateEvaluation } from '../lib/schemas/gate';
import { evaluateGate, type GateSlo } from '../lib/slo/gate';
import { ciDefaults, EXIT, formatGateSummary, formatPlan, parseCommand, parseDuration, percent, reasonLine, run, sourceOf, UsageError } from './umpire.mjs';

const BASE = ['--url', 'https://umpire.example.com', '--service', 'checkout', '--version', '1.4.2'];
const NOW = () => new Date('2026-11-26T12:00:00Z');

describe('parseCommand', () => {
  test('gate: flags, defaults and nothing from an empty environment', () => {
    expect(parseCommand(['gate', ...BASE], {})).toEqual({
      command: 'gate',
      url: 'https://umpire.example.com',
      token: undefined,
      service: 'checkout',
      version: '1.4.2',
      environment: 'production',
      commit: undefined,
      pipelineUrl: undefined,
      warnExitCode: 0,
      json: false,
      timeoutMs: 30_000,
    });
  });

  test('UMPIRE_URL, UMPIRE_TOKEN and UMPIRE_GATE_WARN_EXIT come from the environment; flags win', () => {
    const env = { UMPIRE_URL: 'http://umpire:3000/', UMPIRE_TOKEN: ' umpire_abc\n', UMPIRE_GATE_WARN_EXIT: '1' };
    expect(parseCommand(['gate', '--service', 'checkout', '--version', 'v2'], env)).toMatchObject({
      url: 'http://umpire:3000',
      token: 'umpire_abc',
      warnExitCode: 1,
    });
    expect(parseCommand(['gate', ...BASE, '--warn-exit-code', '0'], env)).toMatchObject({ url: 'https://umpire.example.com', warnExitCode: 0 });
  });

  test('an unset CI secret arrives as "": treated as unset', () => {
    expect(parseCommand(['gate', ...BASE], { UMPIRE_TOKEN: '', UMPIRE_GATE_WARN_EXIT: '' })).toMatchObject({ token: undefined, warnExitCode: 0 });
    expect(() => parseCommand(['gate', '--service', 'checkout', '--version', '1'], { UMPIRE_URL: '' })).toThrow('--url (or UMPIRE_URL) is required');
  });

  test('commit and pipeline URL default to the CI run: GitHub Actions, GitLab CI; flags win', () => {
    const github = { GITHUB_SHA: 'abc123', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'shop/checkout', GITHUB_RUN_ID: '42' };
    expect(parseCommand(['gate', ...BASE], github)).toMatchObject({ commit: 'abc123', pipelineUrl: 'https://github.com/shop/checkout/actions/runs/42' });
    const gitlab = { CI_COMMIT_SHA: 'def456', CI_PIPELINE_URL: 'https://gitlab.example.com/shop/checkout/-/pipelines/7' };
    expect(parseCommand(['gate', ...BASE], gitlab)).toMatchObject({ commit: 'def456', pipelineUrl: gitlab.CI_PIPELINE_URL });
    expect(parseCommand(['gate', ...BASE, '--commit', 'fff', '--pipeline-url', 'https://ci.example/1'], github)).toMatchObject({
      commit: 'fff',
      pipelineUrl: 'https://ci.example/1',
    });
    expect(ciDefaults({ GITHUB_SHA: 'abc', GITHUB_REPOSITORY: 'shop/checkout' })).toEqual({ commit: 'abc', pipelineUrl: undefined });
  });

  test('gate: --environment, --json, --timeout', () => {
    expect(parseCommand(['gate', ...BASE, '--environment', 'staging', '--json', '--timeout', '2m'], {})).toMatchObject({
      environment: 'staging',
      json: true,
      timeoutMs: 120_000,
    });
  });

  test('deploy: its own flags; "now" is the time it runs; the deploy link defaults to the CI run', () => {
    expect(
      parseCommand(['deploy', ...BASE, '--started-at', '2026-11-26T11:58:00Z', '--finished-at', 'now'], { CI_PIPELINE_URL: 'https://ci.example/9' }, NOW),
    ).toEqual({
      command: 'deploy',
      url: 'https://umpire.example.com',
      token: undefined,
      service: 'checkout',
      version: '1.4.2',
      environment: 'production',
      startedAt: '2026-11-26T11:58:00Z',
      finishedAt: '2026-11-26T12:00:00.000Z',
      commit: undefined,
      deployUrl: 'https://ci.example/9',
      json: false,
      timeoutMs: 30_000,
    });
  });

  test('help', () => {
    expect(parseCommand([], {})).toEqual({ command: 'help', topic: undefined });
    expect(parseCommand(['--help'], {})).toEqual({ command: 'help', topic: undefined });
    expect(parseCommand(['help', 'gate'], {})).toEqual({ command: 'help', topic: 'gate' });
    expect(parseCommand(['gate', '--help'], {})).toEqual({ command: 'help', topic: 'gate' });
    expect(parseCommand(['deploy', '-h'], {})).toEqual({ command: 'help', topic: 'deploy' });
  });

  test.each([
    [['gate', '--service', 'checkout', '--version', '1'], '--url (or UMPIRE_URL) is required'],
    [['gate', '--url', 'umpire.example.com', '--service', 'checkout', '--version', '1'], '--url must be a URL'],
    [['gate', '--url', 'ftp://umpire.example.com', '--service', 'checkout', '--version', '1'], '--url must be an http(s) URL'],
    [['gate', '--url', 'http://u', '--version', '1'], '--service is required'],
    [['gate', '--url', 'http://u', '--service', 'Checkout API', '--version', '1'], "--service must be the service's slug"],
    [['gate', '--url', 'http://u', '--service', 'checkout'], '--version is required'],
    [['gate', '--url', 'http://u', '--service', 'checkout', '--version', ' '], '--version is required'],
    [['gate', ...BASE, '--version', 'v'.repeat(201)], '--version must be at most 200 characters'],
    [['gate', ...BASE, '--warn-exit-code', '2'], '--warn-exit-code (or UMPIRE_GATE_WARN_EXIT) must be 0 or 1'],
    [['gate', ...BASE, '--timeout', 'soon'], '--timeout must be a duration'],
    [['gate', ...BASE, '--pipeline-url', 'javascript:alert(1)'], '--pipeline-url must be an http(s) URL'],
    [['gate', ...BASE, '--colour'], "Unknown option '--colour'"],
    [['gate', ...BASE, 'extra'], "Unexpected argument 'extra'"],
    [['gate', ...BASE, '--url'], "Option '--url <value>' argument missing"],
    [['deploy', ...BASE, '--started-at', 'yesterday'], '--started-at must be an ISO 8601 date-time'],
    [['deploy', ...BASE, '--finished-at', '2026-11-26 12:00'], '--finished-at must be an ISO 8601 date-time'],
    [['gates', ...BASE], 'unknown command "gates"'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCommand(argv, {})).toThrow(UsageError);
    expect(() => parseCommand(argv, {})).toThrow(message);
  });

  test('a token a header cannot carry is a usage error, not "could not reach Umpire"', () => {
    expect(() => parseCommand(['gate', ...BASE], { UMPIRE_TOKEN: 'umpire_a\nb' })).toThrow('UMPIRE_TOKEN holds characters');
  });
});

describe('parseDuration', () => {
  test.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['500ms', 500],
    ['45', 45_000],
    ['1.5s', 1500],
  ])('%s = %d ms', (text, want) => expect(parseDuration(text, '--timeout')).toBe(want));

  test.each(['0', '0s', '11m', '1h', '-5s', ''])('%j is refused', (text) => expect(() => parseDuration(text, '--timeout')).toThrow(UsageError));
});

test.each([
  [-0.123, '-12.3%'],
  [0, '0%'],
  [0.25, '25%'],
  [1, '100%'],
  [0.0004, '0.04%'],
  [-0.00001, '0%'],
  [-2.5, '-250%'],
])('percent(%d) = %s', (fraction, want) => expect(percent(fraction)).toBe(want));

// ---- answers as the server builds them ---------------------------------------------------------------------------

const slo = (over: Partial<GateSlo> = {}): GateSlo => ({
  slo: 'availability',
  name: 'Availability',
  labels: {},
  serviceTier: 1,
  budgetRemaining: 0.8,
  firing: [],
  burnRates: { '1h': 0.5 },
  dataState: 'ok',
  provisional: null,
  budgetJudged: true,
  ...over,
});
const PAGE = { severity: 'page' as const, longWindow: '1h', shortWindow: '5m', threshold: 14.4 };

function answer(slos: GateSlo[], over: Partial<GateEvaluation> = {}): GateEvaluation {
  const decision = evaluateGate(BUILTIN_POLICY, slos);
  return {
    id: '7a0c8f0e-2d7b-4b1e-9a51-0f3c1d2e4b5a',
    service: 'checkout',
    version: '1.4.2',
    environment: 'production',
    commit: null,
    pipelineUrl: null,
    verdict: decision.verdict,
    policyVerdict: decision.verdict,
    reasons: decision.reasons,
    slos: decision.counted.map((s) => ({ slo: s.slo, name: s.name, budgetRemaining: s.budgetRemaining, firing: [], dataState: s.dataState })),
    policy: { ...BUILTIN_POLICY, source: 'builtin', updatedAt: null },
    override: null,
    evaluatedAt: '2026-11-26T12:00:00.000Z',
    asOf: '2026-11-26T12:00:00.000Z',
    dataState: decision.dataState,
    ...over,
  };
}

const OPTIONS = { url: 'https://umpire.example.com', warnExitCode: 0 as const };

describe('reasonLine: every rule kind the server writes', () => {
  const reasons = (input: Parameters<typeof evaluateGate>) => evaluateGate(...input).reasons.map((r) => reasonLine(r, 'checkout'));

  test('budget, alerts, missing and stale data (built-in policy)', () => {
    expect(reasons([BUILTIN_POLICY, [slo({ budgetRemaining: -0.123, firing: [PAGE] })]])).toEqual([
      '✗ checkout/availability: budget remaining −13% < 0% (fail)',
      '✗ checkout/availability: page burn-rate alert firing (1h/5m above 14.4×) (fail)',
      '! checkout/availability: budget remaining −13% < 25% (warn)',
    ]);
    expect(reasons([BUILTIN_POLICY, [slo({ slo: 'latency', budgetRemaining: null, dataState: 'missing' })]])).toEqual([
      '✗ checkout/latency: no data in its window, so its budget is unknown (fail)',
    ]);
    expect(reasons([{ ...BUILTIN_POLICY, onMissingData: 'warn' }, [slo({ dataState: 'stale' })]])).toEqual([
      '! checkout/availability: data stale: its source stopped answering, figures are as of then (warn)',
    ]);
    expect(reasons([BUILTIN_POLICY, []])).toEqual(['✗ checkout: The service has no SLOs: nothing measures it (fail)']);
  });

  test('burn rate over a window', () => {
    const policy = { ...BUILTIN_POLICY, rules: [{ kind: 'burn_rate' as const, window: '1h', above: 2, verdict: 'warn' as const }] };
    expect(reasons([policy, [slo({ burnRates: { '1h': 14.4 } })]])).toEqual(['! checkout/availability: burn rate over 1h 14.40× > 2× (warn)']);
  });

  test("a rule this CLI does not know yet: the server's message", () => {
    const line = reasonLine(
      { slo: 'availability', rule: 'latency_p99 > 300ms', verdict: 'warn', observed: 412, threshold: 300, message: 'Availability: p99 412 ms' },
      'checkout',
    );
    expect(line).toBe('! checkout/availability: Availability: p99 412 ms (warn)');
  });
});

describe('formatGateSummary', () => {
  test('fail: the verdict, what goes where, each reason, data, policy and the page', () => {
    const failing = answer([slo({ budgetRemaining: -0.123 }), slo({ slo: 'latency', name: 'Latency', budgetRemaining: 0.6 })]);
    expect(formatGateSummary(failing, OPTIONS)).toBe(
      [
        'FAIL  checkout@1.4.2 → production',
        '  ✗ checkout/availability: budget remaining −13% < 0% (fail)',
        '  ! checkout/availability: budget remaining −13% < 25% (warn)',
        '  data: ok, 2 SLOs counted',
        "  policy: Umpire's built-in policy, 4 rules, missing data fails",
        '  https://umpire.example.com/services/checkout',
      ].join('\n'),
    );
  });

  test('warn: says whether it stops the pipeline', () => {
    const warning = answer([slo({ budgetRemaining: 0.1 })]);
    expect(formatGateSummary(warning, OPTIONS).split('\n')[0]).toBe('WARN  checkout@1.4.2 → production  (warn lets it through)');
    expect(formatGateSummary(warning, { ...OPTIONS, warnExitCode: 1 }).split('\n')[0]).toBe(
      'WARN  checkout@1.4.2 → production  (warn fails this pipeline: --warn-exit-code 1)',
    );
  });

  test('pass: no rule broken', () => {
    const passing = answer([slo()], {
      policy: { ...BUILTIN_POLICY, source: 'service', updatedAt: '2026-11-20T00:00:00.000Z', rules: [BUILTIN_POLICY.rules[0]!] },
    });
    expect(formatGateSummary(passing, OPTIONS)).toBe(
      [
        'PASS  checkout@1.4.2 → production',
        '  ✓ no rule broken by 1 SLO',
        '  data: ok, 1 SLO counted',
        "  policy: the service's own policy, 1 rule, missing data fails",
        '  https://umpire.example.com/services/checkout',
      ].join('\n'),
    );
  });

  test('an override: what the policy said, who let it through, until when and why', () => {
    const failing = answer([slo({ budgetRemaining: -0.5 })]);
    const overridden = {
      ...failing,
      verdict: 'pass' as const,
      override: {
        id: '9b1d3c8e-6a2f-4e7d-8c5b-1a2b3c4d5e6f',
        service: 'checkout',
        version: '1.4.2',
        environment: null,
        reason: 'Hotfix for the outage itself',
        createdBy: 'alice',
        createdAt: '2026-11-26T11:00:00.000Z',
        expiresAt: '2026-11-27T11:00:00.000Z',
      },
    };
    const lines = formatGateSummary(overridden, OPTIONS).split('\n');
    expect(lines[0]).toBe('PASS (override; the policy says FAIL)  checkout@1.4.2 → production');
    expect(lines).toContain('  ✗ checkout/availability: budget remaining −50% < 0% (fail)');
    expect(lines).toContain('  override: by alice until 2026-11-27T11:00:00.000Z: Hotfix for the outage itself');
  });

  test('no SLOs and missing data', () => {
    const none = answer([]);
    expect(formatGateSummary(none, OPTIONS)).toContain('  data: no SLOs counted, 0 SLOs counted');
    expect(formatGateSummary(answer([slo({ budgetRemaining: null, dataState: 'missing' })]), OPTIONS)).toContain(
      '  data: missing (an SLO has no data in its window), 1 SLO counted',
    );
  });
});

// ---- run: exit codes against a fake fetch -------------------------------------------------------------------------

interface Call {
  url: string;
  init: RequestInit;
}

function harness(respond: (call: Call) => Response | Promise<Response>, files: Record<string, string> = {}, gitAnswers: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: Call[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return {
    out,
    err,
    calls,
    run: (argv: string[], env: Record<string, string> = {}) =>
      run(argv, env, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        fetch: fakeFetch,
        now: NOW,
        readFile: (path) => {
          if (!(path in files)) throw new Error(`ENOENT: no such file, open '${path}'`);
          return files[path]!;
        },
        listDir: (path) => {
          if (path in files) return null;
          const below = Object.keys(files).filter((name) => name.startsWith(`${path}/`));
          if (below.length === 0) throw new Error(`ENOENT: no such file or directory, scandir '${path}'`);
          const children = new Map(below.map((name) => name.slice(path.length + 1).split('/')).map((parts) => [parts[0]!, parts.length > 1]));
          // A name ending in "@link" stands for a symbolic link.
          return [...children].map(([name, dir]) => ({ name: name.replace(/@link$/, ''), dir, link: name.endsWith('@link') }));
        },
        git: (args) => gitAnswers[args.join(' ')],
      }),
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

describe('run', () => {
  test.each([
    ['pass', [slo()], {}, EXIT.pass],
    ['fail', [slo({ budgetRemaining: -0.1 })], {}, EXIT.fail],
    ['warn, by default', [slo({ budgetRemaining: 0.1 })], {}, 0],
    ['warn, with UMPIRE_GATE_WARN_EXIT=1', [slo({ budgetRemaining: 0.1 })], { UMPIRE_GATE_WARN_EXIT: '1' }, 1],
  ] as const)('%s -> exit %s', async (_, slos, env, want) => {
    const h = harness(() => json(answer([...slos])));
    expect(await h.run(['gate', ...BASE], env)).toBe(want);
    expect(h.out.join('\n')).toMatch(/^(PASS|WARN|FAIL) {2}checkout@1\.4\.2 → production/);
    expect(h.err).toEqual([]);
  });

  test('posts the request to /api/v1/services/{service}/gate, with the token when there is one', async () => {
    const h = harness(() => json(answer([slo()])));
    await h.run(['gate', '--url', 'https://umpire.example.com/umpire/', '--service', 'checkout', '--version', '1.4.2', '--environment', 'staging'], {
      UMPIRE_TOKEN: 'umpire_secret',
      GITHUB_SHA: 'abc123',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'shop/checkout',
      GITHUB_RUN_ID: '42',
    });
    expect(h.calls).toHaveLength(1);
    const [call] = h.calls;
    expect(call!.url).toBe('https://umpire.example.com/umpire/api/v1/services/checkout/gate');
    expect(call!.init.method).toBe('POST');
    expect(call!.init.redirect).toBe('manual');
    expect(call!.init.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer umpire_secret' });
    expect(JSON.parse(String(call!.init.body))).toEqual({
      version: '1.4.2',
      environment: 'staging',
      commit: 'abc123',
      pipelineUrl: 'https://github.com/shop/checkout/actions/runs/42',
    });

    const anonymous = harness(() => json(answer([slo()])));
    await anonymous.run(['gate', ...BASE]);
    expect(anonymous.calls[0]!.init.headers).not.toHaveProperty('authorization');
  });

  test('--json prints the answer as received, and the exit code still follows the verdict', async () => {
    const body = answer([slo({ budgetRemaining: -1 })]);
    const h = harness(() => json(body));
    expect(await h.run(['gate', ...BASE, '--json'])).toBe(EXIT.fail);
    expect(h.out).toHaveLength(1);
    expect(JSON.parse(h.out[0]!)).toEqual(body);
  });

  test.each([
    [
      'unknown service (404)',
      () => json({ error: { code: 'not_found', message: 'Service "checkout" not found' } }, 404),
      EXIT.usage,
      'umpire: Umpire refused the request (404 Not Found, not_found): Service "checkout" not found',
    ],
    [
      'invalid input (400), with the fields',
      () => json({ error: { code: 'invalid_input', message: 'Invalid body: version is required', fields: { version: 'is required' } } }, 400),
      EXIT.usage,
      'umpire: Umpire refused the request (400 Bad Request, invalid_input): Invalid body: version is required\n  version: is required',
    ],
    [
      'a token is needed (401)',
      () => json({ error: { code: 'unauthorized', message: 'Sign in' } }, 401),
      EXIT.usage,
      'umpire: Umpire refused the request (401 Unauthorized): Sign in: set UMPIRE_TOKEN to an Umpire token',
    ],
    [
      'not Umpire (404 HTML)',
      () => new Response('<html>nope</html>', { status: 404 }),
      EXIT.usage,
      "answered 404 Not Found without an Umpire error: is https://umpire.example.com Umpire's base URL (--url)?",
    ],
    ['not Umpire (200 HTML)', () => new Response('<html>hello</html>', { status: 200 }), EXIT.usage, 'answered 200 with something other than a gate verdict'],
    [
      'a redirect',
      () => new Response(null, { status: 301, headers: { location: 'https://umpire.example.org/api/v1/services/checkout/gate' } }),
      EXIT.usage,
      'answered 301 Moved Permanently redirecting to https://umpire.example.org/',
    ],
    [
      'the database is down (503)',
      () =>
        json({ error: { code: 'database_unavailable', message: 'The database is unreachable; try again shortly' } }, 503, {
          'retry-after': '5',
          'x-request-id': 'r-1',
        }),
      EXIT.unavailable,
      'umpire: Umpire could not answer POST https://umpire.example.com/api/v1/services/checkout/gate (503 Service Unavailable): The database is unreachable; try again shortly (request id r-1, retry after 5s)',
    ],
    ['a proxy in front of it (502)', () => new Response('Bad Gateway', { status: 502 }), EXIT.unavailable, '(502 Bad Gateway)'],
    ['rate limited (429)', () => new Response('slow down', { status: 429 }), EXIT.unavailable, '(429 Too Many Requests)'],
    [
      'unreachable',
      () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3000'), { code: 'ECONNREFUSED' }) })),
      EXIT.unavailable,
      'umpire: could not reach Umpire at https://umpire.example.com/api/v1/services/checkout/gate: connection refused (ECONNREFUSED)',
    ],
  ])('%s -> exit %s', async (_, respond, code, message) => {
    const h = harness(respond);
    expect(await h.run(['gate', ...BASE])).toBe(code);
    expect(h.out).toEqual([]);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]).toContain(message);
  });

  test('a slow answer times out: exit 3', async () => {
    const h = harness(
      ({ init }) =>
        new Promise<Response>((_, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    expect(await h.run(['gate', ...BASE, '--timeout', '50ms'])).toBe(EXIT.unavailable);
    expect(h.err).toEqual(['umpire: Umpire did not answer POST https://umpire.example.com/api/v1/services/checkout/gate within 50ms (--timeout)']);
  });

  test('usage errors exit 2 before asking, naming the help to read', async () => {
    const h = harness(() => json({}));
    expect(await h.run(['gate', '--url', 'https://umpire.example.com', '--version', '1'])).toBe(EXIT.usage);
    expect(h.err).toEqual(['umpire: --service is required (umpire gate --help)']);
    expect(await h.run(['frobnicate'])).toBe(EXIT.usage);
    expect(h.calls).toEqual([]);
  });

  test('help exits 0', async () => {
    const h = harness(() => json({}));
    expect(await h.run(['gate', '--help'])).toBe(0);
    expect(h.out[0]).toMatch(/^umpire gate --url URL --service SLUG --version VERSION/);
    expect(h.out[0]).toContain('Exit codes: 0 pass, 1 fail');
  });

  test('deploy posts to /api/v1/deployments and prints the id and the page', async () => {
    const h = harness(() => json({ id: 'd1b2c3d4-0000-4000-8000-000000000001', service: 'checkout' }, 201));
    expect(await h.run(['deploy', ...BASE, '--finished-at', 'now', '--deploy-url', 'https://ci.example/9', '--commit', 'abc'])).toBe(0);
    expect(h.calls[0]!.url).toBe('https://umpire.example.com/api/v1/deployments');
    expect(JSON.parse(String(h.calls[0]!.init.body))).toEqual({
      service: 'checkout',
      version: '1.4.2',
      environment: 'production',
      finishedAt: '2026-11-26T12:00:00.000Z',
      commit: 'abc',
      url: 'https://ci.example/9',
    });
    expect(h.out).toEqual([
      'Recorded deployment d1b2c3d4-0000-4000-8000-000000000001: checkout@1.4.2 → production\n  https://umpire.example.com/services/checkout',
    ]);
  });

  test('deploy: an unknown service is exit 2, Umpire down exit 3', async () => {
    const missing = harness(() => json({ error: { code: 'not_found', message: 'Service "checkout" not found' } }, 404));
    expect(await missing.run(['deploy', ...BASE])).toBe(EXIT.usage);
    const down = harness(() => new Response('', { status: 500 }));
    expect(await down.run(['deploy', ...BASE])).toBe(EXIT.unavailable);
  });
});

describe('umpire rules', () => {
  const URL_FLAG = ['--url', 'https://umpire.example.com/'];
  const yaml = (text: string, headers: Record<string, string> = {}) =>
    new Response(text, { headers: { 'content-type': 'application/yaml; charset=utf-8', ...headers } });

  test('parses the scope and format; --slo needs --service; the format is one of three', () => {
    expect(parseCommand(['rules', ...URL_FLAG], {})).toEqual({
      command: 'rules',
      url: 'https://umpire.example.com',
      token: undefined,
      service: undefined,
      slo: undefined,
      format: 'prometheus',
      timeoutMs: 30_000,
    });
    expect(
      parseCommand(['rules', '--service', 'checkout', '--slo', 'availability', '--format', 'tests'], { UMPIRE_URL: 'http://u', UMPIRE_TOKEN: 't' }),
    ).toMatchObject({
      service: 'checkout',
      slo: 'availability',
      format: 'tests',
      token: 't',
    });
    expect(parseCommand(['rules', '--help'], {})).toEqual({ command: 'help', topic: 'rules' });
    expect(() => parseCommand(['rules', ...URL_FLAG, '--slo', 'availability'], {})).toThrow('--slo needs --service');
    expect(() => parseCommand(['rules', ...URL_FLAG, '--format', 'json'], {})).toThrow('--format must be prometheus, operator or tests, got "json"');
    expect(() => parseCommand(['rules', ...URL_FLAG, '--service', 'Check Out'], {})).toThrow('--service must be a slug');
    expect(() => parseCommand(['rules'], {})).toThrow('--url (or UMPIRE_URL) is required');
  });

  test.each([
    [[], 'https://umpire.example.com/api/v1/rules?format=prometheus'],
    [['--service', 'checkout', '--format', 'operator'], 'https://umpire.example.com/api/v1/services/checkout/rules?format=operator'],
    [
      ['--service', 'checkout', '--slo', 'availability', '--format', 'tests'],
      'https://umpire.example.com/api/v1/services/checkout/slos/availability/rules?format=tests',
    ],
  ])('%j asks %s and prints the YAML as received, with the token', async (flags, url) => {
    const h = harness(() => yaml('groups:\n  - name: umpire-slo:checkout/availability\n'));
    expect(await h.run(['rules', ...URL_FLAG, ...flags], { UMPIRE_TOKEN: 'umpire_secret' })).toBe(EXIT.pass);
    expect(h.calls[0]!.url).toBe(url);
    expect(h.calls[0]!.init.method).toBe('GET');
    expect(h.calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer umpire_secret' });
    expect(h.out).toEqual(['groups:\n  - name: umpire-slo:checkout/availability']);
    expect(h.err).toEqual([]);
  });

  test('tiers that can never fire are named on standard error, the rules still printed', async () => {
    const h = harness(() => yaml('groups: []\n', { 'umpire-never-firing-tiers': 'checkout/availability/ErrorBudgetBurnTicket3d6h' }));
    expect(await h.run(['rules', ...URL_FLAG])).toBe(EXIT.pass);
    expect(h.out).toEqual(['groups: []']);
    expect(h.err).toEqual([
      'umpire: tiers that can never fire (their threshold times the error budget is above 100% errors): checkout/availability/ErrorBudgetBurnTicket3d6h',
    ]);
  });

  test('an unknown SLO or a bad format is exit 2 with the server’s reason; Umpire down is 3; HTML is not rules', async () => {
    const missing = harness(() => json({ error: { code: 'not_found', message: 'SLO "nope" does not exist in service "checkout"' } }, 404));
    expect(await missing.run(['rules', ...URL_FLAG, '--service', 'checkout', '--slo', 'nope'])).toBe(EXIT.usage);
    expect(missing.err[0]).toContain('SLO "nope" does not exist in service "checkout"');
    const down = harness(() => new Response('', { status: 503 }));
    expect(await down.run(['rules', ...URL_FLAG])).toBe(EXIT.unavailable);
    const page = harness(() => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }));
    expect(await page.run(['rules', ...URL_FLAG])).toBe(EXIT.usage);
    expect(page.out).toEqual([]);
  });
});

describe('umpire export and umpire diff (OpenSLO)', () => {
  const URL_FLAG = ['--url', 'https://umpire.example.com'];
  const FILE = 'apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: checkout\n';

  test('export asks for the catalogue, a team or a service, and prints the YAML', async () => {
    for (const [flags, url] of [
      [[], 'https://umpire.example.com/api/v1/openslo'],
      [['--team', 'pay ments'], 'https://umpire.example.com/api/v1/openslo?team=pay%20ments'],
      [['--service', 'checkout'], 'https://umpire.example.com/api/v1/openslo?service=checkout'],
    ] as const) {
      const h = harness(() => new Response('apiVersion: openslo/v1\n', { headers: { 'content-type': 'application/yaml; charset=utf-8' } }));
      expect(await h.run(['export', ...URL_FLAG, ...flags])).toBe(EXIT.pass);
      expect(h.calls[0]!.url).toBe(url);
      expect(h.out).toEqual(['apiVersion: openslo/v1']);
    }
    expect(() => parseCommand(['export', ...URL_FLAG, '--team', 't', '--service', 'checkout'], {})).toThrow('give one of them');
  });

  test('diff posts the file as YAML and prints the plan; exit 1 when something would change, 0 when nothing would', async () => {
    const steps = [
      { kind: 'service', name: 'checkout', action: 'unchanged', fields: [] },
      { kind: 'slo', name: 'checkout/availability', action: 'change', fields: ['objective', 'window'] },
      { kind: 'slo', name: 'checkout/latency', action: 'create', fields: [] },
    ];
    const h = harness(() => json({ steps }), { 'slos.yaml': FILE });
    expect(await h.run(['diff', ...URL_FLAG, '-f', 'slos.yaml'], { UMPIRE_TOKEN: 'umpire_secret' })).toBe(EXIT.fail);
    expect(h.calls[0]!.url).toBe('https://umpire.example.com/api/v1/catalog/plan');
    expect(h.calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(h.calls[0]!.init.body))).toEqual({ files: [{ name: 'slos.yaml', text: FILE }] });
    expect(h.calls[0]!.init.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer umpire_secret' });
    expect(h.out).toEqual([
      ['= service checkout', '~ SLO checkout/availability: objective, window', '+ SLO checkout/latency', '1 to create, 1 to change, 1 unchanged'].join('\n'),
    ]);
    expect(h.err).toEqual(['umpire: no source (--source, UMPIRE_SOURCE or a git remote "origin"): what is applied is not marked as managed']);
    const same = harness(() => json({ steps: [steps[0]] }), { 'slos.yaml': FILE });
    expect(await same.run(['diff', ...URL_FLAG, '-f', 'slos.yaml'])).toBe(EXIT.pass);
  });

  test('diff: a refused file lists every message, exit 2; a missing file is exit 2 before asking; Umpire down is 3', async () => {
    const refused = harness(
      () =>
        json(
          {
            error: {
              code: 'invalid_openslo',
              message: '2 problems',
              errors: ['slos.yaml#1 Widget x: kind: unknown', 'slos.yaml#2 SLO y: spec.service: is required'],
            },
          },
          422,
        ),
      { 'slos.yaml': FILE },
    );
    expect(await refused.run(['diff', ...URL_FLAG, '-f', 'slos.yaml'])).toBe(EXIT.usage);
    expect(refused.err).toEqual([
      'umpire: Umpire refused: it cannot take the files; nothing was applied:\n  slos.yaml#1 Widget x: kind: unknown\n  slos.yaml#2 SLO y: spec.service: is required',
    ]);
    const missing = harness(() => json({}));
    expect(await missing.run(['diff', ...URL_FLAG, '-f', 'nope.yaml'])).toBe(EXIT.usage);
    expect(missing.calls).toHaveLength(0);
    expect(missing.err[0]).toContain('cannot read nope.yaml');
    const down = harness(() => new Response('', { status: 502 }), { 'slos.yaml': FILE });
    expect(await down.run(['diff', ...URL_FLAG, '-f', 'slos.yaml'])).toBe(EXIT.unavailable);
    expect(() => parseCommand(['diff', ...URL_FLAG], {})).toThrow('--file (-f) is required');
  });
});

describe('umpire apply and diff of folders (GitOps)', () => {
  const URL_FLAG = ['--url', 'https://umpire.example.com'];
  const FILE = 'apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: checkout\n';
  const folder = {
    'repo/slos/b.yaml': FILE,
    'repo/slos/a.yml': FILE,
    'repo/slos/README.md': '# not YAML',
    'repo/slos/.hidden/x.yaml': FILE,
    'repo/slos/nested/c.yaml': FILE,
    'repo/catalog-info.yaml': FILE,
    'repo/slos/outside.yaml@link': FILE,
  };
  const applied = (body: Record<string, unknown> = {}) =>
    json({ steps: [{ kind: 'service', name: 'checkout', action: 'create', fields: [] }], skipped: [], applied: true, ...body });

  test('sends every YAML file of the folders, in order, hidden ones left out, named from the repository top', async () => {
    const h = harness(() => applied(), folder, { 'rev-parse --show-toplevel': `${process.cwd()}/repo`, 'rev-parse HEAD': 'f00d' });
    expect(await h.run(['apply', ...URL_FLAG, '-f', 'repo/slos', '-f', 'repo/catalog-info.yaml', '--source', 'github.com/acme/slos'])).toBe(EXIT.pass);
    const sent = JSON.parse(String(h.calls[0]!.init.body)) as { files: Array<{ name: string }> };
    expect(sent.files.map((f) => f.name)).toEqual(['slos/a.yml', 'slos/b.yaml', 'slos/nested/c.yaml', 'catalog-info.yaml']);
    expect(h.calls[0]!.url).toBe('https://umpire.example.com/api/v1/catalog/apply?source=github.com%2Facme%2Fslos&revision=f00d');
    expect(h.out).toEqual(['+ service checkout\n1 to create, 0 to change, 0 unchanged', 'Applied from github.com/acme/slos at f00d.']);
  });

  test.each([
    [{}, { 'remote get-url origin': 'https://x-access-token:s3cret@github.com/acme/slos.git' }, 'github.com/acme/slos'],
    [{}, { 'remote get-url origin': 'git@gitlab.example.com:platform/slos.git' }, 'gitlab.example.com/platform/slos'],
    [{ GITHUB_REPOSITORY: 'acme/catalog', GITHUB_SERVER_URL: 'https://github.example.com' }, {}, 'github.example.com/acme/catalog'],
    [{ CI_PROJECT_URL: 'https://gitlab.example.com/platform/slos' }, {}, 'gitlab.example.com/platform/slos'],
    [{ UMPIRE_SOURCE: 'acme/slos', GITHUB_REPOSITORY: 'acme/other' }, {}, 'acme/slos'],
    [{ UMPIRE_SOURCE: 'https://ci:s3cret@git.example.com/acme/slos.git' }, {}, 'git.example.com/acme/slos'],
  ])('without --source the source is found (env %o, git %o): %s, never with credentials', async (env, git, source) => {
    const h = harness(() => applied(), { 'a.yaml': FILE }, git);
    expect(await h.run(['apply', ...URL_FLAG, '-f', 'a.yaml'], env)).toBe(EXIT.pass);
    expect(new URL(h.calls[0]!.url).searchParams.get('source')).toBe(source);
    expect(h.calls[0]!.url).not.toContain('s3cret');
  });

  test('--prune without any source is refused before asking; --dry-run says nothing was kept', async () => {
    const none = harness(() => applied(), { 'a.yaml': FILE });
    expect(await none.run(['apply', ...URL_FLAG, '-f', 'a.yaml', '--prune'])).toBe(EXIT.usage);
    expect(none.calls).toHaveLength(0);
    expect(none.err[0]).toContain('--prune needs a source');
    const dry = harness(() => applied({ applied: false }), { 'a.yaml': FILE });
    expect(await dry.run(['apply', ...URL_FLAG, '-f', 'a.yaml', '--source', 'acme/slos', '--dry-run', '--prune'])).toBe(EXIT.pass);
    expect(new URL(dry.calls[0]!.url).searchParams.toString()).toBe('source=acme%2Fslos&prune=true&dryRun=true');
    expect(dry.out.at(-1)).toBe('Dry run: carried out and rolled back, nothing kept.');
    expect(() => parseCommand(['diff', ...URL_FLAG, '-f', 'a.yaml', '--dry-run'], {})).toThrow('--revision and --dry-run are for umpire apply');
    // A repository's URL is reduced to host and path: its credentials never leave the runner.
    expect(parseCommand(['apply', ...URL_FLAG, '-f', 'a.yaml', '--source', 'https://me:pw@github.com/acme/slos.git'], {})).toMatchObject({
      source: 'github.com/acme/slos',
    });
    expect(() => parseCommand(['apply', ...URL_FLAG, '-f', 'a.yaml', '--source', 'acme/slos?token=x'], {})).toThrow('must name a repository');
    expect(() => parseCommand(['apply', ...URL_FLAG, '-f', 'a.yaml', '--source', 'file:///srv/repo'], {})).toThrow('must name a repository');
  });

  test('objects another source manages: exit 2 with each one named; a file that is not there: exit 2 before asking', async () => {
    const taken = harness(
      () =>
        json(
          {
            error: {
              code: 'managed_elsewhere',
              message: '1 object is managed elsewhere',
              errors: ['Service "checkout" is managed by github.com/acme/first (a.yaml), not by acme/slos'],
            },
          },
          409,
        ),
      { 'a.yaml': FILE },
    );
    expect(await taken.run(['apply', ...URL_FLAG, '-f', 'a.yaml', '--source', 'acme/slos'])).toBe(EXIT.usage);
    expect(taken.err).toEqual([
      'umpire: Umpire refused: another source manages what the files define; nothing was applied:\n  Service "checkout" is managed by github.com/acme/first (a.yaml), not by acme/slos',
    ]);
    const missing = harness(() => applied(), {});
    expect(await missing.run(['apply', ...URL_FLAG, '-f', 'nope'])).toBe(EXIT.usage);
    expect(missing.calls).toHaveLength(0);
    const empty = harness(() => applied(), { 'dir/notes.txt': 'x' });
    expect(await empty.run(['apply', ...URL_FLAG, '-f', 'dir'])).toBe(EXIT.usage);
    expect(empty.err[0]).toContain('no .yaml or .yml file in dir');
  });

  test('the plan shows each changed value, deletions, the managed mark and what was skipped', () => {
    expect(
      formatPlan(
        [
          {
            kind: 'slo',
            name: 'checkout/availability',
            action: 'change',
            fields: ['objective', 'sli'],
            changes: [
              { field: 'objective', from: 0.999, to: 0.995 },
              { field: 'sli', from: { a: 1 }, to: { a: 2 } },
            ],
          },
          {
            kind: 'service',
            name: 'search',
            action: 'change',
            fields: ['managedBy'],
            changes: [{ field: 'managedBy', from: null, to: { source: 'github.com/acme/slos', path: 'search.yaml' } }],
          },
          { kind: 'slo', name: 'search/latency', action: 'delete', fields: [] },
        ],
        ['catalog-info.yaml#2 API checkout-api: only Component entities become services'],
      ),
    ).toBe(
      [
        '~ SLO checkout/availability: objective 0.999 → 0.995, sli',
        '~ service search: managed by github.com/acme/slos (search.yaml)',
        '- SLO search/latency',
        '· skipped catalog-info.yaml#2 API checkout-api: only Component entities become services',
        '0 to create, 2 to change, 1 to delete, 0 unchanged',
      ].join('\n'),
    );
  });

  test.each([
    ['https://github.com/acme/slos', 'github.com/acme/slos'],
    ['https://token@github.com/acme/slos.git/', 'github.com/acme/slos'],
    ['ssh://git@git.example.com:2222/team/slos.git', 'git.example.com:2222/team/slos'],
    ['git@github.com:acme/slos.git', 'github.com/acme/slos'],
    ['not a url', undefined],
  ])('sourceOf(%s) is %s', (remote, source) => {
    expect(sourceOf(remote)).toBe(source);
  });
});
