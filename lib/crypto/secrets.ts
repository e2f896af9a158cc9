import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { env } from '../env';

/**
 * Data-source credentials at rest: AES-256-GCM under a key derived from UMPIRE_SECRET_KEY. The database alone
 * (a dump, a replica) does not reveal them.
 */
const VERSION = 'v1';
const SALT = 'umpire.datasource-secrets';

export class SecretKeyMissingError extends Error {
  constructor() {
    super('Set UMPIRE_SECRET_KEY (at least 16 characters) to store data-source credentials');
    this.name = 'SecretKeyMissingError';
  }
}

/**
 * Derived keys by UMPIRE_SECRET_KEY: scrypt is slow on purpose (tens of milliseconds, blocking), and the
 * notification dispatcher decrypts a channel's secret per delivery, so each key is derived once per process.
 */
const derived = new Map<string, Buffer>();

function key(secretKey: string | undefined): Buffer {
  if (!secretKey || secretKey.length < 16) throw new SecretKeyMissingError();
  let value = derived.get(secretKey);
  if (!value) {
    value = scryptSync(secretKey, SALT, 32);
    derived.set(secretKey, value);
  }
  return value;
}

export function encryptSecret(plaintext: string, secretKey = env().UMPIRE_SECRET_KEY): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secretKey), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export function decryptSecret(stored: string, secretKey = env().UMPIRE_SECRET_KEY): string {
  const [version, iv, tag, data] = stored.split(':');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('Stored secret has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key(secretKey), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}
