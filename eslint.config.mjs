import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

const dbImports = {
  group: ['**/lib/db', '**/lib/db/**', '@/lib/db', '@/lib/db/**', '@prisma/*', 'pg'],
  message: 'Only lib/use-cases (and lib/db itself) talk to the database; call a use-case instead.',
};

// Layers as in ../shared/STYLE.md, enforced here rather than by review.
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', 'node_modules/**', 'lib/db/generated/**', 'next-env.d.ts', '.umpire/**', 'test-results/**', 'playwright-report/**']),
  {
    rules: {
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
              group: ['next', 'next/*', 'react', '@prisma/*', 'pg', '**/db', '**/db/**', '**/sources/**', '**/use-cases/**', '@/lib/db*', '@/lib/sources*', '@/lib/use-cases*', 'node:*', 'fs', 'net', 'http'],
              message: 'lib/slo is pure maths: no I/O, no framework, no database or sources.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/**', 'components/**', 'lib/queries/**', 'lib/http/**', 'lib/sources/**', 'lib/schemas/**'],
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
            { group: ['@tanstack/*', '**/lib/queries*', '@/lib/queries*', '**/use-cases/**', '@/lib/use-cases*'], message: 'Charts only display the data they are given as props.' },
          ],
        },
      ],
    },
  },
]);
