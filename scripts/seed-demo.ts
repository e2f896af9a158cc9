/** Seeds the demo catalogue into the (empty) database in DATABASE_URL: `npx tsx scripts/seed-demo.ts`. */
import { db } from '../lib/db/client';
import { describeSeeded, seedDemo } from '../lib/use-cases/demo/seed-demo';

const seeded = await seedDemo({ onService: (service) => process.stdout.write(`umpire:   ${describeSeeded(service)}\n`) });
process.stdout.write(seeded ? 'umpire: seeded the demo catalogue\n' : 'umpire: database not empty, demo not seeded\n');
await db().$disconnect();
