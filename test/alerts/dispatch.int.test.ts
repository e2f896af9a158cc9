// Issue 16: delivery that loses nothing and duplicates nothing. A receiver down for minutes gets the notification
// once it is back; a process that dies mid-send loses nothing; two dispatchers send each notification once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { encryptSecret } from '../../lib/crypto/secrets';
import { db } from '../../lib/db/client';
import { claimDue, enqueue, settle } from '../../lib/db/notifications';
import { transaction } from '../../lib/db/transaction';
import { alertMessage } from '../../lib/notify/message.fixture';
import { verifyWebhookSignature } from '../../lib/notify/webhook/webhook';
import { dispatchDue, retryDelayMs } from '../../lib/use-cases/notifications/dispatch';
import { startReceiver, type Receiver } from '../notify/receiver';
import { uniqueSlug } from '../factories';

const SECRET = 'whsec-dispatch-test';
const MIN = 60_000;
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function webhookChannel(url: string) {
  return db().notificationChannel.create({
    data: {
      slug: uniqueSlug('ch'),
      name: 'Hook',
      kind: 'webhook',
      config: { kind: 'webhook', url: `${url}/hook` },
      secret: encryptSecret(SECRET),
      createdBy: 'test',
    },
  });
}

async function queue(channelId: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, () => uniqueSlug('key'));
  await transaction((tx) =>
    enqueue(
      tx,
      keys.map((key) => ({
        idempotencyKey: key,
        alertEventId: null,
        channelId,
        action: 'trigger',
        payload: alertMessage({ idempotencyKey: key }),
        status: 'pending' as const,
      })),
    ),
  );
  return keys;
}

/** A port nothing listens on (yet): taken and let go. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The dispatcher sends whatever is due in the database, other test files' notifications too (they share it), so
 * these tests judge their own rows and receivers, never the run's counts.
 */
const ours = (key: string) => db().notification.findUniqueOrThrow({ where: { idempotencyKey: key }, include: { deliveries: { orderBy: { at: 'asc' } } } });

const keysReceived = (receiver: Receiver) => receiver.requests.map((r) => r.headers['x-umpire-idempotency-key']);

describe('dispatcher', () => {
  test('a receiver down for minutes gets the notification once it is back, and every attempt is in the log', async () => {
    const port = await freePort();
    const channel = await webhookChannel(`http://127.0.0.1:${port}`);
    const [key] = await queue(channel.id, 1);
    const owner = uniqueSlug('dispatcher');
    let now = new Date(Date.now() + 1000);

    // Down: connection refused, retried later with a growing delay.
    await dispatchDue({ owner, now: () => now });
    let row = await ours(key!);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + retryDelayMs(1));
    // Not due yet: nothing is sent early.
    await dispatchDue({ owner, now: () => now });
    expect(await ours(key!)).toMatchObject({ status: 'pending', attempts: 1 });

    now = new Date(now.getTime() + 2 * MIN);
    await dispatchDue({ owner, now: () => now });
    expect(await ours(key!)).toMatchObject({ status: 'pending', attempts: 2 });

    // Back, minutes later, on the port the channel names.
    const receiver = await startReceiver({ status: 200, body: 'ok' }, port);
    receivers.push(receiver);
    now = new Date(now.getTime() + 5 * MIN);
    await dispatchDue({ owner, now: () => now });

    expect(keysReceived(receiver)).toEqual([key]);
    const request = receiver.requests[0]!;
    expect(verifyWebhookSignature(SECRET, request.headers['x-umpire-signature'] as string, request.body)).toBe(true);
    row = await ours(key!);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(row.deliveries.map((d) => d.ok)).toEqual([false, false, true]);
    expect(row.deliveries[0]!.response).toMatch(/ECONNREFUSED|refused/i);
    expect(row.deliveries[2]!.statusCode).toBe(200);
  });

  test('a 400 is not retried: the receiver refused it for good', async () => {
    const receiver = await startReceiver({ status: 400, body: 'bad payload' });
    receivers.push(receiver);
    const channel = await webhookChannel(receiver.url);
    const [key] = await queue(channel.id, 1);
    await dispatchDue({ owner: uniqueSlug('d') });
    const row = await ours(key!);
    expect(row.status).toBe('failed');
    expect(row.deliveries[0]).toMatchObject({ ok: false, statusCode: 400, response: 'bad payload' });
  });

  test('a process that dies after claiming loses nothing: its claim runs out and another sends, once', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const channel = await webhookChannel(receiver.url);
    const keys = await queue(channel.id, 3);
    const now = new Date(Date.now() + 1000);
    // The dead process claimed all three and never sent them.
    const claimed = await claimDue('dead-process', now, new Date(now.getTime() + MIN), 1000);
    const ours = claimed.filter((n) => keys.includes(n.idempotencyKey));
    expect(ours).toHaveLength(3);
    // While its claim holds, nobody else sends them.
    await dispatchDue({ owner: 'survivor', now: () => new Date(now.getTime() + 30_000) });
    expect(receiver.requests.filter((r) => keys.includes(r.headers['x-umpire-idempotency-key'] as string))).toHaveLength(0);
    // After it, the survivor does.
    await dispatchDue({ owner: 'survivor', now: () => new Date(now.getTime() + 2 * MIN) });
    expect(keysReceived(receiver).sort()).toEqual([...keys].sort());
    // The dead process coming back cannot record over the survivor's outcome.
    expect(await settle(ours[0]!.id, 'dead-process', { status: 'failed', attempt: null })).toBe(false);
    const rows = await db().notification.findMany({ where: { idempotencyKey: { in: keys } } });
    expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  test('two dispatchers at once send each of 200 notifications exactly once', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const channel = await webhookChannel(receiver.url);
    const keys = await queue(channel.id, 200);
    const runs = await Promise.all([dispatchDue({ owner: 'one' }), dispatchDue({ owner: 'two' })]);
    const received = keysReceived(receiver).filter((k) => keys.includes(k as string));
    expect(received).toHaveLength(200);
    expect(new Set(received).size).toBe(200);
    expect(runs.reduce((n, r) => n + r.delivered, 0)).toBeGreaterThanOrEqual(200);
    // Each attempt row is one send.
    const attempts = await db().notificationAttempt.count({ where: { notification: { idempotencyKey: { in: keys } } } });
    expect(attempts).toBe(200);
  });

  test('a queued notification cannot be queued twice under its idempotency key', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const channel = await webhookChannel(receiver.url);
    const [key] = await queue(channel.id, 1);
    const added = await transaction((tx) =>
      enqueue(tx, [{ idempotencyKey: key!, alertEventId: null, channelId: channel.id, action: 'trigger', payload: alertMessage(), status: 'pending' }]),
    );
    expect(added).toBe(0);
    expect(await db().notification.count({ where: { idempotencyKey: key } })).toBe(1);
  });
});
