import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../prometheus/harness';

const ALERTMANAGER = process.env.UMPIRE_TEST_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager';

export interface RunningAlertmanager {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Stops the server and deletes its directory; safe to call twice. */
  close(): Promise<void>;
  logs(): string;
}

/**
 * Starts Debian's Alertmanager on a free loopback port with the given configuration, clustering off and its state in a
 * temporary directory. Resolves once /-/ready answers.
 */
export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'umpire-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`alertmanager exited with ${child.exitCode}:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`alertmanager did not become ready within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, close, logs: () => output };
}
