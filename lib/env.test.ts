import { afterEach, expect, test } from 'vitest';
import { databaseUrl, env, reloadEnv } from './env';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  reloadEnv();
});

function withEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  reloadEnv();
}

test('a bad value names the variable and what it must be', () => {
  withEnv({ UMPIRE_PUBLIC_URL: 'ftp://umpire.example.com' });
  expect(() => env()).toThrow('UMPIRE_PUBLIC_URL must be an http(s) URL');
  withEnv({ UMPIRE_PUBLIC_URL: undefined, PORT: '70000' });
  expect(() => env()).toThrow('PORT: PORT must be 1 to 65535');
  withEnv({ PORT: undefined, UMPIRE_SECRET_KEY: 'short' });
  expect(() => env()).toThrow('UMPIRE_SECRET_KEY must be at least 16 characters');
  withEnv({ UMPIRE_SECRET_KEY: undefined, DATABASE_URL: 'mysql://db/umpire' });
  expect(() => env()).toThrow('DATABASE_URL must be a postgresql:// URL');
});

test('the public URL loses its trailing slash; empty values are unset', () => {
  withEnv({ UMPIRE_PUBLIC_URL: 'https://slo.example.com/', UMPIRE_SECRET_KEY: '  ', UMPIRE_EMBED_FRAME_ANCESTORS: '' });
  expect(env().UMPIRE_PUBLIC_URL).toBe('https://slo.example.com');
  expect(env().UMPIRE_SECRET_KEY).toBeUndefined();
  expect(env().UMPIRE_EMBED_FRAME_ANCESTORS).toBeUndefined();
  withEnv({ UMPIRE_PUBLIC_URL: '   ' });
  expect(env().UMPIRE_PUBLIC_URL).toBeUndefined();
});

test('the database URL is asked for only by what needs it', () => {
  withEnv({ DATABASE_URL: undefined, PORT: '8080' });
  expect(env().PORT).toBe(8080);
  expect(() => databaseUrl()).toThrow('DATABASE_URL is required');
  withEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/umpire' });
  expect(databaseUrl()).toBe('postgresql://postgres@127.0.0.1:5432/umpire');
});
