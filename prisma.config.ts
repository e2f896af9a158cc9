import { defineConfig } from 'prisma/config';

// The CLI (migrate, generate) reads the URL here; the app connects through @prisma/adapter-pg (lib/db).
// `prisma generate` needs no database, so a missing DATABASE_URL is only an error for commands that connect.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
