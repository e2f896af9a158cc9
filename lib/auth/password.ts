import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt, a memory-hard KDF built into Node (no native add-on to install). Parameters
 * are OWASP's (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1, i.e. 128 MiB and a few hundred ms per
 * hash. They are stored with each hash, so raising them later re-hashes passwords as people sign in.
 */
export interface ScryptParams {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_PARAMS: ScryptParams = { ln: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Longer passwords are refused before hashing (a megabyte of password is a denial-of-service, not a secret). */
export const MAX_PASSWORD_LENGTH = 256;
/** At most this many hashes at once: each holds 128 MiB while it runs. */
const MAX_CONCURRENT = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await fn();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r + 16 * 1024 * 1024 };
  return withSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const match = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!match) return null;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 1 || params.ln > 20 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

/** A hash of nothing anyone knows, verified against when the user does not exist, so both take as long. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored` (null: no such user or no password; the same work is done, so timing does
 * not tell which). `rehash` says the stored parameters are weaker than today's.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<{ ok: boolean; rehash: boolean }> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  const real = stored === null ? null : parse(stored);
  const used = real ?? parse(await decoy)!;
  const key = await derive(password.slice(0, MAX_PASSWORD_LENGTH), used.salt, used.params);
  const ok = real !== null && key.length === real.key.length && timingSafeEqual(key, real.key);
  const p = used.params;
  const rehash = ok && (p.ln < DEFAULT_PARAMS.ln || p.r < DEFAULT_PARAMS.r || p.p < DEFAULT_PARAMS.p);
  return { ok, rehash };
}

/** Why a new password is not acceptable, or null. Length is what matters (NIST SP 800-63B), not character classes. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 12) return 'must be at least 12 characters';
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'must not be the username';
  if (/^(.)\1+$/.test(password)) return 'must not be one character repeated';
  if (COMMON.has(password.toLowerCase())) return 'is too common';
  return null;
}

/** A few of the most common passwords of 12+ characters (from public breach lists). */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  'passwordpassword',
  'password1234',
  'qwertyuiopasdfghjkl',
  'qwertyuiop123',
  '1q2w3e4r5t6y',
  'iloveyou1234',
  'administrator',
  'changemechangeme',
  'letmeinletmein',
  'welcome12345',
  'abcdefghijkl',
  'password123!',
]);
