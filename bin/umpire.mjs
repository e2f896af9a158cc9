#!/usr/bin/env node
// @ts-check
// Umpire's CLI for pipelines: `umpire gate` asks whether a version may be released, `umpire deploy` records one,
// `umpire rules` fetches the Prometheus rules (and their promtool tests) Umpire generates for its SLOs, `umpire
// export` the catalogue as OpenSLO v1, `umpire diff` what OpenSLO and Backstage files would change, and `umpire
// apply` them (docs/gitops.md).
// One file, no dependencies, plain Node 20.19+: a pipeline can fetch it alone and run it. Exit codes tell a "no"
// (1) from a request that was wrong (2) and from Umpire not answering (3).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
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
 * @typedef {object} CatalogOptions
 * @property {'diff' | 'apply'} command
 * @property {string} url
 * @property {string | undefined} token
 * @property {string[]} files the files and folders given with -f
 * @property {string | undefined} source the repository that manages what is applied
 * @property {string | undefined} revision the commit applied
 * @property {boolean} prune
 * @property {boolean} dryRun
 * @property {boolean} json
 * @property {number} timeoutMs
 */

/** @typedef {{ command: 'help', topic: 'gate' | 'deploy' | 'rules' | 'export' | 'diff' | 'apply' | undefined }} HelpOptions */
/** @typedef {GateOptions | DeployOptions | RulesOptions | ExportOptions | CatalogOptions | HelpOptions} Options */

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

const CATALOG_FLAGS_HELP = `  -f, --file PATH       an OpenSLO v1 or Backstage catalog-info.yaml file, or a folder of *.yaml and *.yml files
                        (hidden entries and symbolic links left out); repeat for more
  --source REPO         the repository that manages what is applied, e.g. github.com/acme/slos (default: env
                        UMPIRE_SOURCE, GitHub's or GitLab's repository, or git's remote "origin", credentials removed)
  --prune               also delete what the source manages and the files no longer define
  --json                print Umpire's JSON answer instead of the summary
  --url URL             Umpire's base URL (env UMPIRE_URL)
  --timeout D           give up after D, e.g. 30s, 2m (default 30s)`;

export const DIFF_USAGE = `umpire diff --url URL -f PATH [flags]

Says what applying the files would do to Umpire's catalogue: each service and SLO they define, created, changed
(each field with its value now and after) or unchanged, and with --prune what would be deleted. Nothing is written.
File names are sent relative to the git repository's top folder, as apply records them.

${CATALOG_FLAGS_HELP}
${HELP_TAIL}

Exit codes: 0 nothing would change; 1 something would change; 2 the command, its configuration or the files are
wrong (every refused document and field is printed), or another source manages an object; 3 Umpire could not be
asked.`;

export const APPLY_USAGE = `umpire apply --url URL -f PATH [flags]

Applies the files to Umpire's catalogue in one transaction: everything they define is created or changed, or
nothing is. Each object is audited with the source, its file and the revision, and marked as managed by the source:
the UI then refuses (or warns about) hand edits to it, and only this source may change or prune it.

${CATALOG_FLAGS_HELP}
  --revision SHA        the commit applied, kept in the audit trail (default: GITHUB_SHA, CI_COMMIT_SHA or git HEAD)
  --dry-run             carry it all out, rights and quotas included, then roll it back
${HELP_TAIL}

Exit codes: 0 applied, or nothing to change; 2 the command, its configuration or the files are wrong, another
source manages an object, the token may not make a change, or a quota is full (nothing was applied); 3 Umpire could
not be asked (nothing was applied).`;

export const USAGE = `umpire: release gates, deployment records, Prometheus rules and OpenSLO for Umpire, from a pipeline

  umpire gate --url URL --service SLUG --version VERSION     may this version be released?
  umpire deploy --url URL --service SLUG --version VERSION   record that it was deployed
  umpire rules --url URL [--service SLUG [--slo SLUG]]       the Prometheus rules of the SLOs
  umpire export --url URL [--team TEAM | --service SLUG]     the catalogue as OpenSLO v1
  umpire diff --url URL -f PATH                              what OpenSLO or Backstage files would change
  umpire apply --url URL -f PATH [--prune]                   apply them, as managed by their repository

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
    const topic = ['gate', 'deploy', 'rules', 'export', 'diff', 'apply'].includes(args[0] ?? '') ? /** @type {HelpOptions['topic']} */ (args[0]) : undefined;
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
  if (command === 'diff' || command === 'apply') {
    const values = parseFlags(args, {
      url: { type: 'string' },
      file: { type: 'string', short: 'f', multiple: true },
      source: { type: 'string' },
      revision: { type: 'string' },
      prune: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { command: 'help', topic: command };
    if (command === 'diff' && (values.revision !== undefined || values['dry-run'] !== undefined)) {
      throw new UsageError('--revision and --dry-run are for umpire apply: diff writes nothing');
    }
    const files = (values.file ?? []).filter((f) => f.trim() !== '');
    if (files.length === 0) throw new UsageError('--file (-f) is required');
    const source = repositorySource(limited(present(values.source), '--source', 300), '--source');
    return {
      command,
      ...connection(values, env),
      files,
      source,
      revision: limited(present(values.revision), '--revision', 100),
      prune: values.prune ?? false,
      dryRun: values['dry-run'] ?? false,
      json: values.json ?? false,
    };
  }
  throw new UsageError(`unknown command "${command}": use umpire gate, deploy, rules, export, diff or apply (umpire --help)`);
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

/**
 * How the commands reach the world; tests give their own.
 * @typedef {object} Io
 * @property {(text: string) => void} stdout
 * @property {(text: string) => void} stderr
 * @property {typeof fetch} fetch
 * @property {() => Date} [now]
 * @property {(path: string) => string} [readFile]
 * @property {(path: string) => Array<{ name: string, dir: boolean, link?: boolean }> | null} [listDir] a folder's entries; null for a file
 * @property {(args: string[]) => string | undefined} [git] git's output, undefined when git fails or is missing
 */

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

/** @param {string} file */
function readText(file) {
  return readFileSync(file, 'utf8');
}

/** @param {string} dir @returns {Array<{ name: string, dir: boolean, link?: boolean }> | null} */
function listDir(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((entry) => ({ name: entry.name, dir: entry.isDirectory(), link: entry.isSymbolicLink() }));
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code === 'ENOTDIR') return null;
    throw error;
  }
}

/** @param {string[]} args */
function runGit(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A repository's address as a source: host and path, no scheme, credentials or .git. `git@github.com:acme/slos.git`,
 * `https://x-access-token:SECRET@github.com/acme/slos.git` and `https://github.com/acme/slos` all give
 * `github.com/acme/slos`.
 * @param {string} remote
 * @returns {string | undefined}
 */
export function sourceOf(remote) {
  const text = remote.trim();
  const scp = /^[^@/\s]+@([^:/\s]+):(.+)$/.exec(text);
  let host;
  let pathname;
  if (scp) [host, pathname] = [scp[1], scp[2]];
  else {
    try {
      const url = new URL(text);
      [host, pathname] = [url.host, url.pathname];
    } catch {
      return undefined;
    }
  }
  if (!host) return undefined; // file:///srv/repo names no host: not a repository address others share
  const repo = `${host}/${String(pathname)
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')}`;
  return /^[^\s@?#]+\/[^\s@?#]+$/.test(repo) ? repo : undefined;
}

/**
 * A source as given (--source, UMPIRE_SOURCE): a repository's address is reduced to host and path (sourceOf), so
 * `https://github.com/acme/slos` and `github.com/acme/slos` are one source and no credential leaves the runner.
 * @param {string | undefined} value
 * @param {string} name
 * @returns {string | undefined}
 */
export function repositorySource(value, name) {
  if (value === undefined) return undefined;
  const address = value.includes('://') || /^[^@/\s]+@[^:/\s]+:/.test(value) ? sourceOf(value) : value;
  if (address === undefined || !/^[^\s@?#]+$/.test(address)) {
    throw new UsageError(
      `${name} must name a repository, e.g. github.com/acme/slos (no spaces, credentials, query or fragment), got "${value.replace(/\/\/[^@/]*@/, '//***@')}"`,
    );
  }
  return address;
}

/**
 * The source and revision when the flags give none: UMPIRE_SOURCE, then the CI's repository (GitHub Actions,
 * GitLab CI), then git's remote "origin"; the revision from the CI, then git's HEAD.
 * @param {CatalogOptions} options
 * @param {Env} env
 * @param {Io} io
 */
export function catalogSource(options, env, io) {
  const git = io.git ?? runGit;
  const githubRepo = present(env.GITHUB_REPOSITORY);
  const github = githubRepo && sourceOf(`${present(env.GITHUB_SERVER_URL) ?? 'https://github.com'}/${githubRepo}`);
  const gitlab = present(env.CI_PROJECT_URL) && sourceOf(/** @type {string} */ (env.CI_PROJECT_URL));
  const origin = () => {
    const remote = git(['remote', 'get-url', 'origin']);
    return remote ? sourceOf(remote) : undefined;
  };
  return {
    source: options.source ?? repositorySource(present(env.UMPIRE_SOURCE), 'UMPIRE_SOURCE') ?? (github || undefined) ?? (gitlab || undefined) ?? origin(),
    revision: options.revision ?? present(env.GITHUB_SHA) ?? present(env.CI_COMMIT_SHA) ?? git(['rev-parse', 'HEAD']),
  };
}

/**
 * The files of the -f arguments: a file as given, a folder's *.yaml and *.yml files below it (hidden entries left
 * out), in name order. Each is named relative to the git repository's top folder when it lies inside one (else to
 * the working folder), so the managed path is the same wherever the command runs.
 * @param {string[]} paths
 * @param {Io} io
 * @returns {Array<{ name: string, text: string }>}
 */
export function collectFiles(paths, io) {
  const read = io.readFile ?? readText;
  const list = io.listDir ?? listDir;
  // Outside a repository, names are relative to the folder the command runs in.
  const top = (io.git ?? runGit)(['rev-parse', '--show-toplevel']) ?? process.cwd();
  /** @type {Array<{ name: string, text: string }>} */
  const files = [];
  /** @param {string} file */
  const named = (file) => {
    const relative = path.relative(top, path.resolve(file));
    const name = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.normalize(file);
    return name.split(path.sep).join('/');
  };
  /** @param {string} item */
  const visit = (item) => {
    let entries;
    try {
      entries = list(item);
    } catch (error) {
      throw new CliError(`cannot read ${item}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
    }
    if (entries === null) {
      try {
        files.push({ name: named(item), text: read(item) });
      } catch (error) {
        throw new CliError(`cannot read ${item}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
      }
      return;
    }
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // Hidden entries, and links (which may point out of the repository, or back into the folder), are not followed.
      if (entry.name.startsWith('.') || entry.link) continue;
      const child = path.join(item, entry.name);
      if (entry.dir) visit(child);
      else if (/\.ya?ml$/i.test(entry.name)) visit(child);
    }
  };
  for (const item of paths) visit(item);
  if (files.length === 0) throw new CliError(`no .yaml or .yml file in ${paths.join(', ')}`, EXIT.usage);
  return files;
}

/**
 * @typedef {object} PlanStep
 * @property {string} kind
 * @property {string} name
 * @property {string} action
 * @property {string[]} fields
 * @property {Array<{ field: string, from: unknown, to: unknown }>} [changes]
 */

/**
 * Plans (diff) or applies the files: POST /api/v1/catalog/plan or /apply with every file.
 * @param {CatalogOptions} options
 * @param {Env} env
 * @param {Io} io
 */
async function catalog(options, env, io) {
  const files = collectFiles(options.files, io);
  const { source, revision } = catalogSource(options, env, io);
  if (options.prune && !source)
    throw new CliError('--prune needs a source (--source or a git remote "origin"): only what one source manages is pruned', EXIT.usage);
  const query = new URLSearchParams({
    ...(source ? { source } : {}),
    ...(options.command === 'apply' && revision ? { revision } : {}),
    ...(options.prune ? { prune: 'true' } : {}),
    ...(options.dryRun ? { dryRun: 'true' } : {}),
  });
  const url = `${options.url}/api/v1/catalog/${options.command === 'diff' ? 'plan' : 'apply'}${query.size > 0 ? `?${query}` : ''}`;
  const answer = await callUmpire({ method: 'POST', url, token: options.token, body: { files }, timeoutMs: options.timeoutMs, fetch: io.fetch });
  if ((answer.status === 422 || answer.status === 409) && typeof answer.json === 'object' && answer.json !== null) {
    const errors = /** @type {{ error?: { errors?: unknown } }} */ (answer.json).error?.errors;
    if (Array.isArray(errors)) {
      const why = answer.status === 409 ? 'another source manages what the files define' : 'it cannot take the files';
      throw new CliError(`Umpire refused: ${why}; nothing was applied:\n${errors.map((e) => `  ${String(e)}`).join('\n')}`, EXIT.usage);
    }
  }
  if (answer.status !== 200) throw answerError(answer, { method: 'POST', url, base: options.url, token: options.token });
  const body = /** @type {{ steps?: unknown, skipped?: unknown, applied?: unknown }} */ (
    typeof answer.json === 'object' && answer.json !== null ? answer.json : {}
  );
  if (!Array.isArray(body.steps)) throw new CliError(`${url} answered 200 without a plan: is ${options.url} Umpire's base URL (--url)?`, EXIT.usage);
  /** @type {PlanStep[]} */
  const steps = body.steps;
  const skipped = Array.isArray(body.skipped) ? body.skipped.map(String) : [];
  if (options.json) io.stdout(answer.text);
  else {
    io.stdout(formatPlan(steps, skipped));
    if (!source) io.stderr('umpire: no source (--source, UMPIRE_SOURCE or a git remote "origin"): what is applied is not marked as managed');
    if (options.command === 'apply') {
      io.stdout(
        options.dryRun
          ? 'Dry run: carried out and rolled back, nothing kept.'
          : body.applied
            ? `Applied${source ? ` from ${source}` : ''}${revision ? ` at ${revision}` : ''}.`
            : 'Nothing to apply.',
      );
    }
  }
  if (options.command === 'apply') return EXIT.pass;
  return steps.some((step) => step.action !== 'unchanged') ? EXIT.fail : EXIT.pass;
}

/** @param {unknown} value */
function shortValue(value) {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'object') return undefined;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? undefined : text;
}

/**
 * A plan as lines: + create, ~ change (each field, with its values when short), - delete, = unchanged; the skipped
 * documents; then the counts.
 * @param {ReadonlyArray<PlanStep>} steps
 * @param {readonly string[]} [skipped]
 */
export function formatPlan(steps, skipped = []) {
  const marks = /** @type {Record<string, string>} */ ({ create: '+', change: '~', delete: '-', unchanged: '=' });
  const field = (/** @type {PlanStep} */ step, /** @type {string} */ name) => {
    const change = step.changes?.find((c) => c.field === name);
    if (!change) return name;
    if (name === 'managedBy') {
      const to = /** @type {{ source?: string, path?: string } | null} */ (change.to);
      return to?.source ? `managed by ${to.source}${to.path ? ` (${to.path})` : ''}` : 'managedBy';
    }
    const [from, to] = [shortValue(change.from), shortValue(change.to)];
    return from !== undefined && to !== undefined ? `${name} ${from} → ${to}` : name;
  };
  const lines = steps.map(
    (s) =>
      `${marks[s.action] ?? '?'} ${s.kind === 'slo' ? 'SLO' : s.kind === 'route' ? 'route' : 'service'} ${s.name}${s.action === 'change' ? `: ${s.fields.map((f) => field(s, f)).join(', ')}` : ''}`,
  );
  for (const line of skipped) lines.push(`· skipped ${line}`);
  const count = (/** @type {string} */ action) => steps.filter((s) => s.action === action).length;
  const deleted = count('delete');
  lines.push(`${count('create')} to create, ${count('change')} to change${deleted > 0 ? `, ${deleted} to delete` : ''}, ${count('unchanged')} unchanged`);
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
    const topic = ['gate', 'deploy', 'rules', 'export', 'diff', 'apply'].includes(argv[0] ?? '') ? `umpire ${argv[0]} --help` : 'umpire --help';
    io.stderr(`umpire: ${error.message} (${topic})`);
    return EXIT.usage;
  }
  if (options.command === 'help') {
    const topics = { gate: GATE_USAGE, deploy: DEPLOY_USAGE, rules: RULES_USAGE, export: EXPORT_USAGE, diff: DIFF_USAGE, apply: APPLY_USAGE };
    io.stdout(options.topic ? topics[options.topic] : USAGE);
    return EXIT.pass;
  }
  try {
    if (options.command === 'gate') return await gate(options, io);
    if (options.command === 'deploy') return await deploy(options, io);
    if (options.command === 'export') return await exportCatalogue(options, io);
    if (options.command === 'rules') return await rules(options, io);
    return await catalog(options, env, io);
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
