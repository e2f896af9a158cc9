#!/usr/bin/env node
// @ts-check
// Umpire's CLI for pipelines: `umpire gate` asks whether a version may be released, `umpire deploy` records one,
// `umpire rules` fetches the Prometheus rules (and their promtool tests) Umpire generates for its SLOs, `umpire
// export` the catalogue as OpenSLO v1, and `umpire diff` what an OpenSLO file would change.
// One file, no dependencies, plain Node 20.19+: a pipeline can fetch it alone and run it. Exit codes tell a "no"
// (1) from a request that was wrong (2) and from Umpire not answering (3).
import { readFileSync, realpathSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const EXIT = Object.freeze({ pass: 0, fail: 1, usage: 2, unavailable: 3 });

/** @typedef {'pass' | 'warn' | 'fail'} Verdict */
/** @typedef {Readonly<Record<string, string | undefined>>} Env */

/**
 * @typedef {object} GateOptions
 * @property {'gate'} command
 * @property {string} url Umpire's base URL, no trailing slash.
 * @property {string | undefined} token
 * @property {string} service
 * @property {string} version
 * @property {string} environment
 * @property {string | undefined} commit
 * @property {string | undefined} pipelineUrl
 * @property {0 | 1} warnExitCode
 * @property {boolean} json
 * @property {number} timeoutMs
 */

/**
 * @typedef {object} DeployOptions
 * @property {'deploy'} command
 * @property {string} url
 * @property {string | undefined} token
 * @property {string} service
 * @property {string} version
 * @property {string} environment
 * @property {string | undefined} startedAt
 * @property {string | undefined} finishedAt
 * @property {string | undefined} commit
 * @property {string | undefined} deployUrl
 * @property {boolean} json
 * @property {number} timeoutMs
 */

/**
 * @typedef {object} RulesOptions
 * @property {'rules'} command
 * @property {string} url
 * @property {string | undefined} token
 * @property {string | undefined} service all services' SLOs without one
 * @property {string | undefined} slo one SLO of the service
 * @property {'prometheus' | 'operator' | 'tests'} format
 * @property {number} timeoutMs
 */

/**
 * @typedef {object} ExportOptions
 * @property {'export'} command
 * @property {string} url
 * @property {string | undefined} token
 * @property {string | undefined} team
 * @property {string | undefined} service
 * @property {number} timeoutMs
 */

/**
 * @typedef {object} DiffOptions
 * @property {'diff'} command
 * @property {string} url
 * @property {string | undefined} token
 * @property {string} file the OpenSLO file's path
 * @property {boolean} json
 * @property {number} timeoutMs
 */

/** @typedef {{ command: 'help', topic: 'gate' | 'deploy' | 'rules' | 'export' | 'diff' | undefined }} HelpOptions */
/** @typedef {GateOptions | DeployOptions | RulesOptions | ExportOptions | DiffOptions | HelpOptions} Options */

/**
 * The parts of a GateEvaluation (lib/schemas/gate.ts) the summary reads.
 * @typedef {object} GateAnswer
 * @property {string} service
 * @property {string} version
 * @property {string} environment
 * @property {Verdict} verdict
 * @property {Verdict} policyVerdict
 * @property {Array<{ slo: string, rule: string, verdict: 'warn' | 'fail', observed: number | string | null, threshold: number | string | null, observedText?: string | null, thresholdText?: string | null, message: string }>} reasons
 * @property {Array<{ slo: string, name: string, budgetRemaining: number | null, firing: string[], dataState: string }>} slos
 * @property {{ source: string, rules: unknown[], onMissingData: string }} policy
 * @property {{ reason: string, createdBy: string, expiresAt: string } | null} override
 * @property {string} dataState
 */

const COMMON_HELP = `  --url URL             Umpire's base URL (env UMPIRE_URL)
  --environment ENV     where it goes (default production)
  --commit SHA          the commit (default: GITHUB_SHA or CI_COMMIT_SHA)
  --json                print Umpire's JSON answer instead of the summary
  --timeout D           give up after D, e.g. 30s, 2m (default 30s)`;

const HELP_TAIL = `  -h, --help            this text

The token, when Umpire asks for one, is read from UMPIRE_TOKEN only (never a flag: flags end up in logs).`;

export const GATE_USAGE = `umpire gate --url URL --service SLUG --version VERSION [flags]

Asks Umpire whether VERSION of SERVICE may be released, by the service's error-budget policy, prints why and
exits with the answer.

  --service SLUG        the service's slug, as in /services/SLUG
  --version VERSION     the version to release (a tag, a build number, a commit)
${COMMON_HELP}
  --pipeline-url URL    link back to this pipeline run (default: the GitHub Actions run, or CI_PIPELINE_URL)
  --warn-exit-code N    exit code for a warn verdict, 0 or 1 (env UMPIRE_GATE_WARN_EXIT, default 0)
${HELP_TAIL}

Exit codes: 0 pass, 1 fail, warn as configured; 2 the command or its configuration is wrong (a flag, an
unknown service, a refused token); 3 Umpire could not be asked (unreachable, timed out, answered 5xx).`;

export const DEPLOY_USAGE = `umpire deploy --url URL --service SLUG --version VERSION [flags]

Records a deployment on the service's page, so its budget ledger can show what the release did.

  --service SLUG        the service's slug
  --version VERSION     the version deployed
${COMMON_HELP}
  --started-at TIME     when the deploy started, ISO 8601 or "now" (default: now, as Umpire receives it)
  --finished-at TIME    when it finished, ISO 8601 or "now"
  --deploy-url URL      link to the deploy (default: the GitHub Actions run, or CI_PIPELINE_URL)
${HELP_TAIL}

Exit codes: 0 recorded; 2 the command or its configuration is wrong; 3 Umpire could not be asked.`;

export const RULES_USAGE = `umpire rules --url URL [--service SLUG [--slo SLUG]] [flags] > rules.yaml

Prints the Prometheus rules Umpire generates for its Prometheus-sourced SLOs (docs/prometheus-rules.md): an
error-ratio recording rule per burn-rate window and an alert per tier, one rule group per SLO; or a
prometheus-operator PrometheusRule; or the promtool unit tests that prove each tier fires and resolves.

  --service SLUG        one service's SLOs (default: every service's)
  --slo SLUG            one SLO of that service
  --format F            prometheus (a rule file, default), operator (a PrometheusRule) or tests (promtool test rules)
  --url URL             Umpire's base URL (env UMPIRE_URL)
  --timeout D           give up after D, e.g. 30s, 2m (default 30s)
${HELP_TAIL}

Exit codes: 0 printed; 2 the command or its configuration is wrong (a flag, an unknown service or SLO, a refused
token); 3 Umpire could not be asked. Tiers that can never fire are named on standard error.`;

export const EXPORT_USAGE = `umpire export --url URL [--team TEAM | --service SLUG] [flags] > catalogue.yaml

Prints the catalogue (every service, a team's or one service, with their SLOs) as OpenSLO v1 YAML; what OpenSLO
cannot say travels in umpire.dev/ annotations (docs/openslo.md).

  --team TEAM           one owner team's services
  --service SLUG        one service
  --url URL             Umpire's base URL (env UMPIRE_URL)
  --timeout D           give up after D, e.g. 30s, 2m (default 30s)
${HELP_TAIL}

Exit codes: 0 printed; 2 the command or its configuration is wrong; 3 Umpire could not be asked.`;

export const DIFF_USAGE = `umpire diff --url URL -f FILE [flags]

Says what applying the OpenSLO v1 file would do to Umpire's catalogue: each service and SLO it defines, created,
changed (with the fields that differ) or unchanged. Nothing is written.

  -f, --file FILE       the OpenSLO file (YAML, one or more documents)
  --json                print Umpire's JSON plan instead of the summary
  --url URL             Umpire's base URL (env UMPIRE_URL)
  --timeout D           give up after D, e.g. 30s, 2m (default 30s)
${HELP_TAIL}

Exit codes: 0 nothing would change; 1 something would change; 2 the command, its configuration or the file is
wrong (every refused document and field is printed); 3 Umpire could not be asked.`;

export const USAGE = `umpire: release gates, deployment records, Prometheus rules and OpenSLO for Umpire, from a pipeline

  umpire gate --url URL --service SLUG --version VERSION     may this version be released?
  umpire deploy --url URL --service SLUG --version VERSION   record that it was deployed
  umpire rules --url URL [--service SLUG [--slo SLUG]]       the Prometheus rules of the SLOs
  umpire export --url URL [--team TEAM | --service SLUG]     the catalogue as OpenSLO v1
  umpire diff --url URL -f FILE                              what an OpenSLO file would change

umpire COMMAND --help lists its flags.`;

export class UsageError extends Error {
  /** @override */
  name = 'UsageError';
}

/** An error Umpire answered, or the reason it could not be asked; `exitCode` is what the process exits with. */
export class CliError extends Error {
  /** @override */
  name = 'CliError';
  /**
   * @param {string} message
   * @param {number} exitCode
   */
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

// ---- arguments ---------------------------------------------------------------------------------------------------

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UNITS_MS = /** @type {const} */ ({ ms: 1, s: 1000, m: 60_000 });

/**
 * "30s", "2m", "500ms", or bare seconds ("30").
 * @param {string} text
 * @param {string} flag
 * @returns {number} milliseconds
 */
export function parseDuration(text, flag) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS_MS[/** @type {keyof typeof UNITS_MS} */ (match[2] ?? 's')] : Number.NaN;
  if (!(ms >= 1 && ms <= 600_000)) throw new UsageError(`${flag} must be a duration from 1ms to 10m such as 30s or 2m, got "${text}"`);
  return ms;
}

/**
 * A set, non-empty value: CI systems hand an unset secret over as "".
 * @param {string | undefined} value
 */
function present(value) {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * @param {string | undefined} value
 * @param {string} name
 */
function required(value, name) {
  const got = present(value);
  if (got === undefined) throw new UsageError(`${name} is required`);
  return got;
}

/**
 * @param {string} value
 * @param {string} name
 */
function httpUrl(value, name) {
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} must be a URL such as https://umpire.example.com, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name} must be an http(s) URL, got "${value}"`);
  return value;
}

/**
 * @param {string | undefined} value
 * @param {string} name
 * @param {number} max
 */
function limited(value, name, max) {
  if (value !== undefined && value.length > max) throw new UsageError(`${name} must be at most ${max} characters`);
  return value;
}

/**
 * @param {string | undefined} value
 * @param {string} name
 * @param {() => Date} now
 */
function instant(value, name, now) {
  if (value === undefined) return undefined;
  if (value === 'now') return now().toISOString();
  // As the API takes it (an ISO 8601 date-time with Z or an offset), checked here so the message names the flag.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${name} must be an ISO 8601 date-time such as 2026-11-26T14:05:00Z, or "now", got "${value}"`);
  }
  return value;
}

/** What this CI run is, from the variables GitHub Actions and GitLab CI set. */
/** @param {Env} env */
export function ciDefaults(env) {
  const github = [env.GITHUB_SERVER_URL, env.GITHUB_REPOSITORY, env.GITHUB_RUN_ID].map(present);
  const runUrl = github.every(Boolean) ? `${github[0]?.replace(/\/+$/, '')}/${github[1]}/actions/runs/${github[2]}` : undefined;
  return {
    commit: present(env.GITHUB_SHA) ?? present(env.CI_COMMIT_SHA),
    pipelineUrl: runUrl ?? present(env.CI_PIPELINE_URL),
  };
}

/**
 * The flags both commands share, checked and filled in from the environment.
 * @param {{ url?: string, service?: string, version?: string, environment?: string, timeout?: string }} values
 * @param {Env} env
 */
function commonOptions(values, env) {
  const url = httpUrl(required(values.url ?? env.UMPIRE_URL, '--url (or UMPIRE_URL)'), '--url').replace(/\/+$/, '');
  const service = required(values.service, '--service');
  if (!SLUG.test(service) || service.length > 63) {
    throw new UsageError(`--service must be the service's slug: lowercase letters, digits and single hyphens, got "${service}"`);
  }
  const token = present(env.UMPIRE_TOKEN);
  // Checked here: fetch would refuse such a header, and that must not read as "could not reach Umpire".
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('UMPIRE_TOKEN holds characters an HTTP header cannot carry');
  return {
    url,
    token,
    service,
    version: /** @type {string} */ (limited(required(values.version, '--version'), '--version', 200)),
    environment: /** @type {string} */ (limited(present(values.environment) ?? 'production', '--environment', 100)),
    timeoutMs: values.timeout === undefined ? 30_000 : parseDuration(values.timeout, '--timeout'),
  };
}

const COMMON_FLAGS = /** @type {const} */ ({
  url: { type: 'string' },
  service: { type: 'string' },
  version: { type: 'string' },
  environment: { type: 'string' },
  commit: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
});

/**
 * @template {import('node:util').ParseArgsConfig['options']} O
 * @param {string[]} args
 * @param {O} options
 */
function parseFlags(args, options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Where Umpire is and how to ask it, for the commands that name no service and version.
 * @param {{ url?: string, timeout?: string }} values
 * @param {Env} env
 */
function connection(values, env) {
  const token = present(env.UMPIRE_TOKEN);
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('UMPIRE_TOKEN holds characters an HTTP header cannot carry');
  return {
    url: httpUrl(required(values.url ?? env.UMPIRE_URL, '--url (or UMPIRE_URL)'), '--url').replace(/\/+$/, ''),
    token,
    timeoutMs: values.timeout === undefined ? 30_000 : parseDuration(values.timeout, '--timeout'),
  };
}

/**
 * @param {readonly string[]} argv the arguments after the script
 * @param {Env} env
 * @param {() => Date} [now]
 * @returns {Options}
 */
export function parseCommand(argv, env, now = () => new Date()) {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = args[0] === 'gate' || args[0] === 'deploy' || args[0] === 'rules' || args[0] === 'export' || args[0] === 'diff' ? args[0] : undefined;
    return { command: 'help', topic };
  }
  if (command === 'gate') {
    const values = parseFlags(args, { ...COMMON_FLAGS, 'pipeline-url': { type: 'string' }, 'warn-exit-code': { type: 'string' } });
    if (values.help) return { command: 'help', topic: 'gate' };
    const ci = ciDefaults(env);
    const warn = present(values['warn-exit-code']) ?? present(env.UMPIRE_GATE_WARN_EXIT) ?? '0';
    if (warn !== '0' && warn !== '1') {
      throw new UsageError(`--warn-exit-code (or UMPIRE_GATE_WARN_EXIT) must be 0 or 1, got "${warn}"`);
    }
    const pipelineUrl = present(values['pipeline-url']) ?? ci.pipelineUrl;
    return {
      command: 'gate',
      ...commonOptions(values, env),
      commit: limited(present(values.commit) ?? ci.commit, '--commit', 100),
      pipelineUrl: pipelineUrl === undefined ? undefined : httpUrl(pipelineUrl, '--pipeline-url'),
      warnExitCode: warn === '1' ? 1 : 0,
      json: values.json ?? false,
    };
  }
  if (command === 'deploy') {
    const values = parseFlags(args, {
      ...COMMON_FLAGS,
      'started-at': { type: 'string' },
      'finished-at': { type: 'string' },
      'deploy-url': { type: 'string' },
    });
    if (values.help) return { command: 'help', topic: 'deploy' };
    const ci = ciDefaults(env);
    const deployUrl = present(values['deploy-url']) ?? ci.pipelineUrl;
    return {
      command: 'deploy',
      ...commonOptions(values, env),
      startedAt: instant(present(values['started-at']), '--started-at', now),
      finishedAt: instant(present(values['finished-at']), '--finished-at', now),
      commit: limited(present(values.commit) ?? ci.commit, '--commit', 100),
      deployUrl: deployUrl === undefined ? undefined : httpUrl(deployUrl, '--deploy-url'),
      json: values.json ?? false,
    };
  }
  if (command === 'rules') {
    const values = parseFlags(args, {
      url: { type: 'string' },
      service: { type: 'string' },
      slo: { type: 'string' },
      format: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { command: 'help', topic: 'rules' };
    const service = present(values.service);
    const slo = present(values.slo);
    for (const [flag, slug] of /** @type {const} */ ([
      ['--service', service],
      ['--slo', slo],
    ])) {
      if (slug !== undefined && (!SLUG.test(slug) || slug.length > 63)) {
        throw new UsageError(`${flag} must be a slug: lowercase letters, digits and single hyphens, got "${slug}"`);
      }
    }
    if (slo !== undefined && service === undefined) throw new UsageError('--slo needs --service: an SLO is named within its service');
    const format = present(values.format) ?? 'prometheus';
    if (format !== 'prometheus' && format !== 'operator' && format !== 'tests') {
      throw new UsageError(`--format must be prometheus, operator or tests, got "${format}"`);
    }
    const token = present(env.UMPIRE_TOKEN);
    if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('UMPIRE_TOKEN holds characters an HTTP header cannot carry');
    return {
      command: 'rules',
      url: httpUrl(required(values.url ?? env.UMPIRE_URL, '--url (or UMPIRE_URL)'), '--url').replace(/\/+$/, ''),
      token,
      service,
      slo,
      format,
      timeoutMs: values.timeout === undefined ? 30_000 : parseDuration(values.timeout, '--timeout'),
    };
  }
  if (command === 'export') {
    const values = parseFlags(args, {
      url: { type: 'string' },
      team: { type: 'string' },
      service: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { command: 'help', topic: 'export' };
    const team = limited(present(values.team), '--team', 100);
    const service = present(values.service);
    if (service !== undefined && (!SLUG.test(service) || service.length > 63)) {
      throw new UsageError(`--service must be a slug: lowercase letters, digits and single hyphens, got "${service}"`);
    }
    if (team !== undefined && service !== undefined) throw new UsageError('--team and --service: give one of them');
    return { command: 'export', ...connection(values, env), team, service };
  }
  if (command === 'diff') {
    const values = parseFlags(args, {
      url: { type: 'string' },
      file: { type: 'string', short: 'f' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { command: 'help', topic: 'diff' };
    return { command: 'diff', ...connection(values, env), file: required(values.file, '--file (-f)'), json: values.json ?? false };
  }
  throw new UsageError(`unknown command "${command}": use umpire gate, deploy, rules, export or diff (umpire --help)`);
}

// ---- the summary -------------------------------------------------------------------------------------------------

/**
 * A fraction as a percentage, for servers that send no observedText: -0.123 -> "-12.3%", 0.25 -> "25%".
 * @param {number} fraction
 */
export function percent(fraction) {
  const digits = Math.abs(fraction) < 0.1 ? 2 : 1;
  const text = (fraction * 100).toFixed(digits).replace(/\.?0+$/, '');
  return `${text === '-0' ? '0' : text}%`;
}

/** @param {number} value */
const times = (value) => `${value.toFixed(2).replace(/\.?0+$/, '')}x`;

/**
 * One reason as a line of the summary: "✗ checkout/availability: budget remaining −13% < 0% (fail)".
 * The rule kinds the CLI knows are spelt out from the figures as the server wrote them (observedText and
 * thresholdText: Umpire's one formatter, which never shows a figure on the wrong side of its threshold); a server
 * too old to send them gets the CLI's own rendering; any other rule falls back to the server's message.
 * @param {GateAnswer['reasons'][number]} reason
 * @param {string} service
 */
export function reasonLine(reason, service) {
  const mark = reason.verdict === 'fail' ? '✗' : '!';
  const what = reason.slo === '*' ? service : `${service}/${reason.slo}`;
  const { rule, observed, threshold } = reason;
  const observedText = reason.observedText ?? undefined;
  const thresholdText = reason.thresholdText ?? undefined;
  /** @type {string} */
  let text = reason.message;
  if (rule.startsWith('budget_remaining') && typeof observed === 'number' && typeof threshold === 'number') {
    text = `budget remaining ${observedText ?? percent(observed)} < ${thresholdText ?? percent(threshold)}`;
  } else if (rule.startsWith('burn_rate ') && typeof observed === 'number' && typeof threshold === 'number') {
    text = `burn rate over ${rule.split(' ')[1]} ${observedText ?? times(observed)} > ${thresholdText ?? times(threshold)}`;
  } else if (rule.startsWith('alert_firing ') && typeof observed === 'string') {
    text = `${rule.slice('alert_firing '.length)} burn-rate alert firing (${observed})`;
  } else if (rule === 'data missing' && reason.slo !== '*') {
    text = 'no data in its window, so its budget is unknown';
  } else if (rule === 'data stale') {
    text = 'data stale: its source stopped answering, figures are as of then';
  }
  return `${mark} ${what}: ${text} (${reason.verdict})`;
}

const POLICY_SOURCE = /** @type {Record<string, string>} */ ({
  service: "the service's own policy",
  default: "the organisation's default policy",
  builtin: "Umpire's built-in policy",
});

const DATA_STATE = /** @type {Record<string, string>} */ ({
  ok: 'ok',
  partial: "provisional (an SLO's window is only partly measured)",
  stale: 'stale (a source stopped answering; its figures are as of then)',
  missing: 'missing (an SLO has no data in its window)',
  no_slos: 'no SLOs counted',
});

/**
 * @param {number} n
 * @param {string} word
 */
const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The human summary of a gate answer.
 * @param {GateAnswer} answer
 * @param {{ url: string, warnExitCode: 0 | 1 }} options
 */
export function formatGateSummary(answer, { url, warnExitCode }) {
  const what = `${answer.service}@${answer.version} → ${answer.environment}`;
  const lines = [];
  if (answer.override && answer.verdict !== answer.policyVerdict) {
    lines.push(`${answer.verdict.toUpperCase()} (override; the policy says ${answer.policyVerdict.toUpperCase()})  ${what}`);
  } else {
    const note = answer.verdict === 'warn' ? (warnExitCode === 1 ? '  (warn fails this pipeline: --warn-exit-code 1)' : '  (warn lets it through)') : '';
    lines.push(`${answer.verdict.toUpperCase()}  ${what}${note}`);
  }
  for (const reason of answer.reasons) lines.push(`  ${reasonLine(reason, answer.service)}`);
  if (answer.reasons.length === 0) lines.push(`  ✓ no rule broken by ${count(answer.slos.length, 'SLO')}`);
  const rules = Array.isArray(answer.policy.rules) ? answer.policy.rules.length : 0;
  lines.push(`  data: ${DATA_STATE[answer.dataState] ?? answer.dataState}, ${count(answer.slos.length, 'SLO')} counted`);
  lines.push(
    `  policy: ${POLICY_SOURCE[answer.policy.source] ?? answer.policy.source}, ${count(rules, 'rule')}, missing data ${answer.policy.onMissingData === 'pass' ? 'passes' : `${answer.policy.onMissingData}s`}`,
  );
  if (answer.override) {
    lines.push(`  override: by ${answer.override.createdBy} until ${answer.override.expiresAt}: ${answer.override.reason}`);
  }
  lines.push(`  ${url}/services/${encodeURIComponent(answer.service)}`);
  return lines.join('\n');
}

/**
 * The exit code for a verdict.
 * @param {Verdict} verdict
 * @param {0 | 1} warnExitCode
 */
export function exitCodeFor(verdict, warnExitCode) {
  return verdict === 'pass' ? EXIT.pass : verdict === 'warn' ? warnExitCode : EXIT.fail;
}

// ---- talking to Umpire -------------------------------------------------------------------------------------------

/** @typedef {{ status: number, headers: Headers, text: string, json: unknown }} Answer */

/**
 * Why fetch failed, in words: "connection refused (ECONNREFUSED)".
 * @param {unknown} error
 */
function networkReason(error) {
  /** @type {unknown} */
  let cause = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  const known = /** @type {Record<string, string>} */ ({
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'connection closed',
  });
  if (code && known[code]) return `${known[code]} (${code})`;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code ? `${message} (${code})` : message;
}

/**
 * One request to Umpire, as JSON. Throws CliError(3) when it cannot be asked: unreachable, or no full answer in time.
 * @param {{ method: string, url: string, token: string | undefined, body: unknown, contentType?: string, timeoutMs: number, fetch: typeof fetch }} request
 * @returns {Promise<Answer>}
 */
export async function callUmpire({ method, url, token, body, contentType = 'application/json', timeoutMs, fetch }) {
  const signal = AbortSignal.timeout(timeoutMs);
  /** @type {Record<string, string>} */
  const headers = { 'content-type': contentType, accept: 'application/json', 'user-agent': 'umpire-cli' };
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    // No redirects: a POST would come back as a GET, and the token would follow it to wherever it points.
    const payload = body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : String(body);
    const response = await fetch(url, { method, headers, body: payload, signal, redirect: 'manual' });
    const text = await response.text();
    /** @type {unknown} */
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || (name === 'AbortError' && signal.aborted)) {
      throw new CliError(`Umpire did not answer ${method} ${url} within ${formatMs(timeoutMs)} (--timeout)`, EXIT.unavailable);
    }
    throw new CliError(`could not reach Umpire at ${url}: ${networkReason(error)}`, EXIT.unavailable);
  }
}

/** @param {number} ms */
function formatMs(ms) {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Umpire's error body, when the answer is one: {"error":{"code","message","fields"}}.
 * @param {unknown} json
 * @returns {{ code: string, message: string, fields?: Record<string, string> } | undefined}
 */
function apiError(json) {
  if (typeof json !== 'object' || json === null || !('error' in json)) return undefined;
  const error = json.error;
  if (typeof error !== 'object' || error === null || !('message' in error) || typeof error.message !== 'string') return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'error';
  const fields =
    'fields' in error && typeof error.fields === 'object' && error.fields !== null ? /** @type {Record<string, string>} */ (error.fields) : undefined;
  return { code, message: error.message, ...(fields ? { fields } : {}) };
}

/**
 * What an answer other than the expected success means, and the exit code: 5xx, 408 and 429 are "could not ask"
 * (3); every other status is a request or configuration to fix (2), never a pass, so a pipeline that lets 3
 * through cannot be let through by a mistyped service or URL.
 * @param {Answer} answer
 * @param {{ method: string, url: string, base: string, token: string | undefined }} request
 */
export function answerError(answer, { method, url, base, token }) {
  // The standard phrase, not the answer's: HTTP/2 and many proxies send none.
  const phrase = STATUS_CODES[answer.status];
  const status = `${answer.status}${phrase ? ` ${phrase}` : ''}`;
  const error = apiError(answer.json);
  const said = error ? `: ${error.message}` : '';
  if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
    const requestId = answer.headers.get('x-request-id');
    const retry = answer.headers.get('retry-after');
    const extra = [requestId && !said.includes(requestId) ? `request id ${requestId}` : '', retry ? `retry after ${retry}s` : ''].filter(Boolean).join(', ');
    return new CliError(`Umpire could not answer ${method} ${url} (${status})${said}${extra ? ` (${extra})` : ''}`, EXIT.unavailable);
  }
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.get('location');
    return new CliError(
      `${url} answered ${status}${location ? ` redirecting to ${location}` : ''}: give --url as Umpire's address after redirects`,
      EXIT.usage,
    );
  }
  if (answer.status === 401 || answer.status === 403) {
    const hint = token ? 'check that UMPIRE_TOKEN holds a valid token allowed to do this' : 'set UMPIRE_TOKEN to an Umpire token';
    return new CliError(`Umpire refused the request (${status})${said}: ${hint}`, EXIT.usage);
  }
  if (!error) {
    return new CliError(`${url} answered ${status} without an Umpire error: is ${base} Umpire's base URL (--url)?`, EXIT.usage);
  }
  const fields = error.fields
    ? Object.entries(error.fields)
        .map(([field, message]) => `\n  ${field}: ${message}`)
        .join('')
    : '';
  return new CliError(`Umpire refused the request (${status}, ${error.code})${said}${fields}`, EXIT.usage);
}

/**
 * Whether a 2xx body is a gate answer the summary can read (an older or newer server might differ).
 * @param {unknown} json
 * @returns {json is GateAnswer}
 */
export function isGateAnswer(json) {
  if (typeof json !== 'object' || json === null) return false;
  const a = /** @type {Record<string, unknown>} */ (json);
  const verdicts = ['pass', 'warn', 'fail'];
  return (
    verdicts.includes(/** @type {string} */ (a.verdict)) &&
    verdicts.includes(/** @type {string} */ (a.policyVerdict)) &&
    typeof a.service === 'string' &&
    typeof a.version === 'string' &&
    typeof a.environment === 'string' &&
    Array.isArray(a.reasons) &&
    Array.isArray(a.slos) &&
    typeof a.policy === 'object' &&
    a.policy !== null &&
    typeof a.dataState === 'string'
  );
}

// ---- commands ----------------------------------------------------------------------------------------------------

/** @typedef {{ stdout: (text: string) => void, stderr: (text: string) => void, fetch: typeof fetch, now?: () => Date, readFile?: (path: string) => string }} Io */

/**
 * @param {GateOptions} options
 * @param {Io} io
 */
async function gate(options, io) {
  const url = `${options.url}/api/v1/services/${encodeURIComponent(options.service)}/gate`;
  const body = {
    version: options.version,
    environment: options.environment,
    ...(options.commit ? { commit: options.commit } : {}),
    ...(options.pipelineUrl ? { pipelineUrl: options.pipelineUrl } : {}),
  };
  const answer = await callUmpire({ method: 'POST', url, token: options.token, body, timeoutMs: options.timeoutMs, fetch: io.fetch });
  if (options.json && answer.json !== undefined) io.stdout(answer.text);
  if (answer.status !== 200) throw answerError(answer, { method: 'POST', url, base: options.url, token: options.token });
  if (!isGateAnswer(answer.json)) {
    throw new CliError(`${url} answered 200 with something other than a gate verdict: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  }
  if (!options.json) io.stdout(formatGateSummary(answer.json, options));
  return exitCodeFor(answer.json.verdict, options.warnExitCode);
}

/**
 * @param {DeployOptions} options
 * @param {Io} io
 */
async function deploy(options, io) {
  const url = `${options.url}/api/v1/deployments`;
  const body = {
    service: options.service,
    version: options.version,
    environment: options.environment,
    ...(options.startedAt ? { startedAt: options.startedAt } : {}),
    ...(options.finishedAt ? { finishedAt: options.finishedAt } : {}),
    ...(options.commit ? { commit: options.commit } : {}),
    ...(options.deployUrl ? { url: options.deployUrl } : {}),
  };
  const answer = await callUmpire({ method: 'POST', url, token: options.token, body, timeoutMs: options.timeoutMs, fetch: io.fetch });
  if (options.json && answer.json !== undefined) io.stdout(answer.text);
  if (answer.status !== 200 && answer.status !== 201) throw answerError(answer, { method: 'POST', url, base: options.url, token: options.token });
  const id = typeof answer.json === 'object' && answer.json !== null && 'id' in answer.json ? String(answer.json.id) : undefined;
  if (id === undefined) throw new CliError(`${url} answered ${answer.status} without a deployment: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  if (!options.json) {
    io.stdout(
      `Recorded deployment ${id}: ${options.service}@${options.version} → ${options.environment}\n  ${options.url}/services/${encodeURIComponent(options.service)}`,
    );
  }
  return EXIT.pass;
}

/**
 * @param {RulesOptions} options
 * @param {Io} io
 */
async function rules(options, io) {
  const scope = options.service
    ? `/api/v1/services/${encodeURIComponent(options.service)}${options.slo ? `/slos/${encodeURIComponent(options.slo)}` : ''}/rules`
    : '/api/v1/rules';
  const url = `${options.url}${scope}?format=${options.format}`;
  const answer = await callUmpire({ method: 'GET', url, token: options.token, body: undefined, timeoutMs: options.timeoutMs, fetch: io.fetch });
  if (answer.status !== 200) throw answerError(answer, { method: 'GET', url, base: options.url, token: options.token });
  if (!/yaml/.test(answer.headers.get('content-type') ?? '')) {
    throw new CliError(`${url} answered 200 with something other than YAML: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  }
  const never = answer.headers.get('umpire-never-firing-tiers');
  if (never) io.stderr(`umpire: tiers that can never fire (their threshold times the error budget is above 100% errors): ${never}`);
  io.stdout(answer.text.replace(/\n$/, ''));
  return EXIT.pass;
}

/**
 * @param {ExportOptions} options
 * @param {Io} io
 */
async function exportCatalogue(options, io) {
  const query = options.team ? `?team=${encodeURIComponent(options.team)}` : options.service ? `?service=${encodeURIComponent(options.service)}` : '';
  const url = `${options.url}/api/v1/openslo${query}`;
  const answer = await callUmpire({ method: 'GET', url, token: options.token, body: undefined, timeoutMs: options.timeoutMs, fetch: io.fetch });
  if (answer.status !== 200) throw answerError(answer, { method: 'GET', url, base: options.url, token: options.token });
  if (!/yaml/.test(answer.headers.get('content-type') ?? '')) {
    throw new CliError(`${url} answered 200 with something other than YAML: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  }
  io.stdout(answer.text.replace(/\n$/, ''));
  return EXIT.pass;
}

/**
 * @param {DiffOptions} options
 * @param {Io} io
 */
async function diff(options, io) {
  let text;
  try {
    text = (io.readFile ?? ((path) => readFileSync(path, 'utf8')))(options.file);
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
  }
  const url = `${options.url}/api/v1/openslo/plan?file=${encodeURIComponent(options.file)}`;
  const answer = await callUmpire({
    method: 'POST',
    url,
    token: options.token,
    body: text,
    contentType: 'application/yaml',
    timeoutMs: options.timeoutMs,
    fetch: io.fetch,
  });
  if (answer.status === 422 && typeof answer.json === 'object' && answer.json !== null) {
    const errors = /** @type {{ error?: { errors?: unknown } }} */ (answer.json).error?.errors;
    if (Array.isArray(errors)) throw new CliError(`Umpire refused ${options.file}:\n${errors.map((e) => `  ${String(e)}`).join('\n')}`, EXIT.usage);
  }
  if (answer.status !== 200) throw answerError(answer, { method: 'POST', url, base: options.url, token: options.token });
  const steps =
    typeof answer.json === 'object' && answer.json !== null && 'steps' in answer.json && Array.isArray(answer.json.steps) ? answer.json.steps : undefined;
  if (!steps) throw new CliError(`${url} answered 200 without a plan: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  /** @type {Array<{ kind: string, name: string, action: string, fields: string[] }>} */
  const plan = steps;
  if (options.json) io.stdout(answer.text);
  else io.stdout(formatPlan(plan));
  return plan.some((step) => step.action !== 'unchanged') ? EXIT.fail : EXIT.pass;
}

/**
 * A plan as lines: + create, ~ change (its fields), = unchanged; then the counts.
 * @param {ReadonlyArray<{ kind: string, name: string, action: string, fields: string[] }>} steps
 */
export function formatPlan(steps) {
  const marks = /** @type {Record<string, string>} */ ({ create: '+', change: '~', unchanged: '=' });
  const lines = steps.map(
    (s) => `${marks[s.action] ?? '?'} ${s.kind === 'slo' ? 'SLO' : 'service'} ${s.name}${s.action === 'change' ? `: ${s.fields.join(', ')}` : ''}`,
  );
  const count = (/** @type {string} */ action) => steps.filter((s) => s.action === action).length;
  lines.push(`${count('create')} to create, ${count('change')} to change, ${count('unchanged')} unchanged`);
  return lines.join('\n');
}

/**
 * Runs one command line and returns the exit code; prints through `io`, so tests can run it in-process.
 * @param {readonly string[]} argv
 * @param {Env} env
 * @param {Io} io
 * @returns {Promise<number>}
 */
export async function run(argv, env, io) {
  /** @type {Options} */
  let options;
  try {
    options = parseCommand(argv, env, io.now);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const topic = ['gate', 'deploy', 'rules', 'export', 'diff'].includes(argv[0] ?? '') ? `umpire ${argv[0]} --help` : 'umpire --help';
    io.stderr(`umpire: ${error.message} (${topic})`);
    return EXIT.usage;
  }
  if (options.command === 'help') {
    const topics = { gate: GATE_USAGE, deploy: DEPLOY_USAGE, rules: RULES_USAGE, export: EXPORT_USAGE, diff: DIFF_USAGE };
    io.stdout(options.topic ? topics[options.topic] : USAGE);
    return EXIT.pass;
  }
  try {
    if (options.command === 'gate') return await gate(options, io);
    if (options.command === 'deploy') return await deploy(options, io);
    if (options.command === 'export') return await exportCatalogue(options, io);
    if (options.command === 'diff') return await diff(options, io);
    return await rules(options, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`umpire: ${error.message}`);
    return error.exitCode;
  }
}

/** Whether this file is the program node was started with (not imported by a test); npm's bin links are symlinks. */
function isMain() {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMain()) {
  const io = {
    stdout: (/** @type {string} */ text) => void process.stdout.write(`${text}\n`),
    stderr: (/** @type {string} */ text) => void process.stderr.write(`${text}\n`),
    fetch: globalThis.fetch,
  };
  run(process.argv.slice(2), process.env, io).then(
    (code) => {
      // exitCode rather than exit(): output piped to a file or jq is flushed first.
      process.exitCode = code;
    },
    (error) => {
      // A bug here is neither a "no" nor Umpire being down: 2, which no pipeline should let through.
      process.stderr.write(`umpire: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
