import { describe, expect, test } from 'vitest';
import { CycleQueue, type ProtocolDatabase } from './pglite-queue';

/** A database that records which message of which connection it ran, and can be told it is in a transaction. */
function recordingDatabase(fail: (tag: string) => boolean = () => false) {
  const ran: string[] = [];
  let inTransaction = false;
  const db: ProtocolDatabase = {
    isInTransaction: () => inTransaction,
    runExclusive: (fn) => fn(),
    execProtocolRawStream: async (message, { onRawData }) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const tag = new TextDecoder().decode(message);
      if (fail(tag)) throw new Error(`failed ${tag}`);
      ran.push(tag);
      if (tag.endsWith('BEGIN')) inTransaction = true;
      if (tag.endsWith('COMMIT')) inTransaction = false;
      onRawData(new Uint8Array(1));
    },
    exec: async () => {
      inTransaction = false;
    },
  };
  return { db, ran };
}

/** A message whose first byte is its protocol type, tagged with its connection: "P a1". */
const msg = (type: string, tag: string) => new TextEncoder().encode(`${type} ${tag}`);

describe('CycleQueue', () => {
  test("one connection's Parse/Bind/Execute/Sync are never split by another's", async () => {
    const { db, ran } = recordingDatabase();
    const queue = new CycleQueue(db);
    // As the socket handlers enqueue them: both connections' messages arriving interleaved.
    const done = [
      queue.enqueue(1, msg('P', 'a'), () => undefined),
      queue.enqueue(2, msg('P', 'b'), () => undefined),
      queue.enqueue(1, msg('B', 'a'), () => undefined),
      queue.enqueue(2, msg('B', 'b'), () => undefined),
      queue.enqueue(1, msg('E', 'a'), () => undefined),
      queue.enqueue(2, msg('E', 'b'), () => undefined),
      queue.enqueue(1, msg('S', 'a'), () => undefined),
      queue.enqueue(2, msg('S', 'b'), () => undefined),
    ];
    await Promise.all(done);
    expect(ran).toEqual(['P a', 'B a', 'E a', 'S a', 'P b', 'B b', 'E b', 'S b']);
  });

  test('waits for the rest of a cycle that has not arrived yet, rather than letting another in', async () => {
    const { db, ran } = recordingDatabase();
    const queue = new CycleQueue(db);
    const first = queue.enqueue(1, msg('P', 'a'), () => undefined);
    const other = queue.enqueue(2, msg('Q', 'b'), () => undefined);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual(['P a']);
    await Promise.all([queue.enqueue(1, msg('B', 'a'), () => undefined), queue.enqueue(1, msg('S', 'a'), () => undefined), other]);
    expect(ran).toEqual(['P a', 'B a', 'S a', 'Q b']);
  });

  test('a transaction keeps the others waiting until it ends', async () => {
    const { db, ran } = recordingDatabase();
    const queue = new CycleQueue(db);
    const done = [
      queue.enqueue(1, msg('Q', 'a BEGIN'), () => undefined),
      queue.enqueue(2, msg('Q', 'b select'), () => undefined),
      queue.enqueue(1, msg('Q', 'a insert'), () => undefined),
      queue.enqueue(1, msg('Q', 'a COMMIT'), () => undefined),
    ];
    await Promise.all(done);
    expect(ran).toEqual(['Q a BEGIN', 'Q a insert', 'Q a COMMIT', 'Q b select']);
  });

  test('a failed message fails its own promise and the queue goes on; a dropped connection frees its cycle', async () => {
    const { db, ran } = recordingDatabase((tag) => tag === 'Q a bad');
    const queue = new CycleQueue(db);
    const bad = queue.enqueue(1, msg('Q', 'a bad'), () => undefined);
    const good = queue.enqueue(2, msg('Q', 'b good'), () => undefined);
    await expect(bad).rejects.toThrow('failed Q a bad');
    await good;
    await queue.enqueue(3, msg('P', 'c'), () => undefined);
    const waiting = queue.enqueue(4, msg('Q', 'd'), () => undefined);
    queue.clearQueueForHandler(3);
    await waiting;
    expect(ran).toEqual(['Q b good', 'P c', 'Q d']);
  });
});
