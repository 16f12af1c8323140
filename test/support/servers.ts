/**
 * The real Prometheus, from Debian's packages, installed on first use by the
 * project's own script. Outside CI a missing install skips the tests that need
 * it (with the reason); in CI (CI=true) it fails them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT, startProcess } from './processes.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);
export const SERVERS_BIN = join(REPO_ROOT, '.servers', 'root', 'usr', 'bin');

/** Installs the servers (a no-op when done). Returns an error message, or undefined when they are there. */
export async function ensureServers(): Promise<string | undefined> {
  try {
    await run('bash', [join(REPO_ROOT, 'scripts', 'install-servers.sh')], { timeout: 300_000 });
    return undefined;
  } catch (error) {
    const message = `the real servers could not be installed: ${(error as { stderr?: string }).stderr || String(error)}`;
    if (process.env.CI === 'true') throw new Error(message);
    return message;
  }
}

export interface PrometheusServer {
  readonly url: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(scrapeTargets: Record<string, string>): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-prometheus-'));
  const jobs = Object.entries(scrapeTargets)
    .map(([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']`)
    .join('\n');
  const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs}\n`;
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const server = startProcess(join(SERVERS_BIN, 'prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok || undefined).catch((error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; error?: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
