import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { CycleQueue } from './pglite-queue';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** The directory (0700) holding the database's Unix socket. */
  socketDir: string;
  stop: () => Promise<void>;
}

/** node-postgres and Prisma find the socket as `<host>/.s.PGSQL.<port>`; the port is only a name here. */
const SOCKET_NAME = '.s.PGSQL.5432';

/** Makes a directory this user's alone: created 0700 if missing, and made 0700 if it was not. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Every directory under `dir` 0700 and every file 0600, whatever they were: PGlite's first start writes its
 * initial files world-writable (0666) whatever the umask, so this runs after it. Symbolic links are left alone.
 */
export function makeTreePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) makeTreePrivate(child);
    else if (entry.isFile()) chmodSync(child, 0o600);
  }
}

/**
 * PostgreSQL in-process (PGlite), persisted under `dataDir` and served on a Unix socket, so Prisma reaches it
 * exactly as it reaches a real server. The socket server's multiplexer keeps a transaction on its connection.
 *
 * Who may connect: @electric-sql/pglite-socket cannot authenticate (PGlite answers any user and password with
 * full rights), so the socket lives in a directory only this user can enter (0700, made by mkdtemp): the kernel
 * refuses everyone else before a byte reaches PGlite. There is no TCP port. The data directory is 0700 with its
 * files 0600, and while the database runs the process umask is 077, so the files PGlite adds are private too.
 */
export async function startEmbeddedDatabase(dataDir: string, maxConnections = 12): Promise<EmbeddedDatabase> {
  const umask = process.umask(0o077);
  let socketDir: string | undefined;
  let db: PGlite | undefined;
  try {
    makePrivateDir(dataDir);
    db = await PGlite.create(dataDir);
    makeTreePrivate(dataDir);
    // Short, in the temporary directory: a socket's path may not exceed about 100 bytes.
    socketDir = mkdtempSync(path.join(tmpdir(), 'umpire-db-'));
    chmodSync(socketDir, 0o700);
    const socketPath = path.join(socketDir, SOCKET_NAME);
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
    // Every connection's handler takes the server's queue when it connects: ours keeps each query cycle whole.
    (server as unknown as { queryQueue: CycleQueue }).queryQueue = new CycleQueue(db);
    await server.start();
    chmodSync(socketPath, 0o600);
    const dir = socketDir;
    const database = db;
    return {
      url: embeddedDatabaseUrl(dir),
      dataDir,
      socketDir: dir,
      stop: async () => {
        try {
          await server.stop();
          await database.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
          if (lstatSync(dataDir, { throwIfNoEntry: false })) makeTreePrivate(dataDir);
          process.umask(umask);
        }
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    process.umask(umask);
    throw error;
  }
}

/** The URL Prisma and node-postgres reach the socket in `socketDir` by (no password: the directory is the lock). */
export function embeddedDatabaseUrl(socketDir: string): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}
