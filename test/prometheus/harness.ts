import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export { generateCounters, minuteIncreases, selectSeries, sumMinutes, toOpenMetrics } from './generate-counters';
export type { GeneratedCounters, GeneratedSeries, Scenario } from './generate-counters';

const run = promisify(execFile);
const PROMETHEUS = process.env.UMPIRE_TEST_PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.UMPIRE_TEST_PROMTOOL ?? '/usr/bin/promtool';

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s); safe to call twice. */
  stop(): Promise<void>;
  /** Stops if running, then starts again on the same port and data. */
  restart(): Promise<void>;
  /** stop() and delete the temporary directory. */
  close(): Promise<void>;
  /** The server's recent output, for failure messages. */
  logs(): string;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts Debian's Prometheus on a free loopback port over TSDB blocks built by promtool from the given
 * OpenMetrics text (one string, or several covering disjoint time spans aligned to 2 h, converted in
 * parallel: promtool re-reads its whole input for every 2-hour block it writes). No scrape targets: the
 * history is all there is. Resolves once /-/ready answers.
 */
export async function startPrometheus(input: { openMetrics: string | string[] }): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'umpire-prometheus-'));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const parts = Array.isArray(input.openMetrics) ? input.openMetrics : [input.openMetrics];
  await Promise.all(
    parts.map(async (text, i) => {
      const file = join(dir, `history-${i}.om`);
      await writeFile(file, text);
      await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], { maxBuffer: 16 * 1024 * 1024 });
      await rm(file);
    }),
  );

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    const proc = spawn(
      PROMETHEUS,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1y',
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`prometheus exited (${proc.exitCode ?? proc.signalCode}):\n${output}`);
      try {
        const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    throw new Error(`prometheus not ready within 60 s:\n${output}`);
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url,
    port,
    dataDir,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      process.removeListener('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
    logs: () => output,
  };
}
