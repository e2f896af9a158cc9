/**
 * `npm run bench:alerts`: the evaluator's state-and-alerts step (lib/use-cases/alerts/record-states.ts) over
 * --services x --slos-per-service SLOs (default 1,000 x 10) with two hours of minute buckets each, then
 * notification delivery: --burning SLOs (default 250) burn through all four default tiers (1,000 transitions), routed to a
 * signed webhook on a local receiver, delivered by the dispatcher. Prints the cycle's wall time, states written,
 * transitions, notifications, and the time from the transitions to the last delivery. Creates its own database
 * (PostgreSQL at TEST_ADMIN_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres), dropped on exit.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SloInput } from '../lib/schemas';
import { createTestDatabase } from '../test/database';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    'slos-per-service': { type: 'string', default: '10' },
    burning: { type: 'string', default: '250' },
  },
});
const SERVICES = Number(args.services);
const PER_SERVICE = Number(args['slos-per-service']);
const BURNING = Number(args.burning);
const MIN = 60_000;

process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_LOG_LEVEL ??= 'error';
process.env.UMPIRE_SECRET_KEY ??= 'bench-alerts-secret-key';
process.env.DATABASE_POOL_MAX ??= '10';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const database = await createTestDatabase('umpire_bench_alerts');
  process.env.DATABASE_URL = database.url;
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['x-umpire-idempotency-key']));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const now = new Date(Math.floor(Date.now() / MIN) * MIN);
    const setupStarted = performance.now();
    await seed(database.url, now, receiverUrl);
    console.log(
      `setup: ${SERVICES * PER_SERVICE} SLOs over ${SERVICES} services, 120 minute buckets each, ${BURNING} burning (${seconds(performance.now() - setupStarted)})`,
    );

    const { recordStates } = await import('../lib/use-cases/alerts/record-states');
    const { dispatchDue } = await import('../lib/use-cases/notifications/dispatch');
    const { db } = await import('../lib/db/client');

    const cycle = async (label: string, at: Date) => {
      const started = performance.now();
      const run = await recordStates({ now: at });
      const ms = performance.now() - started;
      console.log(
        `${label}: ${seconds(ms)} for ${run.slos} SLOs (${(run.slos / (ms / 1000)).toFixed(0)} SLOs/s); states written ${run.written}, transitions ${run.transitions}, notifications queued ${run.notifications}, failed ${run.failed.length}`,
      );
      return { run, ms };
    };

    const first = await cycle('cycle 1 (alerts fire)', now);
    const deliverStarted = performance.now();
    const dispatched = await dispatchDue({ owner: 'bench' });
    const deliverMs = performance.now() - deliverStarted;
    console.log(
      `delivery: ${dispatched.delivered} of ${first.run.notifications} notifications delivered to a local webhook in ${seconds(deliverMs)} (${(dispatched.delivered / (deliverMs / 1000)).toFixed(0)}/s), receiver got ${received.length}, retried ${dispatched.retried}, failed ${dispatched.failed}`,
    );
    console.log(`transitions to last delivery: ${seconds(first.ms + deliverMs)} (the evaluator's whole step plus the dispatcher)`);
    await cycle('cycle 2 (steady, a minute later)', new Date(now.getTime() + MIN));
    const rows = await db().$queryRaw<
      Array<{ states: bigint; events: bigint }>
    >`SELECT (SELECT count(*) FROM slo_states) AS states, (SELECT count(*) FROM alert_events) AS events`;
    console.log(`rows: ${rows[0]!.states} states, ${rows[0]!.events} alert events`);
    await db().$disconnect();
  } finally {
    receiver.close();
    await database.drop();
  }
}

/** Services, SLOs, buckets, a webhook channel and a route for the burning SLOs' team, in a few statements. */
async function seed(url: string, now: Date, receiverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const slo = SloInput.parse({
      slug: 'x',
      name: 'x',
      objective: 0.999,
      sli: { source: 'demo', profile: 'availability', eventsPerMinute: 100, baselineErrorRatio: 0.0005, seed: 'bench' },
    });
    await client.query(
      `INSERT INTO services (id, slug, name, owner_team, tier, updated_at)
       SELECT gen_random_uuid(), 'svc-' || i, 'Service ' || i, CASE WHEN i <= $2 THEN 'burning' ELSE 'team-' || (i % 50) END, 2, now()
       FROM generate_series(1, $1) AS i`,
      [SERVICES, Math.ceil(BURNING / PER_SERVICE)],
    );
    await client.query(
      `INSERT INTO slos (id, service_id, slug, name, objective, "window", budgeting, sli, labels, updated_at)
       SELECT gen_random_uuid(), s.id, 'slo-' || j, 'SLO ' || j, 0.999, $1::jsonb, $2::jsonb, $3::jsonb, '{}'::jsonb, now()
       FROM services s, generate_series(1, $4) AS j`,
      [JSON.stringify(slo.window), JSON.stringify(slo.budgeting), JSON.stringify(slo.sli), PER_SERVICE],
    );
    // Two hours of 100 events a minute; the burning SLOs' last hour at 5% errors (both page tiers fire).
    await client.query(
      `INSERT INTO sli_buckets (slo_id, start, good, total)
       SELECT sl.id, m, CASE WHEN sv.owner_team = 'burning' AND m >= $1::timestamptz - interval '60 minutes' THEN 95 ELSE 100 END, 100
       FROM slos sl JOIN services sv ON sv.id = sl.service_id,
            generate_series($1::timestamptz - interval '120 minutes', $1::timestamptz - interval '1 minute', interval '1 minute') AS m`,
      [now.toISOString()],
    );
    const { encryptSecret } = await import('../lib/crypto/secrets');
    const channel = await client.query<{ id: string }>(
      `INSERT INTO notification_channels (id, slug, name, kind, config, secret, created_by, updated_at)
       VALUES (gen_random_uuid(), 'bench-hook', 'Bench hook', 'webhook', $1::jsonb, $2, 'bench', now()) RETURNING id`,
      [JSON.stringify({ kind: 'webhook', url: receiverUrl }), encryptSecret('bench-signing-secret')],
    );
    await client.query(
      `INSERT INTO notification_routes (id, team, channel_id, created_by, updated_at) VALUES (gen_random_uuid(), 'burning', $1, 'bench', now())`,
      [channel.rows[0]!.id],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
