import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { CycleQueue } from './pglite-queue';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

/**
 * PostgreSQL in-process (PGlite), persisted under `dataDir` and served on a loopback port, so Prisma reaches
 * it exactly as it reaches a real server. The socket server's multiplexer keeps a transaction on its connection.
 */
export async function startEmbeddedDatabase(dataDir: string, maxConnections = 12): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  // Every connection's handler takes the server's queue when it connects: ours keeps each query cycle whole.
  (server as unknown as { queryQueue: CycleQueue }).queryQueue = new CycleQueue(db);
  await server.start();
  // After start() the OS-assigned port is known: "127.0.0.1:PORT".
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    dataDir,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
