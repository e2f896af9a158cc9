/**
 * `npm run setup-link`: a new one-time link to create the first admin, while Umpire has no user.
 * `npm run setup-link -- <username>`: a one-time link for that user to set a new password (a lost admin password).
 * Whoever can run this can reach the database, so it needs no sign-in; the link is printed, never logged.
 * Uses DATABASE_URL and UMPIRE_PUBLIC_URL (else http://localhost:$PORT) for the link.
 */
import { systemActor } from '../lib/auth/authorize';
import { env } from '../lib/env';

async function main(): Promise<void> {
  const { DATABASE_URL, UMPIRE_PUBLIC_URL, PORT } = env();
  if (!DATABASE_URL) {
    throw new Error(
      'set DATABASE_URL to Umpire’s database. With the embedded database, `npm start` prints a new setup link at every start until an admin exists.',
    );
  }
  const origin = UMPIRE_PUBLIC_URL ?? `http://localhost:${PORT}`;
  const username = process.argv[2];
  const { db } = await import('../lib/db/client');
  try {
    if (username) {
      const { createResetLink } = await import('../lib/use-cases/access/users');
      const link = await createResetLink({ actor: systemActor('setup-link script'), username, origin });
      process.stdout.write(`A one-time link for ${username} to set a new password (valid until ${link.expiresAt}):\n\n  ${link.url}\n\n`);
      return;
    }
    const { ensureSetupLink } = await import('../lib/use-cases/access/sessions');
    const link = await ensureSetupLink(origin);
    if (!link) {
      process.stdout.write('Umpire has users already. For a forgotten password: npm run setup-link -- <username>\n');
      return;
    }
    process.stdout.write(`Create the first admin with this one-time link (valid until ${link.expiresAt}):\n\n  ${link.url}\n\n`);
  } finally {
    await db().$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`setup-link: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
