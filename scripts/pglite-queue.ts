/**
 * The query queue of the embedded database's socket server, replacing @electric-sql/pglite-socket 0.2.17's own.
 * That one runs each protocol message on its own, first come first served: outside a transaction, another
 * connection's Parse can land between one connection's Parse and Bind, which share PGlite's one unnamed
 * statement, and the Bind fails ("bind message supplies 4 parameters, but prepared statement "" requires 3").
 * It also stops for good after one failed message. Here a connection's extended-query cycle (Parse, Bind,
 * Describe, Execute... up to Sync) and its transactions run without anyone else's messages in between.
 */

/** What the queue needs of PGlite. */
export interface ProtocolDatabase {
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

interface Queued {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

/** Messages that continue an extended-query cycle: the next one must come from the same connection. */
const MID_CYCLE = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'F'].map((c) => c.charCodeAt(0)));

export class CycleQueue {
  private queue: Queued[] = [];
  private processing = false;
  /** The connection last served: while PGlite is in a transaction, it is that connection's. */
  private lastHandlerId: number | null = null;
  /** The connection in the middle of a cycle (sent Parse or Bind, not yet Sync). */
  private cycleOwner: number | null = null;

  constructor(private readonly db: ProtocolDatabase) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, resolve, reject, onData });
      if (!this.processing) void this.processQueue();
    });
  }

  /** Whose message may run next: the connection mid-cycle or mid-transaction, else whoever came first. */
  private owner(): number | null {
    if (this.cycleOwner !== null) return this.cycleOwner;
    return this.db.isInTransaction() ? this.lastHandlerId : null;
  }

  async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.owner();
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        // The owner's next message has not arrived yet: others wait; its enqueue starts the queue again.
        if (index === -1) break;
        const item = this.queue.splice(index, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (data) => ((bytes += data.length), item.onData(data)) }));
        } catch (error) {
          this.cycleOwner = null;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        this.cycleOwner = MID_CYCLE.has(item.message[0] ?? 0) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** A connection went away: its queued messages fail, and a cycle it left half-way no longer holds the others. */
  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((q) => (q.handlerId === handlerId ? (q.reject(new Error('Handler disconnected')), false) : true));
    if (this.cycleOwner === handlerId) this.cycleOwner = null;
    if (!this.processing) void this.processQueue();
  }

  /** A connection went away inside a transaction: roll it back, so the others are not stuck behind it. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.db.isInTransaction() && this.lastHandlerId === handlerId) {
      await this.db.exec('ROLLBACK');
      this.lastHandlerId = null;
      await this.processQueue();
    }
  }
}
