import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

const dbImports = {
  group: ['**/lib/db', '**/lib/db/**', '@/lib/db', '@/lib/db/**', '@prisma/*', 'pg'],
  message: 'Only lib/use-cases (and lib/db itself) talk to the database; call a use-case instead.',
};

// What each layer may not import, as files the TypeScript resolver finds (so `../db/client`, `@/lib/db/client` and
// `../../lib/db` are the same file). The layers are drawn in docs/architecture.md; why lint and not `server-only` is in
// docs/decisions/0009-layers-by-lint.md. A new folder under lib/ gets its zone in the change that adds it.
const SERVER = [
  'lib/db',
  'lib/use-cases',
  'lib/sources',
  'lib/evaluator',
  'lib/crypto',
  'lib/env.ts',
  'lib/telemetry',
  'lib/http',
  'lib/auth/password.ts',
  'lib/auth/authorize.ts',
  'lib/otlp',
  'lib/log.ts',
  'lib/notify',
  'scripts',
];
const ABOVE_USE_CASES = ['app', 'components', 'lib/queries', 'lib/http', 'lib/evaluator', 'scripts'];
const layers = [
  {
    target: 'lib/slo',
    from: [
      'lib/db',
      'lib/use-cases',
      'lib/sources',
      'lib/embed',
      'lib/otlp',
      'lib/telemetry',
      'lib/crypto',
      'lib/env.ts',
      'lib/log.ts',
      'lib/notify',
      'lib/auth',
      'lib/format',
      'lib/charts',
      ...ABOVE_USE_CASES,
    ],
    message: 'lib/slo is the pure maths core: it imports only lib/slo and lib/schemas.',
  },
  {
    target: 'lib/schemas',
    from: ['lib/db', 'lib/use-cases', 'lib/sources', 'lib/embed', 'lib/telemetry', 'lib/env.ts', 'lib/notify', ...ABOVE_USE_CASES],
    message: 'lib/schemas are contracts: shared by the browser and the server, they import no layer that does I/O.',
  },
  // lib/db stores what sources read, so it may use their shapes and codecs (MinuteBucket, SeriesState), never a use-case.
  {
    target: 'lib/db',
    from: ['lib/use-cases', 'lib/embed', ...ABOVE_USE_CASES],
    message: 'lib/db is the bottom layer: repositories know tables, not use-cases, routes or pages.',
  },
  {
    target: 'lib/use-cases',
    from: ['app', 'components', 'lib/queries', 'lib/http', 'lib/evaluator', 'scripts'],
    message: 'Use-cases are called by routes, pages, the evaluator and scripts; they do not call up into them.',
  },
  {
    target: 'lib/sources',
    from: ['lib/use-cases', 'lib/embed', ...ABOVE_USE_CASES],
    message: 'A source kind reads a backend; use-cases call it, not the other way round.',
  },
  // lib/notify turns a message a use-case built into a delivery: contracts, figures and the outbound guard, nothing that
  // stores, authorises or decrypts (the secret arrives decrypted), and of lib/sources only the guard.
  {
    target: 'lib/notify',
    from: ['lib/db', 'lib/use-cases', 'lib/embed', 'lib/crypto', 'lib/auth', 'lib/otlp', ...ABOVE_USE_CASES],
    message:
      'lib/notify delivers what a use-case built: it imports lib/schemas, lib/slo, lib/format, the outbound guard, env, log and telemetry, never the database, use-cases, pages or components.',
  },
  {
    target: 'lib/notify',
    from: ['lib/sources'],
    except: ['./http/outbound.ts'],
    message: 'lib/notify reaches the outside only through the outbound guard (lib/sources/http/outbound.ts), not through a source kind.',
  },
  {
    target: ['lib/rules', 'lib/openslo', 'lib/backstage', 'lib/catalog'],
    from: ['lib/db', 'lib/use-cases', 'lib/embed', 'lib/notify', 'lib/crypto', 'lib/auth', 'lib/otlp', 'lib/env.ts', 'lib/telemetry', ...ABOVE_USE_CASES],
    message:
      'lib/rules, lib/openslo, lib/backstage and lib/catalog turn definitions a use-case read into files and back: pure, no database, use-case, page or component.',
  },
  {
    target: 'lib/embed',
    from: ['lib/db', 'lib/sources', ...ABOVE_USE_CASES],
    message: 'lib/embed draws what a use-case gathered: no database, no sources, no React components.',
  },
  {
    target: 'lib/http',
    from: ['lib/db', 'app', 'components', 'lib/queries', 'scripts'],
    message: 'lib/http maps requests to use-cases; database errors are classified in lib/errors.ts.',
  },
  {
    target: 'app',
    from: ['lib/db', 'lib/sources', 'scripts'],
    message: 'Routes and pages go through lib/use-cases (and lib/http); they never reach the database or a backend directly.',
  },
  {
    target: ['lib/format', 'lib/charts'],
    from: [...SERVER, 'lib/embed', 'lib/queries', 'app', 'components'],
    message: 'lib/format and lib/charts serve the browser and the server alike: pure, they import no server module, page or component.',
  },
  {
    target: ['components', 'lib/queries'],
    from: SERVER,
    message: 'Browser code: it reaches the server through lib/queries and the API, never by importing a server module.',
  },
  { target: 'components/charts', from: ['lib/queries'], message: 'Charts only display the data they are given as props.' },
];

// Layers as in ../shared/STYLE.md, enforced here rather than by review.
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', 'node_modules/**', 'lib/db/generated/**', 'next-env.d.ts', '.umpire/**', 'test-results/**', 'playwright-report/**']),
  {
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' }, node: true } },
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: layers.flatMap(({ target, from, except, message }) =>
            [target].flat().map((t) => ({ target: `./${t}`, from: from.map((f) => `./${f}`), ...(except ? { except } : {}), message })),
          ),
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/slo/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'next',
                'next/*',
                'react',
                '@prisma/*',
                'pg',
                '**/db',
                '**/db/**',
                '**/sources/**',
                '**/use-cases/**',
                '@/lib/db*',
                '@/lib/sources*',
                '@/lib/use-cases*',
                'node:*',
                'fs',
                'net',
                'http',
              ],
              message: 'lib/slo is pure maths: no I/O, no framework, no database or sources.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/**', 'components/**', 'lib/queries/**', 'lib/http/**', 'lib/sources/**', 'lib/schemas/**', 'lib/notify/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dbImports] }] },
  },
  {
    files: ['components/charts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            dbImports,
            {
              group: ['@tanstack/*', '**/lib/queries*', '@/lib/queries*', '**/use-cases/**', '@/lib/use-cases*'],
              message: 'Charts only display the data they are given as props.',
            },
          ],
        },
      ],
    },
  },
]);
